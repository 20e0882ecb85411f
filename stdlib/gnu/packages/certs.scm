;;; schemy --- Certificate authorities.

(define-module (gnu packages certs)
  #:use-module (guix packages)
  #:export (nss-certs
            le-certs))

(define nss-certs
  (package
    (name "nss-certs")
    (version "3.99")
    (home-page "https://developer.mozilla.org/en-US/docs/Mozilla/Projects/NSS")
    (synopsis "CA certificates from Mozilla")
    (description
     "The certificates of the certificate authorities that Mozilla trusts,
one file each, for programs that check TLS servers' identities.  On a
Debian host the same set comes from ca-certificates.")
    (license 'mpl2.0)
    (debian-package "ca-certificates")))

(define le-certs
  (package
    (name "le-certs")
    (version "1")
    (home-page "https://letsencrypt.org/certificates/")
    (synopsis "Let's Encrypt root and intermediate certificates")
    (description "The certificates of Let's Encrypt's certificate
authority.")
    (license 'public-domain)
    (debian-package "ca-certificates")))
