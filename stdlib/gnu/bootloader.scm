;;; schemy --- Bootloaders and their configuration.
;;;
;;; A `bootloader' record describes one bootloader (GRUB for BIOS, GRUB for
;;; EFI...): its package, how it is installed on a target and how its
;;; configuration file is generated.  An operating system's `bootloader'
;;; field holds a `bootloader-configuration' naming one of them, the targets
;;; to install it on (disks or EFI partitions) and menu settings.

(define-module (gnu bootloader)
  #:use-module (guix records)
  #:use-module (guix gexp)
  #:use-module (ice-9 match)
  #:use-module (gnu system file-systems)
  #:use-module ((gnu services configuration) #:select (field-checker))
  #:export (bootloader
            bootloader?
            bootloader-name
            bootloader-package
            bootloader-installer
            bootloader-disk-image-installer
            bootloader-configuration-file
            bootloader-configuration-file-generator

            menu-entry
            menu-entry?
            menu-entry-label
            menu-entry-device
            menu-entry-device-mount-point
            menu-entry-linux
            menu-entry-linux-arguments
            menu-entry-initrd
            menu-entry-multiboot-kernel
            menu-entry-multiboot-arguments
            menu-entry-multiboot-modules
            menu-entry-chain-loader

            bootloader-configuration
            bootloader-configuration?
            bootloader-configuration-bootloader
            bootloader-configuration-target
            bootloader-configuration-targets
            bootloader-configuration-menu-entries
            bootloader-configuration-default-entry
            bootloader-configuration-fallback-entry
            bootloader-configuration-timeout
            bootloader-configuration-theme
            bootloader-configuration-terminal-outputs
            bootloader-configuration-terminal-inputs
            bootloader-configuration-serial-unit
            bootloader-configuration-serial-speed
            bootloader-configuration-device-tree-support?
            bootloader-configuration-extra-initrd
            bootloader-configuration-keyboard-layout

            optional-package

            menu-entry->sexp
            sexp->menu-entry
            %bootloaders
            lookup-bootloader-by-name
            efi-bootloader-chain))

;;; Looking up packages without depending on their modules at load time.

(define (optional-package module name)
  "The package NAME exported by MODULE, or #f when that module or name does
not exist (bootloader packages are only needed to install a bootloader)."
  (false-if-exception (module-ref (resolve-interface module) name)))

;;; Bootloaders.

(define-record-type* <bootloader> bootloader make-bootloader
  bootloader?
  (name                      bootloader-name)                 ;symbol
  (package                   bootloader-package (default #f) (delayed))
  (installer                 bootloader-installer (default #f)) ;gexp or #f
  (disk-image-installer      bootloader-disk-image-installer (default #f))
  (configuration-file        bootloader-configuration-file)   ;file name on the boot partition
  (configuration-file-generator bootloader-configuration-file-generator))

(set-record-type-printer! <bootloader>
  (lambda (b port)
    (display "#<bootloader " port)
    (display (bootloader-name b) port)
    (display ">" port)))

;;; Menu entries.

(define-record-type* <menu-entry> menu-entry make-menu-entry
  menu-entry?
  (label              menu-entry-label)
  (device             menu-entry-device (default #f))      ;uuid, label or file name
  (device-mount-point menu-entry-device-mount-point (default #f))
  (linux              menu-entry-linux (default #f))
  (linux-arguments    menu-entry-linux-arguments (default '()))
  (initrd             menu-entry-initrd (default #f))
  (multiboot-kernel   menu-entry-multiboot-kernel (default #f))
  (multiboot-arguments menu-entry-multiboot-arguments (default '()))
  (multiboot-modules  menu-entry-multiboot-modules (default '()))
  (chain-loader       menu-entry-chain-loader (default #f)))

;;; Bootloader configuration.

(define sanitize-targets
  (field-checker (lambda (value) (or (not value) (and (list? value) (every string? value))))
                 "bootloader-configuration: targets must be a list of strings such as (\"/dev/sda\"), not ~s"))

(define sanitize-bootloader
  (field-checker (lambda (value) (bootloader? value))
                 "bootloader-configuration: ~s is not a bootloader (use grub-bootloader, grub-efi-bootloader...)"))

(define sanitize-timeout
  ;; Guix writes the timeout with ~a, so "5" works there as 5 does.
  (field-checker (lambda (value)
                   (let ((n (if (string? value) (string->number value) value)))
                     (and (real? n) (>= n 0))))
                 "bootloader-configuration: the timeout must be a number of seconds, not ~s"))

(define-record-type* <bootloader-configuration> %bootloader-configuration
  make-bootloader-configuration bootloader-configuration?
  (bootloader         bootloader-configuration-bootloader
                      (sanitize sanitize-bootloader))
  (target             bootloader-configuration-target (default #f)) ;deprecated
  (targets            %bootloader-configuration-targets (default #f)
                      (sanitize sanitize-targets))
  (menu-entries       bootloader-configuration-menu-entries (default '()))
  (default-entry      bootloader-configuration-default-entry (default 0))
  (fallback-entry     bootloader-configuration-fallback-entry (default #f))
  (timeout            bootloader-configuration-timeout (default 5)
                      (sanitize sanitize-timeout))
  (theme              bootloader-configuration-theme (default #f))
  (terminal-outputs   bootloader-configuration-terminal-outputs (default '(gfxterm)))
  (terminal-inputs    bootloader-configuration-terminal-inputs (default '()))
  (serial-unit        bootloader-configuration-serial-unit (default #f))
  (serial-speed       bootloader-configuration-serial-speed (default #f))
  (device-tree-support? bootloader-configuration-device-tree-support? (default #t))
  (extra-initrd       bootloader-configuration-extra-initrd (default #f))
  (keyboard-layout    bootloader-configuration-keyboard-layout (default #f)))

(define-syntax bootloader-configuration
  ;; The record's constructor, also accepting the `device' field of configurations
  ;; written before 2019: Guix deprecated it for `target' in 2017-08 (commit 045ebb3e)
  ;; and removed it in 2019-01 (commit 5f7467f0); `target' became `targets' in 2021-08.
  ;; (device D) is (target D), with a warning at the field naming today's spelling.
  (lambda (x)
    (define (device? c)
      (syntax-case c (device)
        ((device v) #t)
        (_ #f)))
    (define (where c)
      (let ((props (syntax-source c)))
        (if props
            (format #f "~a:~a:~a: " (assq-ref props 'filename) (+ 1 (assq-ref props 'line))
                    (assq-ref props 'column))
            "")))
    (syntax-case x ()
      ((_ clause ...)
       (let loop ((cs #'(clause ...)) (out '()) (old? #f))
         (cond ((null? cs)
                (if old?
                    #`(%bootloader-configuration #,@(reverse out))
                    #'(%bootloader-configuration clause ...)))
               ((device? (car cs))
                (with-syntax ((v (syntax-case (car cs) () ((_ v) #'v)))
                              (w (datum->syntax x (where (car cs)))))
                  (loop (cdr cs) (cons #'(target (%removed-device-field v w)) out) #t)))
               (else (loop (cdr cs) (cons (car cs) out) old?))))))))

(define (%removed-device-field device where)
  "DEVICE, given in the `device' field Guix removed: warn, naming `targets'."
  (format (current-warning-port)
          "~awarning: the 'device' field of bootloader-configuration was removed from Guix in 2019-01 \
(deprecated since 2017-08); use (targets (list ~s)) instead~%" where device)
  device)

(define (bootloader-configuration-targets config)
  "The devices or EFI directories the bootloader is installed on."
  (or (%bootloader-configuration-targets config)
      (let ((target (bootloader-configuration-target config)))
        (if target (list target) '()))))


;;; Menu entries as data (as the system's `parameters' file keeps them).

(define (menu-entry->sexp entry)
  "ENTRY as Guix serializes it: (menu-entry (version 0) (label ...) ...), with
the fields of its kind (Linux, multiboot or chain-loading)."
  (define (device->sexp device)
    (cond ((uuid? device) `(uuid ,(uuid-type device) ,(uuid->string device)))
          ((file-system-label? device) `(label ,(file-system-label->string device)))
          (else device)))
  (define common
    `((version 0)
      (label ,(menu-entry-label entry))
      (device ,(device->sexp (menu-entry-device entry)))
      (device-mount-point ,(menu-entry-device-mount-point entry))))
  (let ((linux (menu-entry-linux entry))
        (multiboot (menu-entry-multiboot-kernel entry))
        (chain (menu-entry-chain-loader entry)))
    (cond ((and linux (not multiboot) (not chain)
                (null? (menu-entry-multiboot-arguments entry))
                (null? (menu-entry-multiboot-modules entry)))
           `(menu-entry ,@common
                        (linux ,linux)
                        (linux-arguments ,(menu-entry-linux-arguments entry))
                        (initrd ,(menu-entry-initrd entry))))
          ((and multiboot (not linux) (not chain) (not (menu-entry-initrd entry))
                (null? (menu-entry-linux-arguments entry)))
           `(menu-entry ,@common
                        (multiboot-kernel ,multiboot)
                        (multiboot-arguments ,(menu-entry-multiboot-arguments entry))
                        (multiboot-modules ,(menu-entry-multiboot-modules entry))))
          ((and chain (not linux) (not multiboot) (not (menu-entry-initrd entry))
                (null? (menu-entry-linux-arguments entry))
                (null? (menu-entry-multiboot-arguments entry))
                (null? (menu-entry-multiboot-modules entry)))
           `(menu-entry ,@common (chain-loader ,chain)))
          (else
           (error (format #f "invalid menu-entry: ~a (give either linux, multiboot-kernel or chain-loader, with its own fields)"
                          (menu-entry-label entry)))))))

(define (sexp->menu-entry sexp)
  "The menu entry of SEXP, as `menu-entry->sexp' writes it."
  (define (sexp->device device)
    (match device
      (('uuid type string) (uuid string type))
      (('label label) (file-system-label label))
      (_ device)))
  (match sexp
    (('menu-entry ('version 0) ('label label) ('device device)
                  ('device-mount-point mount-point)
                  ('linux linux) ('linux-arguments arguments) ('initrd initrd) _ ...)
     (menu-entry (label label) (device (sexp->device device))
                 (device-mount-point mount-point)
                 (linux linux) (linux-arguments arguments) (initrd initrd)))
    (('menu-entry ('version 0) ('label label) ('device device)
                  ('device-mount-point mount-point)
                  ('multiboot-kernel kernel) ('multiboot-arguments arguments)
                  ('multiboot-modules modules) _ ...)
     (menu-entry (label label) (device (sexp->device device))
                 (device-mount-point mount-point)
                 (multiboot-kernel kernel) (multiboot-arguments arguments)
                 (multiboot-modules modules)))
    (('menu-entry ('version 0) ('label label) ('device device)
                  ('device-mount-point mount-point)
                  ('chain-loader chain-loader) _ ...)
     (menu-entry (label label) (device (sexp->device device))
                 (device-mount-point mount-point)
                 (chain-loader chain-loader)))))

;;; Every bootloader.

(define %bootloader-modules
  ;; The modules defining bootloaders.
  '((gnu bootloader grub) (gnu bootloader extlinux) (gnu bootloader u-boot)
    (gnu bootloader depthcharge)))

(define %bootloaders
  ;; A promise of the bootloaders the bootloader modules define, as Guix's.
  (delay (fold (lambda (module result)
                 (append (filter bootloader?
                                 (map (lambda (name)
                                        (module-ref (resolve-interface module) name))
                                      (module-map (lambda (name value) name)
                                                  (resolve-interface module))))
                         result))
               '()
               %bootloader-modules)))

(define (lookup-bootloader-by-name name)
  "The bootloader called NAME (a symbol such as 'grub-efi)."
  (or (find (lambda (bootloader) (eq? name (bootloader-name bootloader)))
            (force %bootloaders))
      (error (format #f "~a: no such bootloader" name))))

(define* (efi-bootloader-chain final-bootloader
                               #:key (packages '()) (files '()) (hooks '())
                               installer disk-image-installer)
  "A bootloader chaining to FINAL-BOOTLOADER: its package becomes a profile
of FINAL-BOOTLOADER's package, PACKAGES and FILES (a FILES entry ending in /
contributes its contents), installed by INSTALLER or FINAL-BOOTLOADER's."
  (bootloader
   (inherit final-bootloader)
   (name 'efi-bootloader-chain)
   (package (efi-bootloader-profile (cons (bootloader-package final-bootloader) packages)
                                    files
                                    (if (list? hooks) hooks (list hooks))))
   (installer (or installer (bootloader-installer final-bootloader)))
   (disk-image-installer (or disk-image-installer
                             (bootloader-disk-image-installer final-bootloader)))))

(define (efi-bootloader-profile packages files hooks)
  ;; A directory of links to PACKAGES' and FILES' contents.
  (computed-file "efi-bootloader-profile"
                 #~(begin
                     (use-modules (ice-9 ftw))
                     (define (link file)
                       (symlink file (string-append #$output "/" (basename file))))
                     (mkdir #$output)
                     (for-each (lambda (item)
                                 (if (string-suffix? "/" item)
                                     (for-each (lambda (name)
                                                 (unless (member name '("." ".."))
                                                   (link (string-append item name))))
                                               (or (scandir item) '()))
                                     (link item)))
                               (list #$@(filter identity packages) #$@files)))))
