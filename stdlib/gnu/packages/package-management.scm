;;; schemy --- Package managers.

(define-module (gnu packages package-management)
  #:use-module (guix packages)
  #:export (guix
            nix
            flatpak))

(define guix
  (package
    (name "guix")
    (version "1.4.0")
    (home-page "https://www.gnu.org/software/guix/")
    (synopsis "Functional package manager for installed software packages and versions")
    (description
     "GNU Guix manages software and whole systems declaratively, in Scheme:
transactional upgrades and roll-backs, unprivileged installation, and
reproducible builds in isolated environments.  guix-daemon performs the
builds on behalf of users.")
    (license 'gpl3+)
    (debian-package "guix")
    (programs '("bin/guix" "bin/guix-daemon"))))

(define nix
  (package
    (name "nix")
    (version "2.16.1")
    (home-page "https://nixos.org/nix/")
    (synopsis "The Nix package manager")
    (description "Nix is a purely functional package manager, the origin of
the store model that Guix also follows.")
    (license 'lgpl2.1+)
    (debian-package "nix-bin")
    (programs '("bin/nix" "bin/nix-daemon" "bin/nix-env"))))

(define flatpak
  (package
    (name "flatpak")
    (version "1.14.6")
    (home-page "https://flatpak.org")
    (synopsis "System for building, distributing, and running sandboxed desktop applications")
    (description "Flatpak installs desktop applications with their runtimes
and runs them in sandboxes.")
    (license 'lgpl2.1+)
    (debian-package "flatpak")
    (programs '("bin/flatpak"))))
