;;; schemy --- Boot loaders.

(define-module (gnu packages bootloaders)
  #:use-module (guix packages)
  #:export (grub
            grub-minimal
            grub-efi
            grub-efi32
            grub-hybrid
            efibootmgr
            syslinux))

(define %grub-programs
  `(,@(host-programs "sbin" '("grub-install" "grub-mkconfig" "grub-reboot"
                              "grub-set-default")
                     "grub2-common")
    ,@(host-programs "bin" '("grub-mkimage" "grub-mkrescue" "grub-mkstandalone"
                             "grub-editenv" "grub-file" "grub-mkpasswd-pbkdf2"
                             "grub-script-check")
                     "grub-common")))

(define grub
  (package
    (name "grub")
    (version "2.12")
    (home-page "https://www.gnu.org/software/grub/")
    (synopsis "GRand Unified Boot loader")
    (description
     "GRUB is a multiboot boot loader: it finds the kernels on the disks,
offers a menu of them and boots the chosen one, with a shell for
recovering broken systems.  This is the variant for BIOS machines.")
    (license 'gpl3+)
    (debian-package "grub-pc-bin")
    (programs %grub-programs)))

(define grub-minimal
  (package
    (inherit grub)
    (name "grub-minimal")
    (synopsis "GRand Unified Boot loader (minimal build)")))

(define grub-efi
  (package
    (inherit grub)
    (name "grub-efi")
    (synopsis "GRand Unified Boot loader (UEFI version)")
    (description
     "GRUB, built to be started by UEFI firmware rather than by a BIOS.")
    (debian-package "grub-efi-amd64-bin")))

(define grub-efi32
  (package
    (inherit grub-efi)
    (name "grub-efi32")
    (synopsis "GRand Unified Boot loader (UEFI 32bit version)")
    (debian-package "grub-efi-ia32-bin")))

(define grub-hybrid
  (package
    (inherit grub)
    (name "grub-hybrid")
    (synopsis "GRand Unified Boot loader (hybrid legacy BIOS/UEFI version)")))

(define efibootmgr
  (package
    (name "efibootmgr")
    (version "18")
    (home-page "https://github.com/rhboot/efibootmgr")
    (synopsis "Modify the Extensible Firmware Interface (EFI) boot manager")
    (description "efibootmgr shows and changes the boot entries of UEFI
firmware.")
    (license 'gpl2+)
    (debian-package "efibootmgr")
    (programs '("sbin/efibootmgr"))))

(define syslinux
  (package
    (name "syslinux")
    (version "6.04-pre")
    (home-page "https://www.syslinux.org")
    (synopsis "Lightweight Linux bootloader")
    (description "Syslinux boots Linux from FAT, ext and ISO 9660 file
systems.")
    (license 'gpl2+)
    (debian-package "extlinux")
    (programs '("sbin/extlinux"))))
