;;; schemy --- (guix build-system cmake): the build system that CMake projects.
;;; schemy never builds packages: the build system only names how Guix would.

(define-module (guix build-system cmake)
  #:use-module (guix build-system)
  #:export (cmake-build-system))

(define cmake-build-system
  (build-system
   (name 'cmake)
   (description "The build system that CMake projects.")))
