;;; schemy --- The initial RAM disk.
;;;
;;; The initial RAM disk loads the kernel modules needed to reach the root
;;; file system, mounts it and hands over to the system.  On a foreign host
;;; schemy never builds one; these definitions let configurations name the
;;; usual modules and initrd procedures.

(define-module (gnu system linux-initrd)
  #:use-module (srfi srfi-1)
  #:use-module ((gnu system file-systems) #:select (file-system-type))
  #:use-module ((gnu packages linux)
                #:select (e2fsck/static btrfs-progs/static f2fs-fsck/static ntfsfix/static
                          xfs_repair/static))
  #:use-module ((gnu packages disk) #:select (fatfsck/static))
  #:use-module ((gnu packages file-systems) #:select (bcachefs/static jfs_fsck/static))
  #:export (file-system-packages
            file-system-modules
            %base-initrd-modules
            base-initrd
            raw-initrd
            expression->initrd))

(define %base-initrd-modules
  ;; Modules needed to find the root file system on common hardware and VMs.
  '("ahci" "usb-storage" "uas" "usbhid" "hid-generic" "hid-apple"
    "dm-crypt" "xts" "serpent_generic" "wp512" "nls_iso8859-1"
    "virtio_pci" "virtio_balloon" "virtio_blk" "virtio_net"
    "virtio-rng" "virtio_console"))

(define* (raw-initrd file-systems #:key (linux-modules '()) (mapped-devices '())
                     (keyboard-layout #f) (helper-packages '()) qemu-networking?
                     volatile-root? on-error #:allow-other-keys)
  "A description of an initial RAM disk mounting FILE-SYSTEMS after loading
LINUX-MODULES (only built on the target system)."
  (list 'initrd
        (cons 'file-systems file-systems)
        (cons 'linux-modules linux-modules)
        (cons 'mapped-devices mapped-devices)))

(define* (base-initrd file-systems #:key (linux-modules '()) (mapped-devices '())
                      #:allow-other-keys)
  "The usual initial RAM disk: RAW-INITRD with the base modules and those
needed by FILE-SYSTEMS."
  (raw-initrd file-systems
              #:linux-modules (append %base-initrd-modules linux-modules)
              #:mapped-devices mapped-devices))

(define (expression->initrd exp)
  (list 'initrd (cons 'expression exp)))

(define* (file-system-packages file-systems #:key (volatile-root? #f))
  "The statically-linked checkers the initrd needs for FILE-SYSTEMS, as Guix
lists them: e2fsck for ext*, fsck.fat for *fat, then bcachefs, btrfs, jfs,
ntfs, f2fs and xfs."
  (define (any-type? predicate)
    (find (lambda (fs) (predicate (file-system-type fs))) file-systems))
  (define (type=? type)
    (lambda (t) (string=? t type)))
  (filter-map (lambda (entry) (and (any-type? (car entry)) (cdr entry)))
              (list (cons (lambda (t) (string-prefix? "ext" t)) e2fsck/static)
                    (cons (lambda (t) (string-suffix? "fat" t)) fatfsck/static)
                    (cons (type=? "bcachefs") bcachefs/static)
                    (cons (type=? "btrfs") btrfs-progs/static)
                    (cons (type=? "jfs") jfs_fsck/static)
                    (cons (type=? "ntfs") ntfsfix/static)
                    (cons (type=? "f2fs") f2fs-fsck/static)
                    (cons (type=? "xfs") xfs_repair/static))))

(define %file-system-type-modules
  ;; The Linux modules mounting a file system of each type needs (Guix's table).
  '(("cifs" "md4" "ecb" "cifs")
    ("9p" "9p" "9pnet_virtio")
    ("bcachefs" "bcachefs")
    ("btrfs" "btrfs")
    ("iso9660" "isofs")
    ("jfs" "jfs")
    ("f2fs" "f2fs" "crc32_cryptoapi")
    ("xfs" "xfs")))

(define (file-system-modules file-systems)
  "The Linux modules needed to mount FILE-SYSTEMS."
  (append-map (lambda (fs)
                (let ((entry (assoc (file-system-type fs) %file-system-type-modules)))
                  (if entry (cdr entry) '())))
              file-systems))
