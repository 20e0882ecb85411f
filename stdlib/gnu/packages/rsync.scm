;;; schemy --- rsync.

(define-module (gnu packages rsync)
  #:use-module (guix packages)
  #:export (rsync))

(define rsync
  (package
    (name "rsync")
    (version "3.2.7")
    (home-page "https://rsync.samba.org/")
    (synopsis "Remote (and local) file copying tool")
    (description
     "rsync copies files locally or to and from another machine, sending
only the parts that differ from what the destination already has.")
    (license 'gpl3+)
    (debian-package "rsync")
    (programs '("bin/rsync"))))
