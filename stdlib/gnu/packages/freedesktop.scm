;;; schemy --- freedesktop.org system services.

(define-module (gnu packages freedesktop)
  #:use-module (guix packages)
  #:export (elogind
            udisks
            accountsservice))

(define elogind
  (package
    (name "elogind")
    (version "252.9")
    (home-page "https://github.com/elogind/elogind")
    (synopsis "User, seat, and session management service")
    (description
     "elogind is systemd's login manager (logind) extracted to run on its
own: it tracks user sessions and seats and handles power keys.")
    (license '(lgpl2.1+ gpl2+))
    (debian-package "elogind")
    (programs '("bin/loginctl"
                ("libexec/elogind/elogind" ("/lib/elogind/elogind"
                                            "/usr/libexec/elogind/elogind"
                                            "/usr/lib/elogind/elogind"))))))

(define udisks
  (package
    (name "udisks")
    (version "2.10.1")
    (home-page "https://www.freedesktop.org/wiki/Software/udisks/")
    (synopsis "Disk manager service")
    (description "UDisks lets unprivileged users query and mount storage
devices through D-Bus.")
    (license '(gpl2+ lgpl2.0+))
    (debian-package "udisks2")
    (programs '("bin/udisksctl"))))

(define accountsservice
  (package
    (name "accountsservice")
    (version "23.13.9")
    (home-page "https://www.freedesktop.org/wiki/Software/AccountsService/")
    (synopsis "D-Bus interface for user account query and manipulation")
    (description "AccountsService exposes the system's user accounts over
D-Bus, for display managers and settings panels.")
    (license 'gpl3+)
    (debian-package "accountsservice")))
