;;; schemy --- Mail services (Guix manual, "Mail Services"): for now OpenSMTPD, the
;;; lightweight SMTP server, with Guix's record, defaults, accounts, spool
;;; directories and setgid commands.

(define-module (gnu services mail)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (gnu system shadow)
  #:use-module (gnu system pam)
  #:use-module (gnu system privilege)
  #:use-module ((gnu packages mail) #:select (opensmtpd))
  #:export (opensmtpd-configuration
            opensmtpd-configuration?
            opensmtpd-configuration-package
            opensmtpd-configuration-shepherd-requirement
            opensmtpd-configuration-config-file
            opensmtpd-configuration-log-file
            opensmtpd-setgid-commands?
            opensmtpd-service-type
            %default-opensmtpd-config-file))

(define %default-opensmtpd-config-file
  ;; Guix's default: deliver local mail to mbox, relay the rest, listen on lo only.
  (plain-file "smtpd.conf" "
listen on lo

action inbound mbox
match for local action inbound

action outbound relay
match from local for any action outbound
"))

(define-record-type* <opensmtpd-configuration> opensmtpd-configuration
  make-opensmtpd-configuration opensmtpd-configuration?
  (package              opensmtpd-configuration-package (default opensmtpd))
  (shepherd-requirement opensmtpd-configuration-shepherd-requirement (default '()))
  (config-file          opensmtpd-configuration-config-file
                        (default %default-opensmtpd-config-file))
  (log-file             opensmtpd-configuration-log-file (default "/var/log/mail.log"))
  (setgid-commands?     opensmtpd-setgid-commands? (default #t)))

(define (opensmtpd-shepherd-service config)
  (let ((smtpd (file-append (opensmtpd-configuration-package config) "/sbin/smtpd"))
        (log-file (opensmtpd-configuration-log-file config)))
    (list (shepherd-service
           (provision '(smtpd))
           (requirement (cons* 'pam 'loopback
                               (opensmtpd-configuration-shepherd-requirement config)))
           (documentation "Run the OpenSMTPD daemon.")
           ;; With a log file, smtpd stays in the foreground (-d) and logs there;
           ;; without, it daemonizes and leaves its PID file.
           (start #~(make-forkexec-constructor
                     (list #$smtpd "-f" #$(opensmtpd-configuration-config-file config)
                           #$@(if log-file '("-d") '()))
                     #$@(if log-file
                            (list #:log-file log-file)
                            (list #:pid-file "/var/run/smtpd.pid"))))
           (stop #~(make-kill-destructor))))))

(define %opensmtpd-accounts
  (list (user-group (name "smtpq") (system? #t))
        (user-account
         (name "smtpd") (group "nogroup") (system? #t) (comment "SMTP Daemon")
         (home-directory "/var/empty") (shell %nologin-shell))
        (user-account
         (name "smtpq") (group "smtpq") (system? #t) (comment "SMTPD Queue")
         (home-directory "/var/empty") (shell %nologin-shell))))

(define (opensmtpd-activation config)
  ;; The mbox and spool directories.
  #~(begin
      (use-modules (guix build utils))
      (mkdir-p "/var/mail")
      (mkdir-p "/var/spool/smtpd")
      (chmod "/var/spool/smtpd" #o711)
      (mkdir-p "/var/spool/mail")
      (chmod "/var/spool/mail" #o711)))

(define (opensmtpd-set-gids config)
  ;; smtpctl and its synonyms run setgid smtpq, to queue mail.
  (if (opensmtpd-setgid-commands? config)
      (map (lambda (command)
             (privileged-program
              (program (file-append (opensmtpd-configuration-package config) "/" command))
              (setgid? #t)
              (group "smtpq")))
           '("sbin/smtpctl" "sbin/mailq" "sbin/makemap" "sbin/newaliases"
             "sbin/sendmail" "sbin/send-mail"))
      '()))

(define opensmtpd-service-type
  (service-type
   (name 'opensmtpd)
   (extensions
    (list (service-extension account-service-type (const %opensmtpd-accounts))
          (service-extension activation-service-type opensmtpd-activation)
          (service-extension pam-root-service-type
                             (const (list (unix-pam-service "smtpd"))))
          (service-extension profile-service-type
                             (lambda (config) (list (opensmtpd-configuration-package config))))
          (service-extension shepherd-root-service-type opensmtpd-shepherd-service)
          (service-extension privileged-program-service-type opensmtpd-set-gids)))
   (description "Run OpenSMTPD, a lightweight SMTP (Simple Mail Transfer Protocol)
server.")))
