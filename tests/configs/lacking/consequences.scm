;; One mistake in a definition: uses of the name it would have defined are not reported again.
(use-modules (gnu))

(define %my-packages
  (list not-a-package))

(operating-system
  (host-name "consequence")
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets '("/dev/sda"))))
  (file-systems (cons (file-system
                        (device (file-system-label "root"))
                        (mount-point "/")
                        (type "ext4"))
                      %base-file-systems))
  (packages (append %my-packages %base-packages)))
