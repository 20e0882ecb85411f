;;; schemy --- (guix build-system meson): the build system that Meson projects.
;;; schemy never builds packages: the build system only names how Guix would.

(define-module (guix build-system meson)
  #:use-module (guix build-system)
  #:export (meson-build-system))

(define meson-build-system
  (build-system
   (name 'meson)
   (description "The build system that Meson projects.")))
