;;; schemy --- (guix platforms avr), by tools/derive_platforms.py from Guix 43770a9d8ac439cdf9dbf73a7d316d62ab177640;
;;; do not edit.

(define-module (guix platforms avr)
  #:use-module (guix platform)
  #:export (avr))

(define avr
  (platform
   (target "avr")
   (system #f)
   (glibc-dynamic-linker #f)))
