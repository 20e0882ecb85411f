;; The first build VM example of the manual: a virtual build machine with the
;; default settings, started with `herd start build-vm'.
(use-modules (gnu services virtualization))

(operating-system
  ;; …
  ;; (The manual elides these fields; they are the minimum an
  ;; operating-system needs.)
  (host-name "build-host")
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets '("/dev/sda"))))
  (file-systems (cons (file-system
                        (mount-point "/")
                        (device "/dev/sda1")
                        (type "ext4"))
                      %base-file-systems))
  (services (append (list (service virtual-build-machine-service-type))
                    %base-services)))
