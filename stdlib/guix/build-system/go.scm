;;; schemy --- (guix build-system go): the build system that Go modules.
;;; schemy never builds packages: the build system only names how Guix would.

(define-module (guix build-system go)
  #:use-module (guix build-system)
  #:export (go-build-system))

(define go-build-system
  (build-system
   (name 'go)
   (description "The build system that Go modules.")))
