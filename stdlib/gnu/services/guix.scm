;;; schemy --- (gnu services guix): Guix Home environments deployed by the
;;; system (Guix manual, "Guix Home Service").  Home environments are not
;;; built by schemy: the service records which user gets which environment.

(define-module (gnu services guix)
  #:use-module (guix gexp)
  #:use-module (gnu services)
  #:export (guix-home-service-type))

(define guix-home-service-type
  (service-type
   (name 'guix-home)
   (extensions (list (service-extension profile-service-type (const '()))))
   (compose concatenate)
   (extend append)
   (default-value '())
   (description "Deploy Guix Home environments: a list of (USER HOME-ENVIRONMENT).")))
