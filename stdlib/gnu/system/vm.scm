;;; schemy --- Systems run in virtual machines, (gnu system vm).
;;; `virtualized-operating-system' turns a system declaration into the one
;;; Guix boots in QEMU with the store shared from the host: root on
;;; /dev/vda1, the store and any file-system mappings as 9p mounts, no swap,
;;; and file systems bound to real devices (or labels and UUIDs) dropped.
;;; The `virtual-machine' record is what `virtual-machine' file-likes and
;;; `guix system vm' take.  schemy builds no disk images and starts no VM
;;; from here: the chapter's services (hurd-vm, libvirt...) do that.

(define-module (gnu system vm)
  #:use-module (guix gexp)
  #:use-module (guix packages)
  #:use-module (guix records)
  #:use-module ((guix base32) #:select (bytevector->nix-base32-string))
  #:use-module ((gcrypt hash) #:select (sha1))
  #:use-module (gnu packages virtualization)
  #:use-module (gnu system)
  #:use-module (gnu system file-systems)
  #:use-module (gnu system uuid)
  #:use-module (srfi srfi-1)
  #:export (virtualized-operating-system
            file-system->mount-tag
            mapping->file-system
            %default-msize-value

            virtual-machine
            virtual-machine?
            virtual-machine-operating-system
            virtual-machine-qemu
            virtual-machine-cpu-count
            virtual-machine-volatile?
            virtual-machine-graphic?
            virtual-machine-memory-size
            virtual-machine-disk-image-size
            virtual-machine-port-forwardings
            virtual-machine-date))

(define %default-msize-value
  ;; The 9p msize Guix mounts host file systems with: 100 MiB.
  (* 100 (expt 2 20)))

(define (file-system->mount-tag fs)
  "The 9p mount tag of the host directory FS: QEMU wants at most 31 ASCII
characters, no slash, not starting with an underscore."
  (string-append "TAG" (string-drop (bytevector->nix-base32-string
                                     (sha1 (string->utf8 fs)))
                                    4)))

(define (mapping->file-system mapping)
  "The 9p file system that realizes the file-system MAPPING in the guest."
  (let ((writable? (file-system-mapping-writable? mapping)))
    (file-system
      (mount-point (file-system-mapping-target mapping))
      (device (file-system->mount-tag (file-system-mapping-source mapping)))
      (type "9p")
      (flags (if writable? '() '(read-only)))
      ;; cache=loose is faster but only safe for mounts nobody else writes.
      (options (string-append "trans=virtio"
                              (if writable? "" ",cache=loose")
                              ",msize=" (number->string %default-msize-value)))
      (check? #f)
      (create-mount-point? #t))))

(define (bound-to-the-host? fs)
  ;; Root, real devices, labels and UUIDs mean nothing inside the VM.
  (let ((source (file-system-device fs)))
    (or (string=? (file-system-mount-point fs) "/")
        (and (string? source) (string-prefix? "/dev/" source))
        (and (file-system-mount? fs)
             (or (file-system-label? source) (uuid? source))))))

(define* (virtualized-operating-system os #:optional (mappings '())
                                       #:key (full-boot? #f) volatile?
                                       system target)
  "OS made to run in a virtual machine with the store shared with the host;
MAPPINGS are <file-system-mapping>s mounted in the guest."
  (let* ((virtual-file-systems
          (cons (file-system (mount-point "/") (device "/dev/vda1") (type "ext4"))
                (append (map mapping->file-system mappings)
                        (remove bound-to-the-host? (operating-system-file-systems os)))))
         (modules (operating-system-initrd-modules os))
         ;; QEMU's "cirrus" graphics driver, which old VPS still expect, was
         ;; renamed "cirrus-qemu" in Linux 6.14.
         (cirrus (if (string< (package-version (operating-system-kernel os)) "6.14")
                     "cirrus"
                     "cirrus-qemu")))
    (operating-system
      (inherit os)
      (initrd (let ((initrd (operating-system-initrd os)))
                (lambda (file-systems . rest)
                  (apply initrd file-systems #:volatile-root? volatile? rest))))
      (initrd-modules (if (member cirrus modules) modules (cons cirrus modules)))
      (swap-devices '())
      ;; With FULL-BOOT? the bootloader reads the kernel from the image, so the
      ;; store is not mounted over 9p.
      (file-systems (if full-boot?
                        virtual-file-systems
                        (cons (file-system
                                (inherit (mapping->file-system %store-mapping))
                                (needed-for-boot? #t))
                              virtual-file-systems))))))

(define-record-type* <virtual-machine> %virtual-machine
  make-virtual-machine
  virtual-machine?
  (operating-system virtual-machine-operating-system)
  (qemu             virtual-machine-qemu (default qemu-minimal))
  (cpu-count        virtual-machine-cpu-count (default 1))
  (volatile?        virtual-machine-volatile? (default #t))
  (graphic?         virtual-machine-graphic? (default #f))
  (memory-size      virtual-machine-memory-size (default 256))        ;MiB
  (disk-image-size  virtual-machine-disk-image-size (default 'guess)) ;bytes
  (port-forwardings virtual-machine-port-forwardings (default '()))  ;(HOST . GUEST)
  (date             virtual-machine-date (default #f)))

(define-syntax virtual-machine
  (syntax-rules (operating-system)
    "A virtual machine running an operating system, with QEMU options as fields;
(virtual-machine OS) is short for (virtual-machine (operating-system OS))."
    ((_ (operating-system os))
     (%virtual-machine (operating-system os)))
    ((_ os)
     (%virtual-machine (operating-system os)))
    ((_ fields ...)
     (%virtual-machine fields ...))))
