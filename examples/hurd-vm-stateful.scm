;; The stateful childhurd of the manual: a writable image outside the store,
;; run without --snapshot so that its contents survive a restart.
(use-modules (gnu))
(use-service-modules virtualization)

(operating-system
  ;; (The manual shows only the service; these are the minimum an
  ;; operating-system needs around it.)
  (host-name "hurd-host")
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets '("/dev/sda"))))
  (file-systems (cons (file-system
                        (mount-point "/")
                        (device "/dev/sda1")
                        (type "ext4"))
                      %base-file-systems))
  (services (cons (service hurd-vm-service-type
                           (hurd-vm-configuration
                            (image   (const "/out/of/store/writable/hurd.img"))
                            (options '())))
                  %base-services)))
