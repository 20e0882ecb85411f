;; A workstation with a smart card reader and a graphics tablet: pcscd with
;; its USB drivers, tablet udev rules from a rules file, Guix pinned to the
;; channels the machine follows.  The project's own test configuration.
(use-modules (gnu)
             (guix channels)
             (gnu packages package-management)
             (gnu services security-token))
(use-service-modules base desktop networking)

(define %tablet-rules
  (plain-file "tablet.rules"
              "KERNEL==\"hidraw*\", ATTRS{idVendor}==\"28bd\", MODE=\"0666\"\n"))

(define %channels
  (cons (channel
         (name 'nonguix)
         (url "https://gitlab.com/nonguix/nonguix")
         (branch "master"))
        %default-channels))

(operating-system
  (host-name "kartenleser")
  (timezone "Europe/Vienna")
  (bootloader (bootloader-configuration
                (bootloader grub-efi-bootloader)
                (targets '("/boot/efi"))))
  (file-systems (cons* (file-system
                         (mount-point "/")
                         (device (file-system-label "root"))
                         (type "ext4"))
                       (file-system
                         (mount-point "/boot/efi")
                         (device (uuid "1A2B-3C4D" 'fat))
                         (type "vfat"))
                       %base-file-systems))
  (services
   (cons* (service pcscd-service-type)
          (udev-rules-service 'tablet
                              (file->udev-rule "70-tablet.rules" %tablet-rules))
          (modify-services %desktop-services
            (guix-service-type config =>
                               (guix-configuration
                                (inherit config)
                                (channels %channels)
                                (guix (guix-for-channels %channels))))))))
