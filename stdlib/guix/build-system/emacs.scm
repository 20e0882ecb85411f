;;; schemy --- (guix build-system emacs): the build system that Emacs packages.
;;; schemy never builds packages: the build system only names how Guix would.

(define-module (guix build-system emacs)
  #:use-module (guix build-system)
  #:export (emacs-build-system))

(define emacs-build-system
  (build-system
   (name 'emacs)
   (description "The build system that Emacs packages.")))
