;;; schemy --- System administration services (Guix manual, "Log Rotation",
;;; "Unattended Upgrades" and "File Search Services"): log cleanup, unattended
;;; upgrades and the file and package databases, all mcron jobs.

(define-module (gnu services admin)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services mcron)
  #:use-module ((gnu packages base) #:select (findutils))
  #:use-module ((gnu packages package-management) #:select (guix))
  #:export (file-database-service-type
            file-database-configuration
            file-database-configuration?
            file-database-configuration-package
            file-database-configuration-schedule
            file-database-configuration-excluded-directories
            %default-file-database-update-schedule
            %default-file-database-excluded-directories

            package-database-service-type
            package-database-configuration
            package-database-configuration?
            package-database-configuration-package
            package-database-configuration-schedule
            package-database-configuration-method
            package-database-configuration-channels
            %default-package-database-update-schedule

            log-cleanup-configuration
            log-cleanup-configuration?
            log-cleanup-service-type
            unattended-upgrade-configuration
            unattended-upgrade-configuration?
            unattended-upgrade-service-type))

(define-record-type* <log-cleanup-configuration> log-cleanup-configuration
  make-log-cleanup-configuration log-cleanup-configuration?
  (directory log-cleanup-configuration-directory)
  (expiry    log-cleanup-configuration-expiry (default (* 6 30 24 3600)))
  (schedule  log-cleanup-configuration-schedule (default "30 12 01,08,15,22 * *")))

(define log-cleanup-service-type
  (service-type
   (name 'log-cleanup)
   (extensions
    (list (service-extension mcron-service-type
                             (lambda (config)
                               (list #~(job #$(log-cleanup-configuration-schedule config)
                                            #$(string-append
                                               "find " (log-cleanup-configuration-directory config)
                                               " -type f -mmin +"
                                               (number->string
                                                (quotient (log-cleanup-configuration-expiry config) 60))
                                               " -delete")))))))
   (description "Delete old log files of a directory from time to time.")))

(define-record-type* <unattended-upgrade-configuration> unattended-upgrade-configuration
  make-unattended-upgrade-configuration unattended-upgrade-configuration?
  (operating-system-file unattended-upgrade-operating-system-file
                         (default "/run/current-system/configuration.scm"))
  (operating-system-expression unattended-upgrade-operating-system-expression (default #f))
  (schedule unattended-upgrade-configuration-schedule (default "30 01 * * 0"))
  (channels unattended-upgrade-configuration-channels (default #~%default-channels))
  (reboot? unattended-upgrade-configuration-reboot? (default #f))
  (services-to-restart unattended-upgrade-configuration-services-to-restart
                       (default '(unattended-upgrade)))
  (system-expiration unattended-upgrade-system-expiration (default (* 3 30 24 3600)))
  (maximum-duration unattended-upgrade-maximum-duration (default 3600))
  (log-file unattended-upgrade-configuration-log-file (default "/var/log/unattended-upgrade.log")))

(define unattended-upgrade-service-type
  (service-type
   (name 'unattended-upgrade)
   (extensions
    (list (service-extension mcron-service-type
                             (lambda (config)
                               (list #~(job #$(unattended-upgrade-configuration-schedule config)
                                            #$(string-append
                                               "schemy reconfigure "
                                               (unattended-upgrade-operating-system-file config)
                                               " >> "
                                               (unattended-upgrade-configuration-log-file config)
                                               " 2>&1")))))))
   (default-value (unattended-upgrade-configuration))
   (description "Upgrade the system periodically from its configuration file.")))


;;; File search: updatedb for `locate', `guix locate --update' for the
;;; package database.

(define %default-file-database-update-schedule
  ;; Sundays at 23:10.
  "10 23 * * 0")

(define %default-file-database-excluded-directories
  ;; Regular expressions of directories left out of the `locate' database.
  '("/gnu/store" "/tmp" "/var/tmp" "/var/cache" ".*/\\.cache" "/run/udev" "/dev"))

(define-record-type* <file-database-configuration> file-database-configuration
  make-file-database-configuration file-database-configuration?
  (package              file-database-configuration-package (default findutils))
  (schedule             file-database-configuration-schedule
                        (default %default-file-database-update-schedule))
  (excluded-directories file-database-configuration-excluded-directories
                        (default %default-file-database-excluded-directories)))

(define file-database-service-type
  (service-type
   (name 'file-database)
   (extensions
    (list (service-extension mcron-service-type
                             (lambda (config)
                               (list #~(job #$(file-database-configuration-schedule config)
                                            (string-join
                                             (list #$(file-append (file-database-configuration-package config)
                                                                  "/bin/updatedb")
                                                   (string-append
                                                    "--prunepaths='"
                                                    #$(string-join
                                                       (file-database-configuration-excluded-directories config))
                                                    "'")))))))))
   (default-value (file-database-configuration))
   (description "Run updatedb periodically, so that `locate' finds the files of the
machine.")))

(define %default-package-database-update-schedule
  ;; Mondays at 23:10.
  "10 23 * * 1")

(define-record-type* <package-database-configuration> package-database-configuration
  make-package-database-configuration package-database-configuration?
  (package  package-database-configuration-package (default guix))
  (schedule package-database-configuration-schedule
            (default %default-package-database-update-schedule))
  (method   package-database-configuration-method (default 'store))
  (channels package-database-configuration-channels (default #~%default-channels)))

(define package-database-service-type
  (service-type
   (name 'package-database)
   (extensions
    (list (service-extension mcron-service-type
                             (lambda (config)
                               (list #~(job #$(package-database-configuration-schedule config)
                                            #$(string-append
                                               "guix locate --update --method="
                                               (symbol->string (package-database-configuration-method config)))))))))
   (default-value (package-database-configuration))
   (description "Run `guix locate --update' periodically, for a system-wide database of
the files packages contain.")))
