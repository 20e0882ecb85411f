(use-modules (gnu))
(define lonely-target (service-type (name 'lonely-target) (extensions '()) (description "no default")))
(define needy (service-type (name 'needy) (extensions (list (service-extension lonely-target (const '())))) (default-value #t) (description "x")))
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
  (services (cons (service needy) %base-services)))
