;;; schemy --- OCI containers of a user (Guix manual, "Miscellaneous Home
;;; Services", OCI backed services): oci-service-type under the user's
;;; shepherd, the runtime's command line in the home profile.

(define-module (gnu home services containers)
  #:use-module (gnu services)
  #:use-module (gnu services containers)
  #:use-module (gnu home services)
  #:use-module (gnu home services shepherd)
  #:export (home-oci-service-type))

(define home-oci-service-type
  (service-type
   (inherit (system->home-service-type oci-service-type))
   (extend (lambda (config extension)
             (for-home
              (oci-configuration
               (inherit ((service-type-extend oci-service-type) config extension))))))
   (default-value (for-home (oci-configuration)))))
