;; A small web server: nginx in front of an application, PostgreSQL and
;; Redis behind it, a firewall, Tor for an onion address, dnsmasq for the
;; LAN, Syncthing for backups.  The project's own test configuration.
(use-modules (gnu))
(use-service-modules databases dns networking ssh syncthing web)

(operating-system
  (host-name "netz")
  (timezone "Europe/Vienna")
  (locale "de_AT.utf8")
  (bootloader (bootloader-configuration
                (bootloader grub-bootloader)
                (targets '("/dev/vda"))))
  (file-systems (cons (file-system
                        (mount-point "/")
                        (device (file-system-label "root"))
                        (type "ext4"))
                      %base-file-systems))
  (users (cons (user-account
                 (name "ops")
                 (group "users")
                 (supplementary-groups '("wheel")))
               %base-user-accounts))
  (services
   (cons* (service dhcp-client-service-type)
          (service openssh-service-type)
          (service nftables-service-type)
          (service nginx-service-type
                   (nginx-configuration
                    (server-blocks
                     (list (nginx-server-configuration
                            (listen '("80"))
                            (server-name '("netz.example.org"))
                            (root "/srv/www")
                            (locations
                             (list (nginx-location-configuration
                                    (uri "/app/")
                                    (body '("proxy_pass http://127.0.0.1:8000;"))))))))))
          (service postgresql-service-type
                   (postgresql-configuration
                    (config-file (postgresql-config-file
                                  (log-destination "stderr")
                                  (extra-config '(("shared_buffers" "128MB")))))))
          (service redis-service-type)
          (service tor-service-type)
          (tor-hidden-service "web" '((80 "127.0.0.1:80")))
          (service dnsmasq-service-type
                   (dnsmasq-configuration
                    (listen-addresses '("192.168.1.1"))
                    (servers '("9.9.9.9"))))
          (service syncthing-service-type
                   (syncthing-configuration (user "ops")))
          %base-services)))
