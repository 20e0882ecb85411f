;;; schemy --- Domain name servers and tools.

(define-module (gnu packages dns)
  #:use-module (guix packages)
  #:export (dnsmasq
            isc-bind
            knot
            unbound))

(define dnsmasq
  (package
    (name "dnsmasq")
    (version "2.90")
    (home-page "https://www.thekelleys.org.uk/dnsmasq/doc.html")
    (synopsis "Small caching DNS proxy and DHCP/TFTP server")
    (description
     "Dnsmasq is a lightweight DNS forwarder and DHCP server for small
networks; libvirt uses it for its virtual networks.")
    (license 'gpl3)
    (debian-package "dnsmasq-base")
    (programs '("sbin/dnsmasq"))))

(define isc-bind
  (package
    (name "bind")
    (version "9.19.21")
    (home-page "https://www.isc.org/bind/")
    (synopsis "Domain Name System (DNS) server and tools")
    (description
     "BIND is ISC's DNS server, named, together with the dig, host and
nslookup query tools.")
    (license 'mpl2.0)
    (debian-package "bind9-dnsutils")
    (programs
     `(("sbin/named" "named" "bind9")
       ,@(host-programs "bin" '("dig" "host" "nslookup" "nsupdate"))))))

(define knot
  (package
    (name "knot")
    (version "3.3.5")
    (home-page "https://www.knot-dns.cz/")
    (synopsis "Authoritative DNS name server")
    (description "Knot DNS is a fast authoritative-only DNS server.")
    (license 'gpl3+)
    (debian-package "knot")
    (programs '("sbin/knotd" "sbin/knotc"))))

(define unbound
  (package
    (name "unbound")
    (version "1.19.3")
    (home-page "https://www.unbound.net")
    (synopsis "Validating, recursive, and caching DNS resolver")
    (description "Unbound is a recursive DNS resolver that validates
DNSSEC signatures and caches answers.")
    (license 'bsd-3)
    (debian-package "unbound")
    (programs '("sbin/unbound" "sbin/unbound-control"))))
