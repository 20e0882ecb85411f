;;; schemy --- (guix build-system): build systems as named values (schemy
;;; never builds packages; a package's build system is only recorded).

(define-module (guix build-system)
  #:use-module (guix records)
  #:export (build-system
            build-system?
            build-system-name
            build-system-description
            build-system-lower))

(define-record-type* <build-system> build-system make-build-system
  build-system?
  (name        build-system-name)
  (description build-system-description (default ""))
  (lower       build-system-lower (default #f)))
