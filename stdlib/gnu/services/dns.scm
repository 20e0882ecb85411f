;;; schemy --- DNS services (Guix manual, "DNS Services"): dnsmasq, with
;;; the command line Guix gives it; Unbound (unbound.conf as Guix writes it)
;;; and the Knot Resolver.

(define-module (gnu services dns)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module ((gnu packages dns) #:select (dnsmasq unbound knot-resolver))
  #:use-module ((gnu packages admin) #:select (shadow))
  #:use-module (gnu system shadow)
  #:use-module (gnu services configuration)
  #:export (unbound-service-type
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
            dnsmasq-arguments))

(define-record-type* <dnsmasq-configuration> dnsmasq-configuration
  make-dnsmasq-configuration dnsmasq-configuration?
  (package dnsmasq-configuration-package (default dnsmasq))
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
  (tftp-root dnsmasq-configuration-tftp-root (default "/var/empty,lo"))
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
   (map (lambda (s) (string-append "--server=" s)) (dnsmasq-configuration-servers config))
   (map (lambda (a) (string-append "--address=" a)) (dnsmasq-configuration-addresses config))
   (list (string-append "--cache-size=" (number->string (dnsmasq-configuration-cache-size config))))
   (if (dnsmasq-configuration-negative-cache? config) '() '("--no-negcache"))
   (if (dnsmasq-configuration-tftp-enable? config)
       (list "--enable-tftp" (string-append "--tftp-root=" (dnsmasq-configuration-tftp-root config)))
       '())
   (dnsmasq-configuration-extra-options config)))

(define dnsmasq-service-type
  (service-type
   (name 'dnsmasq)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (list (shepherd-service
                                      (provision (dnsmasq-configuration-shepherd-provision config))
                                      (requirement (dnsmasq-configuration-shepherd-requirement config))
                                      (documentation "Run the dnsmasq DNS server.")
                                      (start #~(make-forkexec-constructor
                                                (cons #$(file-append (dnsmasq-configuration-package config)
                                                                     "/sbin/dnsmasq")
                                                      '#$(dnsmasq-arguments config))
                                                #:pid-file #$(dnsmasq-configuration-pid-file config)))
                                      (stop #~(make-kill-destructor))))))))
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
