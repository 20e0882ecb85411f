;; The qemu-binfmt example of the manual: transparent emulation of the ARM
;; and aarch64 platforms.  `herd stop qemu-binfmt' turns it off and
;; `herd start qemu-binfmt' turns it back on.
(use-modules (gnu))
(use-service-modules virtualization)

(operating-system
  ;; (The manual describes only the service; these are the minimum an
  ;; operating-system needs around it.)
  (host-name "binfmt-host")
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets '("/dev/sda"))))
  (file-systems (cons (file-system
                        (mount-point "/")
                        (device "/dev/sda1")
                        (type "ext4"))
                      %base-file-systems))
  (services (cons (service qemu-binfmt-service-type
                           (qemu-binfmt-configuration
                            (platforms (lookup-qemu-platforms "arm" "aarch64"))))
                  %base-services)))
