;;; schemy --- auditd (Guix manual, "Miscellaneous Services"): the Linux
;;; audit daemon, run with a configuration directory holding auditd.conf
;;; (Guix's default one unless given); Debian's auditd provides the program.

(define-module (gnu services auditd)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module ((gnu packages admin) #:select (audit))
  #:export (auditd-configuration
            auditd-configuration?
            auditd-service-type
            %default-auditd-configuration-directory))

(define %default-auditd.conf
  (string-append "log_file = /var/log/audit.log\n"
                 "log_format = ENRICHED\n"
                 "freq = 1\n"
                 "space_left = 5%\n"
                 "space_left_action = syslog\n"
                 "admin_space_left_action = ignore\n"
                 "disk_full_action = ignore\n"
                 "disk_error_action = syslog\n"))

(define %default-auditd-configuration-directory
  (computed-file "auditd"
                 #~(begin
                     (mkdir #$output)
                     (copy-file #$(plain-file "auditd.conf" %default-auditd.conf)
                                (string-append #$output "/auditd.conf")))))

(define-record-type* <auditd-configuration> auditd-configuration
  make-auditd-configuration auditd-configuration?
  (audit                   auditd-configuration-audit (default audit))
  (configuration-directory auditd-configuration-configuration-directory))

(define (auditd-shepherd-service config)
  (list (shepherd-service
         (documentation "Auditd allows you to audit file system accesses and process execution.")
         (provision '(auditd))
         (requirement '(user-processes))
         (start #~(make-forkexec-constructor
                   (list #$(file-append (auditd-configuration-audit config) "/sbin/auditd")
                         "-c" #$(auditd-configuration-configuration-directory config))
                   #:pid-file "/var/run/auditd.pid"))
         (stop #~(make-kill-destructor)))))

(define auditd-service-type
  (service-type
   (name 'auditd)
   (extensions
    (list (service-extension shepherd-root-service-type auditd-shepherd-service)))
   (default-value (auditd-configuration
                   (configuration-directory %default-auditd-configuration-directory)))
   (description "Audit file system accesses and process execution.")))
