;;; schemy --- (guix build-system cargo): the build system that Rust crates.
;;; schemy never builds packages: the build system only names how Guix would.
;;; The crates.io names below are Guix's (guix/build-system/cargo.scm): a channel's own
;;; Rust packages use them in their origins.

(define-module (guix build-system cargo)
  #:use-module (guix build-system)
  #:use-module (srfi srfi-26)
  #:export (cargo-build-system
            %crate-base-url
            crate-url
            crate-url?
            crate-uri
            crate-name->package-name))

(define cargo-build-system
  (build-system
   (name 'cargo)
   (description "The build system that Rust crates.")))

(define %crate-base-url
  (make-parameter "https://crates.io"))

(define crate-url
  (string-append (%crate-base-url) "/api/v1/crates/"))

(define crate-url?
  (cut string-prefix? crate-url <>))

;; Where crates.io serves version VERSION of crate NAME.
(define (crate-uri name version)
  (string-append crate-url name "/" version "/download"))

;; The Guix package name of crate NAME: "rust-" and NAME in lower case, with "_" and "."
;; as "-" (Guix's downstream-package-name).
(define (crate-name->package-name name)
  (string-append "rust-" (string-map (lambda (c)
                                        (case c
                                          ((#\_ #\.) #\-)
                                          (else (char-downcase c))))
                                      name)))
