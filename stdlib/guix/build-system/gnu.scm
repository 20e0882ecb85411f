;;; schemy --- (guix build-system gnu): the build system that ./configure && make && make install.
;;; schemy never builds packages: the build system only names how Guix would.

(define-module (guix build-system gnu)
  #:use-module (guix build-system)
  #:export (gnu-build-system))

(define gnu-build-system
  (build-system
   (name 'gnu)
   (description "The build system that ./configure && make && make install.")))
