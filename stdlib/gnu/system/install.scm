;;; schemy --- (gnu system install): the operating system of Guix's
;;; installation images, which configs inherit to make their own installer
;;; (`(operating-system (inherit installation-os) ...)').
;;;
;;; Its fields are Guix's: host name "gnu", a password-less "guest" in wheel,
;;; live file systems (the image's root by label, /tmp on tmpfs), empty
;;; passwords allowed by PAM, passwd as the only setuid program, the disk
;;; utilities next to the base packages, and the installation services that
;;; are not the installer program itself: six consoles (tty3-tty6 logged in as
;;; root after a pause), avahi, guix with its keys authorized, udev, console
;;; fonts, gpm, an SSH server that does not start by itself, a minimal nscd,
;;; /bin/sh, loopback, wpa_supplicant, D-Bus and ConnMan.  The installer's
;;; own pieces (the installer on kmscon on tty1, the manual on tty2, the
;;; copy-on-write store, the configuration templates) belong to building an
;;; installation image, which schemy does not do.

(define-module (gnu system install)
  #:use-module (guix gexp)
  #:use-module (guix packages)
  #:use-module (gnu)
  #:use-module (gnu system)
  #:use-module (gnu system file-systems)
  #:use-module (gnu system nss)
  #:use-module (gnu system pam)
  #:use-module (gnu system setuid)
  #:use-module (gnu services)
  #:use-module (gnu services base)
  #:use-module (gnu services avahi)
  #:use-module (gnu services dbus)
  #:use-module (gnu services networking)
  #:use-module (gnu services ssh)
  #:use-module (gnu bootloader)
  #:use-module (gnu bootloader grub)
  #:use-module (gnu bootloader u-boot)
  #:use-module ((gnu packages bootloaders) #:select (make-u-boot-package))
  #:use-module ((gnu packages bash) #:select (bash))
  #:use-module ((gnu packages base) #:select (glibc))
  #:use-module ((gnu packages fontutils) #:select (fontconfig))
  #:use-module ((gnu packages fonts) #:select (font-dejavu font-gnu-unifont))
  #:use-module ((gnu packages admin) #:select (shadow))
  #:use-module ((gnu packages disk) #:select (parted gptfdisk ddrescue dosfstools))
  #:use-module ((gnu packages linux) #:select (lvm2-static mdadm btrfs-progs e2fsprogs
                                                f2fs-tools xfsprogs))
  #:use-module ((gnu packages file-systems) #:select (jfsutils))
  #:use-module ((gnu packages cryptsetup) #:select (cryptsetup))
  #:use-module ((gnu packages package-management) #:select (guix))
  #:export (installation-os
            os-with-u-boot
            make-installation-os
            %installer-disk-utilities))

(define %issue
  "
\x1b[1;37mThis is an installation image of the GNU system.  Welcome.\x1b[0m

\x1b[1;33mUse Alt-F2 for documentation.\x1b[0m
")

(define %installer-disk-utilities
  (list parted gptfdisk ddrescue
        lvm2-static
        cryptsetup mdadm
        dosfstools
        btrfs-progs
        e2fsprogs
        f2fs-tools
        jfsutils
        xfsprogs))

(define %nscd-minimal-caches
  ;; Host lookups cached for 12 hours; failures not at all (networking may not be up).
  (list (nscd-cache (database 'hosts)
                    (positive-time-to-live (* 3600 12))
                    (negative-time-to-live 0)
                    (persistent? #f)
                    (max-database-size (* 5 (expt 2 20))))))

(define (normal-tty tty)
  (service mingetty-service-type
           (mingetty-configuration (tty tty)
                                   (auto-login "root")
                                   (login-pause? #t))))

(define (%installation-services)
  (list (service virtual-terminal-service-type)
        (normal-tty "tty3")
        (normal-tty "tty4")
        (normal-tty "tty5")
        (normal-tty "tty6")
        (service avahi-service-type)
        (service guix-service-type
                 (guix-configuration
                  (authorize-key? #t)
                  (guix guix)))
        (service udev-service-type
                 (udev-configuration
                  (rules (list lvm2-static))))
        (service console-font-service-type
                 (map (lambda (tty)
                        (if (string=? tty "tty2")
                            '("tty2" . "LatGrkCyr-8x16")
                            (cons tty "lat9u-16")))
                      '("tty1" "tty2" "tty3" "tty4" "tty5" "tty6")))
        (service gpm-service-type)
        (service openssh-service-type
                 (openssh-configuration
                  (port-number 22)
                  (permit-root-login #t)
                  (allow-empty-passwords? #f)
                  (password-authentication? #t)
                  (%auto-start? #f)))
        (service nscd-service-type
                 (nscd-configuration
                  (caches %nscd-minimal-caches)))
        (service special-files-service-type
                 `(("/bin/sh" ,(file-append bash "/bin/sh"))))
        (service static-networking-service-type
                 (list %loopback-static-networking))
        (service wpa-supplicant-service-type)
        (service dbus-root-service-type)
        (service connman-service-type
                 (connman-configuration
                  (disable-vpn? #t)))))

(define %guix-version (package-version guix))  ; schemy's define* would see the keyword itself

(define* (make-installation-os #:key (grub-displayed-version %guix-version) (efi-only? #f))
  "The operating system of installation images, its GRUB entry showing
GRUB-DISPLAYED-VERSION; installing GRUB for EFI only when EFI-ONLY?."
  (define loader (if efi-only? grub-efi-bootloader grub-bootloader))
  (operating-system
    (host-name "gnu")
    (timezone "Europe/Paris")
    (locale "en_US.utf8")
    (name-service-switch %mdns-host-lookup-nss)
    (bootloader (bootloader-configuration
                 (bootloader loader)
                 (targets (if efi-only? '("/boot/efi") '("/dev/sda")))))
    (label (string-append "GNU Guix installation " grub-displayed-version))
    ;; The AMD Radeon drivers are reported to break kmscon: blacklisted, as in Guix.
    (kernel-arguments '("quiet" "modprobe.blacklist=radeon,amdgpu"))
    (file-systems (append %base-live-file-systems
                          (list %pseudo-terminal-file-system
                                %shared-memory-file-system
                                %efivars-file-system
                                %immutable-store)))
    (users (list (user-account
                  (name "guest")
                  (group "users")
                  (supplementary-groups '("wheel"))
                  (password "")
                  (comment "Guest of GNU"))))
    (issue %issue)
    (services (%installation-services))
    (setuid-programs (list (setuid-program (program (file-append shadow "/bin/passwd")))))
    (pam-services (base-pam-services #:allow-empty-passwords? #t))
    (packages (append (list glibc fontconfig font-dejavu font-gnu-unifont
                            (bootloader-package loader))
                      %installer-disk-utilities
                      %base-packages))))

(define installation-os (make-installation-os))

(define* (os-with-u-boot os board #:key (bootloader-target "/dev/mmcblk0")
                         (triplet "arm-linux-gnueabihf"))
  "OS booting with U-Boot built for BOARD (cross-compiled for TRIPLET), installed
on BOOTLOADER-TARGET, a drive."
  (operating-system
    (inherit os)
    (bootloader (bootloader-configuration
                 (bootloader (bootloader
                              (inherit u-boot-bootloader)
                              (package (make-u-boot-package board triplet))))
                 (targets (list bootloader-target))))))
