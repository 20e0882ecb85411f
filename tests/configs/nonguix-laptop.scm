;; A laptop on the nonguix channel: the kernel with its firmware and CPU
;; microcode, a tiling window manager under SDDM, TLP and thermald, Docker
;; and Nix.  The project's own test configuration.
(use-modules (gnu)
             (gnu services sddm)
             (nongnu packages linux)
             (nongnu system linux-initrd))
(use-service-modules desktop docker networking nix pm sound xorg)
(use-package-modules emacs shells wm xdisorg xorg)

(define %user "kim")

(operating-system
  (kernel linux)
  (initrd microcode-initrd)
  (firmware (list linux-firmware))
  (host-name "klapprechner")
  (timezone "Europe/Warsaw")
  (locale "pl_PL.utf8")
  (keyboard-layout (keyboard-layout "pl" #:options '("ctrl:nocaps")))

  (users (cons (user-account
                 (name %user)
                 (group "users")
                 (shell (file-append zsh "/bin/zsh"))
                 (supplementary-groups '("wheel" "netdev" "audio" "video" "docker")))
               %base-user-accounts))

  (packages (append (list sway i3-wm rofi emacs xterm zsh
                          (specification->package "firefox"))
                    %base-packages))

  (services
   (cons* (service sddm-service-type
                   (sddm-configuration
                    (theme "maldives")
                    (auto-login-user %user)
                    (xorg-configuration
                     (xorg-configuration (keyboard-layout keyboard-layout)))))
          (service tlp-service-type
                   (tlp-configuration
                    (cpu-scaling-governor-on-ac (list "performance"))
                    (cpu-scaling-governor-on-bat (list "powersave"))
                    (start-charge-thresh-bat0 75)
                    (stop-charge-thresh-bat0 90)))
          (service thermald-service-type)
          (service bluetooth-service-type
                   (bluetooth-configuration (auto-enable? #t)))
          (service containerd-service-type)
          (service docker-service-type)
          (service nix-service-type
                   (nix-configuration
                    (extra-config (list "experimental-features = nix-command flakes\n"))))
          (modify-services %desktop-services
            (delete gdm-service-type)
            (network-manager-service-type config =>
                                          (network-manager-configuration
                                           (inherit config)
                                           (dns "dnsmasq"))))))

  (bootloader (bootloader-configuration
                (bootloader grub-efi-bootloader)
                (targets '("/boot/efi"))
                (keyboard-layout keyboard-layout)))
  (file-systems (cons* (file-system
                         (mount-point "/")
                         (device (file-system-label "guix"))
                         (type "btrfs"))
                       (file-system
                         (mount-point "/boot/efi")
                         (device (uuid "F00D-CAFE" 'fat))
                         (type "vfat"))
                       %base-file-systems)))
