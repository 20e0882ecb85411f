;; A server written years ago and kept working: the deprecated `title'
;; field, udev rules with their own groups, kernel modules, earlyoom, zram,
;; fstrim, dhcpcd, and a few (guix utils) helpers.  The project's own test
;; configuration.
(use-modules (gnu)
             (guix utils)
             (gnu system setuid))
(use-service-modules linux networking ssh)
(use-package-modules admin linux)

(define %uinput-rules
  (udev-rule "90-uinput.rules"
             "KERNEL==\"uinput\", MODE=\"0660\", GROUP=\"uinput\", OPTIONS+=\"static_node=uinput\"\n"))

(operating-system
  (host-name "altserver")
  (timezone "Europe/Paris")
  (locale "fr_FR.utf8")
  (bootloader (bootloader-configuration
                (bootloader grub-bootloader)
                (targets '("/dev/sda"))))
  (file-systems (cons (file-system
                        (device "root")
                        (title 'label)
                        (mount-point "/")
                        (type "ext4"))
                      %base-file-systems))
  (packages (cons* htop (if (target-x86-64?) (list lm-sensors) '())
                   %base-packages))
  (services
   (cons* (service dhcpcd-service-type)
          (service openssh-service-type
                   (openssh-configuration (permit-root-login 'prohibit-password)))
          (service earlyoom-service-type
                   (earlyoom-configuration (minimum-available-memory 5)))
          (service zram-device-service-type
                   (zram-device-configuration (size "2G") (compression-algorithm 'zstd)))
          (service fstrim-service-type)
          (service kernel-module-loader-service-type '("uinput"))
          (udev-rules-service 'uinput %uinput-rules #:groups '("uinput"))
          %base-services)))
