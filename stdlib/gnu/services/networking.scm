;;; schemy --- Networking services.
;;;
;;; Dynamic addressing with a DHCP client and time synchronization with NTP
;;; or OpenNTPD; the connection managers (NetworkManager, ConnMan, iwd), Wi-Fi
;;; access points (hostapd), inetd, Tor, OpenDHT, Open vSwitch, PageKite,
;;; Yggdrasil, IPFS, Keepalived and the firewalls.
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
  #:use-module ((gnu packages linux) #:select (nftables iptables util-linux))
  #:use-module ((gnu packages networking) #:select (iwd openvswitch pagekite yggdrasil opendht))
  #:use-module ((gnu packages ipfs) #:select (kubo))
  #:use-module ((gnu packages cluster) #:select (keepalived))
  #:use-module ((gnu packages dns) #:select (openresolv))
  #:use-module ((gnu services linux) #:select (kernel-module-loader-service-type))
  #:use-module (gnu services configuration)
  #:use-module ((gnu home services utils) #:select (object->camel-case-string))
  #:use-module (guix deprecation)
  #:use-module (srfi srfi-1)
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
            dhcp-client-configuration-version
            dhcpd-configuration-lease-file
            wpa-supplicant-configuration-shepherd-provision
            wpa-supplicant-configuration-shepherd-requirement
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
            %iptables-accept-all-rules

            %facebook-host-aliases          ;deprecated
            block-facebook-hosts-service-type

            ntp-allow-large-adjustment?
            %openntpd-servers
            openntpd-configuration
            openntpd-configuration?
            openntpd-service-type

            inetd-configuration
            inetd-configuration?
            inetd-configuration-program
            inetd-configuration-entries
            inetd-entry
            inetd-entry?
            inetd-entry-node
            inetd-entry-name
            inetd-entry-socket-type
            inetd-entry-protocol
            inetd-entry-wait?
            inetd-entry-user
            inetd-entry-program
            inetd-entry-arguments
            inetd-service-type

            opendht-configuration
            opendht-configuration?
            opendht-configuration-peer-discovery?
            opendht-configuration-verbose?
            opendht-configuration-bootstrap-host
            opendht-configuration-port
            opendht-configuration-proxy-server-port
            opendht-configuration-proxy-server-port-tls
            opendht-configuration->command-line-arguments
            opendht-shepherd-service
            opendht-service-type

            tor-configuration-tor
            tor-configuration-config-file
            tor-configuration-hidden-services
            tor-configuration-socks-socket-type
            tor-configuration-control-socket-path
            tor-configuration-transport-plugins
            tor-configuration-auto-start
            tor-onion-service-configuration?
            tor-onion-service-configuration-name
            tor-onion-service-configuration-mapping
            tor-transport-plugin
            tor-transport-plugin?
            tor-plugin-role
            tor-plugin-protocol
            tor-plugin-program

            network-manager-configuration-shepherd-requirement
            connman-general-configuration
            connman-general-configuration?
            connman-configuration-connman
            connman-configuration-shepherd-requirement
            connman-configuration-disable-vpn?
            connman-configuration-iwd?
            usb-modeswitch-configuration-usb-modeswitch
            usb-modeswitch-configuration-usb-modeswitch-data
            wpa-supplicant-configuration-wpa-supplicant
            wpa-supplicant-configuration-requirement
            wpa-supplicant-configuration-pid-file
            wpa-supplicant-configuration-dbus?
            wpa-supplicant-configuration-interface
            wpa-supplicant-configuration-config-file
            wpa-supplicant-configuration-extra-options

            iwd-configuration
            iwd-configuration?
            iwd-configuration-config
            iwd-configuration-ignored-interfaces
            iwd-configuration-ignored-phys
            iwd-configuration-interfaces
            iwd-configuration-iwd
            iwd-configuration-phys
            iwd-configuration-shepherd-provision
            iwd-configuration-shepherd-requirement
            iwd-service-type
            iwd-general-settings
            iwd-network-settings
            iwd-scan-settings
            iwd-settings
            iwd-generate-documentation

            hostapd-configuration
            hostapd-configuration?
            hostapd-configuration-package
            hostapd-configuration-interface
            hostapd-configuration-ssid
            hostapd-configuration-broadcast-ssid?
            hostapd-configuration-channel
            hostapd-configuration-driver
            hostapd-configuration-extra-settings
            hostapd-service-type
            simulated-wifi-service-type

            openvswitch-service-type
            openvswitch-configuration

            pagekite-service-type
            pagekite-configuration
            pagekite-configuration?
            pagekite-configuration-package
            pagekite-configuration-kitename
            pagekite-configuration-kitesecret
            pagekite-configuration-frontend
            pagekite-configuration-kites
            pagekite-configuration-extra-file

            yggdrasil-service-type
            yggdrasil-configuration
            yggdrasil-configuration?
            yggdrasil-configuration-autoconf?
            yggdrasil-configuration-config-file
            yggdrasil-configuration-log-level
            yggdrasil-configuration-log-to
            yggdrasil-configuration-json-config
            yggdrasil-configuration-package

            ipfs-service-type
            ipfs-configuration
            ipfs-configuration?
            ipfs-configuration-package
            ipfs-configuration-gateway
            ipfs-configuration-api

            keepalived-configuration
            keepalived-configuration?
            keepalived-service-type))

;;; DHCP client.

