;;; schemy --- (guix build-system python): the build system that Python packages (setup.py).
;;; schemy never builds packages: the build system only names how Guix would.

(define-module (guix build-system python)
  #:use-module (guix build-system)
  #:export (python-build-system))

(define python-build-system
  (build-system
   (name 'python)
   (description "The build system that Python packages (setup.py).")))
