;;; schemy --- (guix platforms riscv), by tools/derive_platforms.py from Guix 43770a9d8ac439cdf9dbf73a7d316d62ab177640;
;;; do not edit.

(define-module (guix platforms riscv)
  #:use-module (guix platform)
  #:export (riscv64-linux))

(define riscv64-linux
  (platform
   (target "riscv64-linux-gnu")
   (system "riscv64-linux")
   (linux-architecture "riscv")
   (rust-target "riscv64gc-unknown-linux-gnu")
   (glibc-dynamic-linker "/lib/ld-linux-riscv64-lp64d.so.1")))
