;;; schemy --- Telephony services (Guix manual, "Telephony Services"): the
;;; Jami daemon with its D-Bus session and declared accounts, and the Mumble
;;; server with the mumble-server.ini Guix writes.

(define-module (gnu services telephony)
  #:use-module ((gnu services) #:hide (delete))
  #:use-module (gnu services configuration)
  #:use-module (gnu services shepherd)
  #:use-module (gnu system shadow)
  #:use-module ((gnu packages admin) #:select (shadow))
  #:use-module ((gnu packages nss) #:select (nss-certs))
  #:use-module ((gnu packages glib) #:select (dbus-for-jami))
  #:use-module ((gnu packages jami) #:select (libjami))
  #:use-module ((gnu packages telephony) #:select (mumble))
  #:use-module (guix deprecation)
  #:use-module (guix records)
  #:use-module (guix gexp)
  #:use-module (srfi srfi-1)
  #:use-module (ice-9 match)
  #:export (jami-account
            jami-account?
            jami-account-archive
            jami-account-allowed-contacts
            jami-account-moderators
            jami-account-rendezvous-point?
            jami-account-peer-discovery?
            jami-account-discovery?
            jami-account-bootstrap-hostnames
            jami-account-bootstrap-uri
            jami-account-name-server-uri
            jami-account->alist

            jami-configuration
            jami-configuration?
            jami-configuration-libjami
            jami-configuration-dbus
            jami-configuration-nss-certs
            jami-configuration-enable-logging?
            jami-configuration-debug?
            jami-configuration-auto-answer?
            jami-configuration-accounts
            jami-configuration->command-line-arguments

            jami-service-type

            mumble-server-configuration
            make-mumble-server-configuration
            mumble-server-configuration?
            mumble-server-configuration-package
            mumble-server-configuration-user
            mumble-server-configuration-group
            mumble-server-configuration-port
            mumble-server-configuration-welcome-text
            mumble-server-configuration-server-password
            mumble-server-configuration-max-users
            mumble-server-configuration-max-user-bandwidth
            mumble-server-configuration-database-file
            mumble-server-configuration-log-file
            mumble-server-configuration-pid-file
            mumble-server-configuration-autoban-attempts
            mumble-server-configuration-autoban-timeframe
            mumble-server-configuration-autoban-time
            mumble-server-configuration-opus-threshold
            mumble-server-configuration-channel-nesting-limit
            mumble-server-configuration-channelname-regex
            mumble-server-configuration-username-regex
            mumble-server-configuration-text-message-length
            mumble-server-configuration-image-message-length
            mumble-server-configuration-cert-required?
            mumble-server-configuration-remember-channel?
            mumble-server-configuration-allow-html?
            mumble-server-configuration-allow-ping?
            mumble-server-configuration-bonjour?
            mumble-server-configuration-send-version?
            mumble-server-configuration-log-days
            mumble-server-configuration-obfuscate-ips?
            mumble-server-obfuscate-ips?
            mumble-server-configuration-ssl-cert
            mumble-server-configuration-ssl-key
            mumble-server-configuration-ssl-dh-params
            mumble-server-configuration-ssl-ciphers
            mumble-server-configuration-public-registration
            mumble-server-configuration-file
            mumble-server-ini-file

            mumble-server-public-registration-configuration
            make-mumble-server-public-registration-configuration
            mumble-server-public-registration-configuration?
            mumble-server-public-registration-configuration-name
            mumble-server-public-registration-configuration-url
            mumble-server-public-registration-configuration-password
            mumble-server-public-registration-configuration-hostname

            mumble-server-service-type))


;;;
;;; Jami.
;;;

;; A Jami account is known by its fingerprint: 40 hexadecimal digits.
(define (account-fingerprint? x)
  (and (string? x)
       (= 40 (string-length x))
       (string-every (char-set-union (string->char-set "0123456789abcdef")
                                     (string->char-set "ABCDEF"))
                     x)))

(define (string-or-computed-file? x)
  ;; The archive: a file name outside the store (it holds secret keys), or
  ;; a computed file (used by tests).
  (or (string? x) (computed-file? x)))

(define account-fingerprint-list? (list-of account-fingerprint?))

(define-maybe list-of-strings)
(define-maybe/no-serialization account-fingerprint-list)
(define-maybe boolean)
(define-maybe string)

