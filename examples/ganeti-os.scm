;; A Ganeti node whose only OS provider is the manual's "custom" example: an
;; OS type unknown to Guix, declared with the generic ganeti-os and
;; ganeti-os-variant records.  This creates
;; /etc/ganeti/instance-custom/variants/foo.conf (a store file containing
;; "this is fine") and /etc/ganeti/instance-custom/variants/variants.list
;; (containing "foo").
(use-modules (gnu))
(use-service-modules ganeti)

(define %custom-ganeti-os
  (ganeti-os
   (name "custom")
   (extension ".conf")
   (variants
    (list (ganeti-os-variant
           (name "foo")
           (configuration (plain-file "bar" "this is fine")))))))

(operating-system
  (host-name "node1")
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets '("/dev/sda"))))
  (file-systems (cons (file-system
                        (mount-point "/")
                        (device "/dev/sda1")
                        (type "ext4"))
                      %base-file-systems))
  (services
   (cons (service ganeti-service-type
                  (ganeti-configuration
                   (os (list %custom-ganeti-os))))
         %base-services)))
