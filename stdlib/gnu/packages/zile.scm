;;; schemy --- GNU Zile.

(define-module (gnu packages zile)
  #:use-module (guix packages)
  #:export (zile))

(define zile
  (package
    (name "zile")
    (version "2.6.2")
    (home-page "https://www.gnu.org/software/zile/")
    (synopsis "Lightweight Emacs clone")
    (description
     "GNU Zile is a small text editor in the Emacs tradition, with the same
key bindings, for systems where Emacs is too big.")
    (license 'gpl3+)
    (debian-package "zile")
    (programs '("bin/zile"))))
