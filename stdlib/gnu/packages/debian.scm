;;; schemy --- Tools from and for Debian.

(define-module (gnu packages debian)
  #:use-module (guix packages)
  #:export (debootstrap
            debian-archive-keyring
            ubuntu-keyring
            dpkg))

(define debootstrap
  (package
    (name "debootstrap")
    (version "1.0.134")
    (home-page "https://tracker.debian.org/pkg/debootstrap")
    (synopsis "Bootstrap a basic Debian system")
    (description
     "Debootstrap installs a minimal Debian (or Ubuntu) system into a
directory by downloading and unpacking its packages, without needing dpkg
on the host; Ganeti's debootstrap OS provider uses it to install new
instances.")
    (license 'gpl2)
    (debian-package "debootstrap")
    (programs '("sbin/debootstrap"))))

(define debian-archive-keyring
  (package
    (name "debian-archive-keyring")
    (version "2023.4")
    (home-page "https://packages.qa.debian.org/d/debian-archive-keyring.html")
    (synopsis "GnuPG archive keys of the Debian archive")
    (description "The keys that sign the Debian archive, with which
debootstrap and apt check what they download.")
    (license 'public-domain)
    (debian-package "debian-archive-keyring")))

(define ubuntu-keyring
  (package
    (name "ubuntu-keyring")
    (version "2021.03.26")
    (home-page "https://launchpad.net/ubuntu/+source/ubuntu-keyring")
    (synopsis "GnuPG keys of the Ubuntu archive")
    (description "The keys that sign the Ubuntu archive.")
    (license 'gpl2+)
    (debian-package "ubuntu-keyring")))

(define dpkg
  (package
    (name "dpkg")
    (version "1.22.6")
    (home-page "https://wiki.debian.org/Teams/Dpkg")
    (synopsis "Debian package management system")
    (description "dpkg installs, removes and inspects Debian binary
packages.")
    (license 'gpl2+)
    (debian-package "dpkg")
    (programs '("bin/dpkg" "bin/dpkg-deb" "bin/dpkg-query"))))
