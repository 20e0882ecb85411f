;;; schemy --- Certificate services (Guix manual, "Certificate Services"):
;;; certbot obtains and renews Let's Encrypt certificates, twice a day, as
;;; an mcron job; nginx serves the ACME challenges from the webroot.

(define-module (gnu services certbot)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services mcron)
  #:use-module (gnu services web)
  #:use-module ((gnu packages tls) #:select (certbot))
  #:use-module (srfi srfi-1)
  #:export (certbot-configuration
            certbot-configuration?
            certificate-configuration
            certificate-configuration?
            certbot-service-type
            certbot-command))

(define-record-type* <certificate-configuration> certificate-configuration
  make-certificate-configuration certificate-configuration?
  (name                certificate-configuration-name (default #f))
  (domains             certificate-configuration-domains (default '()))
  (challenge           certificate-configuration-challenge (default #f))
  (csr                 certificate-configuration-csr (default #f))
  (authentication-hook certificate-configuration-authentication-hook (default #f))
  (cleanup-hook        certificate-configuration-cleanup-hook (default #f))
  (deploy-hook         certificate-configuration-deploy-hook (default #f))
  (dry-run?            certbot-configuration-dry-run? (default #f)) ;sic: Guix's accessor name
  (start-self-signed?  certificate-configuration-start-self-signed? (default #t)))

(define-record-type* <certbot-configuration> certbot-configuration
  make-certbot-configuration certbot-configuration?
  (package          certbot-configuration-package (default certbot))
  (webroot          certbot-configuration-webroot (default "/var/www"))
  (certificates     certbot-configuration-certificates (default '()))
  (email            certbot-configuration-email (default #f))
  (server           certbot-configuration-server (default #f))
  (rsa-key-size     certbot-configuration-rsa-key-size (default #f)) ;as Guix: certbot's own
  (default-location certbot-configuration-default-location
                    (default (nginx-location-configuration
                              (uri "/")
                              (body (list "return 301 https://$host$request_uri;"))))))

(define (certificate-name cert)
  (or (certificate-configuration-name cert)
      (car (certificate-configuration-domains cert))))

(define (certbot-command config cert)
  "The certbot command line that obtains or renews CERT."
  (append
   (list "certbot" "certonly" "-n" "--agree-tos"
         "--cert-name" (certificate-name cert)
         "-d" (string-join (certificate-configuration-domains cert) ","))
   (if (certificate-configuration-challenge cert)
       (list "--manual" "--preferred-challenges" (certificate-configuration-challenge cert))
       (list "--webroot" "-w" (certbot-configuration-webroot config)))
   (let ((email (certbot-configuration-email config)))
     (if email (list "--email" email) (list "--register-unsafely-without-email")))
   (let ((server (certbot-configuration-server config)))
     (if server (list "--server" server) '()))
   (let ((size (certbot-configuration-rsa-key-size config)))
     (if size (list "--rsa-key-size" (number->string size)) '()))
   ;; As Guix: a certificate can be tried without being issued.
   (if (certbot-configuration-dry-run? cert) (list "--dry-run") '())))

(define (certbot-jobs config)
  (map (lambda (cert)
         #~(job "0 0,12 * * *" #$(string-join (certbot-command config cert) " ")))
       (certbot-configuration-certificates config)))

(define (certbot-nginx-server config)
  (list (nginx-server-configuration
         (listen '("80" "[::]:80"))
         (server-name (append-map certificate-configuration-domains
                                  (certbot-configuration-certificates config)))
         (root #f)
         (locations
          (list (nginx-location-configuration
                 (uri "/.well-known")
                 (body (list (string-append "root " (certbot-configuration-webroot config) ";"))))
                (certbot-configuration-default-location config))))))

(define certbot-service-type
  (service-type
   (name 'certbot)
   (extensions
    (list (service-extension mcron-service-type certbot-jobs)
          (service-extension nginx-service-type certbot-nginx-server)
          (service-extension profile-service-type
                             (lambda (config) (list (certbot-configuration-package config))))))
   (compose concatenate)
   (extend (lambda (config certificates)
             (certbot-configuration
              (inherit config)
              (certificates (append (certbot-configuration-certificates config) certificates)))))
   (description "Obtain and renew TLS certificates from Let's Encrypt with certbot.")))
