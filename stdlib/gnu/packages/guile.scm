;;; schemy --- GNU Guile, the language of the configuration files.

(define-module (gnu packages guile)
  #:use-module (guix packages)
  #:export (guile-3.0
            guile-3.0-latest
            guile-2.2
            guile-json-4))

(define guile-3.0
  (package
    (name "guile")
    (version "3.0.9")
    (home-page "https://www.gnu.org/software/guile/")
    (synopsis "Scheme implementation intended especially for extensions")
    (description
     "Guile is the GNU Ubiquitous Intelligent Language for Extensions: a
Scheme implementation with a compiler and virtual machine, a module system,
POSIX bindings, threads and a large library.  Guix and the Shepherd are
written in it, and so are operating system configurations.")
    (license 'lgpl3+)
    (debian-package "guile-3.0")
    (programs '(("bin/guile" ("guile" "guile-3.0"))
                ("bin/guild" ("guild" "guild-3.0"))))))

(define guile-3.0-latest guile-3.0)

(define guile-2.2
  (package
    (inherit guile-3.0)
    (version "2.2.7")
    (debian-package "guile-2.2")
    (programs '(("bin/guile" ("guile-2.2")) ("bin/guild" ("guild-2.2"))))))

(define guile-json-4
  (package
    (name "guile-json")
    (version "4.7.3")
    (home-page "https://github.com/aconchillo/guile-json")
    (synopsis "JSON module for Guile")
    (description "Guile-JSON reads and writes JSON with Guile Scheme data.")
    (license 'gpl3+)
    (debian-package "guile-json")))
