;;; schemy --- DNS services (Guix manual, "DNS Services"): dnsmasq, with
;;; the command line Guix gives it.

(define-module (gnu services dns)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module ((gnu packages dns) #:select (dnsmasq))
  #:export (dnsmasq-configuration
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
