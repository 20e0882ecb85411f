;;; schemy --- Networking services.
;;;
;;; Dynamic addressing with a DHCP client and time synchronization with NTP.
;;; Fixed addresses are configured with `static-networking-service-type',
;;; defined in (gnu services base) and re-exported here.

(define-module (gnu services networking)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (gnu services base)
  #:use-module (gnu system shadow)
  #:use-module (gnu packages admin)
  #:use-module (gnu packages ntp)
  #:re-export (static-networking
               static-networking?
               static-networking-addresses
               static-networking-links
               static-networking-routes
               static-networking-requirement
               static-networking-provision
               static-networking-name-servers
               network-address
               network-address?
               network-address-device
               network-address-value
               network-address-ipv6?
               network-route
               network-route?
               network-route-destination
               network-route-source
               network-route-device
               network-route-ipv6?
               network-route-gateway
               network-link
               network-link?
               network-link-name
               network-link-type
               network-link-arguments
               static-networking-service-type
               %loopback-static-networking
               %qemu-static-networking)
  #:export (dhcp-client-configuration
            dhcp-client-configuration?
            dhcp-client-configuration-package
            dhcp-client-configuration-config-file
            dhcp-client-configuration-interfaces
            dhcp-client-configuration-shepherd-requirement
            dhcp-client-configuration-shepherd-provision
            dhcp-client-service-type

            %ntp-servers
            ntp-server
            ntp-server?
            ntp-server-type
            ntp-server-address
            ntp-server-options
            ntp-configuration
            ntp-configuration?
            ntp-configuration-ntp
            ntp-configuration-servers
            ntp-configuration-allow-large-adjustment?
            ntp-service-type))

;;; DHCP client.

(define-record-type* <dhcp-client-configuration> dhcp-client-configuration
  make-dhcp-client-configuration dhcp-client-configuration?
  (package              dhcp-client-configuration-package (default isc-dhcp))
  (config-file          dhcp-client-configuration-config-file (default #f))
  (interfaces           dhcp-client-configuration-interfaces (default 'all)) ;'all or list
  (shepherd-requirement dhcp-client-configuration-shepherd-requirement (default '()))
  (shepherd-provision   dhcp-client-configuration-shepherd-provision
                        (default '(networking))))

(define (dhcp-client-shepherd-service config)
  (let ((interfaces (dhcp-client-configuration-interfaces config))
        (config-file (dhcp-client-configuration-config-file config)))
    (shepherd-service
     (provision (dhcp-client-configuration-shepherd-provision config))
     (requirement (cons 'udev (dhcp-client-configuration-shepherd-requirement config)))
     (documentation "Set up networking with DHCP: run dhclient, which obtains
addresses for the network interfaces.")
     (start #~(make-forkexec-constructor
               (list #$(file-append (dhcp-client-configuration-package config) "/sbin/dhclient")
                     "-nw" "-pf" "/var/run/dhclient.pid"
                     #$@(if config-file (list "-cf" config-file) '())
                     #$@(if (eq? interfaces 'all) '() interfaces))
               #:pid-file "/var/run/dhclient.pid"))
     (stop #~(make-kill-destructor)))))

(define dhcp-client-service-type
  (service-type
   (name 'dhcp-client)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config) (list (dhcp-client-shepherd-service config))))))
   (default-value (dhcp-client-configuration))
   (description "Run a DHCP client, which sets up the network interfaces with the
addresses, routes and name servers a DHCP server offers.  It provides
`networking'.")))

;;; NTP.

(define-record-type* <ntp-server> ntp-server make-ntp-server
  ntp-server?
  (type    ntp-server-type (default 'server))   ;'server, 'pool, 'peer...
  (address ntp-server-address)
  (options ntp-server-options (default '())))   ;list of strings or (key . value)

(define %ntp-servers
  (list (ntp-server (type 'pool) (address "0.guix.pool.ntp.org") (options '("iburst")))))

(define-record-type* <ntp-configuration> ntp-configuration
  make-ntp-configuration ntp-configuration?
  (ntp     ntp-configuration-ntp (default ntp))
  (servers ntp-configuration-servers (default %ntp-servers))  ;ntp-server records or strings
  (allow-large-adjustment? ntp-configuration-allow-large-adjustment? (default #t)))

(define (ntp-server->string server)
  (if (string? server)
      (string-append "server " server)
      (string-join (cons* (symbol->string (ntp-server-type server))
                          (ntp-server-address server)
                          (map (lambda (option)
                                 (if (pair? option)
                                     (format #f "~a ~a" (car option) (cdr option))
                                     (format #f "~a" option)))
                               (ntp-server-options server)))
                   " ")))

(define (ntpd.conf config)
  (plain-file "ntpd.conf"
              (string-append
               "# Generated from the system configuration.\n"
               (string-concatenate
                (map (lambda (server) (string-append (ntp-server->string server) "\n"))
                     (ntp-configuration-servers config)))
               "\n# Only allow time queries, not configuration or status queries.\n"
               "restrict default kod nomodify notrap nopeer noquery limited\n"
               "restrict -6 default kod nomodify notrap nopeer noquery limited\n"
               "restrict 127.0.0.1\nrestrict -6 ::1\n")))

(define (ntp-shepherd-service config)
  (shepherd-service
   (provision '(ntpd))
   (requirement '(user-processes networking))
   (documentation "Run the Network Time Protocol daemon (ntpd), which keeps the
system clock synchronized.")
   (start #~(make-forkexec-constructor
             (list #$(file-append (ntp-configuration-ntp config) "/bin/ntpd")
                   "-n" "-c" #$(ntpd.conf config) "-u" "ntpd"
                   #$@(if (ntp-configuration-allow-large-adjustment? config) '("-g") '()))))
   (stop #~(make-kill-destructor))))

(define ntp-service-type
  (service-type
   (name 'ntp)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config) (list (ntp-shepherd-service config))))
          (service-extension account-service-type
                             (const (list (user-account
                                           (name "ntpd")
                                           (group "nogroup")
                                           (system? #t)
                                           (comment "NTP daemon user")
                                           (home-directory "/var/empty")
                                           (create-home-directory? #f)
                                           (shell %nologin-shell)))))))
   (default-value (ntp-configuration))
   (description "Run the Network Time Protocol (NTP) daemon, which keeps the
system clock in sync with time servers.")))
