;; A GNOME desktop, the way Guix's graphical installer writes one: the
;; project's own test configuration, using the modules and idioms of the
;; public configs schemy is measured against.
(use-modules (gnu))
(use-service-modules cups desktop networking ssh xorg)

(operating-system
  (locale "en_US.utf8")
  (timezone "Europe/Berlin")
  (keyboard-layout (keyboard-layout "de" "nodeadkeys"))
  (host-name "schreibtisch")

  (users (cons* (user-account
                  (name "anna")
                  (comment "Anna")
                  (group "users")
                  (home-directory "/home/anna")
                  (supplementary-groups '("wheel" "netdev" "audio" "video")))
                %base-user-accounts))

  (packages (append (list (specification->package "emacs")
                          (specification->package "git")
                          (specification->package "nss-certs"))
                    %base-packages))

  (services
   (append (list (service gnome-desktop-service-type)
                 (service openssh-service-type)
                 (service cups-service-type
                          (cups-configuration
                           (web-interface? #t)
                           (default-paper-size "A4")))
                 (set-xorg-configuration
                  (xorg-configuration (keyboard-layout keyboard-layout))))
           (modify-services %desktop-services
             (gdm-service-type config =>
                               (gdm-configuration
                                (inherit config)
                                (auto-login? #t)
                                (default-user "anna"))))))

  (bootloader (bootloader-configuration
                (bootloader grub-efi-bootloader)
                (targets (list "/boot/efi"))
                (keyboard-layout keyboard-layout)))

  (mapped-devices (list (mapped-device
                          (source (uuid "0e7ac3d2-7ba5-4d83-b32b-4b7bd35e9f7a"))
                          (target "cryptroot")
                          (type luks-device-mapping))))

  (file-systems (cons* (file-system
                         (mount-point "/")
                         (device "/dev/mapper/cryptroot")
                         (type "ext4")
                         (dependencies mapped-devices))
                       (file-system
                         (mount-point "/boot/efi")
                         (device (uuid "1A2B-3C4D" 'fat32))
                         (type "vfat"))
                       %base-file-systems)))
