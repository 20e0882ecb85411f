;;; schemy --- Authentication services (Guix manual, "Authentication
;;; Services" and "LDAP Services"): fprintd, the fingerprint reader daemon
;;; (the host's), and nslcd, the LDAP name service daemon, with the
;;; /etc/nslcd.conf Guix writes and pam_ldap for the chosen PAM services.

(define-module (gnu services authentication)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (gnu services dbus)
  #:use-module (gnu services base)
  #:use-module (gnu services configuration)
  #:use-module (gnu system pam)
  #:use-module (gnu system shadow)
  #:use-module ((gnu packages freedesktop) #:select (fprintd))
  #:use-module ((gnu packages openldap) #:select (nss-pam-ldapd))
  #:use-module (ice-9 match)
  #:use-module (srfi srfi-1)
  #:use-module (srfi srfi-26)
  #:export (fprintd-configuration
            fprintd-configuration?
            fprintd-service-type

            nslcd-configuration
            nslcd-configuration?
            nslcd-service-type
            nslcd-conf-text))

(define-record-type* <fprintd-configuration> fprintd-configuration
  make-fprintd-configuration fprintd-configuration?
  (fprintd fprintd-configuration-fprintd (default fprintd)))

(define fprintd-service-type
  (service-type
   (name 'fprintd)
   (extensions
    (list (service-extension dbus-root-service-type
                             (lambda (config) (list (fprintd-configuration-fprintd config))))
          (service-extension polkit-service-type
                             (lambda (config) (list (fprintd-configuration-fprintd config))))))
   (default-value (fprintd-configuration))
   (description "Run fprintd, the fingerprint reader daemon, through D-Bus.")))
;;; nslcd (nss-pam-ldapd).  Each set field is a line "name value" (see
;;; nslcd.conf(5)): dashes become underscores, booleans on/off, lists one line
;;; per element; maps and filters are "map MAP ATTRIBUTE NEW-ATTRIBUTE" and
;;; "filter MAP EXPRESSION" lines.

(define (uglify-field-name name)
  (match name
    ('filters "filter")
    ('maps "map")
    (_ (string-map (lambda (c) (if (char=? c #\-) #\_ c)) (symbol->string name)))))

(define (value->string val)
  (cond ((boolean? val) (if val "on" "off"))
        ((number? val) (number->string val))
        ((symbol? val) (string-map (lambda (c) (if (char=? c #\-) #\_ c)) (symbol->string val)))
        (else val)))

(define (serialize-field field-name val)
  (if (eq? field-name 'pam-services)
      ""
      (format #f "~a ~a\n" (uglify-field-name field-name) (value->string val))))

(define serialize-string serialize-field)
(define serialize-boolean serialize-field)
(define serialize-number serialize-field)
(define (serialize-list field-name val)
  (string-concatenate (map (cut serialize-field field-name <>) val)))
(define-maybe string)
(define-maybe boolean)
(define-maybe number)

(define (ssl-option? val)
  (or (boolean? val) (eq? val 'start-tls)))
(define serialize-ssl-option serialize-field)
(define-maybe ssl-option)

(define (tls-reqcert-option? val)
  (and (memq val '(never allow try demand hard)) #t))
(define serialize-tls-reqcert-option serialize-field)
(define-maybe tls-reqcert-option)

(define (deref-option? val)
  (and (memq val '(never searching finding always)) #t))
(define serialize-deref-option serialize-field)
(define-maybe deref-option)

(define (ignore-users-option? val)
  (or (and (list? val) (every string? val))
      (eq? 'all-local val)))
(define (serialize-ignore-users-option field-name val)
  (serialize-field field-name (if (eq? 'all-local val) val (string-join val ","))))
(define-maybe ignore-users-option)

(define (log-option? val)
  (let ((valid-scheme? (lambda (scheme)
                         (or (string? scheme) (memq scheme '(none syslog))))))
    (match val
      ((scheme level)
       (and (valid-scheme? scheme)
            (memq level '(crit error warning notice info debug))
            #t))
      ((scheme) (and (valid-scheme? scheme) #t))
      (_ #f))))
(define (serialize-log-option field-name val)
  (serialize-field field-name (string-join (map (cut format #f "~a" <>) val))))

(define (valid-map? val)
  (and (memq val '(alias aliases ether ethers group host hosts netgroup network networks
                   passwd protocol protocols rpc service services shadow))
       #t))

(define (scope-option? val)
  (let ((valid-scopes '(subtree onelevel base children)))
    (match val
      ((map-name scope) (and (valid-map? map-name) (memq scope valid-scopes) #t))
      ((scope) (and (memq scope valid-scopes) #t))
      (_ #f))))
(define (serialize-scope-option field-name val)
  (serialize-field field-name (string-join (map (cut format #f "~a" <>) val))))

(define (map-entry? val)
  (match val
    (((? valid-map?) (? string?) (? string?)) #t)
    (_ #f)))
(define (list-of-map-entries? val)
  (and (list? val) (every map-entry? val)))
(define (serialize-list-of-map-entries field-name val)
  (string-concatenate
   (map (match-lambda
          ((map-name attribute new-attribute)
           (serialize-field 'map (string-append (symbol->string map-name) " " attribute
                                                " " new-attribute))))
        val)))

(define (filter-entry? val)
  (match val
    (((? valid-map?) (? string?)) #t)
    (_ #f)))
(define (list-of-filter-entries? val)
  (and (list? val) (every filter-entry? val)))
(define (serialize-list-of-filter-entries field-name val)
  (string-concatenate
   (map (match-lambda
          ((map-name expression)
           (serialize-field 'filter (string-append (symbol->string map-name) " " expression))))
        val)))

(define-configuration nslcd-configuration
  (nss-pam-ldapd (file-like nss-pam-ldapd) "The nss-pam-ldapd package.")
  ;; Runtime options.
  (threads maybe-number "Number of threads to start (nslcd's default: 5).")
  (uid (string "nslcd") "User the daemon runs as.")
  (gid (string "nslcd") "Group the daemon runs as.")
  (log (log-option '("/var/log/nslcd" info))
       "(SCHEME [LEVEL]): none, syslog or a file name, then crit...debug.")
  ;; LDAP connection.
  (uri (list '("ldap://localhost:389/")) "LDAP server URIs, the first tried first.")
  (ldap-version maybe-string "LDAP protocol version.")
  (binddn maybe-string "Distinguished name to bind with (default: anonymous).")
  (bindpw maybe-string "Credentials for binddn.")
  (rootpwmoddn maybe-string "Distinguished name used when root changes a password.")
  (rootpwmodpw maybe-string "Credentials for rootpwmoddn.")
  ;; SASL.
  (sasl-mech maybe-string "SASL mechanism.")
  (sasl-realm maybe-string "SASL realm.")
  (sasl-authcid maybe-string "SASL authentication identity.")
  (sasl-authzid maybe-string "SASL authorization identity.")
  (sasl-canonicalize? maybe-boolean "Canonicalize the LDAP server host name for SASL.")
  ;; Kerberos.
  (krb5-ccname maybe-string "GSS-API Kerberos credentials cache name.")
  ;; Search and mapping.
  (base (string "dc=example,dc=com") "The directory search base.")
  (scope (scope-option '(subtree)) "Search scope: subtree, onelevel, base or children.")
  (deref maybe-deref-option "When to dereference aliases.")
  (referrals maybe-boolean "Whether to chase referrals.")
  (maps (list-of-map-entries '()) "(MAP ATTRIBUTE NEW-ATTRIBUTE) attribute mappings.")
  (filters (list-of-filter-entries '()) "(MAP EXPRESSION) search filters.")
  ;; Timing and reconnection.
  (bind-timelimit maybe-number "Seconds to wait for a connection.")
  (timelimit maybe-number "Seconds to wait for a search.")
  (idle-timelimit maybe-number "Seconds before an idle connection is closed.")
  (reconnect-sleeptime maybe-number "Seconds before the first reconnection.")
  (reconnect-retrytime maybe-number "Seconds between reconnection attempts.")
  ;; TLS.
  (ssl maybe-ssl-option "Use SSL (#t), or 'start-tls.")
  (tls-reqcert maybe-tls-reqcert-option "Server certificate checks: never...hard.")
  (tls-cacertdir maybe-string "Directory of CA certificates.")
  (tls-cacertfile maybe-string "CA certificate file.")
  (tls-randfile maybe-string "Entropy source.")
  (tls-ciphers maybe-string "TLS ciphers.")
  (tls-cert maybe-string "Local certificate.")
  (tls-key maybe-string "Local certificate key.")
  ;; Other options.
  (pagesize maybe-number "Page size for paged searches.")
  (nss-initgroups-ignoreusers maybe-ignore-users-option
                              "Users skipped for group lookups, or 'all-local.")
  (nss-min-uid maybe-number "Lowest user id returned.")
  (nss-uid-offset maybe-number "Offset added to LDAP user ids.")
  (nss-gid-offset maybe-number "Offset added to LDAP group ids.")
  (nss-nested-groups maybe-boolean "Resolve nested groups.")
  (nss-getgrent-skipmembers maybe-boolean "Leave group members out of getgrent.")
  (nss-disable-enumeration maybe-boolean "Disable enumeration of users and groups.")
  (validnames maybe-string "Regular expression of valid user and group names.")
  (ignorecase maybe-boolean "Case-insensitive name lookups.")
  (pam-authc-ppolicy maybe-boolean "Request password policy information at login.")
  (pam-authc-search maybe-string "Search done after authentication.")
  (pam-authz-search maybe-string "Authorization search.")
  (pam-password-prohibit-message maybe-string "Message refusing password changes.")
  ;; For pam-root-service-type.
  (pam-services (list '()) "PAM services for which LDAP authentication suffices."))

(define (nslcd-conf-text config)
  "/etc/nslcd.conf as Guix writes it (it ends with an empty line)."
  (string-append (serialize-configuration config nslcd-configuration-fields) "\n"))

(define %nslcd-accounts
  (list (user-group (name "nslcd") (system? #t))
        (user-account (name "nslcd") (group "nslcd") (comment "NSLCD service account")
                      (home-directory "/var/empty") (shell "/sbin/nologin") (system? #t))))

(define (nslcd-shepherd-service config)
  (let ((package (nslcd-configuration-nss-pam-ldapd config)))
    (list (shepherd-service
           (documentation "Run the nslcd service for resolving names from LDAP.")
           (provision '(nslcd))
           (requirement '(networking user-processes))
           (start #~(make-forkexec-constructor
                     (list #$(file-append package "/sbin/nslcd") "--nofork")
                     #:pid-file "/var/run/nslcd/nslcd.pid"
                     #:environment-variables
                     (list (string-append "LD_LIBRARY_PATH=" #$package "/lib"))))
           (stop #~(make-kill-destructor))))))

(define (pam-ldap-pam-service config)
  "pam_ldap.so made sufficient for the configured PAM services."
  (let ((module (file-append (nslcd-configuration-nss-pam-ldapd config) "/lib/security/pam_ldap.so")))
    (pam-extension
     (transformer
      (lambda (pam)
        (if (member (pam-service-name pam) (nslcd-configuration-pam-services config))
            (let ((sufficient (pam-entry (control "sufficient") (module module))))
              (pam-service
               (inherit pam)
               (auth (cons sufficient (pam-service-auth pam)))
               (session (cons sufficient (pam-service-session pam)))
               (account (cons sufficient (pam-service-account pam)))))
            pam))))))

(define %nslcd-activation
  ;; The run directory, and the file readable by root only (it may hold bindpw).
  #~(begin
      (use-modules (guix build utils))
      (let ((user (getpwnam "nslcd")))
        (mkdir-p "/var/run/nslcd")
        (chown "/var/run/nslcd" (passwd:uid user) (passwd:gid user))
        (chmod "/var/run/nslcd" #o755)
        (when (file-exists? "/etc/nslcd.conf")
          (chmod "/etc/nslcd.conf" #o400)))))

(define nslcd-service-type
  (service-type
   (name 'nslcd)
   (extensions
    (list (service-extension account-service-type (const %nslcd-accounts))
          (service-extension etc-service-type
                             (lambda (config)
                               (list (list "nslcd.conf"
                                           (plain-file "nslcd.conf" (nslcd-conf-text config))))))
          (service-extension activation-service-type (const %nslcd-activation))
          (service-extension pam-root-service-type
                             (lambda (config) (list (pam-ldap-pam-service config))))
          (service-extension nscd-service-type
                             (lambda (config) (list (nslcd-configuration-nss-pam-ldapd config))))
          (service-extension shepherd-root-service-type nslcd-shepherd-service)))
   (default-value (nslcd-configuration))
   (description "Run nslcd, which looks up names and authenticates users in LDAP.")))
