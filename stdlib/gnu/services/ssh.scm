;;; schemy --- Secure shell services: the OpenSSH and Dropbear daemons, the
;;; Endlessh tarpit, AutoSSH's kept-alive tunnels and the WebSSH web client.
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
  #:use-module ((gnu packages admin) #:select (shadow))
  #:use-module (guix deprecation)
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
            dropbear-configuration-syslog-output?
            dropbear-configuration-pid-file
            dropbear-configuration-allow-empty-passwords?
            dropbear-configuration-password-authentication?
            dropbear-service-type
            dropbear-service                ;deprecated

            endlessh-configuration
            endlessh-configuration?
            endlessh-configuration-endlessh
            endlessh-configuration-port-number
            endlessh-configuration-log-level
            endlessh-configuration-syslog-output?
            endlessh-configuration-message-delay
            endlessh-configuration-max-banner-length
            endlessh-configuration-max-clients
            endlessh-service-type

            autossh-configuration
            autossh-configuration?
            autossh-service-type

            webssh-configuration
            webssh-configuration?
            webssh-service-type
            %webssh-configuration-nginx))

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

(define-deprecated (dropbear-service #:optional (config (dropbear-configuration)))
  dropbear-service-type
  (service dropbear-service-type config))

;;; Endlessh, the SSH tarpit: its settings go to a file given with -f.

(define-record-type* <endlessh-configuration> endlessh-configuration
  make-endlessh-configuration endlessh-configuration?
  (endlessh          endlessh-configuration-endlessh (default endlessh))
  (port-number       endlessh-configuration-port-number (default 22))
  (log-level         endlessh-configuration-log-level (default 1))
  (syslog-output?    endlessh-configuration-syslog-output? (default #t))
  ;; Milliseconds between two lines of the endless banner.
  (message-delay     endlessh-configuration-message-delay (default 10000))
  (max-banner-length endlessh-configuration-max-banner-length (default 32))
  (max-clients       endlessh-configuration-max-clients (default 4096)))

(define (endlessh-config-text config)
  "The endlessh_config text of CONFIG (no final newline, as Guix writes it)."
  (string-append
   "Port " (number->string (endlessh-configuration-port-number config))
   "\nDelay " (number->string (endlessh-configuration-message-delay config))
   "\nMaxLineLength " (number->string (endlessh-configuration-max-banner-length config))
   "\nMaxClients " (number->string (endlessh-configuration-max-clients config))
   "\nLogLevel " (number->string (endlessh-configuration-log-level config))))

(define (endlessh-shepherd-service config)
  (let ((syslog? (endlessh-configuration-syslog-output? config)))
    (list (shepherd-service
           (provision '(endlessh))
           (requirement (if syslog?
                            '(user-processes networking syslogd)
                            '(user-processes networking)))
           (documentation "Run the Endlessh SSH tarpit.")
           (start #~(make-forkexec-constructor
                     (list #$(file-append (endlessh-configuration-endlessh config) "/bin/endlessh")
                           "-f" #$(plain-file "endlessh_config" (endlessh-config-text config))
                           #$@(if syslog? '("-s") '()))))
           (stop #~(make-kill-destructor))))))

(define endlessh-service-type
  (service-type
   (name 'endlessh)
   (extensions
    (list (service-extension shepherd-root-service-type endlessh-shepherd-service)))
   (default-value (endlessh-configuration))
   (description "Run Endlessh, a tarpit that keeps SSH clients waiting on an endless banner.")))

;;; AutoSSH: ssh run and watched by autossh as USER, configured through
;;; AUTOSSH_* environment variables; its pid and log files are in
;;; /var/run/autossh/USER/.

(define-record-type* <autossh-configuration> autossh-configuration
  make-autossh-configuration autossh-configuration?
  (user        autossh-configuration-user (default "autossh"))
  ;; Seconds between two checks of the connection.
  (poll        autossh-configuration-poll (default 600))
  ;; Seconds before the first check: #f for poll.
  (first-poll  autossh-configuration-first-poll (default #f))
  (gate-time   autossh-configuration-gate-time (default 30))
  (log-level   autossh-configuration-log-level (default 1))
  ;; How many times ssh may be started: #f for no limit.
  (max-start   autossh-configuration-max-start (default #f))
  (message     autossh-configuration-message (default ""))
  ;; The monitoring port, a string: "0" turns monitoring off.
  (port        autossh-configuration-port (default "0"))
  ;; ssh's arguments.
  (ssh-options autossh-configuration-ssh-options (default '())))

(define (autossh-file-name config file)
  (string-append "/var/run/autossh/" (autossh-configuration-user config) "/" file))

(define (autossh-environment config)
  (let ((poll (autossh-configuration-poll config)))
    (list (string-append "AUTOSSH_PIDFILE=" (autossh-file-name config "pid"))
          (string-append "AUTOSSH_LOGFILE=" (autossh-file-name config "log"))
          (string-append "AUTOSSH_POLL=" (number->string poll))
          (string-append "AUTOSSH_FIRST_POLL="
                         (number->string (or (autossh-configuration-first-poll config) poll)))
          (string-append "AUTOSSH_GATETIME="
                         (number->string (autossh-configuration-gate-time config)))
          (string-append "AUTOSSH_LOGLEVEL="
                         (number->string (autossh-configuration-log-level config)))
          (string-append "AUTOSSH_MAXSTART="
                         (number->string (or (autossh-configuration-max-start config) -1)))
          (string-append "AUTOSSH_MESSAGE=" (autossh-configuration-message config))
          (string-append "AUTOSSH_PORT=" (autossh-configuration-port config)))))

(define (autossh-shepherd-service config)
  (let ((user (autossh-configuration-user config)))
    (shepherd-service
     (provision '(autossh))
     (requirement '(user-processes))
     (documentation "Set up SSH connections with autossh and keep them alive.")
     (start #~(make-forkexec-constructor
               (list #$(file-append autossh "/bin/autossh")
                     #$@(autossh-configuration-ssh-options config))
               #:user #$user
               #:group (passwd:gid (getpw #$user))
               #:pid-file #$(autossh-file-name config "pid")
               #:log-file #$(autossh-file-name config "log")
               #:environment-variables '#$(autossh-environment config)))
     (stop #~(make-kill-destructor)))))

(define (autossh-activation config)
  #~(let ((user (getpw #$(autossh-configuration-user config)))
          (directory #$(autossh-file-name config ""))
          (log #$(autossh-file-name config "log")))
      (mkdir-p directory)
      (chown directory (passwd:uid user) (passwd:gid user))
      (call-with-output-file log (const #t))
      (chown log (passwd:uid user) (passwd:gid user))))

(define autossh-service-type
  (service-type
   (name 'autossh)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config) (list (autossh-shepherd-service config))))
          (service-extension activation-service-type autossh-activation)))
   (default-value (autossh-configuration))
   (description "Set up SSH connections with autossh and keep them alive.")))

;;; WebSSH: wssh, an SSH client served over HTTP (on port 8888 unless told
;;; otherwise), run as its own user.

(define-record-type* <webssh-configuration> webssh-configuration
  make-webssh-configuration webssh-configuration?
  (package     webssh-configuration-package (default webssh))
  (user-name   webssh-configuration-user-name (default "webssh"))
  (group-name  webssh-configuration-group-name (default "webssh"))
  ;; 'reject: only hosts of known-hosts may be reached.
  (policy      webssh-configuration-policy (default #f))
  (known-hosts webssh-configuration-known-hosts (default #f))
  (port        webssh-configuration-port (default #f))
  (address     webssh-configuration-address (default #f))
  (log-file    webssh-configuration-log-file (default "/var/log/webssh.log"))
  ;; 'debug for debugging output.
  (log-level   webssh-configuration-log-level (default #f)))

(define %webssh-nginx #f)

(define (webssh-nginx-server)
  ;; Made on first use, in (gnu services web)'s module: importing that module
  ;; here would load the web services (and the databases and mail services
  ;; they extend) into every configuration that uses SSH.
  (unless %webssh-nginx
    (set! %webssh-nginx
          (eval '(nginx-server-configuration
                  (listen '("80"))
                  (locations
                   (list (nginx-location-configuration
                          (uri "/")
                          (body '("proxy_pass http://127.0.0.1:8888;"
                                  "proxy_http_version 1.1;"
                                  "proxy_read_timeout 300;"
                                  "proxy_set_header Upgrade $http_upgrade;"
                                  "proxy_set_header Connection \"upgrade\";"
                                  "proxy_set_header Host $http_host;"
                                  "proxy_set_header X-Real-IP $remote_addr;"
                                  "proxy_set_header X-Real-PORT $remote_port;"))))))
                (resolve-module '(gnu services web)))))
  %webssh-nginx)

;; An nginx server proxying port 80 to wssh's default port (Guix's variable;
;; read as one, made when first read).
(define-syntax %webssh-configuration-nginx
  (lambda (s)
    (syntax-case s ()
      (id (identifier? #'id) #'(webssh-nginx-server)))))

(define (webssh-accounts config)
  (let ((user (webssh-configuration-user-name config))
        (group (webssh-configuration-group-name config)))
    (list (user-group (name group))
          (user-account
           (name user)
           (group group)
           (comment "webssh privilege separation user")
           (home-directory (string-append "/var/run/" user))
           (shell (file-append shadow "/sbin/nologin"))))))

(define (webssh-activation config)
  (let ((user (webssh-configuration-user-name config))
        (group (webssh-configuration-group-name config))
        (log-file (webssh-configuration-log-file config))
        (known-hosts (webssh-configuration-known-hosts config)))
    #~(let* ((ssh-dir (string-append "/var/run/" #$user "/.ssh"))
             (known-hosts-file (string-append ssh-dir "/known_hosts")))
        (call-with-output-file #$log-file (const #t))
        (mkdir-p ssh-dir)
        (when (eq? '#$(webssh-configuration-policy config) 'reject)
          (if '#$known-hosts
              (call-with-output-file known-hosts-file
                (lambda (port)
                  (for-each (lambda (host) (display host port) (newline port))
                            '#$known-hosts)))
              (format (current-error-port)
                      "hint: webssh: reject policy requires `known-hosts'.~%")))
        (for-each (lambda (file)
                    (when (file-exists? file)
                      (chown file (passwd:uid (getpw #$user)) (group:gid (getgr #$group)))))
                  (list #$log-file ssh-dir known-hosts-file))
        (chmod ssh-dir #o700))))

(define (webssh-shepherd-service config)
  (let ((port (webssh-configuration-port config))
        (address (webssh-configuration-address config)))
    (list (shepherd-service
           (provision '(webssh))
           (documentation "Run the WebSSH daemon.")
           ;; Guix runs the webssh package's wssh, whatever the record's.
           (start #~(make-forkexec-constructor
                     (list #$(file-append webssh "/bin/wssh")
                           #$(string-append "--log-file-prefix="
                                            (webssh-configuration-log-file config))
                           #$@(if (eq? (webssh-configuration-log-level config) 'debug)
                                  '("--logging=debug")
                                  '())
                           #$@(if (eq? (webssh-configuration-policy config) 'reject)
                                  '("--policy=reject")
                                  '())
                           #$@(if port (list (string-append "--port=" (number->string port))) '())
                           #$@(if address (list (string-append "--address=" address)) '()))
                     #:user #$(webssh-configuration-user-name config)
                     #:group #$(webssh-configuration-group-name config)))
           (stop #~(make-kill-destructor))))))

(define webssh-service-type
  (service-type
   (name 'webssh)
   (extensions
    (list (service-extension shepherd-root-service-type webssh-shepherd-service)
          (service-extension account-service-type webssh-accounts)
          (service-extension activation-service-type webssh-activation)))
   (default-value (webssh-configuration))
   (description "Run WebSSH, a web application that is an SSH client.")))
