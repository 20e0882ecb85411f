;;; schemy --- (guix platforms or1k), by tools/derive_platforms.py from Guix 43770a9d8ac439cdf9dbf73a7d316d62ab177640;
;;; do not edit.

(define-module (guix platforms or1k)
  #:use-module (guix platform)
  #:export (or1k-elf))

(define or1k-elf
  (platform
   (target "or1k-elf")
   (system #f)
   (glibc-dynamic-linker #f)))
