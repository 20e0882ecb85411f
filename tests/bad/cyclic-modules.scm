(use-modules (gnu) (bad cycle-a))
(operating-system
  (host-name "bad")
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets '("/dev/sda"))))
  (file-systems %base-file-systems))
