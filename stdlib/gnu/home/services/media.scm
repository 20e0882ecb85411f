;;; schemy --- Media home services (Guix manual, "Media Home Services"):
;;; the Kodi media center as a user daemon.

(define-module (gnu home services media)
  #:use-module (gnu services)
  #:use-module (gnu home services)
  #:use-module (gnu home services shepherd)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module ((gnu packages kodi) #:select (kodi))
  #:export (home-kodi-configuration
            home-kodi-service-type))

(define-record-type* <home-kodi-configuration> home-kodi-configuration
  make-home-kodi-configuration home-kodi-configuration?
  (kodi          home-kodi-kodi (default kodi))
  (extra-options home-kodi-extra-options (default '())))

(define (kodi-shepherd-services config)
  (list (shepherd-service
         (documentation "Run the kodi media center.")
         (provision '(kodi))
         (modules '((shepherd support)))
         (start #~(make-forkexec-constructor
                   '(#$(file-append (home-kodi-kodi config) "/bin/kodi") "-fs"
                     #$@(home-kodi-extra-options config))
                   #:log-file (string-append %user-log-dir "/kodi.log")))
         (stop #~(make-kill-destructor)))))

(define home-kodi-service-type
  (service-type
   (name 'home-kodi)
   (extensions (list (service-extension home-shepherd-service-type kodi-shepherd-services)))
   (default-value (home-kodi-configuration))
   (description "Run the Kodi media center as a user daemon.")))