;; The serializable fields of an account become Jami "account details": a
;; list is joined with semicolons, a boolean is "true"/"false".
(define (serialize-list-of-strings name value) (string-join value ";"))
(define (serialize-boolean name value) (if value "true" "false"))
(define (serialize-string name value) value)

(define-configuration jami-account
  (archive
   (string-or-computed-file)
   "File name of the (unencrypted) account archive provisioned at start."
   empty-serializer)
  (allowed-contacts
   maybe-account-fingerprint-list
   "Fingerprints of the only contacts allowed to reach the account."
   empty-serializer)
  (moderators
   maybe-account-fingerprint-list
   "Fingerprints of the contacts that moderate rendezvous conferences."
   empty-serializer)
  (rendezvous-point?
   maybe-boolean
   "Whether the account is a rendezvous point (calls mixed in a conference).")
  (peer-discovery?
   maybe-boolean
   "Whether OpenDHT peers are discovered on the local network.")
  (bootstrap-hostnames
   maybe-list-of-strings
   "OpenDHT nodes used to join the network.")
  (name-server-uri
   maybe-string
   "URI of the name server resolving registered user names."))

;; Older names of the accessors, still exported by Guix.
(define jami-account-discovery? jami-account-peer-discovery?)
(define jami-account-bootstrap-uri jami-account-bootstrap-hostnames)

(define (jami-account->alist account)
  "The account details of ACCOUNT that are set (an alist of Jami detail
names to strings), as given to the daemon's SetAccountDetails."
  (filter-map
   (match-lambda
     ((detail getter serialize)
      (let ((value (getter account)))
        (and (maybe-value-set? value)
             (cons detail (serialize detail value))))))
   (list (list "Account.rendezVous" jami-account-rendezvous-point? serialize-boolean)
         (list "Account.peerDiscovery" jami-account-peer-discovery? serialize-boolean)
         (list "Account.hostname" jami-account-bootstrap-hostnames serialize-list-of-strings)
         (list "RingNS.uri" jami-account-name-server-uri serialize-string))))

(define jami-account-list? (list-of jami-account?))
(define-maybe/no-serialization jami-account-list)

