;;; schemy --- DNS services (Guix manual, "DNS Services"): dnsmasq, with
;;; the command line Guix gives it; Unbound (unbound.conf as Guix writes it)
;;; and the Knot Resolver.

(define-module (gnu services dns)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module ((gnu packages dns) #:select (dnsmasq unbound knot-resolver knot))
  #:use-module (srfi srfi-1)
  #:use-module ((gnu services dbus) #:select (dbus-root-service-type))
  #:use-module ((gnu packages admin) #:select (shadow))
  #:use-module (gnu system shadow)
  #:use-module (gnu services configuration)
  #:export (knot-service-type
            knot-acl-configuration
            knot-key-configuration
            knot-keystore-configuration
            knot-policy-configuration
            knot-remote-configuration
            knot-zone-configuration
            knot-configuration
            define-zone-entries
            zone-file
            zone-entry

            unbound-service-type
            unbound-configuration
            unbound-configuration?
            unbound-configuration-server
            unbound-configuration-remote-control
            unbound-configuration-forward-zone
            unbound-configuration-extra-content
            unbound-zone
            unbound-zone?
            unbound-zone-name
            unbound-zone-forward-addr
            unbound-zone-forward-tls-upstream
            unbound-zone-extra-options
            unbound-server
            unbound-server?
            unbound-server-interface
            unbound-server-hide-version
            unbound-server-hide-identity
            unbound-server-tls-cert-bundle
            unbound-server-extra-options
            unbound-remote
            unbound-remote?
            unbound-remote-control-enable
            unbound-remote-control-interface
            unbound-remote-extra-options

            knot-resolver-service-type
            knot-resolver-configuration
            knot-resolver-configuration?
            knot-resolver-configuration-package
            knot-resolver-kresd-config-file
            knot-resolver-garbage-collection-interval

            dnsmasq-configuration
            dnsmasq-configuration?
            dnsmasq-service-type
            dnsmasq-arguments
            dnsmasq-configuration-conf-dir
            dnsmasq-configuration-conf-file
            dnsmasq-configuration-tftp-no-fail?
            dnsmasq-configuration-tftp-single-port?
            dnsmasq-tftp-lowercase?
            dnsmasq-tftp-max
            dnsmasq-tftp-mtu
            dnsmasq-tftp-no-blocksize?
            dnsmasq-tftp-port-range
            dnsmasq-tftp-root
            dnsmasq-tftp-secure?
            dnsmasq-tftp-unique-root))

