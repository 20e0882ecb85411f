;;; schemy --- Syncthing as a user daemon (Guix manual, "Networking Home
;;; Services"): syncthing-service-type's daemon under the user's shepherd.

(define-module (gnu home services syncthing)
  #:use-module (gnu services)
  #:use-module (gnu services syncthing)
  #:use-module (gnu home services)
  #:use-module (gnu home services shepherd)
  #:export (home-syncthing-service-type)
  #:re-export (syncthing-configuration
               syncthing-configuration?))

(define home-syncthing-service-type
  (service-type
   (inherit (system->home-service-type syncthing-service-type))
   (default-value (for-home (syncthing-configuration)))))