(define-configuration/no-serialization jami-configuration
  (libjami
   (file-like libjami)
   "The Jami daemon package.")
  (dbus
   (file-like dbus-for-jami)
   "The D-Bus package running the daemon's session bus.")
  (nss-certs
   (file-like nss-certs)
   "The package of TLS certificates.")
  (enable-logging?
   (boolean #t)
   "Whether the daemon logs to /var/log/jami.log.")
  (debug?
   (boolean #f)
   "Whether debug messages are logged.")
  (auto-answer?
   (boolean #f)
   "Whether incoming calls are answered automatically.")
  (accounts
   maybe-jami-account-list
   "Accounts provisioned anew at every start (their directories under
/var/lib/jami are then recreated)."))

(define %jami-accounts
  (list (user-group (name "jami") (system? #t))
        (user-account
         (name "jami")
         (group "jami")
         (system? #t)
         (comment "Jami daemon user")
         (home-directory "/var/lib/jami"))))

(define (jami-configuration->command-line-arguments config)
  "The command line of the Jami daemon of CONFIG: jamid kept alive without a
client and logging to its standard output."
  ;; Guix wraps jamid in a least-authority container running as jami; here
  ;; the service runs it as the jami user.  (Guix takes jamid from libjami's
  ;; "bin" output; the host's jamid stands for the whole package here.)
  (append (list (file-append (jami-configuration-libjami config) "/libexec/jamid")
                "--persistent"
                "--console")
          (if (jami-configuration-debug? config) '("--debug") '())
          (if (jami-configuration-auto-answer? config) '("--auto-answer") '())))

(define (jami-dbus-session-activation config)
  ;; The directory of the session bus socket, and the bus policy letting root
  ;; reach it (with the PID file where the jami D-Bus variant looks).
  #~(begin
      (use-modules (guix build utils))
      (let ((user (getpwnam "jami")))
        (mkdir-p "/var/run/jami")
        (chown "/var/run/jami" (passwd:uid user) (passwd:gid user))
        (chmod "/var/run/jami" #o700)
        (call-with-output-file "/var/run/jami/session-local.conf"
          (lambda (port)
            (display "<busconfig>\n  <pidfile>/var/run/jami/pid</pidfile>\n  <policy context=\"mandatory\">\n    <allow user=\"root\"/>\n  </policy>\n</busconfig>\n"
                     port))))))

(define (jami-shepherd-services config)
  (let* ((libjami (jami-configuration-libjami config))
         (dbus (jami-configuration-dbus config))
         (accounts (jami-configuration-accounts config))
         (declarative? (maybe-value-set? accounts))
         (archives (if declarative? (map jami-account-archive accounts) '()))
         (log-file (and (jami-configuration-enable-logging? config) "/var/log/jami.log")))
    (list (shepherd-service
           (documentation "Run a D-Bus session for the Jami daemon.")
           (provision '(jami-dbus-session))
           (requirement '(user-processes dbus-system syslogd))
           (start #~(make-forkexec-constructor
                     (list #$(file-append dbus "/bin/dbus-daemon")
                           "--session"
                           "--address=unix:path=/var/run/jami/bus"
                           "--syslog-only")
                     #:user "jami" #:group "jami"
                     #:environment-variables
                     (list (string-append "XDG_DATA_DIRS=" #$libjami "/share"))))
           (stop #~(make-kill-destructor)))
          (shepherd-service
           (documentation "Run the Jami daemon.")
           (provision '(jami))
           (requirement '(user-processes jami-dbus-session))
           (start
            #~(lambda args
                (use-modules (guix build utils))
                (when #$declarative?
                  ;; The declared accounts replace whatever state the daemon
                  ;; kept: clear it, then copy the archives where only jami
                  ;; reads them.
                  (for-each (lambda (dir)
                              (when (file-exists? dir)
                                (delete-file-recursively dir)))
                            '("/var/lib/jami/.cache/jami"
                              "/var/lib/jami/.config/jami"
                              "/var/lib/jami/.local/share/jami"
                              "/var/lib/jami/accounts"))
                  (let ((pw (getpwnam "jami")))
                    (mkdir-p "/var/lib/jami/accounts/")
                    (chown "/var/lib/jami/accounts/" (passwd:uid pw) (passwd:gid pw))
                    (for-each (lambda (file)
                                (let ((dest (string-append "/var/lib/jami/accounts/"
                                                           (basename file))))
                                  (copy-file file dest)
                                  (chown dest (passwd:uid pw) (passwd:gid pw))))
                              (list #$@archives))))
                (fork+exec-command
                 (list #$@(jami-configuration->command-line-arguments config))
                 #:user "jami" #:group "jami"
                 #:environment-variables
                 (list "DBUS_SESSION_BUS_ADDRESS=unix:path=/var/run/jami/bus"
                       "SSL_CERT_DIR=/etc/ssl/certs")
                 #:log-file #$log-file)))
           ;; jamid is slow to exit on SIGTERM: Guix kills it.
           (stop #~(make-kill-destructor SIGKILL))))))

(define jami-service-type
  (service-type
   (name 'jami)
   (default-value (jami-configuration))
   (extensions
    (list (service-extension shepherd-root-service-type jami-shepherd-services)
          (service-extension account-service-type (const %jami-accounts))
          (service-extension activation-service-type jami-dbus-session-activation)))
   (description "Run the Jami daemon (jamid) on its own D-Bus session, for
example to host Jami rendezvous points on a headless server.")))


;;;
;;; Mumble server.
;;;

(define-record-type* <mumble-server-configuration> mumble-server-configuration
  make-mumble-server-configuration
  mumble-server-configuration?
  (package               mumble-server-configuration-package (default mumble))
  (user                  mumble-server-configuration-user (default "mumble-server"))
  (group                 mumble-server-configuration-group (default "mumble-server"))
  (port                  mumble-server-configuration-port (default 64738))
  (welcome-text          mumble-server-configuration-welcome-text (default ""))
  (server-password       mumble-server-configuration-server-password (default ""))
  (max-users             mumble-server-configuration-max-users (default 100))
  (max-user-bandwidth    mumble-server-configuration-max-user-bandwidth (default #f))
  (database-file         mumble-server-configuration-database-file
                         (default "/var/lib/mumble-server/db.sqlite"))
  (log-file              mumble-server-configuration-log-file
                         (default "/var/log/mumble-server/mumble-server.log"))
  (pid-file              mumble-server-configuration-pid-file
                         (default "/var/run/mumble-server/mumble-server.pid"))
  (autoban-attempts      mumble-server-configuration-autoban-attempts (default 10))
  (autoban-timeframe     mumble-server-configuration-autoban-timeframe (default 120))
  (autoban-time          mumble-server-configuration-autoban-time (default 300))
  (opus-threshold        mumble-server-configuration-opus-threshold (default 100))
  (channel-nesting-limit mumble-server-configuration-channel-nesting-limit (default 10))
  (channelname-regex     mumble-server-configuration-channelname-regex (default #f))
  (username-regex        mumble-server-configuration-username-regex (default #f))
  (text-message-length   mumble-server-configuration-text-message-length (default 5000))
  (image-message-length  mumble-server-configuration-image-message-length (default 131072))
  (cert-required?        mumble-server-configuration-cert-required? (default #f))
  (remember-channel?     mumble-server-configuration-remember-channel? (default #f))
  (allow-html?           mumble-server-configuration-allow-html? (default #f))
  (allow-ping?           mumble-server-configuration-allow-ping? (default #f))
  (bonjour?              mumble-server-configuration-bonjour? (default #f))
  (send-version?         mumble-server-configuration-send-version? (default #f))
  (log-days              mumble-server-configuration-log-days (default 31))
  (obfuscate-ips?        mumble-server-configuration-obfuscate-ips? (default #t))
  (ssl-cert              mumble-server-configuration-ssl-cert (default #f))
  (ssl-key               mumble-server-configuration-ssl-key (default #f))
  (ssl-dh-params         mumble-server-configuration-ssl-dh-params (default #f))
  (ssl-ciphers           mumble-server-configuration-ssl-ciphers (default #f))
  (public-registration   mumble-server-configuration-public-registration (default #f))
  (file                  mumble-server-configuration-file (default #f)))

;; The accessor's name in Guix's record definition.
(define mumble-server-obfuscate-ips? mumble-server-configuration-obfuscate-ips?)

(define-record-type* <mumble-server-public-registration-configuration>
  mumble-server-public-registration-configuration
  make-mumble-server-public-registration-configuration
  mumble-server-public-registration-configuration?
  (name     mumble-server-public-registration-configuration-name)
  (password mumble-server-public-registration-configuration-password)
  (url      mumble-server-public-registration-configuration-url)
  (hostname mumble-server-public-registration-configuration-hostname (default #f)))

;;; mumble-server.ini as Guix writes it: fixed keys in a fixed order, the
;;; optional numbers and strings only when set, booleans as true/false.
;;; Like Guix, the sslDHParams and sslCiphers lines end without a newline.

(define (optional key value ->string)
  (if value (list key "=" (->string value) "\n") '()))

(define (bool value) (if value "true" "false"))

(define (mumble-server-ini-lines config)
  (match-record config <mumble-server-configuration>
    (user port welcome-text server-password max-users max-user-bandwidth
     database-file log-file pid-file autoban-attempts autoban-timeframe
     autoban-time opus-threshold channel-nesting-limit channelname-regex
     username-regex text-message-length image-message-length cert-required?
     remember-channel? allow-html? allow-ping? bonjour? send-version?
     log-days obfuscate-ips? ssl-cert ssl-key ssl-dh-params ssl-ciphers
     public-registration)
    (append
     (list "welcometext=" welcome-text "\n"
           "port=" (number->string port) "\n")
     (optional "serverpassword" server-password identity)
     (optional "bandwidth" max-user-bandwidth number->string)
     (list "users=" (number->string max-users) "\n"
           "uname=" user "\n"
           "database=" database-file "\n"
           "logfile=" log-file "\n"
           "pidfile=" pid-file "\n")
     (optional "autobanAttempts" autoban-attempts number->string)
     (optional "autobanTimeframe" autoban-timeframe number->string)
     (optional "autobanTime" autoban-time number->string)
     (optional "opusthreshold" opus-threshold number->string)
     (optional "channelnestinglimit" channel-nesting-limit number->string)
     (optional "channelname" channelname-regex identity)
     (optional "username" username-regex identity)
     (optional "textmessagelength" text-message-length number->string)
     (optional "imagemessagelength" image-message-length number->string)
     (optional "logdays" log-days number->string)
     (list "obfuscate=" (bool obfuscate-ips?) "\n"
           "certrequired=" (bool cert-required?) "\n"
           "rememberchannel=" (bool remember-channel?) "\n"
           "allowhtml=" (bool allow-html?) "\n"
           "allowping=" (bool allow-ping?) "\n"
           "bonjour=" (bool bonjour?) "\n"
           "sendversion=" (bool send-version?) "\n")
     (cond ((and ssl-cert ssl-key)
            (list "sslCert=" ssl-cert "\n" "sslKey=" ssl-key "\n"))
           ((or ssl-cert ssl-key)
            (error "mumble-server: ssl-cert and ssl-key must be given together"
                   ssl-cert ssl-key))
           (else '()))
     (if ssl-dh-params (list "sslDHParams=" ssl-dh-params) '())
     (if ssl-ciphers (list "sslCiphers=" ssl-ciphers) '())
     (match public-registration
       (#f '())
       (registration
        (unless (and (or (not server-password) (string-null? server-password))
                     allow-ping?)
          (error "mumble-server: a publicly registered server must answer pings \
and let users join without a password: set (allow-ping? #t) and \
(server-password \"\"), or public-registration to #f"))
        (let ((hostname (mumble-server-public-registration-configuration-hostname
                         registration)))
          (list "registerName="
                (mumble-server-public-registration-configuration-name registration) "\n"
                "registerPassword="
                (mumble-server-public-registration-configuration-password registration) "\n"
                "registerUrl="
                (mumble-server-public-registration-configuration-url registration) "\n"
                (if hostname (string-append "registerHostname=" hostname "\n") ""))))))))

(define (mumble-server-ini-file config)
  "The ini file of CONFIG's server: its `file' when given, else the one
written from its fields."
  (or (mumble-server-configuration-file config)
      (apply mixed-text-file "mumble-server.ini" (mumble-server-ini-lines config))))

(define (mumble-server-activation config)
  ;; The log, PID and database directories, private to the server's user.
  (let ((ini (mumble-server-ini-file config)))
    #~(begin
        (use-modules (guix build utils))
        (let ((user (getpwnam #$(mumble-server-configuration-user config))))
          (for-each (lambda (what file)
                      (let ((dir (dirname file)))
                        (format #t "creating mumble-server ~a directory '~a'~%" what dir)
                        (mkdir-p dir)
                        (chown dir (passwd:uid user) (passwd:gid user))
                        (chmod dir #o700)))
                    '("log" "pid" "database")
                    (list #$(mumble-server-configuration-log-file config)
                          #$(mumble-server-configuration-pid-file config)
                          #$(mumble-server-configuration-database-file config)))
          (format #t "mumble-server: use config file: ~a~%~%" #$ini)
          (format #t "mumble-server: to set the SuperUser password run:
    `~a -ini ~a -readsupw`~%"
                  #$(file-append (mumble-server-configuration-package config)
                                 "/bin/mumble-server")
                  #$ini)
          #t))))

(define (mumble-server-accounts config)
  (let ((user (mumble-server-configuration-user config))
        (group (mumble-server-configuration-group config)))
    (list (user-group (name group) (system? #t))
          (user-account
           (name user)
           (group group)
           (system? #t)
           (comment "Mumble server daemon")
           (home-directory "/var/empty")
           (shell (file-append shadow "/sbin/nologin"))))))

(define (mumble-server-shepherd-service config)
  ;; The server forks into the background and writes its PID file.
  (list (shepherd-service
         (provision '(mumble-server))
         (documentation "Run the Mumble server.")
         (requirement '(user-processes networking))
         (start #~(make-forkexec-constructor
                   (list #$(file-append (mumble-server-configuration-package config)
                                        "/bin/mumble-server")
                         "-ini" #$(mumble-server-ini-file config))
                   #:pid-file #$(mumble-server-configuration-pid-file config)))
         (stop #~(make-kill-destructor)))))

(define mumble-server-service-type
  (service-type
   (name 'mumble-server)
   (description "Run the Mumble voice-over-IP (VoIP) server.")
   (extensions
    (list (service-extension shepherd-root-service-type mumble-server-shepherd-service)
          (service-extension activation-service-type mumble-server-activation)
          (service-extension account-service-type mumble-server-accounts)))
   (default-value (mumble-server-configuration))))

;;; The server's former name, murmur, kept as deprecated aliases.

;; The record constructors are macros: their old names are macros too.
(define-syntax-rule (murmur-configuration field ...)
  (mumble-server-configuration field ...))
(define-syntax-rule (murmur-public-registration-configuration field ...)
  (mumble-server-public-registration-configuration field ...))
(export murmur-configuration murmur-public-registration-configuration)
(define-deprecated/public-alias make-murmur-configuration make-mumble-server-configuration)
(define-deprecated/public-alias murmur-configuration? mumble-server-configuration?)
(define-deprecated/public-alias murmur-configuration-package mumble-server-configuration-package)
(define-deprecated/public-alias murmur-configuration-user mumble-server-configuration-user)
(define-deprecated/public-alias murmur-configuration-group mumble-server-configuration-group)
(define-deprecated/public-alias murmur-configuration-port mumble-server-configuration-port)
(define-deprecated/public-alias murmur-configuration-welcome-text
  mumble-server-configuration-welcome-text)
(define-deprecated/public-alias murmur-configuration-server-password
  mumble-server-configuration-server-password)
(define-deprecated/public-alias murmur-configuration-max-users
  mumble-server-configuration-max-users)
(define-deprecated/public-alias murmur-configuration-max-user-bandwidth
  mumble-server-configuration-max-user-bandwidth)
(define-deprecated/public-alias murmur-configuration-database-file
  mumble-server-configuration-database-file)
(define-deprecated/public-alias murmur-configuration-log-file
  mumble-server-configuration-log-file)
(define-deprecated/public-alias murmur-configuration-pid-file
  mumble-server-configuration-pid-file)
(define-deprecated/public-alias murmur-configuration-autoban-attempts
  mumble-server-configuration-autoban-attempts)
(define-deprecated/public-alias murmur-configuration-autoban-timeframe
  mumble-server-configuration-autoban-timeframe)
(define-deprecated/public-alias murmur-configuration-autoban-time
  mumble-server-configuration-autoban-time)
(define-deprecated/public-alias murmur-configuration-opus-threshold
  mumble-server-configuration-opus-threshold)
(define-deprecated/public-alias murmur-configuration-channel-nesting-limit
  mumble-server-configuration-channel-nesting-limit)
(define-deprecated/public-alias murmur-configuration-channelname-regex
  mumble-server-configuration-channelname-regex)
(define-deprecated/public-alias murmur-configuration-username-regex
  mumble-server-configuration-username-regex)
(define-deprecated/public-alias murmur-configuration-text-message-length
  mumble-server-configuration-text-message-length)
(define-deprecated/public-alias murmur-configuration-image-message-length
  mumble-server-configuration-image-message-length)
(define-deprecated/public-alias murmur-configuration-cert-required?
  mumble-server-configuration-cert-required?)
(define-deprecated/public-alias murmur-configuration-remember-channel?
  mumble-server-configuration-remember-channel?)
(define-deprecated/public-alias murmur-configuration-allow-html?
  mumble-server-configuration-allow-html?)
(define-deprecated/public-alias murmur-configuration-allow-ping?
  mumble-server-configuration-allow-ping?)
(define-deprecated/public-alias murmur-configuration-bonjour?
  mumble-server-configuration-bonjour?)
(define-deprecated/public-alias murmur-configuration-send-version?
  mumble-server-configuration-send-version?)
(define-deprecated/public-alias murmur-configuration-log-days
  mumble-server-configuration-log-days)
(define-deprecated/public-alias murmur-configuration-obfuscate-ips?
  mumble-server-configuration-obfuscate-ips?)
(define-deprecated/public-alias murmur-configuration-ssl-cert
  mumble-server-configuration-ssl-cert)
(define-deprecated/public-alias murmur-configuration-ssl-key
  mumble-server-configuration-ssl-key)
(define-deprecated/public-alias murmur-configuration-ssl-dh-params
  mumble-server-configuration-ssl-dh-params)
(define-deprecated/public-alias murmur-configuration-ssl-ciphers
  mumble-server-configuration-ssl-ciphers)
(define-deprecated/public-alias murmur-configuration-public-registration
  mumble-server-configuration-public-registration)
(define-deprecated/public-alias murmur-configuration-file
  mumble-server-configuration-file)
(define-deprecated/public-alias make-murmur-public-registration-configuration
  make-mumble-server-public-registration-configuration)
(define-deprecated/public-alias murmur-public-registration-configuration?
  mumble-server-public-registration-configuration?)
(define-deprecated/public-alias murmur-public-registration-configuration-name
  mumble-server-public-registration-configuration-name)
(define-deprecated/public-alias murmur-public-registration-configuration-url
  mumble-server-public-registration-configuration-url)
(define-deprecated/public-alias murmur-public-registration-configuration-password
  mumble-server-public-registration-configuration-password)
(define-deprecated/public-alias murmur-public-registration-configuration-hostname
  mumble-server-public-registration-configuration-hostname)
(define-deprecated/public-alias murmur-service-type mumble-server-service-type)