(define-record-type* <dnsmasq-configuration> dnsmasq-configuration
  make-dnsmasq-configuration dnsmasq-configuration?
  (package dnsmasq-configuration-package (default dnsmasq))
  ;; Guix's deprecated name of shepherd-provision: used instead when given, with a warning.
  (provision dnsmasq-configuration-provision (default #f)
             (sanitize (lambda (value)
                         (when (pair? value)
                           (let ((loc (%construction-location)))
                             (format (current-error-port)
                                     "~a: warning: 'provision' is deprecated, use 'shepherd-provision' instead~%"
                                     (if loc (%location->string loc) "guix"))))
                         value)))
  (shepherd-provision dnsmasq-configuration-shepherd-provision (default '(dnsmasq)))
  (shepherd-requirement dnsmasq-configuration-shepherd-requirement (default '(user-processes networking)))
  (pid-file dnsmasq-configuration-pid-file (default "/run/dnsmasq.pid"))
  (no-hosts? dnsmasq-configuration-no-hosts? (default #f))
  (port dnsmasq-configuration-port (default 53))
  (local-service? dnsmasq-configuration-local-service? (default #t))
  (listen-addresses dnsmasq-configuration-listen-address (default '()))
  (resolv-file dnsmasq-configuration-resolv-file (default "/etc/resolv.conf"))
  (no-resolv? dnsmasq-configuration-no-resolv? (default #f))
  (forward-private-reverse-lookup? dnsmasq-configuration-forward-private-reverse-lookup? (default #t))
  (query-servers-in-order? dnsmasq-configuration-query-servers-in-order? (default #f))
  (servers dnsmasq-configuration-servers (default '()))
  (servers-file dnsmasq-configuration-servers-file (default #f))
  (addresses dnsmasq-configuration-addresses (default '()))
  (cache-size dnsmasq-configuration-cache-size (default 150))
  (negative-cache? dnsmasq-configuration-negative-cache? (default #t))
  (cpe-id dnsmasq-configuration-cpe-id (default #f))
  (tftp-enable? dnsmasq-configuration-tftp-enable? (default #f))
  (tftp-no-fail? dnsmasq-configuration-tftp-no-fail? (default #f))
  (tftp-single-port? dnsmasq-configuration-tftp-single-port? (default #f))
  (tftp-secure? dnsmasq-tftp-secure? (default #f))
  (tftp-max dnsmasq-tftp-max (default #f))
  (tftp-mtu dnsmasq-tftp-mtu (default #f))
  (tftp-no-blocksize? dnsmasq-tftp-no-blocksize? (default #f))
  (tftp-lowercase? dnsmasq-tftp-lowercase? (default #f))
  (tftp-port-range dnsmasq-tftp-port-range (default #f))
  (tftp-root dnsmasq-configuration-tftp-root (default "/var/empty,lo"))
  ;; #f, "" (the client's address or MAC), "ip" or "mac".
  (tftp-unique-root dnsmasq-tftp-unique-root (default #f))
  ;; Files (strings or file-like objects) of more options.
  (conf-file dnsmasq-configuration-conf-file (default '()))
  (conf-dir dnsmasq-configuration-conf-dir (default #f))
  (extra-options dnsmasq-configuration-extra-options (default '())))

(define (dnsmasq-arguments config)
  "The command line of dnsmasq for CONFIG."
  (append
   (list "--keep-in-foreground"
         (string-append "--pid-file=" (dnsmasq-configuration-pid-file config)))
   (if (dnsmasq-configuration-no-hosts? config) '("--no-hosts") '())
   (list (string-append "--port=" (number->string (dnsmasq-configuration-port config))))
   (if (dnsmasq-configuration-local-service? config) '("--local-service") '())
   (map (lambda (a) (string-append "--listen-address=" a))
        (dnsmasq-configuration-listen-address config))
   (list (string-append "--resolv-file=" (dnsmasq-configuration-resolv-file config)))
   (if (dnsmasq-configuration-no-resolv? config) '("--no-resolv") '())
   (if (dnsmasq-configuration-forward-private-reverse-lookup? config) '() '("--bogus-priv"))
   (if (dnsmasq-configuration-query-servers-in-order? config) '("--strict-order") '())
   (let ((servers-file (dnsmasq-configuration-servers-file config)))
     (if servers-file (list #~(string-append "--servers-file=" #$servers-file)) '()))
   (map (lambda (s) (string-append "--server=" s)) (dnsmasq-configuration-servers config))
   (map (lambda (a) (string-append "--address=" a)) (dnsmasq-configuration-addresses config))
   (list (string-append "--cache-size=" (number->string (dnsmasq-configuration-cache-size config))))
   (if (dnsmasq-configuration-negative-cache? config) '() '("--no-negcache"))
   (let ((cpe-id (dnsmasq-configuration-cpe-id config)))
     (if cpe-id (list (string-append "--add-cpe-id=" cpe-id)) '()))
   (if (dnsmasq-configuration-tftp-enable? config) '("--enable-tftp") '())
   (if (dnsmasq-configuration-tftp-no-fail? config) '("--tftp-no-fail") '())
   (if (dnsmasq-configuration-tftp-single-port? config) '("--tftp-single-port") '())
   (if (dnsmasq-tftp-secure? config) '("--tftp-secure") '())
   (let ((max (dnsmasq-tftp-max config)))
     (if max (list (format #f "--tftp-max=~a" max)) '()))
   (let ((mtu (dnsmasq-tftp-mtu config)))
     (if mtu (list (format #f "--tftp-mtu=~a" mtu)) '()))
   (if (dnsmasq-tftp-no-blocksize? config) '("--tftp-no-blocksize") '())
   (if (dnsmasq-tftp-lowercase? config) '("--tftp-lowercase") '())
   (let ((range (dnsmasq-tftp-port-range config)))
     (if range (list (string-append "--tftp-port-range=" range)) '()))
   (let ((root (dnsmasq-configuration-tftp-root config)))
     (if root (list (string-append "--tftp-root=" root)) '()))
   (let ((unique (dnsmasq-tftp-unique-root config)))
     (cond ((not unique) '())
           ((string-null? unique) '("--tftp-unique-root"))
           (else (list (string-append "--tftp-unique-root=" unique)))))
   ;; Files may be file-like objects: those options are gexps.
   (map (lambda (file) #~(string-append "--conf-file=" #$file))
        (dnsmasq-configuration-conf-file config))
   (let ((conf-dir (dnsmasq-configuration-conf-dir config)))
     (if conf-dir (list #~(string-append "--conf-dir=" #$conf-dir)) '()))
   (dnsmasq-configuration-extra-options config)))

(define (dnsmasq-signal-action name signal documentation)
  (shepherd-action
   (name name)
   (documentation documentation)
   (procedure #~(lambda (running . _) (kill running #$signal) #t))))

(define dnsmasq-service-type
  (service-type
   (name 'dnsmasq)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (list (shepherd-service
                                      (provision (or (dnsmasq-configuration-provision config)
                                                     (dnsmasq-configuration-shepherd-provision config)))
                                      (requirement (dnsmasq-configuration-shepherd-requirement config))
                                      (documentation "Run the dnsmasq DNS server.")
                                      (actions
                                       (list (dnsmasq-signal-action
                                              'reload 1 "Clear the cache and reload the hosts files (SIGHUP).")
                                             (dnsmasq-signal-action
                                              'stats 10 "Write statistics to the system log (SIGUSR1).")))
                                      (start #~(make-forkexec-constructor
                                                (list #$(file-append (dnsmasq-configuration-package config)
                                                                     "/sbin/dnsmasq")
                                                      #$@(dnsmasq-arguments config))
                                                #:pid-file #$(dnsmasq-configuration-pid-file config)))
                                      (stop #~(make-kill-destructor))))))
          (service-extension dbus-root-service-type
                             (lambda (config) (list (dnsmasq-configuration-package config))))
          (service-extension activation-service-type
                             (const #~(mkdir-p "/var/lib/misc")))))
   (default-value (dnsmasq-configuration))
   (description "Run dnsmasq, a lightweight DNS forwarder and DHCP server.")))

;;; Unbound: unbound.conf has a "server:", a "remote-control:" and
;;; "forward-zone:" sections, each value written as a Scheme string.

(define (unbound-serialize-field field-name value)
  (let ((field (if (string? field-name) field-name (symbol->string field-name)))
        (text (cond ((boolean? value) (if value "yes" "no"))
                    ((string? value) value)
                    (else (object->string value)))))
    (if (string=? field "extra-content")
        (string-append text "\n")
        (format #f "\t~a: ~s~%" field text))))

(define (unbound-serialize-alist field-name value)
  (string-concatenate (map (lambda (entry) (unbound-serialize-field (car entry) (cdr entry))) value)))

(define (unbound-serialize-section section-name value fields)
  (string-append (symbol->string section-name) ":\n" (serialize-configuration value fields)))

(define unbound-serialize-string unbound-serialize-field)
(define unbound-serialize-boolean unbound-serialize-field)

(define (unbound-serialize-list-of-strings field-name value)
  (string-concatenate (map (lambda (v) (unbound-serialize-string field-name v)) value)))

(define-maybe string (prefix unbound-))
(define-maybe list-of-strings (prefix unbound-))
(define-maybe boolean (prefix unbound-))

(define-configuration unbound-zone
  (name string "The zone's name.")
  (forward-addr maybe-list-of-strings "The addresses of the servers to forward to.")
  (forward-tls-upstream maybe-boolean "Whether queries to the forwarders go over TLS.")
  (extra-options (alist '()) "More options, as an association list.")
  (prefix unbound-))

(define (unbound-serialize-unbound-zone field-name value)
  (unbound-serialize-section field-name value unbound-zone-fields))

(define list-of-unbound-zone? (list-of unbound-zone?))

(define (unbound-serialize-list-of-unbound-zone field-name value)
  (string-concatenate (map (lambda (zone) (unbound-serialize-unbound-zone field-name zone)) value)))

(define-configuration unbound-remote
  (control-enable maybe-boolean "Whether to enable remote control.")
  (control-interface maybe-string "The address or socket remote control listens on.")
  (extra-options (alist '()) "More options, as an association list.")
  (prefix unbound-))

(define (unbound-serialize-unbound-remote field-name value)
  (unbound-serialize-section field-name value unbound-remote-fields))

(define-configuration unbound-server
  (interface maybe-list-of-strings "The interfaces queries are received on.")
  (hide-version maybe-boolean "Whether to refuse version.server and version.bind queries.")
  (hide-identity maybe-boolean "Whether to refuse id.server and hostname.bind queries.")
  (tls-cert-bundle maybe-string "The certificate bundle for DNS over TLS.")
  (extra-options (alist '()) "More options, as an association list.")
  (prefix unbound-))

(define (unbound-serialize-unbound-server field-name value)
  (unbound-serialize-section field-name value unbound-server-fields))

(define-configuration unbound-configuration
  (server (unbound-server
           (unbound-server
            (interface '("127.0.0.1" "::1"))
            (hide-version #t)
            (hide-identity #t)
            (tls-cert-bundle "/etc/ssl/certs/ca-certificates.crt")))
          "The server's general options.")
  (remote-control (unbound-remote
                   (unbound-remote
                    (control-enable #t)
                    (control-interface "/run/unbound.sock")))
                  "Remote control options.")
  (forward-zone (list-of-unbound-zone '()) "Zones whose queries go to other resolvers.")
  (extra-content maybe-string "Text added to the file.")
  (prefix unbound-))

(define (unbound-config-file config)
  (plain-file "unbound.conf" (serialize-configuration config unbound-configuration-fields)))

(define (unbound-shepherd-service config)
  (let ((config-file (unbound-config-file config)))
    (list (shepherd-service
           (provision '(unbound))
           ;; It may listen on a given address: after the network is up.
           (requirement '(user-processes networking))
           (documentation "Run the Unbound DNS resolver.")
           (actions (list (shepherd-configuration-action config-file)))
           (start #~(make-forkexec-constructor
                     (list #$(file-append unbound "/sbin/unbound") "-d" "-p" "-c" #$config-file)))
           (stop #~(make-kill-destructor))))))

(define %unbound-accounts
  (list (user-group (name "unbound") (system? #t))
        (user-account
         (name "unbound")
         (group "unbound")
         (system? #t)
         (comment "Unbound daemon user")
         (home-directory "/var/empty")
         (shell (file-append shadow "/sbin/nologin")))))

(define unbound-service-type
  (service-type
   (name 'unbound)
   (extensions
    (list (service-extension account-service-type (const %unbound-accounts))
          (service-extension shepherd-root-service-type unbound-shepherd-service)))
   (compose concatenate)
   (default-value (unbound-configuration))
   (description "Run Unbound, the validating, recursive and caching DNS resolver.")))

;;; The Knot Resolver: kresd, and its cache's garbage collector.

(define %kresd.conf
  (plain-file "kresd.conf" "-- -*- mode: lua -*-
trust_anchors.add_file('/var/cache/knot-resolver/root.keys')
net = { '127.0.0.1', '::1' }
user('knot-resolver', 'knot-resolver')
modules = { 'hints > iterate', 'stats', 'predict' }
cache.size = 100 * MB
"))

(define-record-type* <knot-resolver-configuration> knot-resolver-configuration
  make-knot-resolver-configuration knot-resolver-configuration?
  (package knot-resolver-configuration-package (default knot-resolver))
  (kresd-config-file knot-resolver-kresd-config-file (default %kresd.conf))
  ;; Milliseconds between two runs of the cache's garbage collector.
  (garbage-collection-interval knot-resolver-garbage-collection-interval (default 1000)))

(define %knot-resolver-accounts
  (list (user-group (name "knot-resolver") (system? #t))
        (user-account
         (name "knot-resolver")
         (group "knot-resolver")
         (system? #t)
         (home-directory "/var/cache/knot-resolver")
         (shell (file-append shadow "/sbin/nologin")))))

(define (knot-resolver-activation config)
  #~(let ((owner (getpwnam "knot-resolver")))
      (mkdir-p "/var/cache/knot-resolver")
      (chown "/var/cache/knot-resolver" (passwd:uid owner) (passwd:gid owner))))

(define (knot-resolver-shepherd-services config)
  (let ((package (knot-resolver-configuration-package config)))
    (list (shepherd-service
           (provision '(kresd))
           (requirement '(user-processes networking))
           (documentation "Run the Knot Resolver daemon.")
           (start #~(make-forkexec-constructor
                     (list #$(file-append package "/sbin/kresd")
                           "-c" #$(knot-resolver-kresd-config-file config) "-n"
                           "/var/cache/knot-resolver")))
           (stop #~(make-kill-destructor)))
          (shepherd-service
           (provision '(kres-cache-gc))
           (requirement '(user-processes))
           (documentation "Run the Knot Resolver's cache garbage collector.")
           (start #~(make-forkexec-constructor
                     (list #$(file-append package "/sbin/kres-cache-gc")
                           "-d" #$(number->string (knot-resolver-garbage-collection-interval config))
                           "-c" "/var/cache/knot-resolver")
                     #:user "knot-resolver" #:group "knot-resolver"))
           (stop #~(make-kill-destructor))))))

(define knot-resolver-service-type
  (service-type
   (name 'knot-resolver)
   (extensions
    (list (service-extension shepherd-root-service-type knot-resolver-shepherd-services)
          (service-extension activation-service-type knot-resolver-activation)
          (service-extension account-service-type (const %knot-resolver-accounts))))
   (default-value (knot-resolver-configuration))
   (description "Run the Knot DNS Resolver.")))

;;; Knot DNS, an authoritative name server: knot.conf (YAML) from records,
;;; and the zone files of the zones this server is the master of.

(define-record-type* <knot-key-configuration> knot-key-configuration
  make-knot-key-configuration knot-key-configuration?
  (id        knot-key-configuration-id (default ""))
  ;; #f or hmac-md5, hmac-sha1, hmac-sha224, hmac-sha256, hmac-sha384, hmac-sha512.
  (algorithm knot-key-configuration-algorithm (default #f))
  (secret    knot-key-configuration-secret (default "")))

(define-record-type* <knot-acl-configuration> knot-acl-configuration
  make-knot-acl-configuration knot-acl-configuration?
  (id      knot-acl-configuration-id (default ""))
  (address knot-acl-configuration-address (default '()))
  (key     knot-acl-configuration-key (default '()))
  (action  knot-acl-configuration-action (default '()))
  (deny?   knot-acl-configuration-deny? (default #f)))

(define-record-type* <zone-entry> zone-entry make-zone-entry
  zone-entry?
  (name  zone-entry-name (default "@"))
  (ttl   zone-entry-ttl (default ""))
  (class zone-entry-class (default "IN"))
  (type  zone-entry-type (default "A"))
  (data  zone-entry-data (default "")))

(define-record-type* <zone-file> zone-file make-zone-file
  zone-file?
  (entries zone-file-entries (default '()))
  (origin  zone-file-origin (default ""))
  (ns      zone-file-ns (default "ns"))
  (mail    zone-file-mail (default "hostmaster"))
  (serial  zone-file-serial (default 1))
  (refresh zone-file-refresh (default (* 12 3600)))
  (retry   zone-file-retry (default (* 15 60)))
  (expiry  zone-file-expiry (default (* 2 7 24 3600)))
  (nx      zone-file-nx (default 3600)))

(define-record-type* <knot-keystore-configuration> knot-keystore-configuration
  make-knot-keystore-configuration knot-keystore-configuration?
  (id      knot-keystore-configuration-id (default ""))
  ;; pem or pkcs11.
  (backend knot-keystore-configuration-backend (default 'pem))
  (config  knot-keystore-configuration-config (default "/var/lib/knot/keys/keys")))

(define-record-type* <knot-policy-configuration> knot-policy-configuration
  make-knot-policy-configuration knot-policy-configuration?
  (id                   knot-policy-configuration-id (default ""))
  (keystore             knot-policy-configuration-keystore (default "default"))
  (manual?              knot-policy-configuration-manual? (default #f))
  (single-type-signing? knot-policy-configuration-single-type-signing? (default #f))
  (algorithm            knot-policy-configuration-algorithm (default "ecdsap256sha256"))
  (ksk-size             knot-policy-configuration-ksk-size (default 256))
  (zsk-size             knot-policy-configuration-zsk-size (default 256))
  ;; 'default: the zone's SOA TTL.
  (dnskey-ttl           knot-policy-configuration-dnskey-ttl (default 'default))
  (zsk-lifetime         knot-policy-configuration-zsk-lifetime (default (* 30 24 3600)))
  (propagation-delay    knot-policy-configuration-propagation-delay (default (* 24 3600)))
  (rrsig-lifetime       knot-policy-configuration-rrsig-lifetime (default (* 14 24 3600)))
  (rrsig-refresh        knot-policy-configuration-rrsig-refresh (default (* 7 24 3600)))
  (nsec3?               knot-policy-configuration-nsec3? (default #f))
  (nsec3-iterations     knot-policy-configuration-nsec3-iterations (default 5))
  (nsec3-salt-length    knot-policy-configuration-nsec3-salt-length (default 8))
  (nsec3-salt-lifetime  knot-policy-configuration-nsec3-salt-lifetime (default (* 30 24 3600))))

(define-record-type* <knot-zone-configuration> knot-zone-configuration
  make-knot-zone-configuration knot-zone-configuration?
  (domain            knot-zone-configuration-domain (default ""))
  ;; Where the zone is saved; "" for a zone file made from zone.
  (file              knot-zone-configuration-file (default ""))
  (zone              knot-zone-configuration-zone (default (zone-file)))
  (master            knot-zone-configuration-master (default '()))
  (ddns-master       knot-zone-configuration-ddns-master (default #f))
  (notify            knot-zone-configuration-notify (default '()))
  (acl               knot-zone-configuration-acl (default '()))
  (semantic-checks?  knot-zone-configuration-semantic-checks? (default #f))
  (zonefile-sync     knot-zone-configuration-zonefile-sync (default 0))
  (zonefile-load     knot-zone-configuration-zonefile-load (default #f))
  (journal-content   knot-zone-configuration-journal-content (default #f))
  (max-journal-usage knot-zone-configuration-max-journal-usage (default #f))
  (max-journal-depth knot-zone-configuration-max-journal-depth (default #f))
  (max-zone-size     knot-zone-configuration-max-zone-size (default #f))
  (dnssec-policy     knot-zone-configuration-dnssec-policy (default #f))
  (serial-policy     knot-zone-configuration-serial-policy (default 'increment)))

(define-record-type* <knot-remote-configuration> knot-remote-configuration
  make-knot-remote-configuration knot-remote-configuration?
  (id      knot-remote-configuration-id (default ""))
  (address knot-remote-configuration-address (default '()))
  (via     knot-remote-configuration-via (default '()))
  (key     knot-remote-configuration-key (default #f)))

(define-record-type* <knot-configuration> knot-configuration
  make-knot-configuration knot-configuration?
  (knot          knot-configuration-knot (default knot))
  (run-directory knot-configuration-run-directory (default "/var/run/knot"))
  (includes      knot-configuration-includes (default '()))
  (listen-v4     knot-configuration-listen-v4 (default "0.0.0.0"))
  (listen-v6     knot-configuration-listen-v6 (default "::"))
  (listen-port   knot-configuration-listen-port (default 53))
  (keys          knot-configuration-keys (default '()))
  (keystores     knot-configuration-keystores (default '()))
  (acls          knot-configuration-acls (default '()))
  (remotes       knot-configuration-remotes (default '()))
  (policies      knot-configuration-policies (default '()))
  (zones         knot-configuration-zones (default '())))

(define-syntax define-zone-entries
  ;; (define-zone-entries ID (NAME TTL CLASS TYPE DATA) ...): a list of zone entries.
  (syntax-rules ()
    ((_ id (name ttl class type data) ...)
     (define id (list (make-zone-entry name ttl class type data) ...)))))

(define (knot-error message)
  (error message))

(define (non-empty-id? id) (and (string? id) (not (string=? id ""))))

(define (verify-knot-configuration config)
  (define (each what pred items message)
    (unless (list? items) (knot-error (string-append what " must be a list.")))
    (for-each (lambda (item) (unless (pred item) (knot-error message))) items))
  (unless (file-like? (knot-configuration-knot config))
    (knot-error "knot configuration field must be a file-like object."))
  (unless (string? (knot-configuration-run-directory config))
    (knot-error "run-directory must be a string."))
  (unless (list? (knot-configuration-includes config))
    (knot-error "includes must be a list of strings or file-like objects."))
  (each "keys" knot-key-configuration? (knot-configuration-keys config)
        "keys must be a list of only knot-key-configuration.")
  (for-each (lambda (key)
              (unless (non-empty-id? (knot-key-configuration-id key))
                (knot-error "key id must be a non empty string."))
              (unless (memq (knot-key-configuration-algorithm key)
                            '(#f hmac-md5 hmac-sha1 hmac-sha224 hmac-sha256 hmac-sha384 hmac-sha512))
                (knot-error "algorithm must be one of: #f, 'hmac-md5, 'hmac-sha1,
'hmac-sha224, 'hmac-sha256, 'hmac-sha384 or 'hmac-sha512")))
            (knot-configuration-keys config))
  (each "keystores" knot-keystore-configuration? (knot-configuration-keystores config)
        "keystores must be a list of only knot-keystore-configuration.")
  (for-each (lambda (keystore)
              (unless (non-empty-id? (knot-keystore-configuration-id keystore))
                (knot-error "keystore id must be a non empty string."))
              (unless (memq (knot-keystore-configuration-backend keystore) '(pem pkcs11))
                (knot-error "backend must be one of: 'pem or 'pkcs11")))
            (knot-configuration-keystores config))
  (each "acls" knot-acl-configuration? (knot-configuration-acls config)
        "acls must be a list of only knot-acl-configuration.")
  (for-each (lambda (acl)
              (unless (non-empty-id? (knot-acl-configuration-id acl))
                (knot-error "acl id must be a non empty string."))
              (let ((address (knot-acl-configuration-address acl)))
                (unless (and (list? address) (every string? address))
                  (knot-error "acl address must be a list of strings.")))
              (unless (boolean? (knot-acl-configuration-deny? acl))
                (knot-error "deny? must be #t or #f.")))
            (knot-configuration-acls config))
  (each "zones" knot-zone-configuration? (knot-configuration-zones config)
        "zones must be a list of only knot-zone-configuration.")
  (for-each (lambda (zone)
              (unless (non-empty-id? (knot-zone-configuration-domain zone))
                (knot-error "zone domain must be a non empty string.")))
            (knot-configuration-zones config))
  (each "policies" knot-policy-configuration? (knot-configuration-policies config)
        "policies must be a list of only knot-policy-configuration.")
  (for-each (lambda (policy)
              (unless (non-empty-id? (knot-policy-configuration-id policy))
                (knot-error "policy id must be a non empty string.")))
            (knot-configuration-policies config))
  (each "remotes" knot-remote-configuration? (knot-configuration-remotes config)
        "remotes must be a list of only knot-remote-configuration.")
  (for-each (lambda (remote)
              (unless (non-empty-id? (knot-remote-configuration-id remote))
                (knot-error "remote id must be a non empty string.")))
            (knot-configuration-remotes config))
  #t)

(define (knot-list items)
  "ITEMS (strings or symbols) as a YAML flow list, \"\" for none."
  (if (null? items)
      ""
      (string-append "["
                     (string-join (map (lambda (x) (if (symbol? x) (symbol->string x) x)) items) ", ")
                     "]")))

(define (knot-on-off value) (if value "on" "off"))

(define (->text value)
  (cond ((string? value) value)
        ((symbol? value) (symbol->string value))
        ((number? value) (number->string value))
        (else (object->string value))))

(define (knot-key-config keys)
  (string-concatenate
   (map (lambda (key)
          (let ((algorithm (knot-key-configuration-algorithm key)))
            (string-append "    - id: " (knot-key-configuration-id key) "\n"
                           (if algorithm
                               (string-append "      algorithm: " (symbol->string algorithm) "\n")
                               "")
                           "      secret: " (knot-key-configuration-secret key) "\n")))
        keys)))

(define (knot-keystore-config keystores)
  (string-concatenate
   (map (lambda (keystore)
          (string-append "    - id: " (knot-keystore-configuration-id keystore) "\n"
                         "      backend: " (symbol->string (knot-keystore-configuration-backend keystore)) "\n"
                         "      config: \"" (knot-keystore-configuration-config keystore) "\"\n"))
        keystores)))

(define (knot-acl-config acls)
  (string-concatenate
   (map (lambda (acl)
          (let ((line (lambda (key items)
                        (if (null? items) "" (string-append "      " key ": " (knot-list items) "\n")))))
            (string-append "    - id: " (knot-acl-configuration-id acl) "\n"
                           (line "address" (knot-acl-configuration-address acl))
                           (line "key" (knot-acl-configuration-key acl))
                           (line "action" (knot-acl-configuration-action acl))
                           "      deny: " (knot-on-off (knot-acl-configuration-deny? acl)) "\n")))
        acls)))

(define (knot-remote-config remotes)
  (string-concatenate
   (map (lambda (remote)
          (let ((address (knot-remote-configuration-address remote))
                (via (knot-remote-configuration-via remote))
                (key (knot-remote-configuration-key remote)))
            (string-append "    - id: " (knot-remote-configuration-id remote) "\n"
                           (if (null? address) "" (string-append "      address: " (knot-list address) "\n"))
                           (if (null? via) "" (string-append "      via: " (knot-list via) "\n"))
                           (if key (string-append "      key: " (->text key) "\n") ""))))
        remotes)))

(define (knot-policy-config policies)
  (string-concatenate
   (map (lambda (p)
          (let ((ttl (knot-policy-configuration-dnskey-ttl p)))
            (string-append
             "    - id: " (knot-policy-configuration-id p) "\n"
             "      keystore: " (knot-policy-configuration-keystore p) "\n"
             "      manual: " (knot-on-off (knot-policy-configuration-manual? p)) "\n"
             "      single-type-signing: " (knot-on-off (knot-policy-configuration-single-type-signing? p)) "\n"
             "      algorithm: " (->text (knot-policy-configuration-algorithm p)) "\n"
             "      ksk-size: " (number->string (knot-policy-configuration-ksk-size p)) "\n"
             "      zsk-size: " (number->string (knot-policy-configuration-zsk-size p)) "\n"
             (if (eq? ttl 'default) "" (string-append "      dnskey-ttl: " (->text ttl) "\n"))
             "      zsk-lifetime: " (->text (knot-policy-configuration-zsk-lifetime p)) "\n"
             "      propagation-delay: " (->text (knot-policy-configuration-propagation-delay p)) "\n"
             "      rrsig-lifetime: " (->text (knot-policy-configuration-rrsig-lifetime p)) "\n"
             "      nsec3: " (knot-on-off (knot-policy-configuration-nsec3? p)) "\n"
             "      nsec3-iterations: " (number->string (knot-policy-configuration-nsec3-iterations p)) "\n"
             "      nsec3-salt-length: " (number->string (knot-policy-configuration-nsec3-salt-length p)) "\n"
             "      nsec3-salt-lifetime: " (->text (knot-policy-configuration-nsec3-salt-lifetime p)) "\n")))
        policies)))

(define (serialize-zone-entries entries)
  (string-concatenate
   (map (lambda (entry)
          (string-append (->text (zone-entry-name entry)) " " (->text (zone-entry-ttl entry)) " "
                         (->text (zone-entry-class entry)) " " (->text (zone-entry-type entry)) " "
                         (->text (zone-entry-data entry)) "\n"))
        entries)))

(define (serialize-zone-file zone domain)
  (plain-file (string-append domain ".zone")
              (string-append
               "$ORIGIN " (zone-file-origin zone) ".\n"
               "@ IN SOA " (->text (zone-file-ns zone)) " " (->text (zone-file-mail zone))
               " (" (->text (zone-file-serial zone)) " " (->text (zone-file-refresh zone))
               " " (->text (zone-file-retry zone)) " " (->text (zone-file-expiry zone))
               " " (->text (zone-file-nx zone)) ")\n"
               (serialize-zone-entries (zone-file-entries zone)) "\n")))

(define (knot-zone-config zone)
  "The zone's YAML entry: strings and, for a master's zone file, a file-like object."
  (let ((domain (knot-zone-configuration-domain zone))
        (file (knot-zone-configuration-file zone))
        (master (knot-zone-configuration-master zone))
        (ddns-master (knot-zone-configuration-ddns-master zone))
        (notify (knot-zone-configuration-notify zone))
        (acl (knot-zone-configuration-acl zone))
        (sync (knot-zone-configuration-zonefile-sync zone))
        (load (knot-zone-configuration-zonefile-load zone))
        (journal (knot-zone-configuration-journal-content zone))
        (usage (knot-zone-configuration-max-journal-usage zone))
        (depth (knot-zone-configuration-max-journal-depth zone))
        (size (knot-zone-configuration-max-zone-size zone))
        (policy (knot-zone-configuration-dnssec-policy zone))
        (line (lambda (key value) (string-append "      " key ": " (->text value) "\n"))))
    (append
     (list "    - domain: " domain "\n")
     (if (null? master)
         ;; The master of the zone: its file.
         (list "      file: "
               (if (equal? file "") (serialize-zone-file (knot-zone-configuration-zone zone) domain) file)
               "\n")
         (list (line "master" (knot-list master))
               ;; As Guix writes it (without a colon).
               (if ddns-master (string-append "      ddns-master " (->text ddns-master) "\n") "")))
     (list (if (null? notify) "" (line "notify" (knot-list notify)))
           (if (null? acl) "" (line "acl" (knot-list acl)))
           (line "semantic-checks" (knot-on-off (knot-zone-configuration-semantic-checks? zone)))
           (if sync (line "zonefile-sync" sync) "")
           (if load (line "zonefile-load" load) "")
           (if journal (line "journal-content" journal) "")
           (if usage (line "max-journal-usage" usage) "")
           (if depth (line "max-journal-depth" depth) "")
           (if size (line "max-zone-size" size) "")
           (if policy (string-append "      dnssec-signing: on\n" (line "dnssec-policy" policy)) "")
           (line "serial-policy" (knot-zone-configuration-serial-policy zone))))))

(define (knot-config-file config)
  (verify-knot-configuration config)
  (let ((port (number->string (knot-configuration-listen-port config)))
        (zones (knot-configuration-zones config)))
    (apply mixed-text-file "knot.conf"
           (append
            (append-map (lambda (inc) (list "include: " inc "\n")) (knot-configuration-includes config))
            (list "server:\n"
                  "    rundir: " (knot-configuration-run-directory config) "\n"
                  "    user: knot\n"
                  "    listen: " (knot-configuration-listen-v4 config) "@" port "\n"
                  "    listen: " (knot-configuration-listen-v6 config) "@" port "\n"
                  "\nkey:\n" (knot-key-config (knot-configuration-keys config))
                  "\nkeystore:\n" (knot-keystore-config (knot-configuration-keystores config))
                  "\nacl:\n" (knot-acl-config (knot-configuration-acls config))
                  "\nremote:\n" (knot-remote-config (knot-configuration-remotes config))
                  "\npolicy:\n" (knot-policy-config (knot-configuration-policies config)))
            (if (null? zones)
                '()
                (append (list "\nzone:\n") (append-map knot-zone-config zones) (list "\n")))))))

(define %knot-accounts
  (list (user-group (name "knot") (system? #t))
        (user-account
         (name "knot")
         (group "knot")
         (system? #t)
         (comment "knot dns server user")
         (home-directory "/var/empty")
         (shell (file-append shadow "/sbin/nologin")))))

(define (knot-activation config)
  #~(let ((knot (getpwnam "knot")))
      (for-each (lambda (directory)
                  (mkdir-p directory)
                  (chown directory (passwd:uid knot) (passwd:gid knot))
                  (chmod directory #o755))
                (list #$(knot-configuration-run-directory config)
                      "/var/lib/knot" "/var/lib/knot/keys" "/var/lib/knot/keys/keys"))))

(define (knot-shepherd-service config)
  (let ((config-file (knot-config-file config)))
    (list (shepherd-service
           (provision '(knot dns))
           (requirement '(networking user-processes))
           (documentation "Run the Knot DNS daemon.")
           (actions (list (shepherd-configuration-action config-file)))
           (start #~(make-forkexec-constructor
                     (list #$(file-append (knot-configuration-knot config) "/sbin/knotd")
                           "-c" #$config-file)))
           (stop #~(make-kill-destructor))))))

(define knot-service-type
  (service-type
   (name 'knot)
   (extensions
    (list (service-extension shepherd-root-service-type knot-shepherd-service)
          (service-extension activation-service-type knot-activation)
          (service-extension account-service-type (const %knot-accounts))))
   (description "Run Knot, an authoritative name server for the Domain Name System.")))

(define dnsmasq-tftp-root dnsmasq-configuration-tftp-root)

;; Names Guix's module exports too.
(export dnsmasq-configuration-addresses dnsmasq-configuration-cache-size
        dnsmasq-configuration-cpe-id dnsmasq-configuration-extra-options
        dnsmasq-configuration-forward-private-reverse-lookup?
        dnsmasq-configuration-listen-address dnsmasq-configuration-local-service?
        dnsmasq-configuration-negative-cache? dnsmasq-configuration-no-hosts?
        dnsmasq-configuration-no-resolv? dnsmasq-configuration-package
        dnsmasq-configuration-pid-file dnsmasq-configuration-port
        dnsmasq-configuration-query-servers-in-order? dnsmasq-configuration-resolv-file
        dnsmasq-configuration-servers dnsmasq-configuration-servers-file
        dnsmasq-configuration-shepherd-provision
        dnsmasq-configuration-shepherd-requirement dnsmasq-configuration-tftp-enable?)
