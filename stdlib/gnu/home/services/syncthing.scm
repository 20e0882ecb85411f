;;; schemy --- Syncthing as a user daemon (Guix manual, "Networking Home
;;; Services"): syncthing-service-type's daemon under the user's shepherd.

(define-module (gnu home services syncthing)
  #:use-module (gnu services)
  #:use-module (gnu services syncthing)
  #:use-module (gnu home services)
  #:use-module (gnu home services shepherd)
  #:export (home-syncthing-service-type)
  #:re-export (syncthing-configuration
               syncthing-configuration?
               syncthing-config-file
               syncthing-config-file?
               syncthing-device
               syncthing-device?
               syncthing-folder
               syncthing-folder?
               syncthing-folder-device
               syncthing-folder-device?))

(define home-syncthing-service-type
  (service-type
   (inherit (system->home-service-type syncthing-service-type))
   ;; config.xml goes to the home's files (the system type's special files
   ;; have no home counterpart).
   (extensions (list (service-extension home-files-service-type syncthing-files-service)
                     (service-extension home-shepherd-service-type
                                        (lambda (config) (list (syncthing-shepherd-service config))))))
   (default-value (for-home (syncthing-configuration)))))
