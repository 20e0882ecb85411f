;;; schemy --- Messaging home services (Guix manual, "Messaging Home
;;; Services"): the ZNC IRC bouncer as a user daemon.  (Guix's
;;; home-snuik-service-type builds on a system service schemy lacks.)

(define-module (gnu home services messaging)
  #:use-module (gnu services)
  #:use-module (gnu home services)
  #:use-module (gnu home services shepherd)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module ((gnu packages messaging) #:select (znc))
  #:export (home-znc-configuration
            home-znc-service-type))

(define-record-type* <home-znc-configuration> home-znc-configuration
  make-home-znc-configuration home-znc-configuration?
  (znc           home-znc-znc (default znc))
  (extra-options home-znc-extra-options (default '())))

(define (znc-shepherd-services config)
  (list (shepherd-service
         (documentation "Run the znc IRC bouncer.")
         (provision '(znc))
         (modules '((shepherd support)))
         (start #~(make-forkexec-constructor
                   '(#$(file-append (home-znc-znc config) "/bin/znc") "--foreground"
                     #$@(home-znc-extra-options config))
                   #:log-file (string-append %user-log-dir "/znc.log")))
         (stop #~(make-kill-destructor)))))

(define home-znc-service-type
  (service-type
   (name 'home-znc)
   (extensions (list (service-extension home-shepherd-service-type znc-shepherd-services)))
   (default-value (home-znc-configuration))
   (description "Run the ZNC IRC bouncer as a user daemon.")))
