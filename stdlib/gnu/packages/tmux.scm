;;; schemy --- tmux.

(define-module (gnu packages tmux)
  #:use-module (guix packages)
  #:export (tmux))

(define tmux
  (package
    (name "tmux")
    (version "3.4")
    (home-page "https://github.com/tmux/tmux/wiki")
    (synopsis "Terminal multiplexer")
    (description
     "tmux runs several terminals in one screen, in windows and panes, and
keeps them running while detached.")
    (license 'isc)
    (debian-package "tmux")
    (programs '("bin/tmux"))))
