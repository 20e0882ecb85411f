;;; schemy --- High-availability clustering.

(define-module (gnu packages cluster)
  #:use-module (guix packages)
  #:export (keepalived
            haproxy))

(define keepalived
  (package
    (name "keepalived")
    (version "2.2.8")
    (home-page "https://www.keepalived.org/")
    (synopsis "Load balancing and high-availability frameworks")
    (description
     "Keepalived moves a virtual IP address between machines with VRRP so
that a service stays reachable when one fails, and checks the health of
load-balanced servers.")
    (license 'gpl2+)
    (debian-package "keepalived")
    (programs '("sbin/keepalived"))))

(define haproxy
  (package
    (name "haproxy")
    (version "2.8.9")
    (home-page "https://www.haproxy.org/")
    (synopsis "Reliable, high performance TCP/HTTP load balancer")
    (description "HAProxy is a fast TCP and HTTP proxy that spreads requests
over several servers.")
    (license '(gpl2+ lgpl2.1))
    (debian-package "haproxy")
    (programs '("sbin/haproxy"))))
