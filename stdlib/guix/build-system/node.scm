;;; schemy --- (guix build-system node): the build system that Node.js packages.
;;; schemy never builds packages: the build system only names how Guix would.

(define-module (guix build-system node)
  #:use-module (guix build-system)
  #:export (node-build-system))

(define node-build-system
  (build-system
   (name 'node)
   (description "The build system that Node.js packages.")))
