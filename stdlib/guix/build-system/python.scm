;;; schemy --- (guix build-system python): the build system that Python packages (setup.py).
;;; schemy never builds packages: the build system only names how Guix would.

(define-module (guix build-system python)
  #:use-module (guix build-system)
  #:export (python-build-system
            pypi-uri))

(define python-build-system
  (build-system
   (name 'python)
   (description "The build system that Python packages (setup.py).")))

;; Where PyPI serves the source archive of version VERSION of NAME: under the name's first
;; letter, with EXTENSION (".tar.gz" unless given) after NAME-VERSION.
(define* (pypi-uri name version #:optional (extension ".tar.gz"))
  (string-append "https://files.pythonhosted.org/packages/source/"
                 (substring name 0 1) "/" name "/" name "-" version extension))
