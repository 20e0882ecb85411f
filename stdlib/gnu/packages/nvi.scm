;;; schemy --- nvi.

(define-module (gnu packages nvi)
  #:use-module (guix packages)
  #:export (nvi))

(define nvi
  (package
    (name "nvi")
    (version "1.81.6")
    (home-page "https://sites.google.com/a/bostic.com/keithbostic/vi/")
    (synopsis "The Berkeley Vi Editor")
    (description
     "nvi is the vi of the BSD systems, a small and faithful implementation
of the classic modal editor.")
    (license 'bsd-3)
    (debian-package "nvi")
    (programs '("bin/nvi" ("bin/vi" ("nvi" "vi"))))))
