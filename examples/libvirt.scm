;; The libvirt example of the manual: a user who may manage virtual machines
;; (member of the "libvirt" group) and the libvirt daemon listening for TLS
;; connections on port 16555.
(use-modules (gnu))
(use-service-modules virtualization)

(operating-system
  ;; (The manual shows only the two fragments below; these are the minimum
  ;; an operating-system needs around them.)
  (host-name "libvirt-host")
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets '("/dev/sda"))))
  (file-systems (cons (file-system
                        (mount-point "/")
                        (device "/dev/sda1")
                        (type "ext4"))
                      %base-file-systems))

  (users (cons (user-account
                (name "user")
                (group "users")
                (supplementary-groups '("libvirt"
                                        "audio" "video" "wheel")))
               %base-user-accounts))
  (services (cons (service libvirt-service-type
                           (libvirt-configuration
                            (tls-port "16555")))
                  %base-services)))
