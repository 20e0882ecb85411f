;;; schemy --- GRUB, the GRand Unified Bootloader.
;;;
;;; `grub-bootloader' installs GRUB in the boot sector of a disk (BIOS
;;; "legacy" boot); `grub-efi-bootloader' installs it on an EFI system
;;; partition, `grub-efi-removable-bootloader' at the removable-media path
;;; of that partition.  All of them generate grub.cfg from the bootloader
;;; configuration and the system's menu entries.

(define-module (gnu bootloader grub)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu bootloader)
  #:use-module (gnu system file-systems)
  #:use-module (gnu system keyboard)
  #:export (grub-theme
            grub-theme?
            grub-theme-image
            grub-theme-resolution
            grub-theme-color-normal
            grub-theme-color-highlight
            grub-theme-gfxmode

            grub-configuration-file
            grub-menu-entry->text

            grub-bootloader
            grub-minimal-bootloader
            grub-efi-bootloader
            grub-configuration
            grub-efi-removable-bootloader
            grub-efi-netboot-bootloader
            grub-efi32-bootloader
            grub-efi32-removable-bootloader
            grub-efi-netboot-removable-bootloader
            grub-mkrescue-bootloader
            make-grub-efi-installer
            make-grub-efi-netboot-installer
            install-grub-efi-removable))

;;; Themes.

(define-record-type* <grub-theme> grub-theme make-grub-theme
  grub-theme?
  (image           grub-theme-image (default #f))            ;file-like or #f
  (resolution      grub-theme-resolution (default '(1024 . 768)))
  (color-normal    grub-theme-color-normal
                   (default '((fg . light-gray) (bg . black))))
  (color-highlight grub-theme-color-highlight
                   (default '((fg . yellow) (bg . black))))
  (gfxmode         grub-theme-gfxmode (default '("auto"))))

;;; grub.cfg.

(define (device->search-command device)
  "The GRUB command setting $root to the partition holding DEVICE."
  (cond ((uuid? device)
         (string-append "  search --fs-uuid --set " (uuid->string device) "\n"))
        ((file-system-label? device)
         (string-append "  search --label --set " (file-system-label->string device) "\n"))
        ((string? device)
         (string-append "  search --file --set " device "\n"))
        (else "")))

(define (color->string color)
  (string-append (symbol->string (assq-ref color 'fg)) "/"
                 (symbol->string (assq-ref color 'bg))))

(define (grub-menu-entry->text entry)
  "The `menuentry' block of ENTRY, as a list of strings and file-like objects
(for `mixed-text-file')."
  (let ((label (menu-entry-label entry))
        (device (menu-entry-device entry)))
    (append
     (list "menuentry " (object->quoted-string label) " {\n"
           (device->search-command device))
     (cond ((menu-entry-linux entry)
            (append (list "  linux " (menu-entry-linux entry))
                    (append-map (lambda (arg) (list " " arg))
                                (menu-entry-linux-arguments entry))
                    (list "\n")
                    (if (menu-entry-initrd entry)
                        (list "  initrd " (menu-entry-initrd entry) "\n")
                        '())))
           ((menu-entry-multiboot-kernel entry)
            (append (list "  multiboot " (menu-entry-multiboot-kernel entry))
                    (append-map (lambda (arg) (list " " arg))
                                (menu-entry-multiboot-arguments entry))
                    (list "\n")
                    (append-map (lambda (module)
                                  (append (list "  module")
                                          (append-map (lambda (x) (list " " x))
                                                      (if (list? module) module (list module)))
                                          (list "\n")))
                                (menu-entry-multiboot-modules entry))))
           ((menu-entry-chain-loader entry)
            (list "  chainloader " (menu-entry-chain-loader entry) "\n"))
           (else '()))
     (list "}\n"))))

(define (object->quoted-string str)
  (string-append "\"" (string-replace-substring str "\"" "\\\"") "\""))

(define* (grub-configuration-file config entries
                                  #:key (old-entries '()) #:allow-other-keys)
  "The grub.cfg file for bootloader configuration CONFIG: a menu with ENTRIES
(the current system first), the user's extra menu entries, then OLD-ENTRIES
in a submenu."
  (let* ((theme (or (bootloader-configuration-theme config) (grub-theme)))
         (layout (bootloader-configuration-keyboard-layout config))
         (outputs (bootloader-configuration-terminal-outputs config))
         (inputs (bootloader-configuration-terminal-inputs config))
         (all-entries (append entries (bootloader-configuration-menu-entries config))))
    (apply mixed-text-file "grub.cfg"
           (append
            (list "# This file was generated from your system configuration.\n"
                  "# Any changes will be lost upon reconfiguration.\n"
                  "set default=" (number->string (bootloader-configuration-default-entry config)) "\n"
                  "set timeout=" (format #f "~a" (bootloader-configuration-timeout config)) "\n")
            (if (bootloader-configuration-fallback-entry config)
                (list "set fallback="
                      (number->string (bootloader-configuration-fallback-entry config)) "\n")
                '())
            (list "set gfxmode=" (string-join (grub-theme-gfxmode theme) ";") "\n"
                  "set menu_color_normal=" (color->string (grub-theme-color-normal theme)) "\n"
                  "set menu_color_highlight=" (color->string (grub-theme-color-highlight theme)) "\n")
            (if (bootloader-configuration-serial-unit config)
                (list "serial --unit="
                      (number->string (bootloader-configuration-serial-unit config))
                      (if (bootloader-configuration-serial-speed config)
                          (string-append " --speed="
                                         (number->string (bootloader-configuration-serial-speed config)))
                          "")
                      "\n")
                '())
            (if (null? outputs)
                '()
                (list "terminal_output " (string-join (map symbol->string outputs) " ") "\n"))
            (if (null? inputs)
                '()
                (list "terminal_input " (string-join (map symbol->string inputs) " ") "\n"))
            (if layout
                (list "# keyboard layout: " (keyboard-layout->console-keymap-name layout) "\n")
                '())
            (append-map grub-menu-entry->text all-entries)
            (if (null? old-entries)
                '()
                (append (list "submenu \"GNU system, old configurations...\" {\n")
                        (append-map grub-menu-entry->text old-entries)
                        (list "}\n")))))))

;;; Installers (run by `guix system init' on the target machine, never by
;;; schemy on a foreign host).

