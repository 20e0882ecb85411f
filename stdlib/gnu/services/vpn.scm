;;; schemy --- VPN services (Guix manual, "VPN Services"): OpenVPN client and
;;; server (openvpn.conf and the server's client-config-dir as Guix writes
;;; them), strongSwan (strongswan.conf and its strongswan.d), Bitmask, and
;;; WireGuard, with the wg-quick configuration file Guix writes.  Bringing a
;;; WireGuard interface up is the host's networking: realized, shown as
;;; provided by the host.

(define-module (gnu services vpn)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (gnu services configuration)
  #:use-module (gnu services dbus)
  #:use-module (gnu system shadow)
  #:use-module (guix deprecation)
  #:use-module (ice-9 regex)
  #:use-module ((gnu packages admin) #:select (shadow))
  #:use-module ((gnu packages vpn) #:select (wireguard-tools openvpn strongswan bitmask))
  #:export (openvpn-client-service          ;deprecated
            openvpn-server-service          ;deprecated
            openvpn-client-service-type
            openvpn-server-service-type
            openvpn-client-configuration
            openvpn-client-configuration?
            openvpn-server-configuration
            openvpn-server-configuration?
            openvpn-remote-configuration
            openvpn-remote-configuration?
            openvpn-ccd-configuration
            openvpn-ccd-configuration?
            openvpn-config-file
            generate-openvpn-client-documentation
            generate-openvpn-server-documentation

            strongswan-configuration
            strongswan-configuration?
            strongswan-configuration-strongswan
            strongswan-configuration-ipsec-conf
            strongswan-configuration-ipsec-secrets
            strongswan-configuration-file
            strongswan-service-type

            bitmask-service-type

            wireguard-peer
            wireguard-peer?
            wireguard-peer-name
            wireguard-peer-endpoint
            wireguard-peer-allowed-ips
            wireguard-peer-public-key
            wireguard-peer-preshared-key
            wireguard-peer-keep-alive

            wireguard-configuration
            wireguard-configuration?
            wireguard-configuration-wireguard
            wireguard-configuration-interface
            wireguard-configuration-addresses
            wireguard-configuration-port
            wireguard-configuration-dns
            wireguard-configuration-monitor-ips?
            wireguard-configuration-monitor-ips-interval
            wireguard-configuration-private-key
            wireguard-configuration-bootstrap-private-key?
            wireguard-configuration-peers
            wireguard-configuration-pre-up
            wireguard-configuration-post-up
            wireguard-configuration-pre-down
            wireguard-configuration-post-down
            wireguard-configuration-shepherd-requirement
            wireguard-configuration-table
            wireguard-configuration-auto-start?
            wireguard-service-type
            wireguard-configuration-text))

;;; Bitmask: the application in the system profile, its polkit policy.

