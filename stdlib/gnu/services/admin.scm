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
  #:use-module ((gnu packages admin) #:select (cloud-utils))
  #:use-module ((gnu packages linux) #:select (e2fsprogs btrfs-progs))
  #:use-module ((gnu packages file-systems) #:select (bcachefs-tools))
  #:use-module (gnu services shepherd)
  #:use-module (gnu services configuration)
  #:use-module ((gnu system file-systems) #:select (file-system-device file-system-type))
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
            unattended-upgrade-service-type

            log-rotation-configuration
            log-rotation-configuration?
            log-rotation-configuration-provision
            log-rotation-configuration-requirement
            log-rotation-configuration-calendar-event
            log-rotation-configuration-external-log-files
            log-rotation-configuration-compression
            log-rotation-configuration-expiry
            log-rotation-configuration-size-threshold
            log-rotation-service-type

            resize-file-system-service-type
            resize-file-system-configuration
            resize-file-system-configuration?
            resize-file-system-configuration-file-system
            resize-file-system-configuration-cloud-utils
            resize-file-system-configuration-e2fsprogs
            resize-file-system-configuration-btrfs-progs
            resize-file-system-configuration-bcachefs-tools))

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

(define (schedule->calendar-event schedule)
  ;; A Vixie cron string, or a gexp giving a calendar event (as Guix's timers take).
  (if (string? schedule)
      #~(cron-string->calendar-event #$schedule)
      schedule))

(define (file-database-shepherd-services config)
  (list (shepherd-service
         (provision '(file-database-update))
         (requirement '(user-processes))
         (modules '((shepherd service timer)))
         (start #~(make-timer-constructor
                   #$(schedule->calendar-event (file-database-configuration-schedule config))
                   (command (list #$(file-append (file-database-configuration-package config)
                                                 "/bin/updatedb")
                                  #$(string-append
                                     "--prunepaths="
                                     (string-join
                                      (file-database-configuration-excluded-directories config)))))
                   #:wait-for-termination? #t))
         (stop #~(make-timer-destructor))
         (documentation "Periodically update the system-wide file database that
the 'locate' command queries.")
         (actions (list shepherd-trigger-action)))))

(define file-database-service-type
  (service-type
   (name 'file-database)
   (extensions
    (list (service-extension shepherd-root-service-type file-database-shepherd-services)))
   (default-value (file-database-configuration))
   (description "Run updatedb periodically (a Shepherd timer), so that `locate' finds
the files of the machine.")))

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

(define (package-database-shepherd-services config)
  (let ((channels (scheme-file "channels.scm" (package-database-configuration-channels config))))
    (list (shepherd-service
           (provision '(package-database-update))
           (requirement '(user-processes guix-daemon))
           (modules '((shepherd service timer)))
           (start #~(make-timer-constructor
                     #$(schedule->calendar-event (package-database-configuration-schedule config))
                     (command '(#$(file-append (package-database-configuration-package config) "/bin/guix")
                                "time-machine" "-C" #$channels
                                "--" "locate" "--update"
                                #$(string-append
                                   "--method="
                                   (symbol->string (package-database-configuration-method config)))))
                     #:wait-for-termination? #t))
           (stop #~(make-timer-destructor))
           (documentation "Periodically update the system-wide package database that
'guix locate' queries.")
           (actions (list shepherd-trigger-action))))))

(define package-database-service-type
  (service-type
   (name 'package-database)
   (extensions
    (list (service-extension shepherd-root-service-type package-database-shepherd-services)))
   (default-value (package-database-configuration))
   (description "Run `guix locate --update' periodically (a Shepherd timer), for a
system-wide database of the files packages contain.")))

;;; Log rotation: the Shepherd's log-rotation service, at a calendar event.
;;; On a foreign host rotating logs is the host's (logrotate): the service
;;; is realized and shown as provided by the host.

(define %default-log-rotation-calendar-event
  #~(calendar-event #:minutes '(0) #:hours '(22) #:days-of-week '(sunday)))

(define (gexp-or-integer? x) (or (gexp? x) (integer? x)))
(define (gexp-or-symbol? x) (or (gexp? x) (symbol? x)))

(define-configuration/no-serialization log-rotation-configuration
  (provision (list-of-symbols '(log-rotation)) "The names of the service.")
  ;; A user's own log rotation (see `for-home') needs no system service.
  (requirement (list-of-symbols (if (for-home?) '() '(user-processes))) "The services it needs.")
  (calendar-event (gexp %default-log-rotation-calendar-event)
                  "A gexp: the calendar event when logs are rotated.")
  (external-log-files (list-of-strings '()) "More log files to rotate.")
  (compression (gexp-or-symbol 'zstd)
               "none, gzip, zstd, or a gexp of a procedure called with the file to compress.")
  (expiry (gexp-or-integer #~(%default-log-expiry)) "The age, in seconds, after which a log is deleted.")
  (size-threshold (gexp-or-integer #~(%default-rotation-size-threshold))
                  "The size, in bytes, below which a log is not rotated."))

(define (log-rotation-shepherd-services config)
  (let ((compression (log-rotation-configuration-compression config)))
    (list (shepherd-service
           (provision (log-rotation-configuration-provision config))
           (requirement (log-rotation-configuration-requirement config))
           (documentation "Rotate the log files periodically (the host's log rotation).")
           (modules '((shepherd service timer) (shepherd service log-rotation)))
           (free-form #~(log-rotation-service
                         #$(log-rotation-configuration-calendar-event config)
                         #:provision '#$(log-rotation-configuration-provision config)
                         #:requirement '#$(log-rotation-configuration-requirement config)
                         #:external-log-files '#$(log-rotation-configuration-external-log-files config)
                         #:compression #$(if (symbol? compression) #~'#$compression compression)
                         #:expiry #$(log-rotation-configuration-expiry config)
                         #:rotation-size-threshold #$(log-rotation-configuration-size-threshold config)))))))

(define log-rotation-service-type
  (service-type
   (name 'log-rotation)
   (extensions
    (list (service-extension shepherd-root-service-type log-rotation-shepherd-services)))
   (compose concatenate)
   (extend (lambda (config files)
             (log-rotation-configuration
              (inherit config)
              (external-log-files (append (log-rotation-configuration-external-log-files config)
                                          files)))))
   (default-value (log-rotation-configuration))
   (description "Rotate log files periodically with the Shepherd's log
rotation service; services extend it with more log files.")))

;;; Growing a partition and its file system to the whole medium at boot
;;; (images flashed onto larger disks): the host's disks, shown as provided
;;; by the host.

(define-record-type* <resize-file-system-configuration> resize-file-system-configuration
  make-resize-file-system-configuration resize-file-system-configuration?
  (file-system    resize-file-system-file-system)
  (cloud-utils    resize-file-system-cloud-utils (default cloud-utils))
  (e2fsprogs      resize-file-system-e2fsprogs (default e2fsprogs))
  (btrfs-progs    resize-file-system-btrfs-progs (default btrfs-progs))
  (bcachefs-tools resize-file-system-bcachefs-tools (default bcachefs-tools)))

(define resize-file-system-configuration-file-system resize-file-system-file-system)
(define resize-file-system-configuration-cloud-utils resize-file-system-cloud-utils)
(define resize-file-system-configuration-e2fsprogs resize-file-system-e2fsprogs)
(define resize-file-system-configuration-btrfs-progs resize-file-system-btrfs-progs)
(define resize-file-system-configuration-bcachefs-tools resize-file-system-bcachefs-tools)

(define (resize-file-system-commands config)
  "The file system's grow command (after growpart has grown its partition)."
  (let* ((file-system (resize-file-system-file-system config))
         (type (file-system-type file-system)))
    (cond ((member type '("ext2" "ext3" "ext4"))
           (list (file-append (resize-file-system-e2fsprogs config) "/sbin/resize2fs")))
          ((string=? type "btrfs")
           (list (file-append (resize-file-system-btrfs-progs config) "/bin/btrfs")
                 "filesystem" "resize"))
          ((string=? type "bcachefs")
           (list (file-append (resize-file-system-bcachefs-tools config) "/sbin/bcachefs")
                 "device" "resize"))
          (else (error "Unsupported filesystem type" type)))))

(define (resize-file-system-shepherd-service config)
  (let ((device (file-system-device (resize-file-system-file-system config))))
    (shepherd-service
     (provision '(resize-file-system))
     (requirement '(user-processes))
     (documentation "Grow a partition and its file system to the whole medium.")
     (one-shot? #t)
     (respawn? #f)
     (start #~(lambda _
                (let* ((device #$(if (string? device) device "/dev/root"))
                       (sysfs (string-append "/sys/class/block/" (basename device)))
                       (number (call-with-input-file (string-append sysfs "/partition")
                                 (lambda (port) (string-trim-right (get-string-all port)))))
                       (parent (string-append "/dev/" (basename (dirname (readlink sysfs))))))
                  ;; growpart exits with 1 when the partition is already grown.
                  (system* #$(file-append (resize-file-system-cloud-utils config) "/bin/growpart")
                           parent number)
                  (zero? (system* #$@(resize-file-system-commands config) device))))))))

(define resize-file-system-service-type
  (service-type
   (name 'resize-file-system)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config) (list (resize-file-system-shepherd-service config))))))
   (description "Grow a partition and its file system at boot.")))

;; Names Guix's module exports too.
(export log-cleanup-configuration-directory log-cleanup-configuration-expiry
        log-cleanup-configuration-schedule unattended-upgrade-configuration-channels
        unattended-upgrade-configuration-log-file
        unattended-upgrade-configuration-schedule
        unattended-upgrade-configuration-services-to-restart)
