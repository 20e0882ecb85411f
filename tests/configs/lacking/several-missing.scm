;; A laptop config written for a newer Guix and another channel: several modules and
;; names schemy (or any Guix) lacks, each to be reported on its own.
(use-modules (gnu)
             (gnu packages kdeplasma)
             (myhost packages fonts))
(use-service-modules desktop frobnicate xorg)
(use-package-modules wm)

(define %extra-services
  (list (service frobnicate-service-type)))

(operating-system
  (host-name "lacking")
  (timezone "Europe/Berlin")
  (bootloader (bootloader-configuration
               (bootloader grub-efi-bootloader)
               (targets '("/boot/efi"))))
  (file-systems (cons (file-system
                        (device (file-system-label "root"))
                        (mount-point "/")
                        (type "ext4"))
                      %base-file-systems))
  (packages (cons* sway kde-frameworkz %base-packages))
  (services (append %extra-services
                    (list (service dbus-service-type))
                    %desktop-services)))
