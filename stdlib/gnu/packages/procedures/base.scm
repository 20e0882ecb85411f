;;; schemy --- Procedures of (gnu packages base) that configs call; loaded
;;; into the catalogue module.

(define-public (canonical-package package)
  "PACKAGE as built by the final toolchain of the bootstrap (what Guix's
canonical-package returns for the packages of its base set): schemy builds
no toolchain, so this is PACKAGE itself, same name, version and outputs."
  package)

;; Guix's sample of UTF-8 locales (those its tests use).
(define %default-utf8-locales
  '("C" "de_DE" "el_GR" "en_US" "fr_FR" "tr_TR"))

(define* (make-glibc-utf8-locales glibc #:key (locales %default-utf8-locales)
                                  (name "glibc-utf8-locales"))
  "A package of the UTF-8 LOCALES of GLIBC, named NAME, at GLIBC's version.
schemy compiles no locales: the package is the host's locales, as
glibc-utf8-locales is, with the locales it asks for in its properties."
  (unless (and (list? locales) (every string? locales))
    (error "make-glibc-utf8-locales: #:locales must be a list of locale names such as \"it_IT\""
           locales))
  (package
    (inherit glibc-utf8-locales)
    (name name)
    (version (package-version glibc))
    (properties `((locales . ,locales) ,@(package-properties glibc-utf8-locales)))))

(export make-glibc-utf8-locales)
