;;; schemy --- Kerberos services (Guix manual, "Kerberos Services"): the
;;; /etc/krb5.conf Guix writes from `krb5-configuration' and its realms, and
;;; pam-krb5, which puts pam_krb5.so in front of every PAM service.  No
;;; daemon is started, as in Guix.
;;;
;;; The file is written field by field as Guix's serializer writes it: unset
;;; fields are left out, `name = value' lines for the libdefaults settings
;;; (booleans as true/false, integer lists joined by commas), and, as Guix
;;; does, `name value' (no equals sign) for the fields of type file-name.

(define-module (gnu services kerberos)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services configuration)
  #:use-module (gnu system pam)
  #:use-module ((gnu packages admin) #:select (pam-krb5))
  #:use-module (srfi srfi-1)
  #:use-module (ice-9 match)
  #:export (pam-krb5-configuration
            pam-krb5-configuration?
            pam-krb5-service-type

            krb5-realm
            krb5-realm?

            krb5-configuration
            krb5-configuration?
            krb5-service-type))

;;; Field types: each may be left unset (the marker below), then it is not written.

(define unset-field (list 'unset-field))

(define (predicate/unset pred)
  (lambda (x) (or (eq? x unset-field) (pred x))))

(define string/unset? (predicate/unset string?))
(define boolean/unset? (predicate/unset boolean?))
(define integer/unset? (predicate/unset integer?))

(define (non-negative-integer? val)
  (and (exact-integer? val) (not (negative? val))))
(define non-negative-integer/unset? (predicate/unset non-negative-integer?))

(define (space-separated-string-list? val)
  (and (list? val)
       (every (lambda (x) (and (string? x) (not (string-index x #\space)))) val)))
(define space-separated-string-list/unset? (predicate/unset space-separated-string-list?))

(define comma-separated-integer-list/unset?
  (predicate/unset (lambda (val) (and (list? val) (every integer? val)))))

(define file-name? (predicate/unset (lambda (val) (and (string? val) (string-prefix? "/" val)))))

;; A KDC end point: "host" or ("host" . port).
(define (end-point? val)
  (match val
    ((? string?) #t)
    (((? string?) . (? integer?)) #t)
    (_ #f)))

(define (free-form-fields? val)
  (and (list? val)
       (every (lambda (kv) (and (pair? kv) (symbol? (car kv)))) val)))

(define (realm-list? val)
  (and (list? val) (every krb5-realm? val)))

;;; Serializers (each returns the text of its field).

(define (uglify-field-name field-name)
  "FIELD-NAME with dashes as underscores and no trailing question mark."
  (let ((str (symbol->string field-name)))
    (string-join (string-split (if (string-suffix? "?" str)
                                   (substring str 0 (- (string-length str) 1))
                                   str)
                               #\-)
                 "_")))

(define (field-line* field-name val)
  (format #f "~a = ~a\n" (uglify-field-name field-name) val))

(define (field-line field-name val)
  (format #f "~a ~a\n" (uglify-field-name field-name) val))

(define (unless-unset val text)
  (if (eq? val unset-field) "" (text)))

(define (serialize-string/unset field-name val)
  (unless-unset val (lambda () (field-line* field-name val))))

(define (serialize-integer/unset field-name val)
  (unless-unset val (lambda () (field-line* field-name val))))

(define (serialize-non-negative-integer/unset field-name val)
  (unless-unset val (lambda () (field-line* field-name val))))

(define (serialize-boolean/unset field-name val)
  (unless-unset val (lambda () (field-line* field-name (if val "true" "false")))))

(define (serialize-end-point field-name val)
  (field-line* field-name
               (match val
                 ((host . port) (format #f "[~a]:~a" host port)) ;brackets for IPv6
                 (host (format #f "~a" host)))))

(define (serialize-space-separated-string-list/unset field-name val)
  (unless-unset val (lambda () (field-line* field-name (string-join val " ")))))

(define (serialize-comma-separated-integer-list/unset field-name val)
  (unless-unset val (lambda ()
                      (field-line* field-name (string-join (map number->string val) ",")))))

(define (serialize-file-name field-name val)
  (unless-unset val (lambda () (field-line field-name val))))

(define (serialize-free-form-fields field-name val)
  (string-concatenate (map (match-lambda ((k . v) (field-line* k v))) val)))

(define (serialize-realm-list field-name val)
  (string-append
   (format #f "\n[~a]\n" field-name)
   (string-concatenate
    (map (lambda (realm)
           (string-append
            (format #f "\n~a = {\n" (krb5-realm-name realm))
            (serialize-configuration
             realm
             (remove (lambda (field) (eq? 'name (configuration-field-name field)))
                     krb5-realm-fields))
            "}\n"))
         val))))

;;; Records (see krb5.conf(5) for each setting).

(define-configuration krb5-realm
  (name (string/unset unset-field) "The name of the realm.")
  (kdc (end-point unset-field) "Host (and port) of the realm's Key Distribution Center.")
  (admin-server (string/unset unset-field) "Host of the realm's administration server.")
  (master-kdc (string/unset unset-field) "KDC asked again when a password is refused.")
  (kpasswd-server (string/unset unset-field) "Host where passwords are changed.")
  (auth-to-local (free-form-fields '()) "Principal to local user mapping rules.")
  (auth-to-local-names (free-form-fields '()) "Explicit principal to user name mappings.")
  (http-anchors (free-form-fields '()) "Anchors for KDC access through an HTTP proxy.")
  (default-domain (string/unset unset-field) "Domain for Kerberos 4 principal translation.")
  (v4-instance-convert (free-form-fields '()) "Exceptions to the default-domain rule.")
  (v4-realm (string/unset unset-field) "The Kerberos 4 realm name, when different."))

(define-configuration krb5-configuration
  (allow-weak-crypto? (boolean/unset unset-field) "Permit weakly encrypted services.")
  (ap-req-checksum-type (non-negative-integer/unset unset-field) "AP-REQ checksum type.")
  (canonicalize? (boolean/unset unset-field) "Canonicalize initial ticket principals.")
  (ccache-type (non-negative-integer/unset unset-field) "Credential cache format.")
  (clockskew (non-negative-integer/unset unset-field) "Maximum clock skew, in seconds.")
  (default-ccache-name (file-name unset-field) "Default credential cache.")
  (default-client-keytab-name (file-name unset-field) "Default client keytab.")
  (default-keytab-name (file-name unset-field) "Default keytab.")
  (default-realm (string/unset unset-field) "Realm used when clients name none.")
  (default-tgs-enctypes (free-form-fields '()) "TGS-REQ session key encryption types.")
  (default-tkt-enctypes (free-form-fields '()) "AS-REQ session key encryption types.")
  (dns-canonicalize-hostname? (boolean/unset unset-field) "Canonicalize host names by DNS.")
  (dns-lookup-kdc? (boolean/unset unset-field) "Find KDCs through DNS SRV records.")
  (err-fmt (string/unset unset-field) "Error message format (%M message, %C code).")
  (forwardable? (boolean/unset unset-field) "Forwardable initial tickets.")
  (ignore-acceptor-hostname? (boolean/unset unset-field) "Ignore the acceptor host name.")
  (k5login-authoritative? (boolean/unset unset-field) "Require a k5login listing.")
  (k5login-directory (string/unset unset-field) "Directory of the users' k5login files.")
  (kcm-mach-service (string/unset unset-field) "KCM bootstrap service name.")
  (kcm-socket (file-name unset-field) "KCM daemon socket.")
  (kdc-default-options (non-negative-integer/unset unset-field) "Default KDC options.")
  (kdc-timesync (non-negative-integer/unset unset-field) "Compensate KDC clock skew.")
  (kdc-req-checksum-type (non-negative-integer/unset unset-field) "KDC request checksum type.")
  (noaddresses? (boolean/unset unset-field) "Initial tickets without address restrictions.")
  (permitted-enctypes (space-separated-string-list/unset unset-field) "Permitted encryption types.")
  (plugin-base-dir (file-name unset-field) "Directory of krb5 plugins.")
  (preferred-preauth-types (comma-separated-integer-list/unset unset-field)
                           "Pre-authentication types tried first.")
  (proxiable? (boolean/unset unset-field) "Proxiable initial tickets.")
  (rdns? (boolean/unset unset-field) "Use reverse DNS to canonicalize host names.")
  (realm-try-domains (integer/unset unset-field) "Domain components tried as realm.")
  (renew-lifetime (non-negative-integer/unset unset-field) "Default renewable lifetime.")
  (safe-checksum-type (non-negative-integer/unset unset-field) "KRB-SAFE checksum type.")
  (ticket-lifetime (non-negative-integer/unset unset-field) "Default ticket lifetime.")
  (udp-preference-limit (non-negative-integer/unset unset-field) "Size above which TCP is tried first.")
  (verify-ap-rereq-nofail? (boolean/unset unset-field) "Fail verification without a keytab.")
  (realms (realm-list '()) "The realms clients may access."))

(define (krb5-configuration-file config)
  "/etc/krb5.conf for CONFIG: the libdefaults section, then the realms."
  (plain-file "krb5.conf"
              (string-append "[libdefaults]\n\n"
                             (serialize-configuration config krb5-configuration-fields))))

(define krb5-service-type
  (service-type
   (name 'krb5)
   (extensions
    (list (service-extension etc-service-type
                             (lambda (config)
                               (list (list "krb5.conf" (krb5-configuration-file config)))))))
   (description "Write /etc/krb5.conf for Kerberos client programs; no daemon is started.")))

;;; pam-krb5.

(define-record-type* <pam-krb5-configuration> pam-krb5-configuration
  make-pam-krb5-configuration pam-krb5-configuration?
  (pam-krb5    pam-krb5-configuration-pam-krb5 (default pam-krb5))
  (minimum-uid pam-krb5-configuration-minimum-uid (default 1000)))

(define (pam-krb5-pam-service config)
  "A PAM extension making pam_krb5.so sufficient for auth, session and account."
  (pam-extension
   (transformer
    (lambda (pam)
      (let ((entry (pam-entry
                    (control "sufficient")
                    (module (file-append (pam-krb5-configuration-pam-krb5 config)
                                         "/lib/security/pam_krb5.so"))
                    (arguments (list (format #f "minimum_uid=~a"
                                             (pam-krb5-configuration-minimum-uid config)))))))
        (pam-service
         (inherit pam)
         (auth (cons entry (pam-service-auth pam)))
         (session (cons entry (pam-service-session pam)))
         (account (cons entry (pam-service-account pam)))))))))

(define pam-krb5-service-type
  (service-type
   (name 'pam-krb5)
   (extensions
    (list (service-extension pam-root-service-type
                             (lambda (config) (list (pam-krb5-pam-service config))))))
   (description "Authenticate PAM-enabled programs' users through Kerberos (pam_krb5).")))
