;;; schemy --- curl.

(define-module (gnu packages curl)
  #:use-module (guix packages)
  #:export (curl))

(define curl
  (package
    (name "curl")
    (version "8.6.0")
    (home-page "https://curl.se/")
    (synopsis "Command line tool for transferring data with URL syntax")
    (description
     "curl transfers data to or from servers with URLs, over HTTP(S), FTP,
SFTP, SMTP and many other protocols; libcurl is the library behind it.")
    (license 'curl)
    (debian-package "curl")
    (programs '("bin/curl"))))
