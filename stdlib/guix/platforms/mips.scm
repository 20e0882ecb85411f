;;; schemy --- (guix platforms mips), by tools/derive_platforms.py from Guix 43770a9d8ac439cdf9dbf73a7d316d62ab177640;
;;; do not edit.

(define-module (guix platforms mips)
  #:use-module (guix platform)
  #:export (mips64-linux))

(define mips64-linux
  (platform
   (target "mips64el-linux-gnu")
   (system "mips64el-linux")
   (linux-architecture "mips")
   (rust-target "mips64el-unknown-linux-gnuabi64")
   (glibc-dynamic-linker "/lib/ld.so.1")))
