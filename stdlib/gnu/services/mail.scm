;;; schemy --- Mail services (Guix manual, "Mail Services"): Dovecot (its
;;; configuration records, derived from Guix by tools/derive_dovecot_fields.py,
;;; and the dovecot.conf Guix's serializers write), OpenSMTPD, Exim, the
;;; /etc/aliases database and GNU Mailutils' imap4d.

(define-module (gnu services mail)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module ((guix packages) #:select (package?))
  #:use-module (gnu services)
  #:use-module (gnu services configuration)
  #:use-module (gnu services shepherd)
  #:use-module (gnu system shadow)
  #:use-module (gnu system pam)
  #:use-module (gnu system privilege)
  #:use-module ((gnu packages mail) #:select (opensmtpd dovecot exim mailutils))
  #:use-module ((gnu packages tls) #:select (openssl))
  #:use-module ((gnu packages dav) #:select (radicale))
  #:use-module ((gnu packages mail) #:select (rspamd))
  #:use-module (ice-9 match)
  #:use-module (srfi srfi-1)
  #:export (dovecot-service-type
            dovecot-configuration
            dovecot-configuration?
            dovecot-configuration-fields
            opaque-dovecot-configuration
            opaque-dovecot-configuration?
            dovecot-configuration-text

            dict-configuration
            passdb-configuration
            userdb-configuration
            unix-listener-configuration
            fifo-listener-configuration
            inet-listener-configuration
            service-configuration
            protocol-configuration
            plugin-configuration
            mailbox-configuration
            namespace-configuration

            opensmtpd-configuration
            opensmtpd-configuration?
            opensmtpd-configuration-package
            opensmtpd-configuration-shepherd-requirement
            opensmtpd-configuration-config-file
            opensmtpd-configuration-log-file
            opensmtpd-setgid-commands?
            opensmtpd-service-type
            %default-opensmtpd-config-file

            mail-aliases-service-type

            exim-configuration
            exim-configuration?
            exim-configuration-package
            exim-configuration-config-file
            exim-service-type

            imap4d-configuration
            imap4d-configuration?
            imap4d-configuration-package
            imap4d-configuration-config-file
            imap4d-service-type
            %default-imap4d-config-file

            radicale-auth-configuration
            radicale-auth-configuration?
            radicale-encoding-configuration
            radicale-encoding-configuration?
            radicale-logging-configuration
            radicale-logging-configuration?
            radicale-rights-configuration
            radicale-rights-configuration?
            radicale-server-configuration
            radicale-server-configuration?
            radicale-storage-configuration
            radicale-storage-configuration?
            radicale-configuration
            radicale-configuration?
            radicale-configuration-file
            radicale-service-type

            rspamd-configuration
            rspamd-configuration?
            rspamd-service-type
            %default-rspamd-account
            %default-rspamd-config-file
            %default-rspamd-group))

;;;
;;; Dovecot: dovecot.conf as Guix's serializers write it.  Each field is a
;;; line NAME=VALUE, NAME being the field's name without a final `?' and
;;; with `_' for `-'; nested records are blocks ("passdb {" ... "}").
;;;

(define (uglify-field-name field-name)
  (let ((str (symbol->string field-name)))
    (string-join (string-split (if (string-suffix? "?" str)
                                   (substring str 0 (- (string-length str) 1))
                                   str)
                               #\-)
                 "_")))

(define (serialize-field field-name val)
  (format #f "~a=~a\n" (uglify-field-name field-name) val))

(define (serialize-string field-name val)
  (serialize-field field-name val))

(define (space-separated-string-list? val)
  (and (list? val)
       (every (lambda (x) (and (string? x) (not (string-index x #\space)))) val)))
(define (serialize-space-separated-string-list field-name val)
  ;; An empty list is no line at all.
  (if (null? val) "" (serialize-field field-name (string-join val " "))))

(define (comma-separated-string-list? val)
  (and (list? val)
       (every (lambda (x) (and (string? x) (not (string-index x #\,)))) val)))
(define (serialize-comma-separated-string-list field-name val)
  (serialize-field field-name (string-join val ",")))

(define (file-name? val)
  (and (string? val) (string-prefix? "/" val)))
(define (serialize-file-name field-name val)
  (serialize-string field-name val))

(define (colon-separated-file-name-list? val)
  (and (list? val) (every file-name? val)))
(define (serialize-colon-separated-file-name-list field-name val)
  (serialize-field field-name (string-join val ":")))

(define (serialize-boolean field-name val)
  (serialize-string field-name (if val "yes" "no")))

(define (non-negative-integer? val)
  (and (exact-integer? val) (not (negative? val))))
(define (serialize-non-negative-integer field-name val)
  (serialize-field field-name val))

(define (free-form-fields? val)
  (and (list? val)
       (every (lambda (x) (and (pair? x) (symbol? (car x)) (string? (cdr x)))) val)))
(define (serialize-free-form-fields field-name val)
  (string-concatenate (map (lambda (entry) (serialize-field (car entry) (cdr entry))) val)))

(define free-form-args? free-form-fields?)
(define (serialize-free-form-args field-name val)
  (serialize-field field-name
                   (string-join (map (lambda (entry) (format #f "~a=~a" (car entry) (cdr entry)))
                                     val)
                                " ")))

(define (serialize-file-like field-name val) "")

(define (package-list? val)
  (and (list? val) (every package? val)))
(define (serialize-package-list field-name val) "")

(define (block header config fields)
  (string-append header " {\n" (serialize-configuration config fields) "}\n"))

(define (list-serializer serialize-one)
  (lambda (field-name val)
    (string-concatenate (map (lambda (v) (serialize-one field-name v)) val))))

(define (serialize-dict-configuration field-name val)
  (block "dict" val dict-configuration-fields))

(define (serialize-passdb-configuration field-name val)
  (block "passdb" val passdb-configuration-fields))
(define (passdb-configuration-list? val)
  (and (list? val) (every passdb-configuration? val)))
(define serialize-passdb-configuration-list (list-serializer serialize-passdb-configuration))

(define (serialize-userdb-configuration field-name val)
  (block "userdb" val userdb-configuration-fields))
(define (userdb-configuration-list? val)
  (and (list? val) (every userdb-configuration? val)))
(define serialize-userdb-configuration-list (list-serializer serialize-userdb-configuration))

(define (serialize-unix-listener-configuration field-name val)
  (block (string-append "unix_listener " (unix-listener-configuration-path val))
         val (cdr unix-listener-configuration-fields)))
(define (serialize-fifo-listener-configuration field-name val)
  (block (string-append "fifo_listener " (fifo-listener-configuration-path val))
         val (cdr fifo-listener-configuration-fields)))
(define (serialize-inet-listener-configuration field-name val)
  (block (string-append "inet_listener " (inet-listener-configuration-protocol val))
         val (cdr inet-listener-configuration-fields)))

(define (listener-configuration? val)
  (or (unix-listener-configuration? val)
      (fifo-listener-configuration? val)
      (inet-listener-configuration? val)))
(define (serialize-listener-configuration field-name val)
  (cond ((unix-listener-configuration? val) (serialize-unix-listener-configuration field-name val))
        ((fifo-listener-configuration? val) (serialize-fifo-listener-configuration field-name val))
        (else (serialize-inet-listener-configuration field-name val))))
(define (listener-configuration-list? val)
  (and (list? val) (every listener-configuration? val)))
(define serialize-listener-configuration-list (list-serializer serialize-listener-configuration))

(define (serialize-service-configuration field-name val)
  (block (string-append "service " (service-configuration-kind val))
         val (cdr service-configuration-fields)))
(define (service-configuration-list? val)
  (and (list? val) (every service-configuration? val)))
(define serialize-service-configuration-list (list-serializer serialize-service-configuration))

(define (serialize-protocol-configuration field-name val)
  (block (string-append "protocol " (protocol-configuration-name val))
         val (cdr protocol-configuration-fields)))
(define (protocol-configuration-list? val)
  (and (list? val) (every protocol-configuration? val)))
(define (serialize-protocol-configuration-list field-name val)
  ;; The protocols line, then a block for each.
  (string-append (serialize-field 'protocols (string-join (map protocol-configuration-name val) " "))
                 ((list-serializer serialize-protocol-configuration) field-name val)))

(define (serialize-plugin-configuration field-name val)
  (block "plugin" val plugin-configuration-fields))

(define (serialize-mailbox-configuration field-name val)
  (block (string-append "mailbox \"" (mailbox-configuration-name val) "\"")
         val (cdr mailbox-configuration-fields)))
(define (mailbox-configuration-list? val)
  (and (list? val) (every mailbox-configuration? val)))
(define serialize-mailbox-configuration-list (list-serializer serialize-mailbox-configuration))

(define (serialize-namespace-configuration field-name val)
  (block (string-append "namespace " (namespace-configuration-name val))
         val (cdr namespace-configuration-fields)))
(define (list-of-namespace-configuration? val)
  (and (list? val) (every namespace-configuration? val)))
(define serialize-list-of-namespace-configuration
  (list-serializer serialize-namespace-configuration))

;;; BEGIN derived dovecot fields
;;; by tools/derive_dovecot_fields.py from Guix 43770a9d8ac439cdf9dbf73a7d316d62ab177640; do not edit.

(define-configuration dict-configuration
  (entries (free-form-fields '()) ""))

(define-configuration passdb-configuration
  (driver (string "pam") "")
  (args (space-separated-string-list '()) ""))

(define-configuration userdb-configuration
  (driver (string "passwd") "")
  (args (space-separated-string-list '()) "")
  (override-fields (free-form-args '()) ""))

(define-configuration unix-listener-configuration
  (path (string (configuration-missing-field 'unix-listener 'path)) "")
  (mode (string "0600") "")
  (user (string "") "")
  (group (string "") ""))

(define-configuration fifo-listener-configuration
  (path (string (configuration-missing-field 'fifo-listener 'path)) "")
  (mode (string "0600") "")
  (user (string "") "")
  (group (string "") ""))

(define-configuration inet-listener-configuration
  (protocol (string (configuration-missing-field 'inet-listener 'protocol)) "")
  (address (string "") "")
  (port (non-negative-integer (configuration-missing-field 'inet-listener 'port)) "")
  (ssl? (boolean #t) ""))

(define-configuration service-configuration
  (kind (string (configuration-missing-field 'service 'kind)) "")
  (listeners (listener-configuration-list '()) "")
  (client-limit (non-negative-integer 0) "")
  (service-count (non-negative-integer 1) "")
  (process-limit (non-negative-integer 0) "")
  (process-min-avail (non-negative-integer 0) "")
  (vsz-limit (non-negative-integer #e256e6) ""))

(define-configuration protocol-configuration
  (name (string (configuration-missing-field 'protocol 'name)) "")
  (auth-socket-path (string "/var/run/dovecot/auth-userdb") "")
  (mail-plugins (space-separated-string-list '("$mail_plugins")) "")
  (mail-max-userip-connections (non-negative-integer 10) "")
  (imap-metadata? (boolean #f) "")
  (managesieve-notify-capability (space-separated-string-list '()) "")
  (managesieve-sieve-capability (space-separated-string-list '()) ""))

(define-configuration plugin-configuration
  (entries (free-form-fields '()) ""))

(define-configuration mailbox-configuration
  (name (string (error "mailbox name is required")) "")
  (auto (string "no") "")
  (special-use (space-separated-string-list '()) ""))

(define-configuration namespace-configuration
  (name (string (error "namespace name is required")) "")
  (type (string "private") "")
  (separator (string "") "")
  (prefix (string "") "")
  (location (string "") "")
  (inbox? (boolean #f) "")
  (hidden? (boolean #f) "")
  (list? (boolean #t) "")
  (subscriptions? (boolean #t) "")
  (mailboxes (mailbox-configuration-list '()) ""))

(define-configuration dovecot-configuration
  (dovecot (file-like dovecot) "")
  (extensions (package-list '()) "")
  (listen (comma-separated-string-list '("*" "::")) "")
  (dict (dict-configuration (dict-configuration)) "")
  (passdbs (passdb-configuration-list (list (passdb-configuration (driver "pam")))) "")
  (userdbs (userdb-configuration-list (list (userdb-configuration (driver "passwd")))) "")
  (plugin-configuration (plugin-configuration (plugin-configuration)) "")
  (namespaces (list-of-namespace-configuration (list
     (namespace-configuration
      (name "inbox")
      (prefix "")
      (inbox? #t)
      (mailboxes
       (list
        (mailbox-configuration (name "Junk") (special-use '("\\Junk")))
        (mailbox-configuration (name "Trash") (special-use '("\\Trash")))
        (mailbox-configuration (name "Sent") (special-use '("\\Sent")))
        (mailbox-configuration (name "Sent Messages") (special-use '("\\Sent")))
        (mailbox-configuration (name "Drafts") (special-use '("\\Drafts")))))))) "")
  (base-dir (file-name "/var/run/dovecot/") "")
  (login-greeting (string "Dovecot ready.") "")
  (login-trusted-networks (space-separated-string-list '()) "")
  (login-access-sockets (space-separated-string-list '()) "")
  (verbose-proctitle? (boolean #f) "")
  (shutdown-clients? (boolean #t) "")
  (doveadm-worker-count (non-negative-integer 0) "")
  (doveadm-socket-path (string "doveadm-server") "")
  (import-environment (space-separated-string-list '("TZ")) "")
  (disable-plaintext-auth? (boolean #t) "")
  (auth-cache-size (non-negative-integer 0) "")
  (auth-cache-ttl (string "1 hour") "")
  (auth-cache-negative-ttl (string "1 hour") "")
  (auth-realms (space-separated-string-list '()) "")
  (auth-default-realm (string "") "")
  (auth-username-chars (string "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01234567890.-_@") "")
  (auth-username-translation (string "") "")
  (auth-username-format (string "%Lu") "")
  (auth-master-user-separator (string "") "")
  (auth-anonymous-username (string "anonymous") "")
  (auth-worker-max-count (non-negative-integer 30) "")
  (auth-gssapi-hostname (string "") "")
  (auth-krb5-keytab (string "") "")
  (auth-use-winbind? (boolean #f) "")
  (auth-winbind-helper-path (file-name "/usr/bin/ntlm_auth") "")
  (auth-failure-delay (string "2 secs") "")
  (auth-ssl-require-client-cert? (boolean #f) "")
  (auth-ssl-username-from-cert? (boolean #f) "")
  (auth-mechanisms (space-separated-string-list '("plain")) "")
  (director-servers (space-separated-string-list '()) "")
  (director-mail-servers (space-separated-string-list '()) "")
  (director-user-expire (string "15 min") "")
  (director-username-hash (string "%Lu") "")
  (log-path (string "syslog") "")
  (info-log-path (string "") "")
  (debug-log-path (string "") "")
  (syslog-facility (string "mail") "")
  (auth-verbose? (boolean #f) "")
  (auth-verbose-passwords (string "no") "")
  (auth-debug? (boolean #f) "")
  (auth-debug-passwords? (boolean #f) "")
  (mail-debug? (boolean #f) "")
  (verbose-ssl? (boolean #f) "")
  (log-timestamp (string "\"%b %d %H:%M:%S \"") "")
  (login-log-format-elements (space-separated-string-list '("user=<%u>" "method=%m" "rip=%r" "lip=%l" "mpid=%e" "%c")) "")
  (login-log-format (string "%$: %s") "")
  (mail-log-prefix (string "\"%s(%u)<%{pid}><%{session}>: \"") "")
  (deliver-log-format (string "msgid=%m: %$") "")
  (mail-location (string "") "")
  (mail-uid (string "") "")
  (mail-gid (string "") "")
  (mail-privileged-group (string "") "")
  (mail-access-groups (string "") "")
  (mail-full-filesystem-access? (boolean #f) "")
  (mmap-disable? (boolean #f) "")
  (dotlock-use-excl? (boolean #t) "")
  (mail-fsync (string "optimized") "")
  (mail-nfs-storage? (boolean #f) "")
  (mail-nfs-index? (boolean #f) "")
  (lock-method (string "fcntl") "")
  (mail-temp-dir (file-name "/tmp") "")
  (first-valid-uid (non-negative-integer 500) "")
  (last-valid-uid (non-negative-integer 0) "")
  (first-valid-gid (non-negative-integer 1) "")
  (last-valid-gid (non-negative-integer 0) "")
  (mail-max-keyword-length (non-negative-integer 50) "")
  (valid-chroot-dirs (colon-separated-file-name-list '()) "")
  (mail-chroot (string "") "")
  (auth-socket-path (file-name "/var/run/dovecot/auth-userdb") "")
  (mail-plugin-dir (file-name "/usr/lib/dovecot") "")
  (mail-plugins (space-separated-string-list '()) "")
  (mail-cache-min-mail-count (non-negative-integer 0) "")
  (mailbox-idle-check-interval (string "30 secs") "")
  (mail-save-crlf? (boolean #f) "")
  (maildir-stat-dirs? (boolean #f) "")
  (maildir-copy-with-hardlinks? (boolean #t) "")
  (maildir-very-dirty-syncs? (boolean #f) "")
  (mbox-read-locks (space-separated-string-list '("fcntl")) "")
  (mbox-write-locks (space-separated-string-list '("dotlock" "fcntl")) "")
  (mbox-lock-timeout (string "5 mins") "")
  (mbox-dotlock-change-timeout (string "2 mins") "")
  (mbox-dirty-syncs? (boolean #t) "")
  (mbox-very-dirty-syncs? (boolean #f) "")
  (mbox-lazy-writes? (boolean #t) "")
  (mbox-min-index-size (non-negative-integer 0) "")
  (mdbox-rotate-size (non-negative-integer #e10e6) "")
  (mdbox-rotate-interval (string "1d") "")
  (mdbox-preallocate-space? (boolean #f) "")
  (mail-attribute-dict (string "") "")
  (mail-attachment-dir (string "") "")
  (mail-attachment-min-size (non-negative-integer #e128e3) "")
  (mail-attachment-fs (string "sis posix") "")
  (mail-attachment-hash (string "%{sha1}") "")
  (default-process-limit (non-negative-integer 100) "")
  (default-client-limit (non-negative-integer 1000) "")
  (default-vsz-limit (non-negative-integer #e256e6) "")
  (default-login-user (string "dovenull") "")
  (default-internal-user (string "dovecot") "")
  (ssl? (string "required") "")
  (ssl-cert (string "</etc/dovecot/default.pem") "")
  (ssl-key (string "</etc/dovecot/private/default.pem") "")
  (ssl-key-password (string "") "")
  (ssl-ca (string "") "")
  (ssl-require-crl? (boolean #t) "")
  (ssl-verify-client-cert? (boolean #f) "")
  (ssl-cert-username-field (string "commonName") "")
  (ssl-min-protocol (string "TLSv1") "")
  (ssl-cipher-list (string "ALL:!kRSA:!SRP:!kDHd:!DSS:!aNULL:!eNULL:!EXPORT:!DES:!3DES:!MD5:!PSK:!RC4:!ADH:!LOW@STRENGTH") "")
  (ssl-crypto-device (string "") "")
  (postmaster-address (string "postmaster@%d") "")
  (hostname (string "") "")
  (quota-full-tempfail? (boolean #f) "")
  (sendmail-path (file-name "/usr/sbin/sendmail") "")
  (submission-host (string "") "")
  (rejection-subject (string "Rejected: %s") "")
  (rejection-reason (string "Your message to <%t> was automatically rejected:%n%r") "")
  (recipient-delimiter (string "+") "")
  (lda-original-recipient-header (string "") "")
  (lda-mailbox-autocreate? (boolean #f) "")
  (lda-mailbox-autosubscribe? (boolean #f) "")
  (imap-max-line-length (non-negative-integer #e64e3) "")
  (imap-logout-format (string "in=%i out=%o deleted=%{deleted} expunged=%{expunged} trashed=%{trashed} hdr_count=%{fetch_hdr_count} hdr_bytes=%{fetch_hdr_bytes} body_count=%{fetch_body_count} body_bytes=%{fetch_body_bytes}") "")
  (imap-capability (string "") "")
  (imap-idle-notify-interval (string "2 mins") "")
  (imap-id-send (string "") "")
  (imap-id-log (string "") "")
  (imap-client-workarounds (space-separated-string-list '()) "")
  (imap-urlauth-host (string "") "")
  (protocols (protocol-configuration-list (list (protocol-configuration
           (name "imap")))) "")
  (services (service-configuration-list (list
     (service-configuration
      (kind "imap-login")
      (client-limit 0)
      (process-limit 0)
      (listeners
       (list
        (inet-listener-configuration (protocol "imap") (port 143) (ssl? #f))
        (inet-listener-configuration (protocol "imaps") (port 993) (ssl? #t)))))
     (service-configuration
      (kind "pop3-login")
      (listeners
       (list
        (inet-listener-configuration (protocol "pop3") (port 110) (ssl? #f))
        (inet-listener-configuration (protocol "pop3s") (port 995) (ssl? #t)))))
     (service-configuration
      (kind "lmtp")
      (client-limit 1)
      (process-limit 0)
      (listeners
       (list (unix-listener-configuration (path "lmtp") (mode "0666")))))
     (service-configuration
      (kind "imap")
      (client-limit 1)
      (process-limit 1024))
     (service-configuration
      (kind "pop3")
      (client-limit 1)
      (process-limit 1024))
     (service-configuration
      (kind "auth")
      (service-count 0)
      (client-limit 0)
      (process-limit 1)
      (listeners
       (list (unix-listener-configuration (path "auth-userdb")))))
     (service-configuration
      (kind "auth-worker")
      (client-limit 1)
      (process-limit 0))
     (service-configuration
      (kind "dict")
      (client-limit 1)
      (process-limit 0)
      (listeners (list (unix-listener-configuration (path "dict"))))))) ""))

(define-configuration opaque-dovecot-configuration
  (dovecot (file-like dovecot) "")
  (extensions (package-list '()) "")
  (string (string (configuration-missing-field 'opaque-dovecot-configuration
                                        'string)) ""))

;;; END derived dovecot fields

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

(define (dovecot-configuration-text config)
  "The dovecot.conf of CONFIG: the string of an opaque configuration, else what
Guix's serializers write for its fields."
  (if (opaque-dovecot-configuration? config)
      (opaque-dovecot-configuration-string config)
      (serialize-configuration config dovecot-configuration-fields)))

(define (dovecot-package config)
  (if (opaque-dovecot-configuration? config)
      (opaque-dovecot-configuration-dovecot config)
      (dovecot-configuration-dovecot config)))

(define %dovecot-accounts
  (list (user-group (name "dovecot") (system? #t))
        (user-account
         (name "dovecot") (group "dovecot") (system? #t)
         (comment "Dovecot daemon user")
         (home-directory "/var/empty") (shell %nologin-shell))
        (user-group (name "dovenull") (system? #t))
        (user-account
         (name "dovenull") (group "dovenull") (system? #t)
         (comment "Dovecot daemon login user")
         (home-directory "/var/empty") (shell %nologin-shell))))

(define (dovecot-activation config)
  ;; As Guix: /var/run/dovecot, /var/lib/dovecot and /etc/dovecot owned by
  ;; dovecot, dovecot.conf copied into /etc/dovecot, and a self-signed
  ;; certificate made when none is there.  Host files go through
  ;; root-file-name (inside the root in prefix mode).  Guix's union of the
  ;; plugins' module directories at /usr/lib/dovecot is not made: the host's
  ;; dovecot brings its modules.
  (let ((conf (plain-file "dovecot.conf" (dovecot-configuration-text config))))
    #~(begin
        (use-modules (guix build utils))
        (let* ((user (getpwnam "dovecot"))
               (dir (lambda (name mode)
                      (let ((file (root-file-name name)))
                        (mkdir-p file)
                        (chown file (passwd:uid user) (passwd:gid user))
                        (chmod file mode)
                        file)))
               (etc (dir "/etc/dovecot" #o755))
               (private-key (string-append etc "/private/default.pem"))
               (public-key (string-append etc "/default.pem"))
               (openssl #$(file-append openssl "/bin/openssl"))
               (subject (string-append "/CN=Dovecot service on " (gethostname)
                                       "/O=Guix/OU=Default Self-Signed Certificate")))
          (dir "/var/run/dovecot" #o755)
          (dir "/var/lib/dovecot" #o755)
          (copy-file #$conf (string-append etc "/dovecot.conf"))
          (dir "/etc/dovecot/private" #o700)
          (unless (file-exists? private-key)
            (if (zero? (system* openssl "genrsa" "-out" private-key "2048"))
                (chmod private-key #o400)
                (format (current-error-port) "Failed to create private key at ~a.~%" private-key)))
          (unless (file-exists? public-key)
            (if (zero? (system* openssl "req" "-new" "-x509" "-key" private-key
                                "-out" public-key "-days" "3650" "-batch" "-subj" subject))
                (chmod public-key #o444)
                (format (current-error-port) "Failed to create public key at ~a.~%" public-key)))))))

(define (dovecot-shepherd-service config)
  (let ((dovecot (dovecot-package config)))
    (list (shepherd-service
           (documentation "Run the Dovecot POP3/IMAP mail server.")
           (provision '(dovecot))
           (requirement '(user-processes pam networking))
           (start #~(make-forkexec-constructor
                     (list #$(file-append dovecot "/sbin/dovecot") "-F")))
           (stop #~(lambda _
                     (invoke #$(file-append dovecot "/sbin/dovecot") "stop")
                     #f))))))

(define dovecot-service-type
  (service-type
   (name 'dovecot)
   (extensions
    (list (service-extension shepherd-root-service-type dovecot-shepherd-service)
          (service-extension account-service-type (const %dovecot-accounts))
          (service-extension pam-root-service-type
                             (const (list (unix-pam-service "dovecot"))))
          (service-extension activation-service-type dovecot-activation)))
   (description "Run Dovecot, a mail server that can run POP3, IMAP, and LMTP.")
   (default-value (dovecot-configuration))))

;;;
;;; /etc/aliases.
;;;

(define (mail-aliases-etc aliases)
  ;; One line per alias: "ALIAS: ADDRESS,ADDRESS".
  (list (list "aliases"
              (plain-file "aliases"
                          (string-concatenate
                           (map (match-lambda
                                  ((alias addresses ...)
                                   (format #f "~a: ~a\n" alias (string-join addresses ","))))
                                aliases))))))

(define mail-aliases-service-type
  (service-type
   (name 'mail-aliases)
   (extensions (list (service-extension etc-service-type mail-aliases-etc)))
   (compose concatenate)
   (extend append)
   (description "Provide a @file{/etc/aliases} file---an email alias
database---computed from the given alias list.")))

;;;
;;; Exim.
;;;

(define-record-type* <exim-configuration> exim-configuration
  make-exim-configuration exim-configuration?
  (package     exim-configuration-package (default exim))    ;file-like
  (config-file exim-configuration-config-file (default #f)))  ;#f or file-like

(define %exim-accounts
  (list (user-group (name "exim") (system? #t))
        (user-account
         (name "exim") (group "exim") (system? #t) (comment "Exim Daemon")
         (home-directory "/var/empty") (shell %nologin-shell))))

(define (exim-computed-config-file config)
  ;; Guix's exim.conf: the daemon's user and group, then the given file
  ;; (or the package's own) included.
  (let ((package (exim-configuration-package config))
        (file (exim-configuration-config-file config)))
    (computed-file "exim.conf"
                   #~(call-with-output-file #$output
                       (lambda (port)
                         (format port "
exim_user = exim
exim_group = exim
.include ~a" #$(or file (file-append package "/etc/exim.conf"))))))))

(define (exim-shepherd-service config)
  (list (shepherd-service
         (provision '(exim mta))
         (documentation "Run the exim daemon.")
         (requirement '(networking))
         (start #~(make-forkexec-constructor
                   (list #$(file-append (exim-configuration-package config) "/bin/exim")
                         "-bd" "-v" "-C" #$(exim-computed-config-file config))))
         (stop #~(make-kill-destructor)))))

(define (exim-activation config)
  ;; The spool, owned by exim; then Exim checks its configuration (-bV).
  #~(begin
      (use-modules (guix build utils))
      (let ((uid (passwd:uid (getpw "exim")))
            (gid (group:gid (getgr "exim"))))
        (mkdir-p "/var/spool/exim")
        (chown "/var/spool/exim" uid gid))
      (zero? (system* #$(file-append (exim-configuration-package config) "/bin/exim")
                      "-bV" "-C" #$(exim-computed-config-file config)))))

(define exim-service-type
  (service-type
   (name 'exim)
   (extensions
    (list (service-extension shepherd-root-service-type exim-shepherd-service)
          (service-extension account-service-type (const %exim-accounts))
          (service-extension activation-service-type exim-activation)
          (service-extension profile-service-type
                             (lambda (config) (list (exim-configuration-package config))))
          (service-extension mail-aliases-service-type (const '()))))
   (description "Run the Exim mail transfer agent (MTA).")))

;;;
;;; GNU Mailutils' IMAP4 daemon.
;;;

(define %default-imap4d-config-file
  (plain-file "imap4d.conf" "server localhost {};\n"))

(define-record-type* <imap4d-configuration> imap4d-configuration
  make-imap4d-configuration imap4d-configuration?
  (package     imap4d-configuration-package (default mailutils))
  (config-file imap4d-configuration-config-file (default %default-imap4d-config-file)))

(define (imap4d-shepherd-service config)
  (list (shepherd-service
         (provision '(imap4d))
         (requirement '(user-processes networking syslogd))
         (documentation "Run the imap4d daemon.")
         (start #~(make-forkexec-constructor
                   (list #$(file-append (imap4d-configuration-package config) "/sbin/imap4d")
                         "--daemon" "--foreground"
                         "--config-file" #$(imap4d-configuration-config-file config))))
         (stop #~(make-kill-destructor)))))

(define imap4d-service-type
  (service-type
   (name 'imap4d)
   (description
    "Run the GNU @command{imap4d} to serve e-mail messages through IMAP.")
   (extensions
    (list (service-extension shepherd-root-service-type imap4d-shepherd-service)))
   (default-value (imap4d-configuration))))

;;;
;;; Radicale, the CalDAV and CardDAV server: radicale.conf in sections, every
;;; field optional (unset fields keep Radicale's own defaults).
;;;

(define (strip-port address ipv6?)
  ;; "127.0.0.1:5232" -> "127.0.0.1"; "[::1]:5232" -> "::1".
  (if ipv6?
      (if (string-prefix? "[" address)
          (car (string-split (substring address 1) #\]))
          address)
      (car (string-split address #\:))))

(define (ip-address? address family ipv6?)
  (false-if-exception (and (inet-pton family (strip-port address ipv6?)) #t)))

(define (comma-separated-ip-list? lst)
  ;; As Guix: each an IPv4 or IPv6 address (a port allowed), or localhost[:PORT].
  (and (list? lst)
       (every (lambda (s)
                (and (string? s)
                     (or (string-prefix? "localhost" s)
                         (ip-address? s AF_INET #f)
                         (ip-address? s AF_INET6 #t))))
              lst)))

(define-maybe boolean (prefix radicale-))
(define-maybe comma-separated-ip-list (prefix radicale-))
(define-maybe file-name (prefix radicale-))
(define-maybe non-negative-integer (prefix radicale-))
(define-maybe string (prefix radicale-))
(define-maybe symbol (prefix radicale-))

(define (radicale-serialize-field field-name value)
  (format #f "~a = ~a\n" (uglify-field-name field-name) value))
(define (radicale-serialize-boolean field-name value)
  (radicale-serialize-field field-name (if value "True" "False")))
(define (radicale-serialize-comma-separated-ip-list field-name value)
  (radicale-serialize-field field-name (string-join value ", ")))
(define radicale-serialize-file-name radicale-serialize-field)
(define radicale-serialize-non-negative-integer radicale-serialize-field)
(define radicale-serialize-string radicale-serialize-field)
(define radicale-serialize-symbol radicale-serialize-field)

(define (delimited-symbols kind field symbols)
  ;; Guix's sanitizer: one of SYMBOLS, stored as Radicale writes it (remote_user).
  (lambda (value)
    (cond ((not (maybe-value-set? value)) value)
          ((memq value symbols) (string->symbol (uglify-field-name value)))
          (else (%raise-located (%construction-location)
                                (format #f "invalid value ~s for field '~a' of ~a (expected one of ~a)"
                                        value field kind
                                        (string-join (map symbol->string symbols) ", ")))))))

(define-configuration radicale-auth-configuration
  (type maybe-symbol "Authentication method."
        (sanitizer (delimited-symbols 'radicale-auth-configuration 'type
                                      '(none htpasswd remote-user http-x-remote-user))))
  (htpasswd-filename maybe-file-name "The htpasswd file.")
  (htpasswd-encryption maybe-symbol "How the htpasswd file's passwords are encrypted."
                       (sanitizer (delimited-symbols 'radicale-auth-configuration
                                                     'htpasswd-encryption '(plain bcrypt md5))))
  (delay maybe-non-negative-integer "Average delay after a failed login, in seconds.")
  (realm maybe-string "Message shown by clients asking for a password.")
  (prefix radicale-))

(define-configuration radicale-encoding-configuration
  (request maybe-symbol "Encoding of responses.")
  (stock maybe-symbol "Encoding of stored collections.")
  (prefix radicale-))

(define-configuration radicale-logging-configuration
  (level maybe-symbol "Log level."
         (sanitizer (delimited-symbols 'radicale-logging-configuration 'level
                                       '(debug info warning error critical))))
  (mask-passwords? maybe-boolean "Whether passwords are masked in logs.")
  (prefix radicale-))

(define-configuration radicale-rights-configuration
  (type maybe-symbol "Rights backend."
        (sanitizer (delimited-symbols 'radicale-rights-configuration 'type
                                      '(authenticate owner-only owner-write from-file))))
  (file maybe-file-name "Rights file of the from-file backend.")
  (prefix radicale-))

(define-configuration radicale-server-configuration
  (hosts maybe-comma-separated-ip-list "Addresses the server binds to.")
  (max-connections maybe-non-negative-integer "Parallel connections (0: no limit).")
  (max-content-length maybe-non-negative-integer "Largest request body, in bytes.")
  (timeout maybe-non-negative-integer "Socket timeout, in seconds.")
  (ssl? maybe-boolean "Whether to use TLS.")
  (certificate maybe-file-name "TLS certificate.")
  (key maybe-file-name "TLS private key.")
  (certificate-authority maybe-file-name "Certificate authority of client certificates.")
  (prefix radicale-))

(define-configuration radicale-storage-configuration
  (type maybe-symbol "Storage backend."
        (sanitizer (delimited-symbols 'radicale-storage-configuration 'type
                                      '(multifilesystem multifilesystem-nolock))))
  (filesystem-folder maybe-file-name "Directory of the collections.")
  (max-sync-token-age maybe-non-negative-integer "Age after which sync tokens are deleted, in seconds.")
  (hook maybe-string "Command run after changes to the storage.")
  (prefix radicale-))

(define auth-config? radicale-auth-configuration?)
(define encoding-config? radicale-encoding-configuration?)
(define headers-file? file-like?)
(define logging-config? radicale-logging-configuration?)
(define rights-config? radicale-rights-configuration?)
(define server-config? radicale-server-configuration?)
(define storage-config? radicale-storage-configuration?)

(define-maybe auth-config)
(define-maybe encoding-config)
(define-maybe headers-file)
(define-maybe logging-config)
(define-maybe rights-config)
(define-maybe server-config)
(define-maybe storage-config)

(define (radicale-section fields)
  ;; "[NAME]", the section's set fields, then an empty line.
  (lambda (name config)
    (string-append "[" (symbol->string name) "]\n" (serialize-configuration config fields) "\n")))

(define serialize-auth-config (radicale-section radicale-auth-configuration-fields))
(define serialize-encoding-config (radicale-section radicale-encoding-configuration-fields))
(define serialize-logging-config (radicale-section radicale-logging-configuration-fields))
(define serialize-rights-config (radicale-section radicale-rights-configuration-fields))
(define serialize-server-config (radicale-section radicale-server-configuration-fields))
(define serialize-storage-config (radicale-section radicale-storage-configuration-fields))

(define-configuration radicale-configuration
  (package (file-like radicale) "The package providing radicale.")
  (auth maybe-auth-config "The [auth] section.")
  (encoding maybe-encoding-config "The [encoding] section.")
  (headers-file maybe-headers-file "Custom HTTP headers (the [headers] section's text)."
                (serializer
                 (lambda (field-name value)
                   ;; The file's text, read when radicale.conf is made.
                   #~(begin
                       (use-modules (ice-9 rdelim))
                       (format #f "[headers]\n~a\n\n" (with-input-from-file #$value read-string))))))
  (logging maybe-logging-config "The [logging] section.")
  (rights maybe-rights-config "The [rights] section.")
  (server maybe-server-config "The [server] section.")
  (storage maybe-storage-config "The [storage] section.")
  (web-interface? maybe-boolean "Whether to use Radicale's own web interface."
                  (serializer
                   (lambda (field-name use?)
                     (if (maybe-value-set? use?)
                         (format #f "[web]\ntype = ~a\n\n" (if use? "internal" "none"))
                         "")))))

(define (radicale-configuration-file config)
  "radicale.conf of CONFIG."
  (let ((text (serialize-configuration config radicale-configuration-fields)))
    (if (string? text)
        (plain-file "radicale.conf" text)
        (computed-file "radicale.conf"
                       #~(call-with-output-file #$output
                           (lambda (port) (display #$text port)))))))

(define %radicale-accounts
  (list (user-group (name "radicale") (system? #t))
        (user-account
         (name "radicale") (group "radicale") (system? #t) (comment "Radicale Daemon")
         (home-directory "/var/empty") (shell %nologin-shell))))

(define (radicale-shepherd-service config)
  (let ((config-file (radicale-configuration-file config)))
    (list (shepherd-service
           (provision '(radicale))
           (documentation "Run the radicale daemon.")
           (requirement '(user-processes networking))
           (start #~(make-forkexec-constructor
                     (list #$(file-append (radicale-configuration-package config) "/bin/radicale")
                           "-C" #$config-file)
                     #:user "radicale"
                     #:group "radicale"))
           (stop #~(make-kill-destructor))
           (actions (list (shepherd-configuration-action config-file)))))))

(define (radicale-activation config)
  ;; As Guix: the collections directory (the storage's filesystem-folder, else
  ;; /var/lib/radicale/collections) and, with authentication, the directory of
  ;; the htpasswd file (else /etc/radicale), owned by radicale, mode 700.
  (let* ((storage (radicale-configuration-storage config))
         (folder (if (maybe-value-set? storage)
                     (radicale-storage-configuration-filesystem-folder storage)
                     storage))
         (collections (if (maybe-value-set? folder) folder "/var/lib/radicale/collections"))
         (auth (radicale-configuration-auth config))
         (auth? (and (maybe-value-set? auth)
                     (not (eq? (radicale-auth-configuration-type auth) 'none))))
         (password-file (if (maybe-value-set? auth)
                            (radicale-auth-configuration-htpasswd-filename auth)
                            auth))
         (password-dir (if (maybe-value-set? password-file)
                           (dirname password-file)
                           "/etc/radicale")))
    #~(begin
        (use-modules (gnu build activation))
        (let ((user (getpwnam "radicale")))
          (mkdir-p/perms #$collections user #o700)
          (when #$auth?
            (mkdir-p/perms (root-file-name #$password-dir) user #o700))))))

(define radicale-service-type
  (service-type
   (name 'radicale)
   (description "Run Radicale, a small CalDAV and CardDAV server.")
   (extensions
    (list (service-extension shepherd-root-service-type radicale-shepherd-service)
          (service-extension account-service-type (const %radicale-accounts))
          (service-extension activation-service-type radicale-activation)))
   (default-value (radicale-configuration))))

;;;
;;; Rspamd, the spam filtering system.
;;;

;;; BEGIN derived rspamd config
;;; by tools/derive_dovecot_fields.py from Guix 43770a9d8ac439cdf9dbf73a7d316d62ab177640; do not edit.
(define %default-rspamd-config-file
  (plain-file "rspamd.conf" "
.include \"$CONFDIR/common.conf\"

options {
    pidfile = \"$RUNDIR/rspamd.pid\";
    .include \"$CONFDIR/options.inc\"
    .include(try=true; priority=1,duplicate=merge) \"$LOCAL_CONFDIR/local.d/options.inc\"
    .include(try=true; priority=10) \"$LOCAL_CONFDIR/override.d/options.inc\"
}

logging {
    type = \"file\";
    filename = \"$LOGDIR/rspamd.log\";
    .include \"$CONFDIR/logging.inc\"
    .include(try=true; priority=1,duplicate=merge) \"$LOCAL_CONFDIR/local.d/logging.inc\"
    .include(try=true; priority=10) \"$LOCAL_CONFDIR/override.d/logging.inc\"
}

worker \"normal\" {
    bind_socket = \"localhost:11333\";
    .include \"$CONFDIR/worker-normal.inc\"
    .include(try=true; priority=1,duplicate=merge) \"$LOCAL_CONFDIR/local.d/worker-normal.inc\"
    .include(try=true; priority=10) \"$LOCAL_CONFDIR/override.d/worker-normal.inc\"
}

worker \"controller\" {
    bind_socket = \"localhost:11334\";
    .include \"$CONFDIR/worker-controller.inc\"
    .include(try=true; priority=1,duplicate=merge) \"$LOCAL_CONFDIR/local.d/worker-controller.inc\"
    .include(try=true; priority=10) \"$LOCAL_CONFDIR/override.d/worker-controller.inc\"
}

worker \"rspamd_proxy\" {
    bind_socket = \"localhost:11332\";
    .include \"$CONFDIR/worker-proxy.inc\"
    .include(try=true; priority=1,duplicate=merge) \"$LOCAL_CONFDIR/local.d/worker-proxy.inc\"
    .include(try=true; priority=10) \"$LOCAL_CONFDIR/override.d/worker-proxy.inc\"
}

# Local fuzzy storage is disabled by default

worker \"fuzzy\" {
    bind_socket = \"localhost:11335\";
    count = -1; # Disable by default
    .include \"$CONFDIR/worker-fuzzy.inc\"
    .include(try=true; priority=1,duplicate=merge) \"$LOCAL_CONFDIR/local.d/worker-fuzzy.inc\"
    .include(try=true; priority=10) \"$LOCAL_CONFDIR/override.d/worker-fuzzy.inc\"
}
"))
;;; END derived rspamd config

(define (directory-tree? value)
  ;; A list of (FILE-NAME FILE-LIKE).
  (and (list? value)
       (every (lambda (entry)
                (and (list? entry) (= (length entry) 2)
                     (string? (car entry)) (file-like? (cadr entry))))
              value)))

(define %default-rspamd-account
  (user-account
   (name "rspamd") (group "rspamd") (system? #t) (comment "Rspamd daemon")
   (home-directory "/var/empty") (shell %nologin-shell)))

(define %default-rspamd-group
  (user-group (name "rspamd") (system? #t)))

(define-configuration/no-serialization rspamd-configuration
  (package (file-like rspamd) "The package providing rspamd.")
  (config-file (file-like %default-rspamd-config-file) "The rspamd.conf to use.")
  (local.d-files (directory-tree '()) "Files of the local.d directory: (NAME FILE-LIKE) lists.")
  (override.d-files (directory-tree '()) "Files of the override.d directory.")
  (user (user-account %default-rspamd-account) "The account rspamd runs as.")
  (group (user-group %default-rspamd-group) "The group rspamd runs as.")
  (debug? (boolean #f) "Force debug output.")
  (insecure? (boolean #f) "Ignore running workers as privileged users.")
  (skip-template? (boolean #f) "Do not apply Jinja templates.")
  (shepherd-requirements (list-of-symbols '(user-processes loopback))
                         "The services rspamd's service requires."))

(define (rspamd-accounts config)
  (list (rspamd-configuration-group config) (rspamd-configuration-user config)))

(define (rspamd-shepherd-service config)
  (let* ((user (rspamd-configuration-user config))
         (group (rspamd-configuration-group config))
         (config-file (rspamd-configuration-config-file config))
         (local-confdir
          (file-union "rspamd-local-confdir"
                      (list (list "local.d" (file-union "local.d"
                                                        (rspamd-configuration-local.d-files config)))
                            (list "override.d" (file-union "override.d"
                                                           (rspamd-configuration-override.d-files
                                                            config)))))))
    (list
     (shepherd-service
      (provision '(rspamd))
      (documentation "Run the rspamd daemon.")
      (requirement (rspamd-configuration-shepherd-requirements config))
      ;; As Guix: the run, log and state directories made when the service starts.
      (start #~(begin
                 (use-modules (gnu build activation))
                 (let ((user (getpwnam #$(user-account-name user))))
                   (mkdir-p/perms "/var/run/rspamd" user #o755)
                   (mkdir-p/perms "/var/log/rspamd" user #o755)
                   (mkdir-p/perms "/var/lib/rspamd" user #o755))
                 (make-forkexec-constructor
                  (list #$(file-append (rspamd-configuration-package config) "/bin/rspamd")
                        "--config" #$config-file
                        "--var" (string-append "LOCAL_CONFDIR=" #$local-confdir)
                        "--no-fork"
                        #$@(if (rspamd-configuration-debug? config) '("--debug") '())
                        #$@(if (rspamd-configuration-insecure? config) '("--insecure") '())
                        #$@(if (rspamd-configuration-skip-template? config) '("--skip-template") '()))
                  #:user #$(user-account-name user)
                  #:group #$(user-group-name group))))
      (stop #~(make-kill-destructor))
      (actions
       (list (shepherd-configuration-action config-file)
             (shepherd-signal-action 'reload SIGHUP
                                     #:documentation "Reload rspamd."
                                     #:message "Service rspamd has been reloaded")
             (shepherd-signal-action 'reopen SIGUSR1
                                     #:documentation "Reopen log files."
                                     #:message "Reopening the logs for rspamd.")))))))

(define rspamd-service-type
  (service-type
   (name 'rspamd)
   (description "Run the rapid spam filtering system.")
   (extensions
    (list (service-extension shepherd-root-service-type rspamd-shepherd-service)
          (service-extension account-service-type rspamd-accounts)))
   (default-value (rspamd-configuration))))
