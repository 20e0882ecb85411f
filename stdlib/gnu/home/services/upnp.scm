;;; schemy --- ReadyMedia as a user daemon (Guix manual, "Miscellaneous Home
;;; Services"): readymedia-service-type under the user's shepherd, its
;;; directories made on activation.

(define-module (gnu home services upnp)
  #:use-module (gnu services)
  #:use-module (gnu services upnp)
  #:use-module (gnu home services)
  #:use-module (gnu home services shepherd)
  #:export (home-readymedia-service-type)
  #:re-export (readymedia-configuration
               readymedia-configuration?
               readymedia-configuration-readymedia
               readymedia-configuration-port
               readymedia-configuration-cache-directory
               readymedia-configuration-extra-config
               readymedia-configuration-friendly-name
               readymedia-configuration-log-directory
               readymedia-configuration-media-directories
               readymedia-media-directory
               readymedia-media-directory?
               readymedia-media-directory-path
               readymedia-media-directory-types))

(define home-readymedia-service-type
  (service-type
   (inherit (system->home-service-type readymedia-service-type))
   (extensions
    (list (service-extension home-shepherd-service-type (compose list readymedia-shepherd-service))
          (service-extension home-activation-service-type readymedia-activation)))
   (default-value (for-home (readymedia-configuration (media-directories '()))))))
