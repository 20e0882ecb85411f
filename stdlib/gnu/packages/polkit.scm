;;; schemy --- Polkit.

(define-module (gnu packages polkit)
  #:use-module (guix packages)
  #:export (polkit))

(define polkit
  (package
    (name "polkit")
    (version "121")
    (home-page "https://www.freedesktop.org/wiki/Software/polkit/")
    (synopsis "Authorization API for privilege management")
    (description
     "Polkit decides whether an unprivileged process may perform a
privileged action, following rules written by the administrator; libvirt
asks it who may manage virtual machines.")
    (license 'lgpl2.0+)
    (debian-package "polkitd")
    (programs
     '(("lib/polkit-1/polkitd" ("/usr/lib/polkit-1/polkitd"
                                "/usr/libexec/polkitd"))
       "bin/pkaction" "bin/pkcheck"
       ("bin/pkexec" "pkexec" "pkexec")))))
