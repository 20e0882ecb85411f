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
  #:use-module ((gnu packages gnome) #:select (network-manager))
  #:use-module ((gnu packages admin) #:select (wpa-supplicant))
  #:use-module ((gnu packages freedesktop) #:select (modem-manager))
  #:use-module ((gnu packages usb-modeswitch) #:select (usb-modeswitch usb-modeswitch-data))
  #:use-module ((gnu packages connman) #:select (connman))
  #:use-module (gnu services dbus)
  #:use-module ((gnu packages admin) #:select (dhcpcd))
  #:use-module ((gnu packages tor) #:select (tor))
  #:use-module ((gnu packages linux) #:select (nftables iptables))
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
               static-networking-service
               %loopback-static-networking
               %qemu-static-networking)
  #:export (dhcpd-service-type
            dhcpd-configuration
            dhcpd-configuration?
            dhcpd-configuration-package
            dhcpd-configuration-config-file
            dhcpd-configuration-version
            dhcpd-configuration-run-directory
            dhcpd-configuration-pid-file
            dhcpd-configuration-interfaces
            dhcp-client-configuration
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
            ntp-service-type

            network-manager-configuration
            network-manager-configuration?
            network-manager-configuration-network-manager
            network-manager-configuration-dns
            network-manager-configuration-vpn-plugins
            network-manager-service-type
            wpa-supplicant-configuration
            wpa-supplicant-configuration?
            wpa-supplicant-service-type
            modem-manager-configuration
            modem-manager-configuration?
            modem-manager-service-type
            usb-modeswitch-configuration
            usb-modeswitch-configuration?
            usb-modeswitch-service-type
            connman-configuration
            connman-configuration?
            connman-service-type
            network-manager-conf
            dhcpcd-configuration
            dhcpcd-configuration?
            dhcpcd-service-type
            dhcpcd-conf
            tor-configuration
            tor-configuration?
            tor-onion-service-configuration
            tor-hidden-service
            tor-service-type
            nftables-configuration
            nftables-configuration?
            nftables-service-type
            %default-nftables-ruleset
            iptables-configuration
            iptables-configuration?
            iptables-service-type
            %iptables-accept-all-rules))

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

;;; The DHCP server (Guix manual, "Networking Setup"): ISC dhcpd with the
;;; user's dhcpd.conf.

