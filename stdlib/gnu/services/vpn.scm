;;; schemy --- VPN services (Guix manual, "VPN Services"): WireGuard, with
;;; the wg-quick configuration file Guix writes.  Bringing an interface up
;;; is the host's networking: realized, shown as provided by the host.

(define-module (gnu services vpn)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module ((gnu packages vpn) #:select (wireguard-tools))
  #:export (wireguard-configuration
            wireguard-configuration?
            wireguard-peer
            wireguard-peer?
            wireguard-service-type
            wireguard-configuration-text))

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
