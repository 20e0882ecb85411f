;;; schemy --- The user's mcron (Guix manual, "Scheduled User's Job
;;; Execution"): mcron-service-type's jobs, run by the user's shepherd.

(define-module (gnu home services mcron)
  #:use-module (gnu services)
  #:use-module (gnu services mcron)
  #:use-module (gnu home services)
  #:use-module (gnu home services shepherd)
  #:export (home-mcron-configuration
            home-mcron-service-type)
  #:re-export (mcron-configuration))

(define-syntax-rule (home-mcron-configuration fields ...)
  (for-home (mcron-configuration fields ...)))

(define home-mcron-service-type
  (service-type
   (inherit (system->home-service-type mcron-service-type))
   (default-value (for-home (mcron-configuration)))))
