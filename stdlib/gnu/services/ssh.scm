;;; schemy --- Secure shell daemons: OpenSSH and Dropbear.
;;;
;;; `openssh-service-type' runs sshd with a configuration file generated
;;; from an `openssh-configuration' record.  Users' authorized keys can be
;;; given in the configuration (or by services extending it) and land in
;;; /etc/ssh/authorized_keys.d/USER, which sshd reads besides ~/.ssh.

(define-module (gnu services ssh)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module ((gnu services configuration) #:select (field-checker))
  #:use-module (gnu system shadow)
  #:use-module (gnu system pam)
  #:use-module (gnu packages ssh)
  #:export (openssh-configuration
            openssh-configuration?
            openssh-configuration-openssh
            openssh-configuration-pid-file
            openssh-configuration-port-number
            openssh-configuration-max-connections
            openssh-configuration-permit-root-login
            openssh-configuration-allow-empty-passwords?
            openssh-configuration-password-authentication?
            openssh-configuration-public-key-authentication?
            openssh-configuration-x11-forwarding?
            openssh-configuration-allow-agent-forwarding?
            openssh-configuration-allow-tcp-forwarding?
            openssh-configuration-gateway-ports?
            openssh-configuration-challenge-response-authentication?
            openssh-configuration-use-pam?
            openssh-configuration-print-last-log?
            openssh-configuration-subsystems
            openssh-configuration-accepted-environment
            openssh-configuration-log-level
            openssh-configuration-extra-content
            openssh-configuration-authorized-keys
            openssh-configuration-generate-host-keys?
            openssh-config-file
            openssh-service-type

            dropbear-configuration
            dropbear-configuration?
            dropbear-configuration-dropbear
            dropbear-configuration-port-number
            dropbear-configuration-root-login?
            dropbear-service-type))

;;; OpenSSH configuration.

(define sanitize-port-number
  (field-checker (lambda (value) (and (exact-integer? value) (< 0 value 65536)))
                 "openssh-configuration: invalid port-number ~s (expected an integer between 1 and 65535)"))

