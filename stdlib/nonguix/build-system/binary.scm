;;; schemy --- (nonguix build-system binary): nonguix's build system for
;;; programs distributed as binaries.  schemy never builds packages: the build
;;; system only names how nonguix would.

(define-module (nonguix build-system binary)
  #:use-module (guix build-system)
  #:export (binary-build-system))

(define binary-build-system
  (build-system
   (name 'binary)
   (description "The build system nonguix calls 'binary'.")))
