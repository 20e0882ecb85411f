;;; schemy --- (guix build-system pyproject): the build system that Python packages (pyproject.toml).
;;; schemy never builds packages: the build system only names how Guix would.

(define-module (guix build-system pyproject)
  #:use-module (guix build-system)
  #:export (pyproject-build-system))

(define pyproject-build-system
  (build-system
   (name 'pyproject)
   (description "The build system that Python packages (pyproject.toml).")))
