;;; schemy --- Log rotation for the user's own services (Guix manual, "Log
;;; Rotation" in Home Services): the Shepherd's log-rotation service under
;;; the user's shepherd, needing no system service.

(define-module (gnu home services admin)
  #:use-module (gnu services)
  #:use-module (gnu services admin)
  #:use-module (gnu home services)
  #:use-module (gnu home services shepherd)
  #:export (home-log-rotation-service-type)
  #:re-export (log-rotation-configuration))

(define home-log-rotation-service-type
  (service-type
   (inherit (system->home-service-type log-rotation-service-type))
   (default-value (for-home (log-rotation-configuration)))))
