;;; schemy --- GNU nano.

(define-module (gnu packages nano)
  #:use-module (guix packages)
  #:export (nano))

(define nano
  (package
    (name "nano")
    (version "7.2")
    (home-page "https://www.nano-editor.org/")
    (synopsis "Small, user-friendly console text editor")
    (description
     "GNU nano is a small text editor for the terminal, with its commands
listed at the bottom of the screen.")
    (license 'gpl3+)
    (debian-package "nano")
    (programs '("bin/nano"))))
