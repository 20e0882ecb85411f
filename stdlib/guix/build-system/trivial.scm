;;; schemy --- (guix build-system trivial): the build system that runs a Scheme builder.
;;; schemy never builds packages: the build system only names how Guix would.

(define-module (guix build-system trivial)
  #:use-module (guix build-system)
  #:export (trivial-build-system))

(define trivial-build-system
  (build-system
   (name 'trivial)
   (description "The build system that runs a Scheme builder.")))
