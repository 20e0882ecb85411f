;; The second build VM example of the manual: a Westmere CPU with 8 cores and
;; 1 GiB of memory, started when the system boots.
(use-modules (gnu))
(use-service-modules virtualization)

(operating-system
  ;; (The manual shows only the service; these are the minimum an
  ;; operating-system needs around it.)
  (host-name "build-host")
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets '("/dev/sda"))))
  (file-systems (cons (file-system
                        (mount-point "/")
                        (device "/dev/sda1")
                        (type "ext4"))
                      %base-file-systems))
  (services (cons (service virtual-build-machine-service-type
                           (virtual-build-machine
                            (cpu "Westmere")
                            (cpu-count 8)
                            (memory-size (* 1 1024))
                            (auto-start? #t)))
                  %base-services)))
