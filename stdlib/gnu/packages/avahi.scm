;;; schemy --- Zero-configuration networking.

(define-module (gnu packages avahi)
  #:use-module (guix packages)
  #:export (avahi
            nss-mdns))

(define avahi
  (package
    (name "avahi")
    (version "0.8")
    (home-page "https://avahi.org")
    (synopsis "Implementation of mDNS/DNS-SD protocols")
    (description
     "Avahi lets machines on a local network find each other and the
services they offer without a DNS server, with multicast DNS and DNS-based
service discovery.")
    (license 'lgpl2.1+)
    (debian-package "avahi-daemon")
    (programs
     `(("sbin/avahi-daemon" "avahi-daemon" "avahi-daemon")
       ,@(host-programs "bin" '("avahi-browse" "avahi-resolve" "avahi-publish")
                        "avahi-utils")))))

(define nss-mdns
  (package
    (name "nss-mdns")
    (version "0.15.1")
    (home-page "https://github.com/lathiat/nss-mdns")
    (synopsis "Multicast DNS Name Service Switch (@dfn{NSS}) plug-in")
    (description "A plug-in for the C library's name service switch that
resolves host names ending in .local with multicast DNS.")
    (license 'lgpl2.1+)
    (debian-package "libnss-mdns")))