(define install-grub
  #~(lambda (bootloader device mount-point)
      (let ((grub (string-append bootloader "/sbin/grub-install"))
            (install-dir (string-append mount-point "/boot")))
        (when device
          (invoke grub "--no-floppy" "--target=i386-pc"
                  "--boot-directory" install-dir device)))))

(define* (make-grub-efi-installer #:key efi32? removable?)
  "The installer of GRUB on an EFI system partition, as a gexp: for a 32-bit
EFI when EFI32?, at the removable-media path when REMOVABLE?."
  (define extra-arguments
    (append (if efi32? '("--target=i386-efi") '())
            (if removable? '("--removable") '())))
  #~(lambda (bootloader efi-dir mount-point)
      ;; Nothing to do when making a disk image (no EFI-DIR).
      (when efi-dir
        (let ((grub-install (string-append bootloader "/sbin/grub-install"))
              (install-dir (string-append mount-point "/boot"))
              (target-esp (if (file-exists? (string-append mount-point efi-dir))
                              (string-append mount-point efi-dir)
                              efi-dir)))
          (setenv "GRUB_ENABLE_CRYPTODISK" "y")
          (invoke grub-install "--bootloader-id=Guix"
                  "--boot-directory" install-dir
                  "--efi-directory" target-esp
                  #$@extra-arguments)))))

(define install-grub-efi (make-grub-efi-installer))

(define install-grub-efi-removable
  ;; Deprecated in Guix for (make-grub-efi-installer #:removable? #t).
  (make-grub-efi-installer #:removable? #t))

(define (make-grub-efi-netboot-installer grub-efi grub-cfg subdir)
  "The installer of a GRUB prepared for network boot (its files under SUBDIR,
its configuration GRUB-CFG): it copies the bootloader's files below the target
directory of the system mounted at the mount point."
  #~(lambda (bootloader target mount-point)
      (let ((destination (string-append mount-point target)))
        (mkdir-p destination)
        (copy-recursively bootloader destination))))

;;; The bootloaders.

(define grub-bootloader
  (bootloader
   (name 'grub)
   (package (optional-package '(gnu packages bootloaders) 'grub))
   (installer install-grub)
   (configuration-file "/boot/grub/grub.cfg")
   (configuration-file-generator grub-configuration-file)))

(define grub-minimal-bootloader
  (bootloader
   (inherit grub-bootloader)
   (name 'grub-minimal)
   (package (optional-package '(gnu packages bootloaders) 'grub-minimal))))

(define grub-efi-bootloader
  (bootloader
   (name 'grub-efi)
   (package (optional-package '(gnu packages bootloaders) 'grub-efi))
   (installer install-grub-efi)
   (configuration-file "/boot/grub/grub.cfg")
   (configuration-file-generator grub-configuration-file)))

(define grub-efi-removable-bootloader
  (bootloader
   (inherit grub-efi-bootloader)
   (name 'grub-efi-removable-bootloader)
   (installer (make-grub-efi-installer #:removable? #t))))

(define grub-efi32-bootloader
  (bootloader
   (inherit grub-efi-bootloader)
   (name 'grub-efi32)
   (installer (make-grub-efi-installer #:efi32? #t))
   (package (optional-package '(gnu packages bootloaders) 'grub-efi32))))

(define grub-efi32-removable-bootloader
  (bootloader
   (inherit grub-efi32-bootloader)
   (name 'grub-efi32-removable-bootloader)
   (installer (make-grub-efi-installer #:removable? #t #:efi32? #t))))

(define (make-grub-efi-netboot-bootloader name subdir)
  (bootloader
   (inherit grub-efi-bootloader)
   (name name)
   (installer (make-grub-efi-netboot-installer (bootloader-package grub-efi-bootloader)
                                               "/boot/grub/grub.cfg" subdir))))

(define grub-efi-netboot-bootloader
  (make-grub-efi-netboot-bootloader 'grub-efi-netboot-bootloader "efi/Guix"))

(define grub-efi-netboot-removable-bootloader
  (make-grub-efi-netboot-bootloader 'grub-efi-netboot-removable-bootloader "efi/boot"))

(define grub-mkrescue-bootloader
  (bootloader
   (inherit grub-efi-bootloader)
   (package (optional-package '(gnu packages bootloaders) 'grub-hybrid))))


;;; The configuration syntax of old Guix releases, still accepted: a
;;; bootloader-configuration of GRUB, or of GRUB for EFI when (grub PACKAGE) names
;;; another package than grub.

(define-syntax grub-configuration
  (syntax-rules (grub)
    ((_ (grub package) field ...)
     (if (eq? package grub)
         (bootloader-configuration (bootloader grub-bootloader) field ...)
         (bootloader-configuration (bootloader grub-efi-bootloader) field ...)))
    ((_ field ...)
     (bootloader-configuration (bootloader grub-bootloader) field ...))))
