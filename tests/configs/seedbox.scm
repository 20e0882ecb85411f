;; A home seedbox: Transmission with a password-protected RPC interface open
;; to the local network, queues and speed limits; Apache proxies its web
;; interface.
(use-modules (gnu))
(use-service-modules file-sharing networking ssh web)

(operating-system
  (host-name "seedbox")
  (timezone "Europe/Lisbon")
  (bootloader (bootloader-configuration
               (bootloader grub-efi-bootloader)
               (targets '("/boot/efi"))
               (timeout 1.2)))
  (file-systems (cons* (file-system
                         (device (file-system-label "root"))
                         (mount-point "/")
                         (type "ext4"))
                       %base-file-systems))
  (services (cons* (service dhcp-client-service-type)
                   (service openssh-service-type)
                   (service transmission-daemon-service-type
                            (transmission-daemon-configuration
                             (download-dir "/srv/torrents")
                             (rpc-authentication-required? #t)
                             (rpc-username "seeder")
                             (rpc-password "{0123456789abcdef0123456789abcdef01234567aBcDeFgH")
                             (rpc-whitelist '("127.0.0.1" "192.168.1.*"))
                             (umask #o002)
                             (encryption 'require-encrypted-connections)
                             (alt-speed-time-day '(saturday sunday))
                             (speed-limit-up-enabled? #t)
                             (speed-limit-up (* 16 1024))
                             (ratio-limit-enabled? #t)
                             (ratio-limit 3)))
                   (simple-service 'torrent-web httpd-service-type
                                   (list (httpd-virtualhost
                                          "*:8080"
                                          (list "ServerName seedbox.lan\n"
                                                "ProxyPass / http://127.0.0.1:9091/\n"))))
                   (service httpd-service-type
                            (httpd-configuration
                             (config
                              (httpd-config-file
                               (listen '("8080"))
                               (modules (cons* (httpd-module (name "proxy_module")
                                                             (file "modules/mod_proxy.so"))
                                               (httpd-module (name "proxy_http_module")
                                                             (file "modules/mod_proxy_http.so"))
                                               %default-httpd-modules))))))
                   %base-services)))
