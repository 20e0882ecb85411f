;;; schemy --- The less pager.

(define-module (gnu packages less)
  #:use-module (guix packages)
  #:export (less))

(define less
  (package
    (name "less")
    (version "643")
    (home-page "https://www.greenwoodsoftware.com/less/")
    (synopsis "Paginator for terminals")
    (description
     "less shows a text file or a program's output one screenful at a time,
moving forward and backward and searching in it.")
    (license 'gpl3+)
    (debian-package "less")
    (programs '("bin/less" "bin/lesskey"))))
