;; A home server: SSH guarded by fail2ban, a WireGuard tunnel, MPD for the
;; living room, certbot behind nginx, an rsync module for backups and
;; unattended upgrades.  The project's own test configuration.
(use-modules (gnu))
(use-service-modules admin audio certbot networking rsync security ssh vpn web)

(operating-system
  (host-name "heimserver")
  (timezone "Europe/Berlin")
  (locale "de_DE.utf8")
  (bootloader (bootloader-configuration
                (bootloader grub-efi-bootloader)
                (targets '("/boot/efi"))))
  (file-systems (cons* (file-system
                         (mount-point "/")
                         (device (file-system-label "root"))
                         (type "ext4"))
                       (file-system
                         (mount-point "/boot/efi")
                         (device (uuid "AB12-CD34" 'fat))
                         (type "vfat"))
                       %base-file-systems))
  (services
   (cons* (service dhcpcd-service-type)
          (service (fail2ban-jail-service
                    openssh-service-type
                    (fail2ban-jail-configuration
                     (name "sshd")
                     (max-retry 5)
                     (ban-time "1h")
                     (ban-time-increment? #t)))
                   (openssh-configuration (password-authentication? #f)))
          (service wireguard-service-type
                   (wireguard-configuration
                    (addresses '("10.8.0.1/24"))
                    (peers (list (wireguard-peer
                                  (name "phone")
                                  (public-key "c2NoZW15LXRlc3Qta2V5LW5vdC1hLXJlYWwtb25lPQ==")
                                  (allowed-ips '("10.8.0.2/32")))))))
          (service mpd-service-type
                   (mpd-configuration
                    (music-directory "/srv/music")
                    (outputs (list (mpd-output (name "Wohnzimmer") (type "alsa"))))))
          (service nginx-service-type)
          (service certbot-service-type
                   (certbot-configuration
                    (email "admin@heim.example")
                    (certificates (list (certificate-configuration
                                         (domains '("heim.example" "www.heim.example")))))))
          (service rsync-service-type
                   (rsync-configuration
                    (modules (list (rsync-module (name "backup") (file-name "/srv/backup")
                                                 (read-only? #f))))))
          (service unattended-upgrade-service-type)
          %base-services)))
