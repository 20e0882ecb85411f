;;; schemy --- The initial RAM disk.
;;;
;;; The initial RAM disk loads the kernel modules needed to reach the root
;;; file system, mounts it and hands over to the system.  On a foreign host
;;; schemy never builds one; these definitions let configurations name the
;;; usual modules and initrd procedures.

(define-module (gnu system linux-initrd)
  #:export (%base-initrd-modules
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
