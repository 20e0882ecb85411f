(use-modules (gnu))
(use-service-modules networking)
(operating-system
  (host-name "bad")
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets '("/dev/sda"))))
  (file-systems (cons (file-system
                        (mount-point "/")
                        (device "/dev/sda1")
                        (type "ext4"))
                      %base-file-systems))
  (services (append (list (service static-networking-service-type
                               (list %loopback-static-networking))
                      (service static-networking-service-type
                               (list %loopback-static-networking)))
              %base-services)))
