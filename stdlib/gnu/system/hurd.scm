;;; schemy --- GNU/Hurd systems, (gnu system hurd): the defaults of an
;;; operating system running GNU Mach and the Hurd.  schemy runs on the
;;; host's kernel and never boots a Hurd: such a system is checked and
;;; realized like any other, its kernel named, its console the host's.

(define-module (gnu system hurd)
  #:use-module (guix gexp)
  #:use-module (gnu bootloader)
  #:use-module (gnu bootloader grub)
  #:use-module (gnu services)
  #:use-module (gnu services base)
  #:use-module (gnu system)
  #:use-module (gnu system file-systems)
  #:use-module ((gnu packages hurd) #:select (gnumach hurd netdde))
  #:use-module ((gnu packages base) #:select (coreutils findutils grep sed diffutils patch tar))
  #:use-module ((gnu packages compression) #:select (gzip))
  #:use-module ((gnu packages bash) #:select (bash))
  #:use-module ((gnu packages admin) #:select (shadow inetutils))
  #:use-module ((gnu packages less) #:select (less))
  #:use-module ((gnu packages texinfo) #:select (info-reader))
  #:use-module (srfi srfi-1)
  #:export (%base-packages/hurd
            %base-services/hurd
            %base-services+qemu-networking/hurd
            %desktop-services/hurd
            %hurd-default-operating-system
            %hurd-default-operating-system-kernel
            %setuid-programs/hurd))

(define %hurd-default-operating-system-kernel gnumach)

(define %base-packages/hurd
  ;; The Hurd and the usual command-line tools (no Linux-only ones).
  (list hurd netdde bash coreutils findutils grep sed diffutils patch tar gzip
        less shadow inetutils info-reader))

(define (linux-only? s)
  (memq (service-type-name (service-kind s))
        '(udev sysctl console-font virtual-terminal)))

(define %base-services/hurd
  ;; %base-services without the services that need Linux (udev, sysctl,
  ;; console fonts).
  (remove linux-only? %base-services))

(define %base-services+qemu-networking/hurd
  ;; For a Hurd VM under QEMU: the same, with QEMU's user-mode network.
  (cons (service static-networking-service-type (list %qemu-static-networking))
        (remove (lambda (s)
                  (eq? (service-type-name (service-kind s)) 'static-networking))
                %base-services/hurd)))

(define %desktop-services/hurd %base-services/hurd)

(define %setuid-programs/hurd
  (list (file-append shadow "/bin/passwd")
        (file-append shadow "/bin/su")
        (file-append inetutils "/bin/ping")))

(define %hurd-default-operating-system
  (operating-system
    (kernel %hurd-default-operating-system-kernel)
    (kernel-arguments '("noide"))
    (hurd hurd)
    (bootloader (bootloader-configuration
                 (bootloader grub-minimal-bootloader)
                 (targets '("/dev/vda"))))
    (initrd-modules '())
    (firmware '())
    (host-name "guixygnu")
    (file-systems '())
    (packages %base-packages/hurd)
    (timezone "GNUrope")
    (locale-libcs '())
    (services %base-services/hurd)
    (setuid-programs %setuid-programs/hurd)))
