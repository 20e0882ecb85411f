;;; schemy --- Manual pages.

(define-module (gnu packages man)
  #:use-module (guix packages)
  #:export (man-db
            man-pages))

(define man-db
  (package
    (name "man-db")
    (version "2.12.0")
    (home-page "https://man-db.nongnu.org/")
    (synopsis "Standard Unix documentation system")
    (description
     "man-db finds, formats and shows manual pages (man), and indexes them
for searching (mandb, apropos, whatis).")
    (license 'gpl2+)
    (debian-package "man-db")
    (programs '("bin/man" "bin/mandb" "bin/apropos" "bin/whatis"))))

(define man-pages
  (package
    (name "man-pages")
    (version "6.05.01")
    (home-page "https://www.kernel.org/doc/man-pages/")
    (synopsis "Development manual pages from the Linux project")
    (description "Manual pages describing the Linux system calls and the C
library functions.")
    (license 'gpl2+)
    (debian-package "manpages-dev")))
