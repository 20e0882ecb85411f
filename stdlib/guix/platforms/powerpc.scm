;;; schemy --- (guix platforms powerpc), by tools/derive_platforms.py from Guix 43770a9d8ac439cdf9dbf73a7d316d62ab177640;
;;; do not edit.

(define-module (guix platforms powerpc)
  #:use-module (guix platform)
  #:export (powerpc-linux
            powerpc64-linux
            powerpc64le-linux))

(define powerpc-linux
  (platform
   (target "powerpc-linux-gnu")
   (system "powerpc-linux")
   (linux-architecture "powerpc")
   (rust-target "powerpc-unknown-linux-gnu")
   (glibc-dynamic-linker "/lib/ld.so.1")))

(define powerpc64-linux
  (platform
   (target "powerpc64-linux-gnu")
   (system #f)
   (linux-architecture "powerpc")
   (rust-target "powerpc64-unknown-linux-gnu")
   (glibc-dynamic-linker "/lib/ld64.so.1")))

(define powerpc64le-linux
  (platform
   (target "powerpc64le-linux-gnu")
   (system "powerpc64le-linux")
   (linux-architecture "powerpc")
   (rust-target "powerpc64le-unknown-linux-gnu")
   (glibc-dynamic-linker "/lib/ld64.so.2")))
