;;; schemy --- System administration services (Guix manual, "Log Rotation"
;;; and "Unattended Upgrades"): log cleanup and unattended upgrades, both
;;; mcron jobs.

(define-module (gnu services admin)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services mcron)
  #:export (log-cleanup-configuration
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
