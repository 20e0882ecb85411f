;;; schemy --- Secure Shell home services (Guix manual, "Secure Shell"):
;;; ~/.ssh/config, authorized_keys and known_hosts from the configuration,
;;; and ssh-agent as a user daemon.

(define-module (gnu home services ssh)
  #:use-module (gnu services)
  #:use-module (gnu services configuration)
  #:use-module (gnu home services)
  #:use-module (gnu home services shepherd)
  #:use-module (gnu home services utils)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module ((gnu packages ssh) #:select (openssh))
  #:use-module (srfi srfi-1)
  #:use-module (ice-9 match)
  #:use-module (ice-9 regex)
  #:export (home-openssh-configuration
            home-openssh-configuration-authorized-keys
            home-openssh-configuration-known-hosts
            home-openssh-configuration-hosts
            home-openssh-configuration-add-keys-to-agent
            home-openssh-configuration?

            home-ssh-agent-configuration
            home-ssh-agent-openssh
            home-ssh-agent-socket-directory
            home-ssh-agent-extra-options
            home-ssh-agent-configuration?

            openssh-host
            openssh-host-host-name
            openssh-host-match-criteria
            openssh-host-identity-file
            openssh-host-name
            openssh-host-port
            openssh-host-user
            openssh-host-forward-x11?
            openssh-host-forward-x11-trusted?
            openssh-host-forward-agent?
            openssh-host-compression?
            openssh-host-proxy-command
            openssh-host-host-key-algorithms
            openssh-host-accepted-key-types
            openssh-host-extra-content
            proxy-jump
            proxy-jump-host-name
            proxy-jump-port
            proxy-jump-user
            proxy-command
            proxy-command->string

            home-openssh-service-type
            home-ssh-agent-service-type))

;;; ~/.ssh/config: "  Keyword value" lines under each Host or Match.

