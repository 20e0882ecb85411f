;;; schemy --- nonguix's operating-system transformations, (nonguix
;;; transformations): procedures from an operating system to another, as
;;; nonguix's README documents them.

(define-module (nonguix transformations)
  #:use-module (guix gexp)
  #:use-module (gnu system)
  #:use-module (gnu services)
  #:use-module (gnu services base)
  #:use-module (nongnu packages linux)
  #:use-module (nongnu system linux-initrd)
  #:use-module ((nongnu packages nvidia) #:select (nvda))
  #:use-module (nongnu services nvidia)
  #:use-module (srfi srfi-1)
  #:export (nonguix-transformation-guix
            nonguix-transformation-linux
            nonguix-transformation-nvidia))

(define %nonguix-substitute-url "https://substitutes.nonguix.org")

(define* (nonguix-transformation-guix #:key (substitutes? #t) (channel? #t) (guix-source? #f))
  "A transformation that lets the Guix daemon use nonguix's substitute
server (when SUBSTITUTES?)."
  (lambda (os)
    (operating-system
      (inherit os)
      (services
       (if substitutes?
           (cons (simple-service 'nonguix-substitutes guix-service-type
                                 (guix-extension
                                  (substitute-urls (list %nonguix-substitute-url))))
                 (operating-system-user-services os))
           (operating-system-user-services os))))))

(define* (nonguix-transformation-linux #:key (linux linux)
                                       (firmware (list linux-firmware))
                                       (initrd microcode-initrd))
  "A transformation that sets the kernel to LINUX, adds FIRMWARE and uses INITRD."
  (lambda (os)
    (operating-system
      (inherit os)
      (kernel linux)
      (firmware (delete-duplicates (append firmware (operating-system-firmware os))))
      (initrd initrd))))

(define* (nonguix-transformation-nvidia #:key (driver nvda)
                                        (open-source-kernel-module? #f)
                                        (kernel-mode-setting? #t)
                                        (configure-xorg? #f)
                                        (dynamic-boost? #f))
  "A transformation that sets up the NVIDIA proprietary driver: its service,
and the kernel arguments that keep nouveau away (and enable mode setting)."
  (lambda (os)
    (operating-system
      (inherit os)
      (kernel-arguments
       (delete-duplicates
        (append (list "modprobe.blacklist=nouveau")
                (if kernel-mode-setting? (list "nvidia_drm.modeset=1") '())
                (operating-system-user-kernel-arguments os))))
      (services
       (cons (service nvidia-service-type (nvidia-configuration (driver driver)))
             (operating-system-user-services os))))))
