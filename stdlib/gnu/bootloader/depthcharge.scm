;;; schemy --- Depthcharge, the bootloader of Chromebooks: a kernel partition
;;; written by `guix system init' on the target only.

(define-module (gnu bootloader depthcharge)
  #:use-module (guix gexp)
  #:use-module (gnu bootloader)
  #:use-module (gnu bootloader extlinux)
  #:export (depthcharge-bootloader))

(define depthcharge-bootloader
  (bootloader
   (inherit extlinux-bootloader)
   (name 'depthcharge)
   (package (optional-package '(gnu packages bootloaders) 'depthcharge-vboot-tools))
   (configuration-file "/boot/depthcharge/extlinux.conf")))
