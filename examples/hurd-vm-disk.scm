;; The hurd-vm example of the manual: a childhurd whose disk image is big
;; enough to build GNU Hello, with some extra memory.
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
                            (disk-size (* 5000 (expt 2 20))) ;5G
                            (memory-size 1024)))             ;1024MiB
                  %base-services)))
