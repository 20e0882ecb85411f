;;; schemy --- File systems, swap space and their devices.
;;;
;;; A `file-system' record says what to mount where: the device (a file
;;; name such as "/dev/sda1", a `uuid' or a `file-system-label'), the mount
;;; point and the file system type.  `%base-file-systems' lists the pseudo
;;; file systems every system mounts; an operating system's `file-systems'
;;; field normally conses its own root file system onto it.

(define-module (gnu system file-systems)
  #:use-module (guix records)
  #:use-module (gnu system uuid)
  #:use-module ((gnu services configuration) #:select (field-checker field-element-checker))
  #:use-module ((guix diagnostics) #:select (&fix-hint))
  #:use-module (ice-9 match)
  #:use-module (srfi srfi-34)
  #:use-module (srfi srfi-35)
  #:export (file-system-mount-point-predicate
            file-system
            file-system?
            %elogind-file-systems
            flags->options
            file-system-device
            file-system-mount-point
            file-system-type
            file-system-flags
            file-system-options
            file-system-mount?
            file-system-mount-may-fail?
            file-system-needed-for-boot?
            file-system-check?
            file-system-skip-check-if-clean?
            file-system-repair
            file-system-create-mount-point?
            file-system-dependencies
            file-system-shepherd-requirements
            file-system-location

            file-system-label
            file-system-label?
            file-system-label->string
            file-system-device->string
            file-system->fstab-line
            file-system-shepherd-service-name
            root-file-system?
            %file-system-flags

            %pseudo-terminal-file-system
            %debug-file-system
            %shared-memory-file-system
            %immutable-store
            %control-groups
            %binary-format-file-system
            %fuse-control-file-system
            %efivars-file-system
            %base-file-systems
            %container-file-systems
            file-system-mapping
            file-system-mapping?
            file-system-mapping-source
            file-system-mapping-target
            file-system-mapping-writable?
            file-system-mapping->bind-mount
            specification->file-system-mapping
            %store-mapping
            %network-configuration-files
            %network-file-mappings

            swap-space
            swap-space?
            swap-space-target
            swap-space-priority
            swap-space-discard?
            swap-space-dependencies
            swap-space->string

            file-system->spec
            spec->file-system
            file-system-options->alist
            alist->file-system-options
            file-system-type-predicate
            btrfs-subvolume?
            btrfs-store-subvolume-file-name
            %pseudo-file-system-types
            %base-live-file-systems
            %tty-gid)
  #:re-export (uuid
               uuid?
               uuid-type
               uuid-bytevector
               uuid=?
               string->uuid
               uuid->string))

;;; File system labels.

(define-record-type <file-system-label>
  (%file-system-label label)
  file-system-label?
  (label file-system-label->string))

(set-record-type-printer! <file-system-label>
  (lambda (label port)
    (display "#<file-system-label " port)
    (write (file-system-label->string label) port)
    (display ">" port)))

(define (file-system-label str)
  "The file system whose label is STR (as set by e2label, fatlabel...)."
  (unless (string? str)
    (error "file-system-label: the label must be a string" str))
  (%file-system-label str))

;;; The file-system record.

(define %file-system-flags
  ;; The mount flags a file system may have.
  '(read-only bind-mount no-suid no-dev no-exec no-atime no-diratime
    strict-atime lazy-time shared))

(define (valid-device? device)
  (or (string? device) (uuid? device) (file-system-label? device)))

(define sanitize-mount-point
  (field-checker (lambda (value) (and (string? value) (string-prefix? "/" value)))
                 "file-system: mount point ~s is not an absolute file name"))

(define sanitize-device
  (field-checker valid-device?
                 "file-system: invalid device ~s (expected a file name, a uuid or a file-system-label)"))

(define sanitize-type
  (field-checker string? "file-system: the type must be a string such as \"ext4\", not ~s"))

(define sanitize-flags
  (compose (field-element-checker
            (lambda (flag) (memq flag %file-system-flags))
            (lambda (flag)
              (format #f "file-system: unknown flag '~a' (known flags: ~a)"
                      flag (string-join (map symbol->string %file-system-flags) " "))))
           (field-checker (lambda (value) (and (list? value) (every symbol? value)))
                          "file-system: flags must be a list of symbols, not ~s")))

