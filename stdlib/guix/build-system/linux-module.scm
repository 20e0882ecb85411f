;;; schemy --- (guix build-system linux-module): the build system that Linux kernel modules.
;;; schemy never builds packages: the build system only names how Guix would.

(define-module (guix build-system linux-module)
  #:use-module (guix build-system)
  #:export (linux-module-build-system))

(define linux-module-build-system
  (build-system
   (name 'linux-module)
   (description "The build system that Linux kernel modules.")))
