(use-modules (gnu))
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
  (users (cons (user-account (comment "Alice") (group "users"))
               %base-user-accounts))
  (services %base-services))
