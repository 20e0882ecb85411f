;;; schemy --- (guix platforms arm), by tools/derive_platforms.py from Guix 43770a9d8ac439cdf9dbf73a7d316d62ab177640;
;;; do not edit.

(define-module (guix platforms arm)
  #:use-module (guix platform)
  #:export (armv7-linux
            aarch64-linux))

(define armv7-linux
  (platform
   (target "arm-linux-gnueabihf")
   (system "armhf-linux")
   (linux-architecture "arm")
   (rust-target "armv7-unknown-linux-gnueabihf")
   (glibc-dynamic-linker "/lib/ld-linux-armhf.so.3")))

(define aarch64-linux
  (platform
   (target "aarch64-linux-gnu")
   (system "aarch64-linux")
   (linux-architecture "arm64")
   (rust-target "aarch64-unknown-linux-gnu")
   (glibc-dynamic-linker "/lib/ld-linux-aarch64.so.1")))
