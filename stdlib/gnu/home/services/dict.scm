;;; schemy --- GNU Dico's dicod as a user daemon (Guix manual, "Miscellaneous
;;; Home Services"): dicod-service-type under the user's shepherd, no account.

(define-module (gnu home services dict)
  #:use-module (gnu services)
  #:use-module (gnu services dict)
  #:use-module ((gnu system shadow) #:select (account-service-type))
  #:use-module (gnu home services)
  #:use-module (gnu home services shepherd)
  #:export (home-dicod-service-type)
  #:re-export (dicod-configuration))

(define home-dicod-service-type
  (service-type
   (inherit (system->home-service-type
             (remove-service-extensions dicod-service-type (list account-service-type))))
   (default-value (for-home (dicod-configuration)))))
