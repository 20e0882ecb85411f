;;; schemy --- Terminal multiplexers.

(define-module (gnu packages screen)
  #:use-module (guix packages)
  #:export (screen
            dtach))

(define screen
  (package
    (name "screen")
    (version "4.9.1")
    (home-page "https://www.gnu.org/software/screen/")
    (synopsis "Full-screen text window manager")
    (description
     "GNU Screen shares one terminal between several interactive programs,
each in its own window, and keeps them running when you detach from it.")
    (license 'gpl3+)
    (debian-package "screen")
    (programs '("bin/screen"))))

(define dtach
  (package
    (name "dtach")
    (version "0.9")
    (home-page "https://dtach.sourceforge.net/")
    (synopsis "Emulates the detach feature of screen")
    (description "dtach runs a program detached from the terminal, so that
you can attach to it again later.")
    (license 'gpl2+)
    (debian-package "dtach")
    (programs '("bin/dtach"))))