(define sanitize-permit-root-login
  (field-checker (lambda (value)
                   (memq value '(#t #f prohibit-password without-password forced-commands-only)))
                 (lambda (value)
                   (format #f "openssh-configuration: invalid permit-root-login ~a (expected #t, #f or 'prohibit-password)"
                           (if (symbol? value)
                               (string-append "'" (symbol->string value))
                               (format #f "~s" value))))))

(define %log-levels
  '(quiet fatal error info verbose debug debug1 debug2 debug3))

(define sanitize-log-level
  (field-checker (lambda (value) (memq value %log-levels))
                 (lambda (value)
                   (format #f "openssh-configuration: invalid log-level ~s (expected one of ~a)"
                           value (string-join (map symbol->string %log-levels) " ")))))

(define sanitize-authorized-keys
  (field-checker (lambda (value)
                   (and (list? value)
                        (every (lambda (entry) (and (pair? entry) (string? (car entry))
                                                    (list? (cdr entry))))
                               value)))
                 "openssh-configuration: authorized-keys must be a list of (\"USER\" FILE ...) entries, not ~s"))

(define-record-type* <openssh-configuration> openssh-configuration
  make-openssh-configuration openssh-configuration?
  ;; The OpenSSH package.
  (openssh                openssh-configuration-openssh (default openssh))
  ;; Where sshd writes its process id.
  (pid-file               openssh-configuration-pid-file (default "/var/run/sshd.pid"))
  ;; The TCP port sshd listens on.
  (port-number            openssh-configuration-port-number (default 22)
                          (sanitize sanitize-port-number))
  ;; Maximum number of concurrent unauthenticated connections (MaxStartups).
  (max-connections        openssh-configuration-max-connections (default 200))
  ;; #t, #f or 'prohibit-password (keys only).
  (permit-root-login      openssh-configuration-permit-root-login (default #f)
                          (sanitize sanitize-permit-root-login))
  (allow-empty-passwords? openssh-configuration-allow-empty-passwords? (default #f))
  (password-authentication? openssh-configuration-password-authentication? (default #t))
  (public-key-authentication? openssh-configuration-public-key-authentication? (default #t))
  (x11-forwarding?        openssh-configuration-x11-forwarding? (default #f))
  (allow-agent-forwarding? openssh-configuration-allow-agent-forwarding? (default #t))
  (allow-tcp-forwarding?  openssh-configuration-allow-tcp-forwarding? (default #t))
  (gateway-ports?         openssh-configuration-gateway-ports? (default #f))
  (challenge-response-authentication?
   openssh-configuration-challenge-response-authentication? (default #f))
  (use-pam?               openssh-configuration-use-pam? (default #t))
  (print-last-log?        openssh-configuration-print-last-log? (default #t))
  ;; List of (NAME COMMAND) external subsystems.
  (subsystems             openssh-configuration-subsystems
                          (default '(("sftp" "internal-sftp"))))
  ;; Environment variables clients may pass (AcceptEnv).
  (accepted-environment   openssh-configuration-accepted-environment (default '()))
  (log-level              openssh-configuration-log-level (default 'info)
                          (sanitize sanitize-log-level))
  ;; Text appended verbatim to sshd_config.
  (extra-content          openssh-configuration-extra-content (default ""))
  ;; List of ("USER" FILE-LIKE ...): public keys authorized for USER.
  (authorized-keys        openssh-configuration-authorized-keys (default '())
                          (sanitize sanitize-authorized-keys))
  ;; Whether activation generates missing host keys (ssh-keygen -A).
  (generate-host-keys?    openssh-configuration-generate-host-keys? (default #t))
  ;; Whether sshd starts with the system (Guix's internal field: #f in the installation
  ;; image, where sshd is started by hand).
  (%auto-start?           openssh-configuration-auto-start? (default #t)))

;;; sshd_config.

(define (yes-no value) (if value "yes" "no"))

(define (permit-root-login->string value)
  (cond ((eq? value #t) "yes")
        ((eq? value #f) "no")
        (else (symbol->string value))))

(define (openssh-config-file config)
  "The sshd_config file for CONFIG."
  (apply mixed-text-file "sshd_config"
         (append
          (list "# Generated from the system configuration.\n"
                "Port " (number->string (openssh-configuration-port-number config)) "\n"
                "PermitRootLogin "
                (permit-root-login->string (openssh-configuration-permit-root-login config)) "\n"
                "PermitEmptyPasswords "
                (yes-no (openssh-configuration-allow-empty-passwords? config)) "\n"
                "PasswordAuthentication "
                (yes-no (openssh-configuration-password-authentication? config)) "\n"
                "PubkeyAuthentication "
                (yes-no (openssh-configuration-public-key-authentication? config)) "\n"
                "X11Forwarding " (yes-no (openssh-configuration-x11-forwarding? config)) "\n"
                "AllowAgentForwarding "
                (yes-no (openssh-configuration-allow-agent-forwarding? config)) "\n"
                "AllowTcpForwarding "
                (yes-no (openssh-configuration-allow-tcp-forwarding? config)) "\n"
                "GatewayPorts " (yes-no (openssh-configuration-gateway-ports? config)) "\n"
                "PidFile " (openssh-configuration-pid-file config) "\n"
                "KbdInteractiveAuthentication "
                (yes-no (openssh-configuration-challenge-response-authentication? config)) "\n"
                "UsePAM " (yes-no (openssh-configuration-use-pam? config)) "\n"
                "PrintLastLog " (yes-no (openssh-configuration-print-last-log? config)) "\n"
                "LogLevel "
                (string-upcase (symbol->string (openssh-configuration-log-level config))) "\n"
                "MaxStartups "
                (number->string (openssh-configuration-max-connections config)) "\n"
                "AuthorizedKeysFile .ssh/authorized_keys .ssh/authorized_keys2 /etc/ssh/authorized_keys.d/%u\n")
          (append-map (lambda (variable) (list "AcceptEnv " variable "\n"))
                      (openssh-configuration-accepted-environment config))
          (append-map (lambda (subsystem)
                        (list "Subsystem\t" (car subsystem) "\t" (cadr subsystem) "\n"))
                      (openssh-configuration-subsystems config))
          (list (openssh-configuration-extra-content config) "\n"))))

;;; Authorized keys.

(define (merge-authorized-keys entries)
  "Merge ENTRIES, a list of (USER FILE ...), so that each user appears once."
  (let loop ((entries entries) (acc '()))
    (if (null? entries)
        (reverse acc)
        (let* ((entry (car entries))
               (user (car entry))
               (existing (assoc user acc)))
          (loop (cdr entries)
                (if existing
                    (map (lambda (e)
                           (if (eq? e existing)
                               (cons user (append (cdr existing) (cdr entry)))
                               e))
                         acc)
                    (cons (cons user (cdr entry)) acc)))))))

(define (authorized-keys-file user keys)
  (computed-file (string-append "authorized_keys-" user)
                 #~(call-with-output-file #$output
                     (lambda (port)
                       (for-each (lambda (file)
                                   (let ((text (call-with-input-file file get-string-all)))
                                     (display text port)
                                     (unless (or (string-null? text)
                                                 (string-suffix? "\n" text))
                                       (newline port))))
                                 '#$keys)))))

(define (openssh-etc-files config)
  (map (lambda (entry)
         (list (string-append "ssh/authorized_keys.d/" (car entry))
               (authorized-keys-file (car entry) (cdr entry))))
       (merge-authorized-keys (openssh-configuration-authorized-keys config))))

;;; Accounts and activation.

(define %openssh-accounts
  (list (user-group (name "sshd") (system? #t))
        (user-account
         (name "sshd")
         (group "sshd")
         (system? #t)
         (comment "sshd privilege separation user")
         (home-directory "/var/run/sshd")
         (create-home-directory? #f)
         (shell %nologin-shell))))

(define (openssh-activation config)
  #~(begin
      ;; sshd reads /etc/ssh as the 'sshd' user, and refuses a privilege
      ;; separation directory it does not own.
      ;; Host files go through root-file-name: inside the root in prefix mode.
      (mkdir-p (root-file-name "/etc/ssh"))
      (chmod (root-file-name "/etc/ssh") #o755)
      (mkdir-p "/run/sshd")
      (chmod "/run/sshd" #o755)
      (mkdir-p (dirname #$(openssh-configuration-pid-file config)))
      (unless (file-exists? "/var/log/lastlog")
        (mkdir-p "/var/log")
        (call-with-output-file "/var/log/lastlog" (const #t)))
      (when #$(openssh-configuration-generate-host-keys? config)
        ;; Generate the missing host keys.
        (system* #$(file-append (openssh-configuration-openssh config) "/bin/ssh-keygen")
                 "-A" "-f" (root-file-name "/")))))

;;; The shepherd service.

(define (openssh-shepherd-service config)
  (let ((config-file (openssh-config-file config))
        (pid-file (openssh-configuration-pid-file config)))
    (shepherd-service
     (provision '(ssh-daemon ssh sshd))
     (requirement '(syslogd loopback))
     (documentation (string-append "Run the OpenSSH daemon (sshd) on port "
                                   (number->string (openssh-configuration-port-number config))
                                   "."))
     (start #~(make-forkexec-constructor
               (list #$(file-append (openssh-configuration-openssh config) "/sbin/sshd")
                     "-D" "-f" #$config-file)
               #:pid-file #$pid-file))
     (stop #~(make-kill-destructor))
     (auto-start? (openssh-configuration-auto-start? config))
     (actions (list (shepherd-configuration-action config-file))))))

(define (extend-openssh-authorized-keys config keys)
  "Add KEYS, a list of (USER FILE ...) entries, to the authorized keys of CONFIG."
  (if (null? keys)
      config
      (openssh-configuration
       (inherit config)
       (authorized-keys (append (openssh-configuration-authorized-keys config) keys)))))

(define openssh-service-type
  (service-type
   (name 'openssh)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config) (list (openssh-shepherd-service config))))
          (service-extension pam-root-service-type
                             (lambda (config)
                               (if (openssh-configuration-use-pam? config)
                                   (list (unix-pam-service
                                          "sshd"
                                          #:login-uid? #t
                                          #:allow-empty-passwords?
                                          (openssh-configuration-allow-empty-passwords? config)))
                                   '())))
          (service-extension activation-service-type
                             (lambda (config) (list (openssh-activation config))))
          (service-extension account-service-type (const %openssh-accounts))
          (service-extension etc-service-type openssh-etc-files)
          (service-extension profile-service-type
                             (lambda (config) (list (openssh-configuration-openssh config))))))
   (compose (lambda (lists) (apply append lists)))
   (extend extend-openssh-authorized-keys)
   (default-value (openssh-configuration))
   (description "Run the OpenSSH secure shell daemon, sshd, which lets users log
in remotely and transfer files.  Services extend it with lists of
(\"USER\" KEY-FILE ...) authorized keys.")))

;;; Dropbear.

(define-record-type* <dropbear-configuration> dropbear-configuration
  make-dropbear-configuration dropbear-configuration?
  (dropbear               dropbear-configuration-dropbear (default dropbear))
  (port-number            dropbear-configuration-port-number (default 22)
                          (sanitize sanitize-port-number))
  (syslog-output?         dropbear-configuration-syslog-output? (default #t))
  (pid-file               dropbear-configuration-pid-file (default "/var/run/dropbear.pid"))
  (root-login?            dropbear-configuration-root-login? (default #f))
  (allow-empty-passwords? dropbear-configuration-allow-empty-passwords? (default #f))
  (password-authentication? dropbear-configuration-password-authentication? (default #t)))

(define (dropbear-shepherd-service config)
  (shepherd-service
   (provision '(ssh-daemon ssh sshd))
   (requirement '(networking))
   (documentation "Run the Dropbear SSH daemon.")
   (start #~(make-forkexec-constructor
             (list #$(file-append (dropbear-configuration-dropbear config) "/sbin/dropbear")
                   "-F" "-R"
                   "-p" #$(number->string (dropbear-configuration-port-number config))
                   "-P" #$(dropbear-configuration-pid-file config)
                   #$@(if (dropbear-configuration-syslog-output? config) '() '("-E"))
                   #$@(if (dropbear-configuration-root-login? config) '() '("-w"))
                   #$@(if (dropbear-configuration-password-authentication? config)
                          '()
                          '("-s" "-g"))
                   #$@(if (dropbear-configuration-allow-empty-passwords? config) '("-B") '()))
             #:pid-file #$(dropbear-configuration-pid-file config)))
   (stop #~(make-kill-destructor))))

(define dropbear-service-type
  (service-type
   (name 'dropbear)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config) (list (dropbear-shepherd-service config))))
          (service-extension activation-service-type
                             (const (list #~(mkdir-p (root-file-name "/etc/dropbear")))))))
   (default-value (dropbear-configuration))
   (description "Run the Dropbear SSH daemon, a small secure shell server.")))
