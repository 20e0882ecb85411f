;;; schemy --- The extlinux bootloader: an extlinux.conf menu (what U-Boot
;;; reads).  The installer only runs on the target machine.

(define-module (gnu bootloader extlinux)
  #:use-module (guix gexp)
  #:use-module (gnu bootloader)
  #:export (extlinux-bootloader
            extlinux-bootloader-gpt
            extlinux-configuration-file))

(define* (extlinux-configuration-file config entries
                                      #:key (old-entries '()) #:allow-other-keys)
  "The extlinux.conf of bootloader configuration CONFIG: ENTRIES (the current
system first), the user's menu entries, then OLD-ENTRIES."
  (let ((all (append entries (bootloader-configuration-menu-entries config) old-entries))
        (timeout (let ((t (bootloader-configuration-timeout config)))
                   (if (string? t) (string->number t) t))))
    (apply mixed-text-file "extlinux.conf"
           (append
            (list "# This file was generated from your system configuration.\n"
                  "# Any changes will be lost upon reconfiguration.\n"
                  "PROMPT " (if (> timeout 0) "1" "0") "\n"
                  "TIMEOUT " (number->string (inexact->exact (round (* 10 timeout)))) "\n")
            (apply append
                   (map (lambda (entry)
                          (list "\nLABEL " (menu-entry-label entry) "\n"
                                "  MENU LABEL " (menu-entry-label entry) "\n"
                                "  KERNEL " (menu-entry-linux entry) "\n"
                                "  INITRD " (or (menu-entry-initrd entry) "") "\n"
                                "  APPEND " (string-join (map (lambda (a) (format #f "~a" a))
                                                              (menu-entry-linux-arguments entry))
                                                         " ")
                                "\n"))
                        all))))))

(define extlinux-bootloader
  (bootloader
   (name 'extlinux)
   (package (optional-package '(gnu packages bootloaders) 'syslinux))
   (installer #f)
   (configuration-file "/boot/extlinux/extlinux.conf")
   (configuration-file-generator extlinux-configuration-file)))

(define extlinux-bootloader-gpt
  (bootloader (inherit extlinux-bootloader) (name 'extlinux-gpt)))
