;;; schemy --- The bootloader of (gnu packages raspberry-pi): GRUB chained
;;; after U-Boot's EFI API (what Guix's Raspberry Pi templates use).  Only
;;; installed by `guix system init' on the board itself.

(use-modules (gnu bootloader) (gnu bootloader grub))

(define-public grub-efi-bootloader-chain-raspi-64
  (bootloader
   (inherit grub-efi-netboot-bootloader)
   (name 'grub-efi-bootloader-chain-raspi-64)))