(define bitmask-service-type
  (service-type
   (name 'bitmask)
   (extensions
    (list (service-extension profile-service-type list)
          (service-extension polkit-service-type list)))
   (default-value bitmask)
   (description "Install the Bitmask VPN application and its polkit policy.")))

;;; OpenVPN.  Each field is one line of openvpn.conf, "NAME VALUE": a
;;; boolean's name loses its `?' and is followed by a space when true,
;;; `verbosity' is `verb', and the pid file is given on the command line.

(define (openvpn-option name value)
  (if (eq? name 'pid-file)
      ""
      (let* ((str (if (eq? name 'verbosity) "verb" (symbol->string name)))
             (str (if (string-suffix? "?" str)
                      (substring str 0 (- (string-length str) 1))
                      str)))
        (string-append str " " (if (string? value) value (object->string value)) "\n"))))

(define serialize-string openvpn-option)
(define-maybe string)
(define (serialize-boolean name value) (if value (openvpn-option name "") ""))
(define (serialize-number name value) (openvpn-option name (number->string value)))

(define (proto? value) (and (memq value '(udp tcp udp6 tcp6)) #t))
(define serialize-proto openvpn-option)
(define (dev? value) (and (memq value '(tun tap)) #t))
(define serialize-dev openvpn-option)

(define (dotted-numbers-below? text limits)
  (let ((numbers (map string->number (string-tokenize text char-set:digit))))
    (and (= (length numbers) (length limits))
         (every <= numbers limits))))

(define (ip-mask? value)
  "Whether VALUE is \"A.B.C.D M.M.M.M\", an address and its netmask."
  (and (string? value)
       (string-match "^([0-9]+\\.){3}[0-9]+ ([0-9]+\\.){3}[0-9]+$" value)
       (dotted-numbers-below? value '(255 255 255 255 255 255 255 255))))
(define serialize-ip-mask openvpn-option)

(define (cidr6? value)
  (or (not value)
      (and (string? value)
           (string-match "^([0-9a-f]{0,4}:){0,8}/[0-9]{1,3}$" value)
           #t)))
(define (serialize-cidr6 name value) (if value (openvpn-option name value) ""))

(define key-usage? boolean?)
(define (serialize-key-usage name value) (if value "remote-cert-tls server\n" ""))
(define bind? boolean?)
(define (serialize-bind name value) (if value "" "nobind\n"))
(define resolv-retry? boolean?)
(define (serialize-resolv-retry name value) (if value "resolv-retry infinite\n" ""))
(define gateway? boolean?)
(define (serialize-gateway name value) (if value "push \"redirect-gateway\"\n" ""))

(define (tls-auth? value) (or (not value) (string? value)))
(define tls-auth-client? tls-auth?)
(define tls-auth-server? tls-auth?)
;; The key direction: 1 on a client, 0 on a server.
(define (serialize-tls-auth-client name value)
  (if value (openvpn-option 'tls-auth (string-append value " 1")) ""))
(define (serialize-tls-auth-server name value)
  (if value (openvpn-option 'tls-auth (string-append value " 0")) ""))

(define (keepalive? value)
  (and (list? value) (>= (length value) 2) (number? (car value)) (number? (cadr value))))
(define (serialize-keepalive name value)
  (string-append "keepalive " (number->string (car value)) " "
                 (number->string (cadr value)) "\n"))

(define-configuration openvpn-remote-configuration
  (name (string "my-server") "The server's host name or address.")
  (port (number 1194) "The server's port."))

(define-configuration openvpn-ccd-configuration
  (name (string "client") "The client's name: the name of its file in client-config-dir.")
  (iroute (ip-mask #f) "The client's own network, routed to it.")
  (ifconfig-push (ip-mask #f) "The client's address in the VPN."))

(define (openvpn-remote-list? value)
  (and (list? value) (every openvpn-remote-configuration? value)))
(define (serialize-openvpn-remote-list name remotes)
  (string-concatenate
   (map (lambda (remote)
          (string-append "remote " (openvpn-remote-configuration-name remote) " "
                         (number->string (openvpn-remote-configuration-port remote)) "\n"))
        remotes)))

(define (openvpn-ccd-list? value)
  (and (list? value) (every openvpn-ccd-configuration? value)))
;; Written as a directory of files, named by client-config-dir at the end.
(define (serialize-openvpn-ccd-list name value) "")

(define-syntax define-openvpn-configurations
  ;; The client and server records: the common fields, then each one's own.
  (syntax-rules ()
    ((_ client server (common ...) (client-only ...) (server-only ...))
     (begin
       (define-configuration client common ... client-only ...)
       (define-configuration server common ... server-only ...)))))

(define-openvpn-configurations openvpn-client-configuration openvpn-server-configuration
  ((openvpn (file-like openvpn) "The OpenVPN package.")
   (pid-file (string "/var/run/openvpn/openvpn.pid") "Where the daemon writes its process id.")
   (proto (proto 'udp) "The transport: udp, tcp, udp6 or tcp6.")
   (dev (dev 'tun) "The kind of virtual device: tun or tap.")
   (ca (maybe-string "/etc/openvpn/ca.crt") "The certificate authority's certificate.")
   (cert (maybe-string "/etc/openvpn/client.crt") "This machine's certificate, signed by ca.")
   (key (maybe-string "/etc/openvpn/client.key") "The private key of cert.")
   (comp-lzo? (boolean #t) "Whether to compress with LZO.")
   (persist-key? (boolean #t) "Keep the keys across SIGUSR1 and ping restarts.")
   (persist-tun? (boolean #t) "Keep the device open across SIGUSR1 and ping restarts.")
   (fast-io? (boolean #f) "Write to the device without polling first (experimental).")
   (verbosity (number 3) "The log level."))
  ((tls-auth (tls-auth-client #f) "A static key file for HMAC authentication of the TLS channel.")
   (auth-user-pass maybe-string "A file with the user name and password, on two lines.")
   (verify-key-usage? (key-usage #t) "Whether the server's certificate must be for server use.")
   (bind? (bind #f) "Whether to bind to a local port.")
   (resolv-retry? (resolv-retry #t) "Whether to keep retrying to resolve the server's name.")
   (remote (openvpn-remote-list '()) "The servers to connect to."))
  ((tls-auth (tls-auth-server #f) "A static key file for HMAC authentication of the TLS channel.")
   (port (number 1194) "The port the server listens on.")
   (server (ip-mask "10.8.0.0 255.255.255.0") "The VPN's subnet, as an address and mask.")
   (server-ipv6 (cidr6 #f) "The VPN's IPv6 subnet, in CIDR notation.")
   (dh (string "/etc/openvpn/dh2048.pem") "The Diffie-Hellman parameters.")
   (ifconfig-pool-persist (string "/etc/openvpn/ipp.txt") "Where the clients' addresses are kept.")
   (redirect-gateway? (gateway #f) "Whether clients route all their traffic through the server.")
   (client-to-client? (boolean #f) "Whether clients may reach each other.")
   (keepalive (keepalive '(10 120)) "The ping period and the timeout after which the peer is down.")
   (max-clients (number 100) "The most clients at once.")
   (status (string "/var/run/openvpn/status") "The status file, rewritten every minute.")
   (client-config-dir (openvpn-ccd-list '()) "Per-client settings.")))

(define (openvpn-ccd-directory ccds)
  "The client-config-dir directory: one file per client of CCDS, named after it."
  (let ((files (map (lambda (ccd)
                      (list (openvpn-ccd-configuration-name ccd)
                            (serialize-configuration ccd openvpn-ccd-configuration-fields)))
                    ccds)))
    (computed-file "ccd"
                   #~(begin
                       (mkdir #$output)
                       (for-each (lambda (file)
                                   (call-with-output-file (string-append #$output "/" (car file))
                                     (lambda (port) (display (cadr file) port))))
                                 '#$files)))))

(define (openvpn-config-file role config)
  "The openvpn.conf of CONFIG, for ROLE 'client or 'server."
  (let ((text (serialize-configuration config
                                       (if (eq? role 'server)
                                           openvpn-server-configuration-fields
                                           openvpn-client-configuration-fields))))
    (if (eq? role 'server)
        (mixed-text-file "openvpn.conf" text
                         "client-config-dir "
                         (openvpn-ccd-directory
                          (openvpn-server-configuration-client-config-dir config))
                         "\n")
        (plain-file "openvpn.conf" (string-append "client\n" text)))))

(define (openvpn-shepherd-service role)
  (lambda (config)
    (let ((pid-file (if (eq? role 'server)
                        (openvpn-server-configuration-pid-file config)
                        (openvpn-client-configuration-pid-file config)))
          (openvpn (if (eq? role 'server)
                       (openvpn-server-configuration-openvpn config)
                       (openvpn-client-configuration-openvpn config))))
      (list (shepherd-service
             (provision (if (eq? role 'server) '(vpn-server) '(vpn-client)))
             (requirement '(user-processes networking))
             (documentation (string-append "Run the OpenVPN " (symbol->string role) " daemon."))
             (start #~(make-forkexec-constructor
                       (list #$(file-append openvpn "/sbin/openvpn")
                             "--writepid" #$pid-file
                             "--config" #$(openvpn-config-file role config)
                             "--daemon")
                       #:pid-file #$pid-file
                       #:log-file #$(string-append "/var/log/openvpn-" (symbol->string role) ".log")))
             (stop #~(make-kill-destructor)))))))

(define %openvpn-accounts
  (list (user-group (name "openvpn") (system? #t))
        (user-account
         (name "openvpn")
         (group "openvpn")
         (system? #t)
         (comment "OpenVPN daemon user")
         (home-directory "/var/empty")
         (shell (file-append shadow "/sbin/nologin")))))

(define %openvpn-activation
  #~(mkdir-p "/var/run/openvpn"))

(define (openvpn-service-type role default description)
  (service-type
   (name (if (eq? role 'server) 'openvpn-server 'openvpn-client))
   (extensions
    (list (service-extension shepherd-root-service-type (openvpn-shepherd-service role))
          (service-extension account-service-type (const %openvpn-accounts))
          (service-extension activation-service-type (const %openvpn-activation))))
   (default-value default)
   (description description)))

(define openvpn-server-service-type
  (openvpn-service-type 'server (openvpn-server-configuration)
                        "Run an OpenVPN server, hosting a virtual private network."))

(define openvpn-client-service-type
  (openvpn-service-type 'client (openvpn-client-configuration)
                        "Run an OpenVPN client, connecting to a virtual private network."))

(define-deprecated (openvpn-client-service #:key (config (openvpn-client-configuration)))
  openvpn-client-service-type
  (service openvpn-client-service-type config))

(define-deprecated (openvpn-server-service #:key (config (openvpn-server-configuration)))
  openvpn-server-service-type
  (service openvpn-server-service-type config))

(define (generate-openvpn-server-documentation)
  (string-append (generate-documentation openvpn-server-configuration-fields) "\n"
                 (generate-documentation openvpn-ccd-configuration-fields)))

(define (generate-openvpn-client-documentation)
  (string-append (generate-documentation openvpn-client-configuration-fields) "\n"
                 (generate-documentation openvpn-remote-configuration-fields)))

;;; strongSwan: strongswan.conf loads every plugin of strongswan.d/charon and,
;;; with ipsec.conf and ipsec.secrets given, the stroke plugin reading them.

(define-record-type* <strongswan-configuration> strongswan-configuration
  make-strongswan-configuration strongswan-configuration?
  (strongswan    strongswan-configuration-strongswan (default strongswan))
  ;; ipsec.conf and ipsec.secrets: both file names, or both #f.
  (ipsec-conf    strongswan-configuration-ipsec-conf (default #f))
  (ipsec-secrets strongswan-configuration-ipsec-secrets (default #f)))

(define %strongswan.d-files
  '("charon" "charon-logging" "pki" "pool" "scepclient" "swanctl" "tnc"))

(define %charon-plugins
  '("aes" "aesni" "attr" "attr-sql" "chapoly" "cmac" "constraints" "counters" "curl"
    "curve25519" "dhcp" "dnskey" "drbg" "eap-aka-3gpp" "eap-aka" "eap-dynamic"
    "eap-identity" "eap-md5" "eap-mschapv2" "eap-peap" "eap-radius"
    "eap-simaka-pseudonym" "eap-simaka-reauth" "eap-simaka-sql" "eap-sim"
    "eap-sim-file" "eap-tls" "eap-tnc" "eap-ttls" "ext-auth" "farp" "fips-prf" "gmp"
    "ha" "hmac" "kernel-netlink" "led" "md4" "md5" "mgf1" "nonce" "openssl" "pem"
    "pgp" "pkcs12" "pkcs1" "pkcs7" "pkcs8" "pubkey" "random" "rc2" "resolve"
    "revocation" "sha1" "sha2" "socket-default" "soup" "sql" "sqlite" "sshkey"
    "tnc-tnccs" "vici" "x509" "xauth-eap" "xauth-generic" "xauth-noauth" "xauth-pam"
    "xcbc"))

(define strongswan.d
  (computed-file "strongswan.d"
                 #~(begin
                     (mkdir #$output)
                     (mkdir (string-append #$output "/charon"))
                     (for-each (lambda (name)
                                 (call-with-output-file (string-append #$output "/" name ".conf")
                                   (lambda (port)
                                     (display "# Created by 'strongswan-service'\n" port))))
                               '#$%strongswan.d-files)
                     (for-each (lambda (plugin)
                                 (call-with-output-file
                                     (string-append #$output "/charon/" plugin ".conf")
                                   (lambda (port)
                                     (display (string-append plugin " {\n  load = yes\n}") port))))
                               '#$%charon-plugins))))

(define (strongswan-configuration-file config)
  "The strongswan.conf of CONFIG."
  (let ((conf (strongswan-configuration-ipsec-conf config))
        (secrets (strongswan-configuration-ipsec-secrets config)))
    (unless (eq? (string? conf) (string? secrets))
      (error "strongSwan ipsec-conf and ipsec-secrets must both be (un)set"))
    (apply mixed-text-file "strongswan.conf"
           "# Generated by 'strongswan-service'.\n"
           "charon {\n  load_modular = yes\n  plugins {\n    include "
           strongswan.d "/charon/*.conf"
           (if conf
               (list "\n    stroke {\n      load = yes\n      secrets_file = " secrets
                     "\n    }\n  }\n}\n\nstarter {\n  config_file = " conf
                     "\n}\n\ninclude " strongswan.d "/*.conf")
               (list "\n  }\n}\ninclude " strongswan.d "/*.conf")))))

(define (strongswan-shepherd-service config)
  (list (shepherd-service
         (provision '(ipsec))
         (requirement '(user-processes networking))
         (documentation "Run strongSwan's charon, the IKE keying daemon of IPsec.")
         ;; Guix runs the strongswan package's ipsec, whatever the record's.
         (start #~(make-forkexec-constructor
                   (list #$(file-append strongswan "/sbin/ipsec") "start" "--nofork")
                   #:environment-variables
                   (list (string-append "STRONGSWAN_CONF="
                                        #$(strongswan-configuration-file config)))))
         (stop #~(make-kill-destructor)))))

(define strongswan-service-type
  (service-type
   (name 'strongswan)
   (extensions
    (list (service-extension shepherd-root-service-type strongswan-shepherd-service)))
   (default-value (strongswan-configuration))
   (description "Connect to an IPsec virtual private network with strongSwan.")))

(define-record-type* <wireguard-peer> wireguard-peer
  make-wireguard-peer wireguard-peer?
  (name          wireguard-peer-name)
  (endpoint      wireguard-peer-endpoint (default #f))
  (public-key    wireguard-peer-public-key)
  (preshared-key wireguard-peer-preshared-key (default #f))
  (allowed-ips   wireguard-peer-allowed-ips)
  (keep-alive    wireguard-peer-keep-alive (default #f)))

(define-record-type* <wireguard-configuration> wireguard-configuration
  make-wireguard-configuration wireguard-configuration?
  (wireguard              wireguard-configuration-wireguard (default wireguard-tools))
  (interface              wireguard-configuration-interface (default "wg0"))
  (addresses              wireguard-configuration-addresses (default '("10.0.0.1/32")))
  (port                   wireguard-configuration-port (default 51820))
  (dns                    wireguard-configuration-dns (default '()))
  (monitor-ips?           wireguard-configuration-monitor-ips? (default #f))
  (monitor-ips-interval   wireguard-configuration-monitor-ips-interval (default "*/5 * * * *"))
  (private-key            wireguard-configuration-private-key (default "/etc/wireguard/private.key"))
  (bootstrap-private-key? wireguard-configuration-bootstrap-private-key? (default #t))
  (peers                  wireguard-configuration-peers (default '()))
  (pre-up                 wireguard-configuration-pre-up (default '()))
  (post-up                wireguard-configuration-post-up (default '()))
  (pre-down               wireguard-configuration-pre-down (default '()))
  (post-down              wireguard-configuration-post-down (default '()))
  (shepherd-requirement   wireguard-configuration-shepherd-requirement (default '()))
  (table                  wireguard-configuration-table (default "auto"))
  (auto-start?            wireguard-configuration-auto-start? (default #t)))

(define (wireguard-configuration-text config)
  "The wg-quick file of CONFIG: [Interface], then one [Peer] per peer."
  (define (lines key values)
    (string-concatenate (map (lambda (v) (string-append key " = " v "\n")) values)))
  (string-append
   "[Interface]\n"
   "Address = " (string-join (wireguard-configuration-addresses config) ",") "\n"
   "Table = " (wireguard-configuration-table config) "\n"
   "PostUp = " (wireguard-configuration-wireguard-path config) " set %i private-key "
   (wireguard-configuration-private-key config) "\n"
   (lines "PreUp" (wireguard-configuration-pre-up config))
   (lines "PostUp" (wireguard-configuration-post-up config))
   (lines "PreDown" (wireguard-configuration-pre-down config))
   (lines "PostDown" (wireguard-configuration-post-down config))
   (let ((port (wireguard-configuration-port config)))
     (if port (string-append "ListenPort = " (number->string port) "\n") ""))
   (let ((dns (wireguard-configuration-dns config)))
     (if (null? dns) "" (string-append "DNS = " (string-join dns ",") "\n")))
   (string-concatenate
    (map (lambda (peer)
           (string-append
            "\n[Peer] #" (wireguard-peer-name peer) "\n"
            "PublicKey = " (wireguard-peer-public-key peer) "\n"
            "AllowedIPs = " (string-join (wireguard-peer-allowed-ips peer) ",") "\n"
            (let ((e (wireguard-peer-endpoint peer))) (if e (string-append "Endpoint = " e "\n") ""))
            (let ((k (wireguard-peer-preshared-key peer)))
              (if k (string-append "PresharedKey = " k "\n") ""))
            (let ((k (wireguard-peer-keep-alive peer)))
              (if k (string-append "PersistentKeepalive = " (number->string k) "\n") ""))))
         (wireguard-configuration-peers config)))))

(define (wireguard-configuration-wireguard-path config)
  "wg")

(define wireguard-service-type
  (service-type
   (name 'wireguard)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (let ((interface (wireguard-configuration-interface config)))
                                 (list (shepherd-service
                                        (provision (list (string->symbol (string-append "wireguard-" interface))))
                                        (requirement (cons 'networking
                                                           (wireguard-configuration-shepherd-requirement config)))
                                        (documentation "Bring up a WireGuard interface (the host's networking).")
                                        (auto-start? (wireguard-configuration-auto-start? config))
                                        (one-shot? #t)
                                        (start #~(lambda _
                                                   (zero? (system* #$(file-append
                                                                      (wireguard-configuration-wireguard config)
                                                                      "/bin/wg-quick")
                                                                   "up"
                                                                   #$(plain-file (string-append interface ".conf")
                                                                                 (wireguard-configuration-text
                                                                                  config)))))))))))
          (service-extension profile-service-type
                             (lambda (config) (list (wireguard-configuration-wireguard config))))))
   (description "Set up a WireGuard VPN interface.")))
