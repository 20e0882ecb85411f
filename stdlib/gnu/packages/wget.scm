;;; schemy --- Downloading files over HTTP and FTP.

(define-module (gnu packages wget)
  #:use-module (guix packages)
  #:export (wget))

(define wget
  (package
    (name "wget")
    (version "1.21.4")
    (home-page "https://www.gnu.org/software/wget/")
    (synopsis "Non-interactive command-line utility for downloading files")
    (description
     "GNU Wget downloads files over HTTP, HTTPS and FTP, resuming broken
transfers and optionally mirroring whole sites by following links.")
    (license 'gpl3+)
    (debian-package "wget")
    (programs '("bin/wget"))))
