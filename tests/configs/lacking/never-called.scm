;; A helper that refers to a name nobody defines but is never called: Guile's compiler
;; warns about it, the config still works.
(use-modules (gnu))

(define (unused-helper)
  (frobnicate-everything))

(operating-system
  (host-name "quiet")
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets '("/dev/sda"))))
  (file-systems (cons (file-system
                        (device (file-system-label "root"))
                        (mount-point "/")
                        (type "ext4"))
                      %base-file-systems)))
