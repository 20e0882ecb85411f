;;; schemy --- (guix build-system cargo): the build system that Rust crates.
;;; schemy never builds packages: the build system only names how Guix would.

(define-module (guix build-system cargo)
  #:use-module (guix build-system)
  #:export (cargo-build-system))

(define cargo-build-system
  (build-system
   (name 'cargo)
   (description "The build system that Rust crates.")))