(define-record-type* <dhcpd-configuration> dhcpd-configuration
  make-dhcpd-configuration dhcpd-configuration?
  (package       dhcpd-configuration-package (default isc-dhcp))
  (config-file   dhcpd-configuration-config-file (default #f))    ;file-like, required
  (version       dhcpd-configuration-version (default "4"))       ;"4", "6" or "4o6"
  (run-directory dhcpd-configuration-run-directory (default "/run/dhcpd"))
  (pid-file      dhcpd-configuration-pid-file (default "/run/dhcpd/dhcpd.pid"))
  (interfaces    dhcpd-configuration-interfaces (default '())))

(define (dhcpd-shepherd-service config)
  (let ((config-file (dhcpd-configuration-config-file config))
        (pid-file (dhcpd-configuration-pid-file config)))
    (unless config-file
      (error "dhcpd-configuration: the config-file field is required"))
    (list (shepherd-service
           (provision '(dhcpd))
           (requirement '(user-processes networking))
           (documentation "Run the ISC DHCP server.")
           (start #~(make-forkexec-constructor
                     (list #$(file-append (dhcpd-configuration-package config) "/sbin/dhcpd")
                           #$(string-append "-" (dhcpd-configuration-version config))
                           "-pf" #$pid-file "-cf" #$config-file
                           #$@(dhcpd-configuration-interfaces config))
                     #:pid-file #$pid-file))
           (stop #~(make-kill-destructor))))))

(define (dhcpd-activation config)
  #~(begin
      (unless (file-exists? #$(dhcpd-configuration-run-directory config))
        (mkdir-p #$(dhcpd-configuration-run-directory config)))
      ;; dhcpd refuses to start without its lease file.
      (let ((leases (string-append "/var/db/dhcpd"
                                   #$(if (string=? (dhcpd-configuration-version config) "6") "6" "")
                                   ".leases")))
        (mkdir-p "/var/db")
        (unless (file-exists? leases)
          (close-port (open-output-file leases))))))

(define dhcpd-service-type
  (service-type
   (name 'dhcpd)
   (extensions
    (list (service-extension shepherd-root-service-type dhcpd-shepherd-service)
          (service-extension activation-service-type dhcpd-activation)))
   (description "Run a DHCP server (ISC dhcpd) with the given dhcpd.conf.")))

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

;;; NetworkManager, wpa_supplicant, ModemManager, usb_modeswitch (Guix manual,
;;; "Networking Setup").  These daemons are the host's: realized, shown as
;;; provided by the host.

(define-record-type* <network-manager-configuration> network-manager-configuration
  make-network-manager-configuration network-manager-configuration?
  (network-manager network-manager-configuration-network-manager (default network-manager))
  (shepherd-requirement network-manager-configuration-shepherd-requirement
                        (default '(wpa-supplicant)))
  (dns network-manager-configuration-dns (default "default"))
  (vpn-plugins network-manager-configuration-vpn-plugins (default '()))
  (iwd? network-manager-configuration-iwd? (default #f))
  (extra-configuration-files network-manager-configuration-extra-configuration-files
                             (default '())))

(define (network-manager-conf config)
  "NetworkManager.conf as Guix writes it."
  (string-append "[main]\ndns=" (network-manager-configuration-dns config) "\n"
                 (if (network-manager-configuration-iwd? config) "\n[device]\nwifi.backend=iwd\n" "")))

(define (host-daemon-shepherd-service provision requirement program doc)
  (shepherd-service
   (provision provision)
   (requirement requirement)
   (documentation doc)
   (start #~(make-forkexec-constructor (list #$program)))
   (stop #~(make-kill-destructor))))

(define network-manager-service-type
  (service-type
   (name 'network-manager)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (list (host-daemon-shepherd-service
                                      '(NetworkManager networking)
                                      (cons 'user-processes
                                            (network-manager-configuration-shepherd-requirement config))
                                      (file-append (network-manager-configuration-network-manager config)
                                                   "/sbin/NetworkManager")
                                      "NetworkManager, the network connection manager (the host's)."))))
          (service-extension etc-service-type
                             (lambda (config)
                               (list (list "NetworkManager/NetworkManager.conf"
                                           (plain-file "NetworkManager.conf"
                                                       (network-manager-conf config))))))
          (service-extension dbus-root-service-type
                             (lambda (config)
                               (list (network-manager-configuration-network-manager config))))
          (service-extension profile-service-type
                             (lambda (config)
                               (list (network-manager-configuration-network-manager config))))))
   (default-value (network-manager-configuration))
   (description "Run NetworkManager, a network management daemon that aims to
simplify wired and wireless networking.")))

(define-record-type* <wpa-supplicant-configuration> wpa-supplicant-configuration
  make-wpa-supplicant-configuration wpa-supplicant-configuration?
  (wpa-supplicant wpa-supplicant-configuration-wpa-supplicant (default wpa-supplicant))
  (requirement wpa-supplicant-configuration-requirement (default '(user-processes loopback syslogd)))
  (pid-file wpa-supplicant-configuration-pid-file (default "/var/run/wpa_supplicant.pid"))
  (dbus? wpa-supplicant-configuration-dbus? (default #t))
  (interface wpa-supplicant-configuration-interface (default #f))
  (config-file wpa-supplicant-configuration-config-file (default #f))
  (extra-options wpa-supplicant-configuration-extra-options (default '())))

(define wpa-supplicant-service-type
  (service-type
   (name 'wpa-supplicant)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (list (host-daemon-shepherd-service
                                      '(wpa-supplicant)
                                      (wpa-supplicant-configuration-requirement config)
                                      (file-append (wpa-supplicant-configuration-wpa-supplicant config)
                                                   "/sbin/wpa_supplicant")
                                      "wpa_supplicant, the WPA supplicant (the host's)."))))
          (service-extension dbus-root-service-type
                             (lambda (config)
                               (list (wpa-supplicant-configuration-wpa-supplicant config))))))
   (default-value (wpa-supplicant-configuration))
   (description "Run the WPA supplicant daemon.")))

(define-record-type* <modem-manager-configuration> modem-manager-configuration
  make-modem-manager-configuration modem-manager-configuration?
  (modem-manager modem-manager-configuration-modem-manager (default modem-manager)))

(define modem-manager-service-type
  (service-type
   (name 'modem-manager)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (list (host-daemon-shepherd-service
                                      '(modem-manager) '(dbus-system)
                                      (file-append (modem-manager-configuration-modem-manager config)
                                                   "/sbin/ModemManager")
                                      "ModemManager, the mobile broadband modem manager (the host's)."))))
          (service-extension dbus-root-service-type
                             (lambda (config)
                               (list (modem-manager-configuration-modem-manager config))))))
   (default-value (modem-manager-configuration))
   (description "Run ModemManager, the modem management daemon.")))

(define-record-type* <usb-modeswitch-configuration> usb-modeswitch-configuration
  make-usb-modeswitch-configuration usb-modeswitch-configuration?
  (usb-modeswitch usb-modeswitch-configuration-usb-modeswitch (default usb-modeswitch))
  (usb-modeswitch-data usb-modeswitch-configuration-usb-modeswitch-data (default usb-modeswitch-data))
  (config-file usb-modeswitch-configuration-config-file (default #f)))

(define usb-modeswitch-service-type
  (service-type
   (name 'usb-modeswitch)
   (extensions
    (list (service-extension udev-service-type
                             (lambda (config)
                               (list (usb-modeswitch-configuration-usb-modeswitch-data config))))))
   (default-value (usb-modeswitch-configuration))
   (description "Run usb_modeswitch when USB modems that need it are plugged in.")))

(define-record-type* <connman-configuration> connman-configuration
  make-connman-configuration connman-configuration?
  (connman connman-configuration-connman (default connman))
  (shepherd-requirement connman-configuration-shepherd-requirement (default '()))
  (disable-vpn? connman-configuration-disable-vpn? (default #f))
  (iwd? connman-configuration-iwd? (default #f)))

(define connman-service-type
  (service-type
   (name 'connman)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (list (host-daemon-shepherd-service
                                      '(connman networking) '(user-processes dbus-system loopback)
                                      (file-append (connman-configuration-connman config) "/sbin/connmand")
                                      "ConnMan, the connection manager (the host's)."))))))
   (default-value (connman-configuration))
   (description "Run ConnMan, a network connection manager.")))

;;; dhcpcd (Guix manual, "Networking Setup").

(define-record-type* <dhcpcd-configuration> dhcpcd-configuration
  make-dhcpcd-configuration dhcpcd-configuration?
  (dhcpcd dhcpcd-configuration-dhcpcd (default dhcpcd))
  (interfaces dhcpcd-configuration-interfaces (default '()))
  (command-arguments dhcpcd-configuration-command-arguments (default '("-q" "-q")))
  (host-name dhcpcd-configuration-host-name (default ""))
  (duid dhcpcd-configuration-duid (default ""))
  (persistent? dhcpcd-configuration-persistent? (default #t))
  (option dhcpcd-configuration-option
          (default '("rapid_commit" "domain_name_servers" "domain_name" "domain_search"
                     "host_name" "classless_static_routes" "interface_mtu")))
  (require dhcpcd-configuration-require (default '("dhcp_server_identifier")))
  (slaac dhcpcd-configuration-slaac (default "private"))
  (no-option dhcpcd-configuration-no-option (default '()))
  (no-hook dhcpcd-configuration-no-hook (default '()))
  (static dhcpcd-configuration-static (default '()))
  (vendor-class-id dhcpcd-configuration-vendor-class-id (default #f))
  (client-id dhcpcd-configuration-client-id (default #f))
  (extra-content dhcpcd-configuration-extra-content (default #f))
  (shepherd-provision dhcpcd-configuration-shepherd-provision (default '(networking)))
  (shepherd-requirement dhcpcd-configuration-shepherd-requirement (default '())))

(define (dhcpcd-conf config)
  "dhcpcd.conf: one line per set field, lists joined by commas (static: one line each)."
  (define (line key value) (string-append key " " value "\n"))
  (define (maybe key value)
    (if (and (string? value) (not (string-null? value))) (line key value) ""))
  (string-append
   (maybe "hostname" (dhcpcd-configuration-host-name config))
   (maybe "duid" (dhcpcd-configuration-duid config))
   (if (dhcpcd-configuration-persistent? config) "persistent\n" "")
   (let ((o (dhcpcd-configuration-option config)))
     (if (null? o) "" (line "option" (string-join o ","))))
   (let ((o (dhcpcd-configuration-require config)))
     (if (null? o) "" (line "require" (string-join o ","))))
   (maybe "slaac" (dhcpcd-configuration-slaac config))
   (let ((o (dhcpcd-configuration-no-option config)))
     (if (null? o) "" (line "nooption" (string-join o ","))))
   (let ((o (dhcpcd-configuration-no-hook config)))
     (if (null? o) "" (line "nohook" (string-join o ","))))
   (string-concatenate (map (lambda (s) (line "static" s)) (dhcpcd-configuration-static config)))
   (maybe "vendorclassid" (dhcpcd-configuration-vendor-class-id config))
   (maybe "clientid" (dhcpcd-configuration-client-id config))
   (let ((x (dhcpcd-configuration-extra-content config))) (if (string? x) (string-append x "\n") ""))))

(define dhcpcd-service-type
  (service-type
   (name 'dhcpcd)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (list (host-daemon-shepherd-service
                                      (dhcpcd-configuration-shepherd-provision config)
                                      (dhcpcd-configuration-shepherd-requirement config)
                                      (file-append (dhcpcd-configuration-dhcpcd config) "/sbin/dhcpcd")
                                      "dhcpcd, the DHCP client (the host's network configuration)."))))
          (service-extension etc-service-type
                             (lambda (config)
                               (list (list "dhcpcd.conf" (plain-file "dhcpcd.conf" (dhcpcd-conf config))))))))
   (default-value (dhcpcd-configuration))
   (description "Run dhcpcd, a DHCP and DHCPv6 client.")))

;;; Tor (Guix manual, "Networking Services").

(define-record-type* <tor-onion-service-configuration> tor-onion-service-configuration
  make-tor-onion-service-configuration tor-onion-service-configuration?
  (name    tor-onion-service-configuration-name)
  (mapping tor-onion-service-configuration-mapping))

(define-record-type* <tor-configuration> tor-configuration
  make-tor-configuration tor-configuration?
  (tor               tor-configuration-tor (default tor))
  (config-file       tor-configuration-config-file (default (plain-file "empty" "")))
  (hidden-services   tor-configuration-hidden-services (default '()))
  (socks-socket-type tor-configuration-socks-socket-type (default 'tcp))
  (control-socket?   tor-configuration-control-socket? (default #f))
  (transport-plugins tor-configuration-transport-plugins (default '()))
  (auto-start?       tor-configuration-auto-start? (default #t)))

(define (tor-hidden-service name mapping)
  "An onion service NAME forwarding MAPPING, a list of (PORT \"HOST:PORT\")."
  (simple-service 'tor-hidden-service tor-service-type
                  (list (tor-onion-service-configuration (name name) (mapping mapping)))))

(define (torrc-generated config)
  "The lines Guix generates at the top of torrc: the defaults, the sockets, the onion services."
  (string-append
   "### These lines were generated from your system configuration:\n"
   "DataDirectory /var/lib/tor\n"
   "Log notice stderr\n"
   (if (eq? (tor-configuration-socks-socket-type config) 'unix)
       "SocksPort unix:/var/run/tor/socks-sock\nUnixSocksGroupWritable 1\n"
       "")
   (if (tor-configuration-control-socket? config)
       "ControlSocket unix:/var/run/tor/control-sock GroupWritable RelaxDirModeCheck\nControlSocketsGroupWritable 1\n"
       "")
   (string-concatenate
    (map (lambda (s)
           (string-append
            "HiddenServiceDir /var/lib/tor/hidden-services/"
            (tor-onion-service-configuration-name s) "\n"
            (string-concatenate
             (map (lambda (m)
                   (string-append "HiddenServicePort " (number->string (car m)) " " (cadr m) "\n"))
                  (tor-onion-service-configuration-mapping s)))))
         (tor-configuration-hidden-services config)))
   "### End of automatically generated lines.\n\n"))

(define (torrc config)
  "The torrc Guix writes: the generated lines, then the user's config-file appended."
  (computed-file
   "torrc"
   #~(begin
       (use-modules (ice-9 textual-ports))
       (call-with-output-file #$output
         (lambda (port)
           (display #$(torrc-generated config) port)
           (display (call-with-input-file #$(tor-configuration-config-file config) get-string-all)
                    port))))))

(define (tor-activation config)
  ;; As Guix: the PID/socket directory and the data directory, owned by tor with the modes
  ;; the daemon insists on, and one directory per onion service.
  #~(begin
      (use-modules (guix build utils))
      (let ((user (getpw "tor")))
        (define (owned directory mode)
          (mkdir-p directory)
          (chown directory (passwd:uid user) (passwd:gid user))
          (chmod directory mode))
        (owned "/var/run/tor" #o750)
        (owned "/var/lib/tor" #o700)
        (chmod "/var/lib" #o755)
        (for-each (lambda (name) (owned (string-append "/var/lib/tor/hidden-services/" name) #o700))
                  '#$(map tor-onion-service-configuration-name
                          (tor-configuration-hidden-services config))))))

(define tor-service-type
  (service-type
   (name 'tor)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (list (shepherd-service
                                      (provision '(tor))
                                      (requirement '(user-processes loopback syslogd))
                                      (documentation "Run the Tor anonymous network overlay.")
                                      (auto-start? (tor-configuration-auto-start? config))
                                      (start #~(make-forkexec-constructor
                                                (list #$(file-append (tor-configuration-tor config) "/bin/tor")
                                                      "-f" #$(torrc config))
                                                #:user "tor" #:group "tor"))
                                      (stop #~(make-kill-destructor))
                                      (actions (list (shepherd-configuration-action (torrc config))))))))
          (service-extension activation-service-type tor-activation)
          (service-extension account-service-type
                             (const (list (user-group (name "tor") (system? #t))
                                          (user-account (name "tor") (group "tor") (system? #t)
                                                        (comment "Tor daemon user")
                                                        (home-directory "/var/empty")
                                                        (shell %nologin-shell)))))))
   (compose concatenate)
   (extend (lambda (config services)
             (tor-configuration
              (inherit config)
              (hidden-services (append (tor-configuration-hidden-services config) services)))))
   (default-value (tor-configuration))
   (description "Run the Tor anonymous networking daemon.")))

;;; nftables (Guix manual, "Networking Services").  The firewall is the
;;; host kernel's: the ruleset is realized, the service shown as the host's.

(define %default-nftables-ruleset
  (plain-file "nftables.conf"
              "# A simple and safe firewall
table inet filter {
  chain input {
    type filter hook input priority 0; policy drop;

    # early drop of invalid connections
    ct state invalid drop

    # allow established/related connections
    ct state { established, related } accept

    # allow from loopback
    iif lo accept
    # drop connections to lo not coming from lo
    iif != lo ip daddr 127.0.0.1/8 drop
    iif != lo ip6 daddr ::1/128 drop

    # allow icmp
    ip protocol icmp accept
    ip6 nexthdr icmpv6 accept

    # allow ssh
    tcp dport ssh accept

    # reject everything else
    reject with icmpx type port-unreachable
  }
  chain forward {
    type filter hook forward priority 0; policy drop;
  }
  chain output {
    type filter hook output priority 0; policy accept;
  }
}
"))

(define-record-type* <nftables-configuration> nftables-configuration
  make-nftables-configuration nftables-configuration?
  (package      nftables-configuration-package (default nftables))
  (debug-levels nftables-configuration-debug-levels (default #f))
  (ruleset      nftables-configuration-ruleset (default %default-nftables-ruleset)))

(define nftables-service-type
  (service-type
   (name 'nftables)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (list (shepherd-service
                                      (provision '(nftables))
                                      (requirement '())
                                      (documentation "Load the nftables ruleset (the host kernel's firewall).")
                                      (one-shot? #t)
                                      (start #~(lambda _
                                                 (zero? (system* #$(file-append
                                                                    (nftables-configuration-package config)
                                                                    "/sbin/nft")
                                                                 "--file"
                                                                 #$(nftables-configuration-ruleset config)))))))))
          (service-extension profile-service-type
                             (lambda (config) (list (nftables-configuration-package config))))))
   (default-value (nftables-configuration))
   (description "Run nftables, loading a firewall ruleset into the kernel.")))

;;; iptables (Guix manual, "Networking Services"): rules restored into the
;;; host kernel's firewall (the host's).

(define %iptables-accept-all-rules
  (plain-file "iptables.rules" "*filter
:INPUT ACCEPT
:FORWARD ACCEPT
:OUTPUT ACCEPT
COMMIT
"))

(define-record-type* <iptables-configuration> iptables-configuration
  make-iptables-configuration iptables-configuration?
  (iptables   iptables-configuration-iptables (default iptables))
  (ipv4-rules iptables-configuration-ipv4-rules (default %iptables-accept-all-rules))
  (ipv6-rules iptables-configuration-ipv6-rules (default %iptables-accept-all-rules)))

(define iptables-service-type
  (service-type
   (name 'iptables)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (list (shepherd-service
                                      (provision '(iptables))
                                      (requirement '())
                                      (documentation "Load the iptables rules (the host kernel's firewall).")
                                      (one-shot? #t)
                                      (start #~(lambda _
                                                 (and (zero? (system* #$(file-append
                                                                         (iptables-configuration-iptables config)
                                                                         "/sbin/iptables-restore")
                                                                      #$(iptables-configuration-ipv4-rules config)))
                                                      (zero? (system* #$(file-append
                                                                         (iptables-configuration-iptables config)
                                                                         "/sbin/ip6tables-restore")
                                                                      #$(iptables-configuration-ipv6-rules config))))))))))))
   (default-value (iptables-configuration))
   (description "Load iptables rules into the kernel at boot.")))
