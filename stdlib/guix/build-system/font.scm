;;; schemy --- (guix build-system font): the build system that installs font files.
;;; schemy never builds packages: the build system only names how Guix would.

(define-module (guix build-system font)
  #:use-module (guix build-system)
  #:export (font-build-system))

(define font-build-system
  (build-system
   (name 'font)
   (description "The build system that installs font files.")))
