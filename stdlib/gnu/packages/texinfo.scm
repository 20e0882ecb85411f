;;; schemy --- The GNU documentation system.

(define-module (gnu packages texinfo)
  #:use-module (guix packages)
  #:export (texinfo
            info-reader))

(define texinfo
  (package
    (name "texinfo")
    (version "7.1")
    (home-page "https://www.gnu.org/software/texinfo/")
    (synopsis "The GNU documentation format")
    (description
     "Texinfo is the documentation format of the GNU project: one source
gives Info manuals, HTML and printed books.  makeinfo converts it; info
reads the manuals in a terminal.")
    (license 'gpl3+)
    (debian-package "texinfo")
    (programs '("bin/makeinfo" "bin/texi2any" ("bin/info" "info" "info")
                ("bin/install-info" "install-info" "install-info")))))

(define info-reader
  (package
    (inherit texinfo)
    (name "info-reader")
    (synopsis "Standalone Info documentation reader")
    (description "The info program alone, to read Info manuals in a
terminal.")
    (debian-package "info")
    (programs '("bin/info"))))
