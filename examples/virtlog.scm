;; The virtlog example of the manual: virtlogd accepting at most 1000 clients.
(use-modules (gnu))
(use-service-modules virtualization)

(operating-system
  ;; (The manual shows only the service; these are the minimum an
  ;; operating-system needs around it.)
  (host-name "virtlog-host")
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets '("/dev/sda"))))
  (file-systems (cons (file-system
                        (mount-point "/")
                        (device "/dev/sda1")
                        (type "ext4"))
                      %base-file-systems))
  (services (cons (service virtlog-service-type
                           (virtlog-configuration
                            (max-clients 1000)))
                  %base-services)))
