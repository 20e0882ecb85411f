;;; schemy --- (guix platforms xtensa), by tools/derive_platforms.py from Guix 43770a9d8ac439cdf9dbf73a7d316d62ab177640;
;;; do not edit.

(define-module (guix platforms xtensa)
  #:use-module (guix platform)
  #:export (xtensa-ath9k-elf))

(define xtensa-ath9k-elf
  (platform
   (target "xtensa-ath9k-elf")
   (system #f)
   (glibc-dynamic-linker #f)))
