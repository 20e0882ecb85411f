;;; schemy --- GNU Awk.

(define-module (gnu packages gawk)
  #:use-module (guix packages)
  #:export (gawk))

(define gawk
  (package
    (name "gawk")
    (version "5.3.0")
    (home-page "https://www.gnu.org/software/gawk/")
    (synopsis "Text scanning and processing language")
    (description
     "Gawk is the GNU implementation of awk, a language for scanning and
transforming text line by line and field by field.")
    (license 'gpl3+)
    (debian-package "gawk")
    ;; bin/awk: the host's awk when gawk itself is not installed (Debian's
    ;; default awk is mawk).
    (programs '("bin/gawk" ("bin/awk" ("gawk" "awk"))))))
