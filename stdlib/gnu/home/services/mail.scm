;;; schemy --- Mail home services (Guix manual, "Mail Home Services"): the
;;; msmtp SMTP client's ~/.config/msmtp/config, a defaults section and one
;;; section per account.

(define-module (gnu home services mail)
  #:use-module (gnu services)
  #:use-module (gnu services configuration)
  #:use-module (gnu home services)
  #:use-module (guix gexp)
  #:use-module ((gnu packages mail) #:select (msmtp))
  #:use-module (srfi srfi-1)
  #:export (home-msmtp-configuration
            home-msmtp-configuration?
            home-msmtp-configuration-defaults
            home-msmtp-configuration-accounts
            home-msmtp-configuration-default-account
            home-msmtp-configuration-extra-content
            home-msmtp-service-type
            msmtp-configuration
            msmtp-configuration-auth?
            msmtp-configuration-tls?
            msmtp-configuration-tls-starttls?
            msmtp-configuration-tls-trust-file
            msmtp-configuration-log-file
            msmtp-configuration-host
            msmtp-configuration-port
            msmtp-configuration-user
            msmtp-configuration-from
            msmtp-configuration-password-eval
            msmtp-configuration-extra-content
            msmtp-account
            msmtp-account-name
            msmtp-account-configuration))

(define (msmtp-key field)
  ;; tls-starttls? => "tls_starttls"
  (let ((name (string-map (lambda (c) (if (char=? c #\-) #\_ c)) (symbol->string field))))
    (if (string-suffix? "?" name) (string-drop-right name 1) name)))

(define (string-or-gexp? x) (or (string? x) (gexp? x)))

(define (msmtp-configuration-serialize-boolean field value)
  (string-append (msmtp-key field) " " (if value "on" "off") "\n"))
(define (msmtp-configuration-serialize-string field value)
  (string-append (msmtp-key field) " " value "\n"))
(define (msmtp-configuration-serialize-integer field value)
  (string-append (msmtp-key field) " " (number->string value) "\n"))
(define (msmtp-configuration-serialize-string-or-gexp field value)
  #~(string-append #$(msmtp-key field) " " #$value "\n"))
(define (msmtp-configuration-serialize-maybe-string-no-underscore field value)
  ;; log-file => "logfile", password-eval => "passwordeval".
  (if (maybe-value-set? value)
      #~(string-append #$(string-delete #\_ (msmtp-key field)) " " #$value "\n")
      ""))
(define (msmtp-configuration-serialize-extra-content field value)
  (if (string=? value "") "" (string-append value "\n")))

(define-maybe string (prefix msmtp-configuration-))
(define-maybe boolean (prefix msmtp-configuration-))
(define-maybe integer (prefix msmtp-configuration-))
(define-maybe string-or-gexp (prefix msmtp-configuration-))

(define-configuration msmtp-configuration
  (auth? maybe-boolean "Enable or disable authentication.")
  (tls? maybe-boolean "Enable or disable TLS.")
  (tls-starttls? maybe-boolean "Use STARTTLS (on) or TLS from the start (off).")
  (tls-trust-file maybe-string "The file of trusted certification authorities.")
  (log-file maybe-string "The log file (\"-\": standard output)."
            (serializer msmtp-configuration-serialize-maybe-string-no-underscore))
  (host maybe-string "The SMTP server.")
  (port maybe-integer "Its port.")
  (user maybe-string "The user name to authenticate with.")
  (from maybe-string "The envelope-from address.")
  (password-eval maybe-string-or-gexp "A command whose output is the password."
                 (serializer msmtp-configuration-serialize-maybe-string-no-underscore))
  (extra-content (string "") "Text added at the end of the section."
                 (serializer msmtp-configuration-serialize-extra-content))
  (prefix msmtp-configuration-))

(define (msmtp-account-serialize-name field value)
  (string-append "\naccount " value "\n"))
(define (msmtp-account-serialize-msmtp-configuration field value)
  (serialize-configuration value msmtp-configuration-fields))

(define-configuration msmtp-account
  (name (string) "The account's name." (serializer msmtp-account-serialize-name))
  (configuration (msmtp-configuration) "Its settings.")
  (prefix msmtp-account-))

(define (list-of-msmtp-accounts? x) (and (list? x) (every msmtp-account? x)))

(define (home-msmtp-configuration-serialize-msmtp-configuration field value)
  (list "defaults\n" (serialize-configuration value msmtp-configuration-fields)))
(define (home-msmtp-configuration-serialize-list-of-msmtp-accounts field value)
  (map (lambda (account) (serialize-configuration account msmtp-account-fields)) value))
(define (home-msmtp-configuration-serialize-default-account field value)
  (if (maybe-value-set? value) (string-append "\naccount default : " value "\n") ""))
(define (home-msmtp-configuration-serialize-extra-content field value)
  (if (string=? value "") "" (string-append value "\n")))
(define-maybe string (prefix home-msmtp-configuration-))

(define-configuration home-msmtp-configuration
  (defaults (msmtp-configuration (msmtp-configuration)) "Settings every account starts from.")
  (accounts (list-of-msmtp-accounts '()) "The accounts.")
  (default-account maybe-string "The account used unless another is named."
                   (serializer home-msmtp-configuration-serialize-default-account))
  (extra-content (string "") "Text added at the end of the file."
                 (serializer home-msmtp-configuration-serialize-extra-content))
  (prefix home-msmtp-configuration-))

(define home-msmtp-service-type
  (service-type
   (name 'home-msmtp)
   (extensions
    (list (service-extension home-profile-service-type (const (list msmtp)))
          (service-extension home-files-service-type
                             (lambda (config)
                               `((".config/msmtp/config"
                                  ,(mixed-text-file "msmtp-config"
                                                    (serialize-configuration
                                                     config home-msmtp-configuration-fields))))))))
   (default-value (home-msmtp-configuration))
   (description "Configure msmtp, an SMTP client that relays mail to SMTP servers.")))