(define-record-type* <file-system> %file-system make-file-system
  file-system?
  (device            file-system-device (sanitize sanitize-device))
  (mount-point       file-system-mount-point (sanitize sanitize-mount-point))
  (type              file-system-type (sanitize sanitize-type))
  (flags             file-system-flags (default '()) (sanitize sanitize-flags))
  (options           file-system-options (default #f))       ;#f or string
  (mount?            file-system-mount? (default #t))
  (mount-may-fail?   file-system-mount-may-fail? (default #f))
  (needed-for-boot?  %file-system-needed-for-boot? (default #f))
  (check?            file-system-check? (default #t))
  (skip-check-if-clean? file-system-skip-check-if-clean? (default #t))
  (repair            file-system-repair (default 'preen))
  (create-mount-point? file-system-create-mount-point? (default #f))
  (dependencies      file-system-dependencies (default '()))   ;file systems or mapped devices
  (shepherd-requirements file-system-shepherd-requirements (default '()))
  (location          file-system-location
                     (default (%construction-location)) (innate)))

(define-syntax file-system
  ;; The record's constructor, also accepting the `title' field of old
  ;; configurations (deprecated, since removed from Guix): (title 'label) or
  ;; (title 'uuid) says how to read a string DEVICE, (title 'device) is the
  ;; usual meaning.  A warning names the modern spelling.
  (lambda (x)
    (define (title? c)
      (syntax-case c (title)
        ((title v) #t)
        (_ #f)))
    (syntax-case x ()
      ((_ clause ...)
       (let ((titles (filter title? #'(clause ...))))
         (if (null? titles)
             #'(%file-system clause ...)
             (with-syntax ((tv (syntax-case (car titles) () ((_ v) #'v))))
               #`(%file-system
                  #,@(map (lambda (c)
                            (syntax-case c (device)
                              ((device d) #'(device (%titled-device d tv)))
                              (_ c)))
                          (filter (lambda (c) (not (title? c))) #'(clause ...)))))))))))

(define (%titled-device device title)
  "DEVICE of an old-style file system whose `title' is TITLE."
  (format (current-warning-port)
          "warning: the 'title' field of file-system is deprecated; use (device (file-system-label ...)) or (device (uuid ...))~%")
  (cond ((and (eq? title 'label) (string? device)) (file-system-label device))
        ((and (eq? title 'uuid) (string? device)) (uuid device))
        (else device)))

(set-record-type-printer! <file-system>
  (lambda (fs port)
    (display "#<file-system " port)
    (display (file-system-mount-point fs) port)
    (display " " port)
    (display (file-system-type fs) port)
    (display ">" port)))

(define (root-file-system? fs)
  (string=? "/" (file-system-mount-point fs)))

(define (file-system-needed-for-boot? fs)
  "Whether FS must be mounted by the initial RAM disk: the root file system
always is, others when they say so."
  (or (%file-system-needed-for-boot? fs)
      (root-file-system? fs)))

(define (file-system-device->string device)
  "DEVICE as it appears in /etc/fstab: a file name, UUID=... or LABEL=...."
  (cond ((string? device) device)
        ((uuid? device) (string-append "UUID=" (uuid->string device)))
        ((file-system-label? device)
         (string-append "LABEL=" (file-system-label->string device)))
        (else (format #f "~a" device))))

(define (flags->options flags)
  "The mount(8) option names of the file-system FLAGS (symbols)."
  (filter-map (lambda (flag)
                (case flag
                  ((read-only) "ro")
                  ((bind-mount) "bind")
                  ((no-suid) "nosuid")
                  ((no-dev) "nodev")
                  ((no-exec) "noexec")
                  ((no-atime) "noatime")
                  ((no-diratime) "nodiratime")
                  ((strict-atime) "strictatime")
                  ((lazy-time) "lazytime")
                  ((shared) "shared")
                  (else #f)))
              flags))

(define (file-system->fstab-line fs)
  "The /etc/fstab line describing FS."
  (let ((options (append (flags->options (file-system-flags fs))
                         (if (file-system-options fs)
                             (list (file-system-options fs))
                             '())
                         (if (file-system-mount? fs) '() (list "noauto")))))
    (string-append (file-system-device->string (file-system-device fs)) "\t"
                   (file-system-mount-point fs) "\t"
                   (file-system-type fs) "\t"
                   (if (null? options) "defaults" (string-join options ",")) "\t"
                   "0\t"
                   (cond ((not (file-system-check? fs)) "0")
                         ((root-file-system? fs) "1")
                         (else "2"))
                   "\n")))

(define (file-system-shepherd-service-name fs)
  "The provision of the shepherd service mounting FS: file-system-MOUNT-POINT."
  (symbol-append 'file-system- (string->symbol (file-system-mount-point fs))))

;;; The file systems every system mounts.

(define %pseudo-terminal-file-system
  (file-system
    (device "none")
    (mount-point "/dev/pts")
    (type "devpts")
    (check? #f)
    (needed-for-boot? #f)
    (create-mount-point? #t)
    (options "mode=620")))

(define %debug-file-system
  (file-system
    (device "none")
    (mount-point "/sys/kernel/debug")
    (type "debugfs")
    (check? #f)
    (create-mount-point? #t)))

(define %shared-memory-file-system
  (file-system
    (device "tmpfs")
    (mount-point "/dev/shm")
    (type "tmpfs")
    (check? #f)
    (flags '(no-suid no-dev))
    (options "size=50%")
    (create-mount-point? #t)))

(define %immutable-store
  ;; The store, remounted read-only so that only the daemon writes to it.
  (file-system
    (device "/gnu/store")
    (mount-point "/gnu/store")
    (type "none")
    (check? #f)
    (flags '(read-only bind-mount no-atime))))

(define %control-groups
  ;; The unified control group hierarchy.
  (list (file-system
          (device "cgroup")
          (mount-point "/sys/fs/cgroup")
          (type "cgroup2")
          (check? #f)
          (flags '(no-suid no-dev no-exec))
          (create-mount-point? #t))))

(define %elogind-file-systems
  ;; The tmpfs file systems elogind expects: its runtime state and the users'
  ;; runtime directories.
  (list (file-system
          (device "none")
          (mount-point "/run/systemd")
          (type "tmpfs")
          (check? #f)
          (flags '(no-suid no-dev no-exec))
          (options "mode=0755")
          (create-mount-point? #t))
        (file-system
          (device "none")
          (mount-point "/run/user")
          (type "tmpfs")
          (check? #f)
          (flags '(no-suid no-dev no-exec))
          (options "mode=0755")
          (create-mount-point? #t))))

(define %binary-format-file-system
  ;; Where binary formats (such as QEMU's emulated platforms) are registered.
  (file-system
    (device "binfmt_misc")
    (mount-point "/proc/sys/fs/binfmt_misc")
    (type "binfmt_misc")
    (check? #f)))

(define %fuse-control-file-system
  (file-system
    (device "fusectl")
    (mount-point "/sys/fs/fuse/connections")
    (type "fusectl")
    (check? #f)))

(define %efivars-file-system
  (file-system
    (device "efivarfs")
    (mount-point "/sys/firmware/efi/efivars")
    (type "efivarfs")
    (check? #f)
    (mount-may-fail? #t)))

(define %base-file-systems
  ;; Pseudo file systems mounted on every system, besides those the initial
  ;; RAM disk mounts (/proc, /sys, /dev).
  (append (list %pseudo-terminal-file-system
                %debug-file-system
                %shared-memory-file-system
                %immutable-store
                %binary-format-file-system)
          %control-groups))

;;; File system mappings: a directory of the host shared with a container or a
;;; virtual machine, at a mount point of its own, read-only unless writable?.

(define-record-type* <file-system-mapping> file-system-mapping
  make-file-system-mapping
  file-system-mapping?
  (source    file-system-mapping-source)
  (target    file-system-mapping-target)
  (writable? file-system-mapping-writable? (default #f)))

(define (file-system-mapping->bind-mount mapping)
  "The file system that realizes MAPPING: a bind mount of its source, read-only
unless the mapping is writable, its mount point created if missing."
  (file-system
    (mount-point (file-system-mapping-target mapping))
    (device (file-system-mapping-source mapping))
    (type "none")
    (flags (if (file-system-mapping-writable? mapping)
               '(bind-mount)
               '(bind-mount read-only)))
    (check? #f)
    (create-mount-point? #t)))

(define (specification->file-system-mapping spec writable?)
  "The mapping SPEC, \"SOURCE\" or \"SOURCE=TARGET\", designates (as given to
--share and --expose)."
  (let ((index (string-index spec #\=)))
    (file-system-mapping
     (source (if index (substring spec 0 index) spec))
     (target (if index (substring spec (+ 1 index)) spec))
     (writable? writable?))))

(define %store-mapping
  ;; The host's store, shared read-only.
  (file-system-mapping (source "/gnu/store") (target "/gnu/store") (writable? #f)))

(define %network-configuration-files
  ;; The files a system shares with its host when it shares its network.
  '("/etc/resolv.conf" "/etc/nsswitch.conf" "/etc/services" "/etc/hosts"))

(define %network-file-mappings
  ;; Those files as mappings; resolv.conf writable (it may be a symbolic link
  ;; into a tmpfs, which cannot be bind-mounted read-only).
  (map (lambda (file)
         (file-system-mapping (source file) (target file)
                              (writable? (string=? file "/etc/resolv.conf"))))
       %network-configuration-files))

(define %container-file-systems
  ;; What a container mounts besides its root.
  (list %pseudo-terminal-file-system
        %shared-memory-file-system))

;;; Swap space.

(define (valid-swap-target? target)
  (or (string? target) (uuid? target) (file-system-label? target)))

(define sanitize-swap-target
  (field-checker valid-swap-target?
                 "swap-space: invalid target ~s (expected a file name, a uuid or a file-system-label)"))

(define-record-type* <swap-space> swap-space make-swap-space
  swap-space?
  (target       swap-space-target (sanitize sanitize-swap-target))
  (priority     swap-space-priority (default #f))      ;#f or integer 0..32767
  (discard?     swap-space-discard? (default #f))
  (dependencies swap-space-dependencies (default '())))

(define (swap-space->string swap)
  (file-system-device->string (swap-space-target swap)))


(define (file-system-mount-point-predicate mount-point)
  "A predicate that is true of the file systems mounted at MOUNT-POINT, as in
(filter (file-system-mount-point-predicate \"/\") file-systems)."
  (lambda (fs)
    (string=? (file-system-mount-point fs) mount-point)))


;;; The names Guix's module adds: file systems as the initrd's lists, option
;;; strings as association lists, Btrfs subvolumes, live systems.

(define (file-system->spec fs)
  "FS as the list Guix's initrd code reads: device (a file name,
(uuid TYPE BYTEVECTOR) or (file-system-label STRING)), mount point, type, flags,
options, mount-may-fail?, check?, skip-check-if-clean? and repair."
  (let ((device (file-system-device fs)))
    (list (cond ((uuid? device)
                 `(uuid ,(uuid-type device) ,(uuid-bytevector device)))
                ((file-system-label? device)
                 `(file-system-label ,(file-system-label->string device)))
                (else device))
          (file-system-mount-point fs) (file-system-type fs)
          (file-system-flags fs) (file-system-options fs)
          (file-system-mount-may-fail? fs) (file-system-check? fs)
          (file-system-skip-check-if-clean? fs) (file-system-repair fs))))

(define (spec->file-system sexp)
  "The file system of SEXP, a list as `file-system->spec' returns (later
elements, fields of newer versions, are ignored)."
  (match sexp
    ((device mount-point type flags options mount-may-fail?
             check? skip-check-if-clean? repair _ ...)
     (file-system
       (device (match device
                 (('uuid (? symbol? type) (? bytevector? bv))
                  (bytevector->uuid bv type))
                 (('file-system-label (? string? label))
                  (file-system-label label))
                 (_ device)))
       (mount-point mount-point) (type type)
       (flags flags) (options options)
       (mount-may-fail? mount-may-fail?)
       (check? check?)
       (skip-check-if-clean? skip-check-if-clean?)
       (repair repair)))))

(define (file-system-options->alist string)
  "The options of STRING, the `options' field of a file system (#f: none), as a
list of \"KEY\" . \"VALUE\" pairs and lone \"KEY\" strings."
  (if string
      (map (lambda (option)
             (let ((= (string-index option #\=)))
               (if =
                   (cons (string-take option =) (string-drop option (+ 1 =)))
                   option)))
           (string-split string #\,))
      '()))

(define (alist->file-system-options options)
  "The `options' string of OPTIONS, a list as `file-system-options->alist'
returns; #f for the empty list."
  (if (null? options)
      #f
      (string-join (map (match-lambda
                          ((key . value) (string-append key "=" value))
                          (key key))
                        options)
                   ",")))

(define (file-system-type-predicate type)
  "A predicate that holds for the file systems of TYPE."
  (lambda (fs)
    (string=? (file-system-type fs) type)))

(define (btrfs-subvolume? fs)
  "Whether FS is a Btrfs subvolume: a btrfs file system with a subvol or subvolid option."
  (and (string=? "btrfs" (file-system-type fs))
       (find (lambda (key) (string-prefix? "subvol" key))
             (map (match-lambda ((key . _) key) (key key))
                  (file-system-options->alist (file-system-options fs))))))

(define (file-name-components name)
  (string-tokenize name (char-set-complement (char-set #\/))))

(define (file-name-prefix? prefix name)
  ;; Whether the absolute file name PREFIX is NAME or one of its parents.
  (let loop ((p (file-name-components prefix)) (n (file-name-components name)))
    (cond ((null? p) #t)
          ((null? n) #f)
          (else (and (string=? (car p) (car n)) (loop (cdr p) (cdr n)))))))

(define (btrfs-store-subvolume-file-name file-systems)
  "The file name, within the Btrfs top level, of the subvolume the store
(/gnu/store) is on, or #f when it is on none of FILE-SYSTEMS' subvolumes; an
error when that subvolume is named only by its id."
  (let* ((subvolumes (sort (filter btrfs-subvolume? file-systems)
                           (lambda (a b)
                             (> (length (file-name-components (file-system-mount-point a)))
                                (length (file-name-components (file-system-mount-point b)))))))
         (store (find (lambda (fs) (file-name-prefix? (file-system-mount-point fs) "/gnu/store"))
                      subvolumes)))
    (and store
         (let ((subvol (assoc-ref (file-system-options->alist (file-system-options store))
                                  "subvol")))
           (cond ((not subvol)
                  (raise (condition
                          (&message
                           (message "the store is on a Btrfs subvolume, but the subvolume name is unknown"))
                          (&fix-hint (hint "Use the @code{subvol} Btrfs file system option.")))))
                 ((string-prefix? "/" subvol) subvol)
                 (else (string-append "/" subvol)))))))

(define %pseudo-file-system-types
  ;; The pseudo file system types Guix knows, used when checking file systems.
  '("binfmt_misc" "cgroup" "cgroup2" "debugfs" "devpts" "devtmpfs" "efivarfs" "fusectl"
    "hugetlbfs" "overlay" "proc" "securityfs" "sysfs" "tmpfs" "tracefs" "virtiofs" "xenfs"))

(define %tty-gid
  ;; The id of the `tty' group, allocated statically as in Guix.
  996)

(define %base-live-file-systems
  ;; What a live (installation) image mounts: its root, labelled Guix_image,
  ;; and a tmpfs on /tmp.
  (list (file-system
          (mount-point "/")
          (device (file-system-label "Guix_image"))
          (type "ext4"))
        (file-system
          (mount-point "/tmp")
          (device "none")
          (type "tmpfs")
          (flags '(no-suid no-dev))
          (check? #f))))

;; Names Guix's module exports too.
(export <file-system-mapping>)