(define-record-type* <dhcp-client-configuration> dhcp-client-configuration
  make-dhcp-client-configuration dhcp-client-configuration?
  (package              dhcp-client-configuration-package (default isc-dhcp))
  (config-file          dhcp-client-configuration-config-file (default #f))
  (interfaces           dhcp-client-configuration-interfaces (default 'all)) ;'all or list
  (shepherd-requirement dhcp-client-configuration-shepherd-requirement (default '()))
  (shepherd-provision   dhcp-client-configuration-shepherd-provision
                        (default '(networking)))
  ;; "4", "6" or "4o6".
  (version              dhcp-client-configuration-version (default "4")))

(define (dhcp-client-shepherd-service config)
  ;; The pid file is versioned, so that clients of several versions can run.
  (let* ((interfaces (dhcp-client-configuration-interfaces config))
         (config-file (dhcp-client-configuration-config-file config))
         (version (dhcp-client-configuration-version config))
         (pid-file (if (string=? version "4")
                       "/var/run/dhclient.pid"
                       (string-append "/var/run/dhclient-" version ".pid"))))
    (shepherd-service
     (provision (dhcp-client-configuration-shepherd-provision config))
     (requirement (cons 'udev (dhcp-client-configuration-shepherd-requirement config)))
     (documentation "Set up networking with DHCP: run dhclient, which obtains
addresses for the network interfaces.")
     (start #~(make-forkexec-constructor
               (list #$(file-append (dhcp-client-configuration-package config) "/sbin/dhclient")
                     ;; -I: standard DDNS, which non-ISC servers understand.
                     "-nw" "-I" #$(string-append "-" version) "-pf" #$pid-file
                     #$@(if config-file (list "-cf" config-file) '())
                     #$@(if (eq? interfaces 'all) '() interfaces))
               #:pid-file #$pid-file))
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
  (lease-file    dhcpd-configuration-lease-file (default "/var/db/dhcpd.leases"))
  (pid-file      dhcpd-configuration-pid-file (default "/run/dhcpd/dhcpd.pid"))
  (interfaces    dhcpd-configuration-interfaces (default '())))

(define (dhcpd-shepherd-service config)
  (let ((config-file (dhcpd-configuration-config-file config))
        (pid-file (dhcpd-configuration-pid-file config)))
    (unless config-file
      (error "dhcpd-configuration: the config-file field is required"))
    (list (shepherd-service
           ;; Guix's name, one per version (several may run), and schemy's.
           (provision (list (string->symbol
                             (string-append "dhcpv" (dhcpd-configuration-version config) "-daemon"))
                            'dhcpd))
           (requirement '(user-processes networking))
           (documentation "Run the ISC DHCP server.")
           (start #~(make-forkexec-constructor
                     (list #$(file-append (dhcpd-configuration-package config) "/sbin/dhcpd")
                           #$(string-append "-" (dhcpd-configuration-version config))
                           "-lf" #$(dhcpd-configuration-lease-file config)
                           "-pf" #$pid-file "-cf" #$config-file
                           #$@(dhcpd-configuration-interfaces config))
                     #:pid-file #$pid-file))
           (stop #~(make-kill-destructor))))))

(define (dhcpd-activation config)
  #~(begin
      (unless (file-exists? #$(dhcpd-configuration-run-directory config))
        (mkdir-p #$(dhcpd-configuration-run-directory config)))
      ;; dhcpd refuses to start without its lease file.
      (let ((leases #$(dhcpd-configuration-lease-file config)))
        (mkdir-p (dirname leases))
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

(define %ntp-accounts
  (list (user-account
         (name "ntpd")
         (group "nogroup")
         (system? #t)
         (comment "NTP daemon user")
         (home-directory "/var/empty")
         (create-home-directory? #f)
         (shell %nologin-shell))))

(define ntp-service-type
  (service-type
   (name 'ntp)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config) (list (ntp-shepherd-service config))))
          (service-extension account-service-type (const %ntp-accounts))))
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
                        (default '(wireless-daemon)))   ;as Guix: wpa-supplicant or iwd
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
  ;; Deprecated for shepherd-requirement: #f unless given.
  (requirement wpa-supplicant-configuration-requirement (default #f))
  (pid-file wpa-supplicant-configuration-pid-file (default "/var/run/wpa_supplicant.pid"))
  (dbus? wpa-supplicant-configuration-dbus? (default #t))
  (interface wpa-supplicant-configuration-interface (default #f))
  (config-file wpa-supplicant-configuration-config-file (default #f))
  (extra-options wpa-supplicant-configuration-extra-options (default '()))
  (shepherd-provision wpa-supplicant-configuration-shepherd-provision
                      (default '(wpa-supplicant wireless-daemon)))
  (shepherd-requirement wpa-supplicant-configuration-shepherd-requirement
                        (default '(user-processes loopback syslogd))))

(define wpa-supplicant-service-type
  (service-type
   (name 'wpa-supplicant)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (list (host-daemon-shepherd-service
                                      (wpa-supplicant-configuration-shepherd-provision config)
                                      (append (if (wpa-supplicant-configuration-dbus? config)
                                                  '(dbus-system)
                                                  '())
                                              (or (wpa-supplicant-configuration-requirement config)
                                                  (wpa-supplicant-configuration-shepherd-requirement
                                                   config)))
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

;;; ConnMan's main.conf: the [General] settings that are set, as
;;; "Name = value" lines.

(define (connman-general-configuration-field-name field-name)
  (let* ((camel (lambda (s) (string-concatenate (map string-capitalize (string-split s #\-)))))
         (str (if (symbol? field-name) (camel (symbol->string field-name)) field-name))
         (replace (lambda (from to)
                    (let ((i (string-contains str from)))
                      (string-append (substring str 0 i) to
                                     (substring str (+ i (string-length from))))))))
    (cond ((string-suffix? "?" str)
           (connman-general-configuration-field-name (substring str 0 (- (string-length str) 1))))
          ((string-contains str "RegulatoryDomain")
           (connman-general-configuration-field-name (replace "RegulatoryDomain" "Regdom")))
          ((string-contains str "Url")
           (connman-general-configuration-field-name (replace "Url" "URL")))
          ((string-contains str "Ip")
           (connman-general-configuration-field-name (replace "Ip" "IP")))
          ((string-contains str "6To4")
           (connman-general-configuration-field-name (replace "6To4" "6to4")))
          (else str))))

(define (connman-general-configuration-serialize-string field-name value)
  (string-append (connman-general-configuration-field-name field-name) " = " value "\n"))
(define (connman-general-configuration-serialize-number field-name value)
  (connman-general-configuration-serialize-string field-name (number->string value)))
(define (connman-general-configuration-serialize-list field-name value)
  (connman-general-configuration-serialize-string field-name (string-join value ",")))
(define (connman-general-configuration-serialize-boolean field-name value)
  (connman-general-configuration-serialize-string field-name (if value "true" "false")))

(define-maybe boolean (prefix connman-general-configuration-))
(define-maybe number (prefix connman-general-configuration-))
(define-maybe list (prefix connman-general-configuration-))
(define-maybe string (prefix connman-general-configuration-))

(define-configuration connman-general-configuration
  (input-request-timeout maybe-number "Seconds to wait for a user's input (default 120).")
  (browser-launch-timeout maybe-number "Seconds to wait for a browser to open (default 300).")
  (background-scanning? maybe-boolean "Whether to scan for networks in the background.")
  (use-gateways-as-timeservers? maybe-boolean "Whether the gateways are also time servers.")
  (fallback-timeservers maybe-list "Time servers used when none is known.")
  (fallback-nameservers maybe-list "Name servers used when none is known.")
  (default-auto-connect-technologies maybe-list "Technologies connected to automatically.")
  (default-favourite-technologies maybe-list "Technologies that are favourites.")
  (always-connected-technologies maybe-list "Technologies kept connected.")
  (preferred-technologies maybe-list "Technologies, most preferred first.")
  (network-interface-blacklist maybe-list "Prefixes of interfaces ConnMan leaves alone.")
  (allow-hostname-updates? maybe-boolean "Whether DHCP may change the host name.")
  (allow-domainname-updates? maybe-boolean "Whether DHCP may change the domain name.")
  (single-connected-technology? maybe-boolean "Whether only one technology is connected at once.")
  (tethering-technologies maybe-list "Technologies that may be tethered.")
  (persistent-tethering-mode? maybe-boolean "Whether tethering survives restarts.")
  (enable-6to4? maybe-boolean "Whether to use 6to4 tunnels.")
  (vendor-class-id maybe-string "The DHCP vendor class identifier.")
  (enable-online-check? maybe-boolean "Whether to check for Internet access.")
  (online-check-ipv4-url maybe-string "The URL of the IPv4 online check.")
  (online-check-ipv6-url maybe-string "The URL of the IPv6 online check.")
  (online-check-initial-interval maybe-number "The first interval between online checks.")
  (online-check-max-interval maybe-number "The longest interval between online checks.")
  (enable-online-to-ready-transition? maybe-boolean "Whether a failed check makes a service ready only.")
  (auto-connect-roaming-services? maybe-boolean "Whether to connect to roaming services.")
  (address-conflict-detection? maybe-boolean "Whether to detect IPv4 address conflicts.")
  (localtime maybe-string "The file that holds the local time zone.")
  (regulatory-domain-follows-timezone? maybe-boolean "Whether the wireless regulatory domain follows the time zone.")
  (resolv-conf maybe-string "The resolv.conf ConnMan writes.")
  (prefix connman-general-configuration-))

(define (connman-main.conf config)
  (mixed-text-file "main.conf" "[General]\n"
                   (serialize-configuration
                    (connman-configuration-general-configuration config)
                    connman-general-configuration-fields)))

(define-record-type* <connman-configuration> connman-configuration
  make-connman-configuration connman-configuration?
  (connman connman-configuration-connman (default connman))
  (shepherd-requirement connman-configuration-shepherd-requirement (default '()))
  (disable-vpn? connman-configuration-disable-vpn? (default #f))
  ;; Deprecated: 'iwd among shepherd-requirement says the same.
  (iwd? connman-configuration-iwd? (default #f))
  (general-configuration connman-configuration-general-configuration
                         (default (connman-general-configuration))))

(define (connman-shepherd-service config)
  ;; connmand with Guix's main.conf and options (the host's daemon: shown as
  ;; provided by the host).
  (let* ((requirement (connman-configuration-shepherd-requirement config))
         (iwd? (or (connman-configuration-iwd? config) (and (memq 'iwd requirement) #t)))
         (disable-vpn? (connman-configuration-disable-vpn? config)))
    (shepherd-service
     (provision '(connman networking))
     (requirement (append '(user-processes dbus-system loopback) requirement
                          (if (and iwd? (not (memq 'iwd requirement))) '(iwd) '())))
     (documentation "ConnMan, the connection manager (the host's).")
     (start #~(make-forkexec-constructor
               (list #$(file-append (connman-configuration-connman config) "/sbin/connmand")
                     (string-append "--config=" #$(connman-main.conf config))
                     "--nodaemon" "--nodnsproxy"
                     #$@(if disable-vpn? '("--noplugin=vpn") '())
                     #$@(if iwd? '("--wifi=iwd_agent") '()))
               #:log-file "/var/log/connman.log"))
     (stop #~(make-kill-destructor)))))

(define connman-service-type
  (service-type
   (name 'connman)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config) (list (connman-shepherd-service config))))
          (service-extension polkit-service-type
                             (lambda (config) (list (connman-configuration-connman config))))
          (service-extension dbus-root-service-type
                             (lambda (config) (list (connman-configuration-connman config))))
          (service-extension activation-service-type
                             (lambda (config)
                               #~(begin
                                   (mkdir-p "/var/lib/connman/")
                                   (unless #$(connman-configuration-disable-vpn? config)
                                     (mkdir-p "/var/lib/connman-vpn/")))))
          (service-extension profile-service-type
                             (lambda (config) (list (connman-configuration-connman config))))))
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
  "The lines Guix generates at the top of torrc: the defaults, the sockets, the onion
services (then come the transport plugins and the end marker)."
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
         (tor-configuration-hidden-services config)))))

(define (torrc config)
  "The torrc Guix writes: the generated lines, then the user's config-file appended."
  (computed-file
   "torrc"
   #~(begin
       (use-modules (ice-9 textual-ports))
       (call-with-output-file #$output
         (lambda (port)
           (display #$(torrc-generated config) port)
           (for-each (lambda (line) (display line port))
                     (list #$@(map tor-transport-plugin-line
                                   (tor-configuration-transport-plugins config))))
           (display "### End of automatically generated lines.\n\n" port)
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

;;; Blocking Facebook: its hosts resolve to unroutable addresses (RFC 5737's
;;; TEST-NET-3 and RFC 6666's discard prefix) in /etc/hosts.

(define %facebook-domains
  '("facebook.com" "www.facebook.com" "login.facebook.com" "www.login.facebook.com"
    "fbcdn.net" "www.fbcdn.net" "fbcdn.com" "www.fbcdn.com" "static.ak.fbcdn.net"
    "static.ak.connect.facebook.com" "connect.facebook.net" "www.connect.facebook.net"
    "apps.facebook.com"))

(define facebook-host-aliases
  (append-map (lambda (name)
                (list (host "203.0.113.1" name) (host "0100::" name)))
              %facebook-domains))

(define-deprecated %facebook-host-aliases block-facebook-hosts-service-type
  (string-concatenate
   (map (lambda (h) (string-append (host-address h) "\t" (host-canonical-name h) "\n"))
        facebook-host-aliases)))

(define block-facebook-hosts-service-type
  (service-type
   (name 'block-facebook-hosts)
   (extensions
    (list (service-extension hosts-service-type (const facebook-host-aliases))))
   (default-value #f)
   (description "Make the known Facebook hosts unreachable, in /etc/hosts.")))

;;; OpenNTPD: ntpd.conf has one "KEYWORD VALUE" line per value, in Guix's
;;; order; ntpd runs in the foreground, its output in /var/log/ntpd.log.

(define %openntpd-servers
  (map ntp-server-address %ntp-servers))

(define-record-type* <openntpd-configuration> openntpd-configuration
  make-openntpd-configuration openntpd-configuration?
  (openntpd         openntpd-configuration-openntpd (default openntpd))
  (listen-on        openntpd-listen-on (default '("127.0.0.1" "::1")))
  (query-from       openntpd-query-from (default '()))
  (sensor           openntpd-sensor (default '()))
  (server           openntpd-server (default '()))
  (servers          openntpd-servers (default %openntpd-servers))
  (constraint-from  openntpd-constraint-from (default '()))
  (constraints-from openntpd-constraints-from (default '())))

(define (openntpd-configuration->string config)
  "The ntpd.conf text of CONFIG."
  (let ((lines
         (append-map (lambda (keyword values)
                       (map (lambda (value)
                              (if (string=? keyword "constraints from")
                                  (string-append keyword " \"" value "\"")
                                  (string-append keyword " " value)))
                            values))
                     '("listen on" "query from" "sensor" "server" "servers"
                       "constraint from" "constraints from")
                     (list (openntpd-listen-on config) (openntpd-query-from config)
                           (openntpd-sensor config) (openntpd-server config)
                           (openntpd-servers config) (openntpd-constraint-from config)
                           (openntpd-constraints-from config)))))
    (string-append (string-join lines "\n") "\n")))

(define (openntpd-shepherd-service config)
  (let ((ntpd.conf (plain-file "ntpd.conf" (openntpd-configuration->string config))))
    (list (shepherd-service
           (provision '(ntpd))
           (requirement '(user-processes networking))
           (documentation "Run OpenNTPD, the Network Time Protocol daemon.")
           (start #~(make-forkexec-constructor
                     (list #$(file-append (openntpd-configuration-openntpd config) "/sbin/ntpd")
                           "-f" #$ntpd.conf "-d")
                     #:log-file "/var/log/ntpd.log"))
           (stop #~(make-kill-destructor))
           (actions (list (shepherd-configuration-action ntpd.conf)))))))

(define (openntpd-activation config)
  #~(begin
      (mkdir-p "/var/db")
      (mkdir-p "/var/run")
      (unless (file-exists? "/var/db/ntpd.drift")
        (call-with-output-file "/var/db/ntpd.drift"
          (lambda (port) (display "0.0" port))))))

(define openntpd-service-type
  (service-type
   (name 'openntpd)
   (extensions
    (list (service-extension shepherd-root-service-type openntpd-shepherd-service)
          (service-extension account-service-type (const %ntp-accounts))
          (service-extension profile-service-type
                             (lambda (config) (list (openntpd-configuration-openntpd config))))
          (service-extension activation-service-type openntpd-activation)))
   (default-value (openntpd-configuration))
   (description "Run OpenNTPD's ntpd, which keeps the clock synchronized with the given servers.")))

;;; Inetd: inetd.conf has one line per entry, "[NODE:]NAME TYPE PROTOCOL
;;; WAIT USER PROGRAM ARGUMENT...".  Services extend it with entries.

(define-record-type* <inetd-configuration> inetd-configuration
  make-inetd-configuration inetd-configuration?
  (program inetd-configuration-program (default (file-append inetutils "/libexec/inetd")))
  (entries inetd-configuration-entries (default '())))

(define-record-type* <inetd-entry> inetd-entry make-inetd-entry
  inetd-entry?
  (node        inetd-entry-node (default #f))
  ;; A service name of /etc/services.
  (name        inetd-entry-name)
  ;; stream, dgram, raw, rdm or seqpacket.
  (socket-type inetd-entry-socket-type)
  ;; A protocol of /etc/protocols.
  (protocol    inetd-entry-protocol)
  (wait?       inetd-entry-wait? (default #t))
  (user        inetd-entry-user)
  ;; A file name, a file-like object, or "internal".
  (program     inetd-entry-program (default "internal"))
  ;; Strings or file-like objects.
  (arguments   inetd-entry-arguments (default '())))

(define (inetd-entry-line entry)
  (let ((node (inetd-entry-node entry))
        (type (inetd-entry-socket-type entry)))
    (unless (memq type '(stream dgram raw rdm seqpacket))
      (error "inetd-entry: invalid socket type" type))
    (append (interpose (append (list (if node
                                         (string-append node ":" (inetd-entry-name entry))
                                         (inetd-entry-name entry))
                                     (symbol->string type)
                                     (inetd-entry-protocol entry)
                                     (if (inetd-entry-wait? entry) "wait" "nowait")
                                     (inetd-entry-user entry)
                                     (inetd-entry-program entry))
                               (inetd-entry-arguments entry))
                       " ")
            (list "\n"))))

(define (inetd-config-file entries)
  (apply mixed-text-file "inetd.conf" (append-map inetd-entry-line entries)))

(define (inetd-shepherd-service config)
  (let ((entries (inetd-configuration-entries config)))
    (if (null? entries)
        '()
        (list (shepherd-service
               (provision '(inetd))
               (requirement '(user-processes networking syslogd))
               (documentation "Run inetd, the Internet superserver.")
               (start #~(make-forkexec-constructor
                         (list #$(inetd-configuration-program config)
                               #$(inetd-config-file entries))
                         #:pid-file "/var/run/inetd.pid"))
               (stop #~(make-kill-destructor)))))))

(define inetd-service-type
  (service-type
   (name 'inetd)
   (extensions
    (list (service-extension shepherd-root-service-type inetd-shepherd-service)))
   (compose concatenate)
   (extend (lambda (config entries)
             (inetd-configuration
              (inherit config)
              (entries (append (inetd-configuration-entries config) entries)))))
   (description "Run inetd, which listens on Internet sockets and starts the
corresponding services on demand.")))

;;; OpenDHT: dhtnode in non-forking mode, as the opendht user.

(define-maybe/no-serialization number)
(define-maybe/no-serialization string)

(define-configuration/no-serialization opendht-configuration
  (opendht (file-like opendht) "The opendht package.")
  (peer-discovery? (boolean #f) "Whether to discover peers by local multicast.")
  (enable-logging? (boolean #f) "Whether to log to syslog.")
  (debug? (boolean #f) "Whether to log debugging messages (when logging).")
  (bootstrap-host (maybe-string "bootstrap.jami.net:4222")
                  "The HOST[:PORT] of the first node to connect to; unset: no bootstrap.")
  (port (maybe-number 4222) "The UDP port; unset: any free port.")
  (proxy-server-port maybe-number "The port of a proxy server to run.")
  (proxy-server-port-tls maybe-number "The port of a TLS proxy server to run."))

(define opendht-configuration-verbose? opendht-configuration-debug?)

(define %opendht-accounts
  (list (user-group (name "opendht") (system? #t))
        (user-account
         (name "opendht")
         (group "opendht")
         (system? #t)
         (comment "OpenDHT daemon user")
         (home-directory "/var/empty")
         (shell (file-append shadow "/sbin/nologin")))))

(define (opendht-configuration->command-line-arguments config)
  "The dhtnode command line of CONFIG (Guix runs it in a least-authority
wrapper; here the program itself)."
  (let ((host (opendht-configuration-bootstrap-host config))
        (port (opendht-configuration-port config))
        (proxy (opendht-configuration-proxy-server-port config))
        (proxy-tls (opendht-configuration-proxy-server-port-tls config)))
    `(,(file-append (opendht-configuration-opendht config) "/bin/dhtnode")
      "--service"
      ,@(if (string? host) (list "--bootstrap" host) '())
      ,@(if (opendht-configuration-enable-logging? config) '("--syslog") '())
      ,@(if (number? port) (list "--port" (number->string port)) '())
      ,@(if (opendht-configuration-debug? config) '("--verbose") '())
      ,@(if (opendht-configuration-peer-discovery? config) '("--peer-discovery") '())
      ,@(if (number? proxy) (list "--proxyserver" (number->string proxy)) '())
      ,@(if (number? proxy-tls) (list "--proxyserverssl" (number->string proxy-tls)) '()))))

(define (opendht-shepherd-service config)
  (shepherd-service
   (provision '(opendht dhtnode dhtproxy))
   (requirement '(user-processes networking syslogd))
   (documentation "Run an OpenDHT node.")
   (start #~(make-forkexec-constructor
             (list #$@(opendht-configuration->command-line-arguments config))
             #:user "opendht" #:group "opendht"))
   (stop #~(make-kill-destructor))))

(define opendht-service-type
  (service-type
   (name 'opendht)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config) (list (opendht-shepherd-service config))))
          (service-extension account-service-type (const %opendht-accounts))))
   (default-value (opendht-configuration))
   (description "Run dhtnode, a node of the OpenDHT distributed hash table
network, possibly as a proxy to it.")))

;;; Tor's pluggable transports: one "ClientTransportPlugin" or
;;; "ServerTransportPlugin" line each in torrc.

(define-record-type* <tor-transport-plugin> tor-transport-plugin
  make-tor-transport-plugin tor-transport-plugin?
  (role     tor-plugin-role (default 'client)
            (sanitize (field-checker (lambda (value) (memq value '(client server)))
                                     "tor-transport-plugin: invalid role ~s (expected client or server)")))
  (protocol tor-plugin-protocol (default "obfs4"))
  ;; The plugin's program: a file name or a file-like object.
  (program  tor-plugin-program))

(define (tor-transport-plugin-line plugin)
  #~(string-append #$(if (eq? (tor-plugin-role plugin) 'client) "Client" "Server")
                   "TransportPlugin " #$(tor-plugin-protocol plugin)
                   " exec " #$(tor-plugin-program plugin) "\n"))

;;; IWD: main.conf has a [General], a [Network] and, when set, a [Scan]
;;; section; keys are the fields' names in CamelCase.

(define (iwd-serialize-base field-name value)
  (format #f "~a=~a\n" field-name value))

(define (iwd-serialize-field field-name value)
  (iwd-serialize-base (object->camel-case-string field-name 'upper) value))

(define iwd-serialize-number iwd-serialize-field)

(define (iwd-serialize-boolean field-name value)
  (iwd-serialize-field (string-trim-right (symbol->string field-name) #\?)
                       (if value "true" "false")))

(define (iwd-serialize-alist field-name value)
  (string-concatenate (map (lambda (entry) (iwd-serialize-base (car entry) (cdr entry))) value)))

(define-enumerated-field-type resolving-service (none systemd resolvconf) (prefix iwd-))

(define-configuration iwd-general-settings
  (enable-network-configuration? (boolean #f) "Whether iwd configures the interfaces' addresses.")
  (extra-options (alist '()) "More options of the General group.")
  (prefix iwd-))

(define-configuration iwd-network-settings
  (enable-ipv6? (boolean #t) "Whether iwd configures IPv6 addresses and routes.")
  (name-resolving-service (resolving-service 'none) "How DNS settings are applied.")
  (extra-options (alist '()) "More options of the Network group.")
  (prefix iwd-))

(define-configuration iwd-scan-settings
  (disable-periodic-scan? (boolean #f) "Whether not to scan periodically while disconnected.")
  (initial-periodic-scan-interval (number 10) "The first interval between scans, in seconds.")
  (maximum-periodic-scan-interval (number 300) "The longest interval between scans, in seconds.")
  (disable-roaming-scan? (boolean #f) "Whether not to scan when roaming.")
  (extra-options (alist '()) "More options of the Scan group.")
  (prefix iwd-))

(define (maybe-iwd-network-settings? x) (or (unset-value? x) (iwd-network-settings? x)))
(define (maybe-iwd-scan-settings? x) (or (unset-value? x) (iwd-scan-settings? x)))

(define (iwd-section fields)
  (lambda (name settings)
    (if (maybe-value-set? settings)
        (string-append "[" (string-upcase (symbol->string name) 0 1) "]\n"
                       (serialize-configuration settings fields) "\n")
        "")))

(define-configuration iwd-settings
  (general (iwd-general-settings (iwd-general-settings)) "The General group."
           (serializer (iwd-section iwd-general-settings-fields)))
  (network (maybe-iwd-network-settings (iwd-network-settings)) "The Network group."
           (serializer (iwd-section iwd-network-settings-fields)))
  (scan maybe-iwd-scan-settings "The Scan group."
        (serializer (iwd-section iwd-scan-settings-fields)))
  (extra-config (list-of-strings '()) "Lines appended to main.conf."
                (serializer (lambda (_ value) (string-join value "\n" 'suffix)))))

(define-configuration/no-serialization iwd-configuration
  (iwd (file-like iwd) "The iwd package.")
  (interfaces (list-of-strings '()) "Glob patterns of the interfaces iwd manages.")
  (ignored-interfaces (list-of-strings '()) "Glob patterns of the interfaces iwd leaves alone.")
  (phys (list-of-strings '()) "Glob patterns of the PHYs iwd manages.")
  (ignored-phys (list-of-strings '()) "Glob patterns of the PHYs iwd leaves alone.")
  (shepherd-requirement (list-of-symbols '()) "More services iwd needs.")
  (shepherd-provision (list-of-symbols '(iwd wireless-daemon)) "The names of the service.")
  (config (iwd-settings (iwd-settings)) "The settings of main.conf."))

(define (iwd-config-file config)
  (plain-file "main.conf" (serialize-configuration (iwd-configuration-config config)
                                                   iwd-settings-fields)))

(define (iwd-shepherd-service config)
  (let* ((network (iwd-settings-network (iwd-configuration-config config)))
         (resolvconf? (and (maybe-value-set? network)
                           (eq? (iwd-network-settings-name-resolving-service network)
                                'resolvconf)))
         (option (lambda (name values)
                   (if (null? values) '() (list (string-append name (string-join values ",")))))))
    (list (shepherd-service
           (provision (iwd-configuration-shepherd-provision config))
           (requirement (append '(user-processes dbus-system loopback)
                                (iwd-configuration-shepherd-requirement config)))
           (documentation "Run iwd, the iNet Wireless Daemon.")
           (start #~(make-forkexec-constructor
                     (list #$(file-append (iwd-configuration-iwd config) "/libexec/iwd")
                           "--logger=syslog"
                           #$@(option "--interfaces=" (iwd-configuration-interfaces config))
                           #$@(option "--nointerfaces=" (iwd-configuration-ignored-interfaces config))
                           #$@(option "--phys=" (iwd-configuration-phys config))
                           #$@(option "--nophys=" (iwd-configuration-ignored-phys config)))
                     #:environment-variables
                     (list #$@(if resolvconf?
                                  (list #~(string-append "PATH=" #$openresolv "/sbin"))
                                  '()))))
           (stop #~(make-kill-destructor))))))

(define iwd-service-type
  (service-type
   (name 'iwd)
   (extensions
    (list (service-extension shepherd-root-service-type iwd-shepherd-service)
          (service-extension etc-service-type
                             (lambda (config) (list (list "iwd/main.conf" (iwd-config-file config)))))
          (service-extension dbus-root-service-type
                             (lambda (config) (list (iwd-configuration-iwd config))))
          (service-extension profile-service-type
                             (lambda (config) (list (iwd-configuration-iwd config))))))
   (default-value (iwd-configuration))
   (description "Run iwd, the iNet Wireless Daemon, a wireless network connection manager.")))

(define (iwd-generate-documentation)
  (string-join (map generate-documentation
                    (list iwd-configuration-fields iwd-settings-fields iwd-general-settings-fields
                          iwd-network-settings-fields iwd-scan-settings-fields))
               "\n"))

;;; hostapd, the Wi-Fi access point daemon, and its simulation with
;;; mac80211_hwsim.

(define-record-type* <hostapd-configuration> hostapd-configuration
  make-hostapd-configuration hostapd-configuration?
  (package         hostapd-configuration-package (default hostapd))
  (interface       hostapd-configuration-interface (default "wlan0"))
  (ssid            hostapd-configuration-ssid)
  (broadcast-ssid? hostapd-configuration-broadcast-ssid? (default #t))
  (channel         hostapd-configuration-channel (default 1))
  (driver          hostapd-configuration-driver (default "nl80211"))
  ;; Lines appended to hostapd.conf.
  (extra-settings  hostapd-configuration-extra-settings (default "")))

(define (hostapd-configuration-file config)
  (plain-file "hostapd.conf"
              (string-append
               "# Generated from your Guix configuration.\n\n"
               "interface=" (hostapd-configuration-interface config) "\n"
               "ssid=" (hostapd-configuration-ssid config) "\n"
               "ignore_broadcast_ssid=" (if (hostapd-configuration-broadcast-ssid? config) "0" "1") "\n"
               "channel=" (number->string (hostapd-configuration-channel config)) "\n"
               (hostapd-configuration-extra-settings config) "\n")))

(define* (hostapd-shepherd-services config #:key (requirement '()))
  (list (shepherd-service
         (provision '(hostapd))
         (requirement (cons 'user-processes requirement))
         (documentation "Run hostapd, the Wi-Fi access point daemon.")
         (start #~(make-forkexec-constructor
                   (list #$(file-append (hostapd-configuration-package config) "/sbin/hostapd")
                         #$(hostapd-configuration-file config))
                   #:log-file "/var/log/hostapd.log"))
         (stop #~(make-kill-destructor)))))

(define hostapd-service-type
  (service-type
   (name 'hostapd)
   (extensions
    (list (service-extension shepherd-root-service-type hostapd-shepherd-services)))
   (description "Run hostapd, the daemon of Wi-Fi access points and authentication servers.")))

(define (simulated-wifi-shepherd-services config)
  (append (hostapd-shepherd-services config
                                     #:requirement '(unblocked-wifi kernel-module-loader))
          (list (shepherd-service
                 (provision '(unblocked-wifi))
                 (requirement '(file-systems kernel-module-loader))
                 (documentation "Unblock the Wi-Fi devices of mac80211_hwsim.")
                 (one-shot? #t)
                 (start #~(lambda _
                            (invoke #$(file-append util-linux "/sbin/rfkill") "unblock" "0")
                            (invoke #$(file-append util-linux "/sbin/rfkill") "unblock" "1")))))))

(define simulated-wifi-service-type
  (service-type
   (name 'simulated-wifi)
   (extensions
    (list (service-extension shepherd-root-service-type simulated-wifi-shepherd-services)
          (service-extension kernel-module-loader-service-type (const '("mac80211_hwsim")))))
   (default-value (hostapd-configuration (interface "wlan1") (ssid "Test Network")))
   (description "Simulate Wi-Fi with mac80211_hwsim and hostapd.")))

;;; Open vSwitch: its database server, then the switch daemon.

(define-record-type* <openvswitch-configuration> openvswitch-configuration
  make-openvswitch-configuration openvswitch-configuration?
  (package openvswitch-configuration-package (default openvswitch)))

(define (openvswitch-activation config)
  #~(begin
      (mkdir-p "/var/run/openvswitch")
      (mkdir-p "/var/lib/openvswitch")
      (unless (file-exists? "/var/lib/openvswitch/conf.db")
        (system* #$(file-append (openvswitch-configuration-package config) "/bin/ovsdb-tool")
                 "create" "/var/lib/openvswitch/conf.db"))))

(define (openvswitch-shepherd-service config)
  (let ((package (openvswitch-configuration-package config)))
    (list (shepherd-service
           (provision '(ovsdb))
           (requirement '(user-processes))
           (documentation "Run the Open vSwitch database server.")
           (start #~(make-forkexec-constructor
                     (list #$(file-append package "/sbin/ovsdb-server") "--pidfile"
                           "--remote=punix:/var/run/openvswitch/db.sock")
                     #:pid-file "/var/run/openvswitch/ovsdb-server.pid"))
           (stop #~(make-kill-destructor)))
          (shepherd-service
           (provision '(vswitchd))
           (requirement '(user-processes ovsdb))
           (documentation "Run the Open vSwitch daemon.")
           (start #~(make-forkexec-constructor
                     (list #$(file-append package "/sbin/ovs-vswitchd") "--pidfile")
                     #:pid-file "/var/run/openvswitch/ovs-vswitchd.pid"))
           (stop #~(make-kill-destructor))))))

(define openvswitch-service-type
  (service-type
   (name 'openvswitch)
   (extensions
    (list (service-extension activation-service-type openvswitch-activation)
          (service-extension profile-service-type
                             (lambda (config) (list (openvswitch-configuration-package config))))
          (service-extension shepherd-root-service-type openvswitch-shepherd-service)))
   (default-value (openvswitch-configuration))
   (description "Run Open vSwitch, a multilayer virtual switch.")))

;;; PageKite: pagekite.rc, and pagekite run as root dropping to the pagekite
;;; user (Guix also confines it in a least-authority wrapper).

(define-record-type* <pagekite-configuration> pagekite-configuration
  make-pagekite-configuration pagekite-configuration?
  (package    pagekite-configuration-package (default pagekite))
  (kitename   pagekite-configuration-kitename (default #f))
  (kitesecret pagekite-configuration-kitesecret (default #f))
  ;; #f: PageKite's own front ends ("defaults").
  (frontend   pagekite-configuration-frontend (default #f))
  (kites      pagekite-configuration-kites (default '("http:@kitename:localhost:80:@kitesecret")))
  ;; A file of more options, kept out of the store.
  (extra-file pagekite-configuration-extra-file (default #f)))

(define (pagekite-configuration-file config)
  (let ((kitename (pagekite-configuration-kitename config))
        (kitesecret (pagekite-configuration-kitesecret config))
        (frontend (pagekite-configuration-frontend config))
        (extra-file (pagekite-configuration-extra-file config)))
    (mixed-text-file "pagekite.rc"
                     (if extra-file (string-append "optfile = " extra-file "\n") "")
                     (if kitename (string-append "kitename = " kitename "\n") "")
                     (if kitesecret (string-append "kitesecret = " kitesecret "\n") "")
                     (if frontend (string-append "frontend = " frontend "\n") "defaults\n")
                     (string-join (map (lambda (kite) (string-append "service_on = " kite))
                                       (pagekite-configuration-kites config))
                                  "\n" 'suffix))))

(define (pagekite-shepherd-service config)
  (let ((config-file (pagekite-configuration-file config)))
    (shepherd-service
     (provision '(pagekite))
     (requirement '(user-processes networking))
     (documentation "Run PageKite.")
     (actions (list (shepherd-configuration-action config-file)))
     (start #~(make-forkexec-constructor
               (list #$(file-append (pagekite-configuration-package config) "/bin/pagekite")
                     "--clean" "--nullui" "--nocrashreport" "--runas=pagekite:pagekite"
                     (string-append "--optfile=" #$config-file))
               #:log-file "/var/log/pagekite.log"))
     (stop #~(make-kill-destructor SIGINT)))))

(define %pagekite-accounts
  (list (user-group (name "pagekite") (system? #t))
        (user-account
         (name "pagekite")
         (group "pagekite")
         (system? #t)
         (comment "PageKite user")
         (home-directory "/var/empty")
         (shell (file-append shadow "/sbin/nologin")))))

(define pagekite-service-type
  (service-type
   (name 'pagekite)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config) (list (pagekite-shepherd-service config))))
          (service-extension account-service-type (const %pagekite-accounts))))
   (default-value (pagekite-configuration))
   (description "Run PageKite, which makes local servers reachable from the
web, even behind NATs and firewalls.")))

;;; Yggdrasil: its public settings are a JSON file (keys in CamelCase), the
;;; private ones (keys) a file outside the store.

(define-record-type* <yggdrasil-configuration> yggdrasil-configuration
  make-yggdrasil-configuration yggdrasil-configuration?
  (package     yggdrasil-configuration-package (default yggdrasil))
  ;; An alist, as guile-json takes (vectors are arrays).
  (json-config yggdrasil-configuration-json-config (default '()))
  (config-file yggdrasil-config-file (default "/etc/yggdrasil-private.conf"))
  (autoconf?   yggdrasil-configuration-autoconf? (default #f))
  (log-level   yggdrasil-configuration-log-level (default 'info))
  (log-to      yggdrasil-configuration-log-to (default 'stdout)))

(define yggdrasil-configuration-config-file yggdrasil-config-file)

(define (json-string text)
  "TEXT as a JSON string, as guile-json writes it (non-ASCII as \\u escapes)."
  (string-append
   "\""
   (string-concatenate
    (map (lambda (c)
           (let ((n (char->integer c)))
             (cond ((char=? c #\") "\\\"")
                   ((char=? c #\\) "\\\\")
                   ((char=? c #\newline) "\\n")
                   ((char=? c #\return) "\\r")
                   ((char=? c #\tab) "\\t")
                   ((char=? c #\backspace) "\\b")
                   ((char=? c #\page) "\\f")
                   ((or (< n 32) (> n 126))
                    (if (> n #xffff)
                        (let ((m (- n #x10000)))
                          (string-append
                           (format #f "\\u~4,'0x" (+ #xd800 (quotient m #x400)))
                           (format #f "\\u~4,'0x" (+ #xdc00 (remainder m #x400)))))
                        (format #f "\\u~4,'0x" n)))
                   (else (string c)))))
         (string->list text)))
   "\""))

(define (scm->json-text x)
  "X as compact JSON: alists are objects, vectors arrays, 'null null."
  (cond ((eq? x #t) "true")
        ((eq? x #f) "false")
        ((eq? x 'null) "null")
        ((string? x) (json-string x))
        ((symbol? x) (json-string (symbol->string x)))
        ((exact-integer? x) (number->string x))
        ((real? x) (number->string (exact->inexact x)))
        ((vector? x) (string-append "[" (string-join (map scm->json-text (vector->list x)) ",") "]"))
        ((list? x)
         (string-append "{"
                        (string-join (map (lambda (entry)
                                            (string-append (json-string (if (symbol? (car entry))
                                                                            (symbol->string (car entry))
                                                                            (car entry)))
                                                           ":" (scm->json-text (cdr entry))))
                                          x)
                                     ",")
                        "}"))
        (else (error "not representable in JSON" x))))

(define (scm->yggdrasil-json x)
  "X with its symbol keys in CamelCase, as Yggdrasil names its settings."
  (define (camel str) (string-concatenate (map string-capitalize (string-split str #\-))))
  (cond ((and (pair? x) (not (list? x)))
         (cons (if (symbol? (car x)) (camel (symbol->string (car x))) (car x))
               (cdr x)))
        ((list? x) (map scm->yggdrasil-json x))
        ((vector? x) (list->vector (map scm->yggdrasil-json (vector->list x))))
        (else x)))

(define (yggdrasil-configuration-file config)
  (plain-file "yggdrasil.conf"
              (string-append "# Generated by yggdrasil-service\n"
                             (scm->json-text
                              (scm->yggdrasil-json (yggdrasil-configuration-json-config config))))))

(define (yggdrasil-shepherd-service config)
  (let ((extra (yggdrasil-config-file config)))
    (list (shepherd-service
           (provision '(yggdrasil))
           (requirement '(networking))
           (documentation "Connect to the Yggdrasil mesh network.")
           (start #~(make-forkexec-constructor
                     (list #$(file-append (yggdrasil-configuration-package config) "/bin/yggdrasil")
                           "-useconffile" #$(yggdrasil-configuration-file config)
                           #$@(if (yggdrasil-configuration-autoconf? config) '("-autoconf") '())
                           #$@(if extra (list "-extraconffile" extra) '())
                           "-loglevel" #$(symbol->string (yggdrasil-configuration-log-level config))
                           "-logto" #$(symbol->string (yggdrasil-configuration-log-to config)))
                     #:log-file "/var/log/yggdrasil.log"
                     #:group "yggdrasil"))
           (stop #~(make-kill-destructor))))))

(define yggdrasil-service-type
  (service-type
   (name 'yggdrasil)
   (extensions
    (list (service-extension shepherd-root-service-type yggdrasil-shepherd-service)
          (service-extension account-service-type
                             (const (list (user-group (name "yggdrasil") (system? #t)))))
          (service-extension profile-service-type
                             (lambda (config) (list (yggdrasil-configuration-package config))))))
   (description "Connect to the Yggdrasil mesh network (see yggdrasil -genconf
for its settings).")))

;;; IPFS: kubo's daemon as the ipfs user, its repository in /var/lib/ipfs,
;;; initialized and given its gateway and API addresses at activation.

(define-record-type* <ipfs-configuration> ipfs-configuration
  make-ipfs-configuration ipfs-configuration?
  (package ipfs-configuration-package (default kubo))
  (gateway ipfs-configuration-gateway (default "/ip4/127.0.0.1/tcp/8082"))
  (api     ipfs-configuration-api (default "/ip4/127.0.0.1/tcp/5001")))

(define %ipfs-home "/var/lib/ipfs")

(define %ipfs-accounts
  (list (user-account
         (name "ipfs")
         (group "ipfs")
         (system? #t)
         (comment "IPFS daemon user")
         (home-directory %ipfs-home)
         (shell (file-append shadow "/sbin/nologin")))
        (user-group (name "ipfs") (system? #t))))

(define (ipfs-shepherd-service config)
  (list (shepherd-service
         (provision '(ipfs))
         (requirement '(user-processes loopback))
         (documentation "Connect to the IPFS network.")
         (start #~(make-forkexec-constructor
                   (list #$(file-append (ipfs-configuration-package config) "/bin/ipfs") "daemon")
                   #:log-file "/var/log/ipfs.log"
                   #:user "ipfs" #:group "ipfs"
                   #:environment-variables (list #$(string-append "HOME=" %ipfs-home))))
         (stop #~(make-kill-destructor)))))

(define (ipfs-activation config)
  ;; As the ipfs user: "ipfs init", then the two addresses.
  (let ((ipfs (file-append (ipfs-configuration-package config) "/bin/ipfs")))
    #~(let ((user (getpwnam "ipfs")))
        (define (as-ipfs . args)
          (let ((pid (primitive-fork)))
            (if (zero? pid)
                (dynamic-wind
                  (const #t)
                  (lambda ()
                    (setgroups #())
                    (setgid (passwd:gid user))
                    (setuid (passwd:uid user))
                    (environ (list #$(string-append "HOME=" %ipfs-home)))
                    (umask #o077)
                    (apply execl #$ipfs "ipfs" args))
                  (lambda () (primitive-exit 127)))
                (waitpid pid))))
        (as-ipfs "init")
        (as-ipfs "config" "Addresses.API" #$(ipfs-configuration-api config))
        (as-ipfs "config" "Addresses.Gateway" #$(ipfs-configuration-gateway config)))))

(define ipfs-service-type
  (service-type
   (name 'ipfs)
   (extensions
    (list (service-extension account-service-type (const %ipfs-accounts))
          (service-extension activation-service-type ipfs-activation)
          (service-extension shepherd-root-service-type ipfs-shepherd-service)))
   (default-value (ipfs-configuration))
   (description "Run the IPFS daemon (kubo), a node of the IPFS peer-to-peer storage network.")))

;;; Keepalived, with the configuration file the user gives.

(define-record-type* <keepalived-configuration> keepalived-configuration
  make-keepalived-configuration keepalived-configuration?
  (keepalived           keepalived-configuration-keepalived (default keepalived))
  (config-file          keepalived-configuration-config-file (default #f))
  (shepherd-requirement keepalived-configuration-shepherd-requirement
                        (default '(networking user-processes))))

(define (keepalived-shepherd-service config)
  (list (shepherd-service
         (provision '(keepalived))
         (requirement (keepalived-configuration-shepherd-requirement config))
         (documentation "Run keepalived.")
         (respawn? #f)
         (start #~(make-forkexec-constructor
                   (list #$(file-append (keepalived-configuration-keepalived config) "/sbin/keepalived")
                         "--dont-fork" "--log-console" "--log-detail"
                         "--pid=/var/run/keepalived.pid"
                         (string-append "--use-file=" #$(keepalived-configuration-config-file config)))
                   #:pid-file "/var/run/keepalived.pid"
                   #:log-file "/var/log/keepalived.log"))
         (stop #~(make-kill-destructor)))))

(define keepalived-service-type
  (service-type
   (name 'keepalived)
   (extensions
    (list (service-extension shepherd-root-service-type keepalived-shepherd-service)))
   (description "Run Keepalived, the routing software (VRRP, load balancing).")))

;;; Guix's names for some accessors.
(define ntp-allow-large-adjustment? ntp-configuration-allow-large-adjustment?)
(define tor-configuration-control-socket-path tor-configuration-control-socket?)
(define tor-configuration-auto-start tor-configuration-auto-start?)

;; Names Guix's module exports too.
(export dhcpcd-configuration-client-id dhcpcd-configuration-command-arguments
        dhcpcd-configuration-duid dhcpcd-configuration-extra-content
        dhcpcd-configuration-host-name dhcpcd-configuration-interfaces
        dhcpcd-configuration-no-hook dhcpcd-configuration-no-option
        dhcpcd-configuration-option dhcpcd-configuration-persistent?
        dhcpcd-configuration-require dhcpcd-configuration-shepherd-requirement
        dhcpcd-configuration-slaac dhcpcd-configuration-static
        dhcpcd-configuration-vendor-class-id iptables-configuration-iptables
        iptables-configuration-ipv4-rules iptables-configuration-ipv6-rules
        nftables-configuration-debug-levels nftables-configuration-package
        nftables-configuration-ruleset)
