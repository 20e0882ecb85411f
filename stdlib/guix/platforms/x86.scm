;;; schemy --- (guix platforms x86), by tools/derive_platforms.py from Guix 43770a9d8ac439cdf9dbf73a7d316d62ab177640;
;;; do not edit.

(define-module (guix platforms x86)
  #:use-module (guix platform)
  #:export (i686-linux
            x86_64-linux
            x86_64-linux-x32
            i686-mingw
            x86_64-mingw
            i586-gnu
            x86_64-gnu))

(define i686-linux
  (platform
   (target "i686-linux-gnu")
   (system "i686-linux")
   (linux-architecture "i386")
   (rust-target "i686-unknown-linux-gnu")
   (glibc-dynamic-linker "/lib/ld-linux.so.2")))

(define x86_64-linux
  (platform
   (target "x86_64-linux-gnu")
   (system "x86_64-linux")
   (linux-architecture "x86_64")
   (rust-target "x86_64-unknown-linux-gnu")
   (glibc-dynamic-linker "/lib/ld-linux-x86-64.so.2")))

(define x86_64-linux-x32
  (platform
   (target "x86_64-linux-gnux32")
   (system #f)
   (linux-architecture "x86_64")
   (rust-target "x86_64-unknown-linux-gnux32")
   (glibc-dynamic-linker "/lib/ld-linux-x32.so.2")))

(define i686-mingw
  (platform
   (target "i686-w64-mingw32")
   (system #f)
   (rust-target "i686-pc-windows-gnu")
   (glibc-dynamic-linker #f)))

(define x86_64-mingw
  (platform
   (target "x86_64-w64-mingw32")
   (system #f)
   (rust-target "x86_64-pc-windows-gnu")
   (glibc-dynamic-linker #f)))

(define i586-gnu
  (platform
   (target "i586-pc-gnu")
   (system "i586-gnu")
   (rust-target "i686-unknown-hurd-gnu")
   (glibc-dynamic-linker "/lib/ld.so.1")))

(define x86_64-gnu
  (platform
   (target "x86_64-pc-gnu")
   (system "x86_64-gnu")
   (rust-target "x86_64-unknown-hurd-gnu")
   (glibc-dynamic-linker "/lib/ld-x86-64.so.1")))
