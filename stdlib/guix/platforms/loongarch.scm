;;; schemy --- (guix platforms loongarch), by tools/derive_platforms.py from Guix 43770a9d8ac439cdf9dbf73a7d316d62ab177640;
;;; do not edit.

(define-module (guix platforms loongarch)
  #:use-module (guix platform)
  #:export (loongarch64-linux))

(define loongarch64-linux
  (platform
   (target "loongarch64-linux-gnu")
   (system #f)
   (linux-architecture "loongarch")
   (rust-target "loongarch64-unknown-linux-gnu")
   (glibc-dynamic-linker "/lib/ld-linux-loongarch-lp64d.so.1")))
