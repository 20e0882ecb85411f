;;; schemy --- The user's own Shepherd (Guix manual, "Managing User Daemons"):
;;; home services extend `home-shepherd-service-type' with shepherd services;
;;; they are written to ~/.config/shepherd/init.scm, which the user's shepherd
;;; loads, started at first login and reloaded on activation.

(define-module (gnu home services shepherd)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (gnu home services)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module ((gnu packages admin) #:select (shepherd-for-home))
  #:use-module (srfi srfi-1)
  #:export (home-shepherd-service-type
            home-shepherd-configuration
            home-shepherd-configuration?
            home-shepherd-configuration-shepherd
            home-shepherd-configuration-auto-start?
            home-shepherd-configuration-daemonize?
            home-shepherd-configuration-silent?
            home-shepherd-configuration-services
            home-shepherd-timer-service-type
            home-shepherd-transient-service-type)
  #:re-export (shepherd-service
               shepherd-service?
               shepherd-service-documentation
               shepherd-service-provision
               shepherd-service-canonical-name
               shepherd-service-requirement
               shepherd-service-one-shot?
               shepherd-service-respawn?
               shepherd-service-start
               shepherd-service-stop
               shepherd-service-auto-start?
               shepherd-service-modules
               shepherd-action
               shepherd-configuration-action
               shepherd-timer
               shepherd-trigger-action))

(define-record-type* <home-shepherd-configuration> home-shepherd-configuration
  make-home-shepherd-configuration home-shepherd-configuration?
  (shepherd    home-shepherd-configuration-shepherd (default shepherd-for-home))
  (auto-start? home-shepherd-configuration-auto-start? (default #t))
  (daemonize?  home-shepherd-configuration-daemonize? (default #t))
  (silent?     home-shepherd-configuration-silent? (default #t))
  (services    home-shepherd-configuration-services (default '())))

(define (service->gexp s)
  ;; One service as the (shepherd service) API spells it.
  #~(service '#$(shepherd-service-provision s)
             #:requirement '#$(shepherd-service-requirement s)
             #:one-shot? #$(shepherd-service-one-shot? s)
             #:respawn? #$(shepherd-service-respawn? s)
             #:documentation #$(or (shepherd-service-documentation s) "")
             #:start #$(shepherd-service-start s)
             #:stop #$(shepherd-service-stop s)))

(define (check-requirements services)
  ;; Every requirement is provided by one of SERVICES.
  (let ((provided (append-map shepherd-service-provision services)))
    (for-each (lambda (s)
                (for-each (lambda (r)
                            (unless (memq r provided)
                              ;; Located at the user's service that made S, when known.
                              (%raise-located
                               (shepherd-service-location s)
                               (format #f "home shepherd service '~a' requires '~a', which no home service provides"
                                       (car (shepherd-service-provision s)) r))))
                          (shepherd-service-requirement s)))
              services)))

(define (home-shepherd-configuration-file config)
  (let ((services (home-shepherd-configuration-services config)))
    (check-requirements services)
    (scheme-file
     "shepherd.conf"
     #~(begin
         (register-services (list #$@(map service->gexp services)))
         #$@(if (home-shepherd-configuration-daemonize? config)
                (list #~(perform-service-action root-service 'daemonize))
                '())
         (start-in-the-background
          '#$(append-map shepherd-service-provision
                         (filter shepherd-service-auto-start? services)))))))

(define (socket-file-gexp)
  #~(string-append (or (getenv "XDG_RUNTIME_DIR") (format #f "/run/user/~a" (getuid)))
                   "/shepherd/socket"))

(define (launch-shepherd config)
  (if (home-shepherd-configuration-auto-start? config)
      #~(unless (file-exists? #$(socket-file-gexp))
          (system* #$(file-append (home-shepherd-configuration-shepherd config) "/bin/shepherd")
                   #$@(if (home-shepherd-configuration-silent? config) '("--silent") '())
                   "--config" #$(home-shepherd-configuration-file config)))
      #~""))

(define (reload-or-launch config)
  #~(if (file-exists? #$(socket-file-gexp))
        (system* #$(file-append (home-shepherd-configuration-shepherd config) "/bin/herd")
                 "load" "root" #$(home-shepherd-configuration-file config))
        (unless (getenv "GUIX_SYSTEM_IS_RUNNING_HOME_ACTIVATE")
          #$(launch-shepherd config))))

(define home-shepherd-service-type
  (service-type
   (name 'home-shepherd)
   (extensions (list (service-extension home-run-on-first-login-service-type launch-shepherd)
                     (service-extension home-xdg-configuration-files-service-type
                                        (lambda (config)
                                          `(("shepherd/init.scm"
                                             ,(home-shepherd-configuration-file config)))))
                     (service-extension home-activation-service-type reload-or-launch)
                     (service-extension home-profile-service-type
                                        (lambda (config)
                                          (list (home-shepherd-configuration-shepherd config))))))
   (compose concatenate)
   (extend (lambda (config services)
             (home-shepherd-configuration
              (inherit config)
              (services (append (home-shepherd-configuration-services config) services)))))
   (default-value (home-shepherd-configuration))
   (description "Run the user's own Shepherd and the home services' daemons
under it; extended with lists of shepherd services.")))

(define-service-type-mapping shepherd-root-service-type => home-shepherd-service-type)

;;; The Shepherd's timer and transient services, in the user's shepherd.

(define home-shepherd-timer-service-type
  (service-type
   (inherit (system->home-service-type shepherd-timer-service-type))
   (default-value '())))

(define home-shepherd-transient-service-type
  (service-type
   (inherit (system->home-service-type shepherd-transient-service-type))
   (default-value '())))