(define (keyword field)
  (match field
    ('accepted-key-types "PubkeyAcceptedKeyTypes")
    (_ (object->camel-case-string
        (let ((name (symbol->string field)))
          (if (string-suffix? "?" name) (string-drop-right name 1) name))
        'upper))))

(define (option field text)
  (string-append "  " (keyword field) " " text "\n"))

(define (serialize-string field value) (option field value))

(define (address-family? x) (memv x (list AF_INET AF_INET6)))
(define-maybe address-family)
(define (serialize-address-family field family)
  (option field (if (= family AF_INET) "inet" "inet6")))

(define (natural-number? x) (and (integer? x) (exact? x) (> x 0)))
(define (serialize-natural-number field value) (option field (number->string value)))

(define (serialize-boolean field value) (option field (if value "yes" "no")))
(define-maybe boolean)
(define-maybe string)
(define-maybe natural-number)

(define (serialize-raw-configuration-string field value) (string-append value "\n"))

(define (string-list? x) (and (pair? x) (every string? x)))
(define (serialize-string-list field value) (option field (string-join value ",")))
(define-maybe string-list)

(define-record-type <proxy-command>
  (proxy-command command)
  proxy-command?
  (command proxy-command->string))

(define-configuration/no-serialization proxy-jump
  (user maybe-string "User name on the jump host.")
  (host-name (string) "The jump host.")
  (port maybe-natural-number "Its SSH port."))

(define (proxy-jump->string jump)
  (string-append (if (maybe-value-set? (proxy-jump-user jump))
                     (string-append (proxy-jump-user jump) "@")
                     "")
                 (proxy-jump-host-name jump)
                 (if (maybe-value-set? (proxy-jump-port jump))
                     (string-append ":" (number->string (proxy-jump-port jump)))
                     "")))

(define (proxy-command-or-jump-list? x)
  (or (proxy-command? x) (and (list? x) (every proxy-jump? x))))

(define (serialize-proxy-command-or-jump-list field value)
  (if (proxy-command? value)
      (option 'proxy-command (proxy-command->string value))
      (option 'proxy-jump (string-join (map proxy-jump->string value) ","))))
(define-maybe proxy-command-or-jump-list)

(define %match-keywords '(canonical final exec host originalhost user localuser))

(define (match-criteria? text)
  (or (member text '("all" "canonical all" "final all"))
      (let* ((space (string-index text #\space))
             (first (if space (substring text 0 space) text))
             (word (string->symbol (if (string-prefix? "!" first) (substring first 1) first))))
        (and (memq word %match-keywords) #t))))
(define (serialize-match-criteria field value) (string-append "Match " value "\n"))
(define-maybe match-criteria)

(define-configuration openssh-host
  (name maybe-string "The Host pattern these options apply to.")
  (host-name maybe-string "The real host name to connect to.")
  (match-criteria maybe-match-criteria "Match criteria, instead of a name.")
  (address-family maybe-address-family "AF_INET or AF_INET6 only.")
  (identity-file maybe-string "The identity file to use.")
  (port maybe-natural-number "The TCP port.")
  (user maybe-string "The user name to log in as.")
  (forward-x11? maybe-boolean "Forward X11 connections.")
  (forward-x11-trusted? maybe-boolean "Give the remote X11 clients full access.")
  (forward-agent? maybe-boolean "Forward the authentication agent.")
  (compression? maybe-boolean "Compress the connection.")
  (proxy-command maybe-string "Deprecated: the command to connect through (use proxy).")
  (proxy maybe-proxy-command-or-jump-list "A proxy-command or a list of proxy-jump hosts.")
  (host-key-algorithms maybe-string-list "Host key algorithms, in order of preference.")
  (accepted-key-types maybe-string-list "Accepted public key types.")
  (extra-content (raw-configuration-string "") "Text added as it is."))

(define (serialize-openssh-host host)
  (let ((name (openssh-host-name host))
        (criteria (openssh-host-match-criteria host)))
    (string-append
     (cond ((and (maybe-value-set? name) (maybe-value-set? criteria))
            (error "define either 'name' or 'match-criteria', not both"))
           ((maybe-value-set? name) (string-append "Host " name "\n"))
           ((maybe-value-set? criteria) (serialize-match-criteria #t criteria))
           (else (error "define either 'name' or 'match-criteria' once")))
     (serialize-configuration host (filter-configuration-fields
                                    openssh-host-fields '(name match-criteria) #t)))))

(define (valid-add-keys-to-agent? value)
  (define (time? text)
    (let ((m (string-match "[0-9]+|([0-9]+[Ww])?([0-9]+[Dd])?([0-9]+[Hh])?([0-9]+[Mm])?([0-9]+[Ss])?"
                           text)))
      (and m (> (string-length text) 0) (string=? text (match:substring m)))))
  (or (member value '("yes" "no" "confirm" "ask"))
      (time? value)
      (and (string-prefix? "confirm " value) (time? (substring value 8)))))

(define-record-type* <home-openssh-configuration> home-openssh-configuration
  make-home-openssh-configuration home-openssh-configuration?
  (authorized-keys   home-openssh-configuration-authorized-keys (default #f))
  (known-hosts       home-openssh-configuration-known-hosts (default *unspecified*))
  (known-hosts2      home-openssh-configuration-known-hosts2 (default *unspecified*))
  (hosts             home-openssh-configuration-hosts (default '()))
  (add-keys-to-agent home-openssh-configuration-add-keys-to-agent (default "no")
                     (sanitize (lambda (value)
                                 (unless (and (string? value) (valid-add-keys-to-agent? value))
                                   (%raise-located (%construction-location)
                                                   (format #f "~s: invalid 'add-keys-to-agent' value"
                                                           value)))
                                 value))))

(define (ssh-config-text config)
  (string-join (cons (string-append "AddKeysToAgent "
                                    (home-openssh-configuration-add-keys-to-agent config))
                     (map serialize-openssh-host (home-openssh-configuration-hosts config)))
               "\n"))

(define (file-join name files delimiter)
  "A file with the contents of FILES, each followed by DELIMITER."
  (computed-file name
                 #~(call-with-output-file #$output
                     (lambda (out)
                       (for-each (lambda (file)
                                   (display (call-with-input-file file
                                              (@ (ice-9 textual-ports) get-string-all))
                                            out)
                                   (display #$delimiter out))
                                 '#$files)))))

(define (openssh-files config)
  (let ((authorized (home-openssh-configuration-authorized-keys config))
        (known (home-openssh-configuration-known-hosts config))
        (known2 (home-openssh-configuration-known-hosts2 config)))
    `(,@(if authorized `((".ssh/authorized_keys" ,(file-join "authorized_keys" authorized "\n"))) '())
      ,@(if (unspecified? known) '() `((".ssh/known_hosts" ,(file-join "known_hosts" known "\n"))))
      ,@(if (unspecified? known2) '() `((".ssh/known_hosts2" ,(file-join "known_hosts2" known2 "\n"))))
      (".ssh/config" ,(plain-file "ssh.conf" (ssh-config-text config))))))

(define %openssh-activation
  #~(let ((dot-ssh (string-append (getenv "HOME") "/.ssh")))
      ((@ (guix build utils) mkdir-p) dot-ssh)
      (chmod dot-ssh #o700)))

(define home-openssh-service-type
  (service-type
   (name 'home-openssh)
   (extensions (list (service-extension home-files-service-type openssh-files)
                     (service-extension home-activation-service-type (const %openssh-activation))))
   (default-value (home-openssh-configuration))
   (description "Write the OpenSSH client's ~/.ssh/config, authorized_keys
and known_hosts.")))

;;; ssh-agent.

(define-record-type* <home-ssh-agent-configuration> home-ssh-agent-configuration
  make-home-ssh-agent-configuration home-ssh-agent-configuration?
  (openssh          home-ssh-agent-openssh (default openssh))
  (socket-directory home-ssh-agent-socket-directory
                    (default #~(string-append %user-runtime-dir "/ssh-agent")))
  (extra-options    home-ssh-agent-extra-options (default '())))

(define (ssh-agent-services config)
  (let* ((directory (home-ssh-agent-socket-directory config))
         (socket #~(string-append #$directory "/socket")))
    (list (shepherd-service
           (documentation "Run the ssh-agent.")
           (provision '(ssh-agent))
           (modules '((shepherd support)))
           (start #~(lambda _
                      (unless (file-exists? #$directory)
                        (mkdir-p #$directory)
                        (chmod #$directory #o700))
                      (fork+exec-command
                       (append (list #$(file-append (home-ssh-agent-openssh config) "/bin/ssh-agent")
                                     "-D" "-a" #$socket)
                               '#$(home-ssh-agent-extra-options config))
                       #:log-file (string-append %user-log-dir "/ssh-agent.log"))))
           (stop #~(make-kill-destructor))))))

(define home-ssh-agent-service-type
  (service-type
   (name 'home-ssh-agent)
   (extensions
    (list (service-extension home-shepherd-service-type ssh-agent-services)
          (service-extension home-environment-variables-service-type
                             (const '(("SSH_AUTH_SOCK"
                                       . "${SSH_AUTH_SOCK-${XDG_RUNTIME_DIR-$HOME/.cache}/ssh-agent/socket}"))))))
   (default-value (home-ssh-agent-configuration))
   (description "Run ssh-agent as a user daemon and point SSH_AUTH_SOCK at it.")))
