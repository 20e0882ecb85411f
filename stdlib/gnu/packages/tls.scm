;;; schemy --- Transport Layer Security libraries and tools.

(define-module (gnu packages tls)
  #:use-module (guix packages)
  #:export (openssl
            gnutls
            certbot))

(define openssl
  (package
    (name "openssl")
    (version "3.0.8")
    (home-page "https://www.openssl.org/")
    (outputs '("out" "doc" "static"))
    (synopsis "SSL/TLS implementation")
    (description
     "OpenSSL implements the TLS protocol and the cryptography beneath it;
the openssl command creates keys, certificate requests and certificates and
tests TLS connections.")
    (license 'asl2.0)
    (debian-package "openssl")
    (programs '("bin/openssl" "bin/c_rehash"))))

(define gnutls
  (package
    (name "gnutls")
    (version "3.8.3")
    (home-page "https://gnutls.org")
    (synopsis "Transport layer security library")
    (description
     "GnuTLS is a TLS library; its tools create certificates (certtool) and
test servers (gnutls-cli).")
    (license 'lgpl2.1+)
    (debian-package "gnutls-bin")
    (programs '("bin/certtool" "bin/gnutls-cli" "bin/psktool"))))

(define certbot
  (package
    (name "certbot")
    (version "2.9.0")
    (home-page "https://certbot.eff.org/")
    (synopsis "Let's Encrypt client by the Electronic Frontier Foundation")
    (description "Certbot obtains and renews TLS certificates from Let's
Encrypt and other ACME certificate authorities.")
    (license 'asl2.0)
    (debian-package "certbot")
    (programs '("bin/certbot"))))
