;;; schemy --- Syncthing (Guix manual, "File-Sharing Services"): one
;;; Syncthing daemon per user, run by schemy as that user.

(define-module (gnu services syncthing)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module ((gnu packages syncthing) #:select (syncthing))
  #:export (syncthing-configuration
            syncthing-configuration?
            syncthing-service-type))

(define-record-type* <syncthing-configuration> syncthing-configuration
  make-syncthing-configuration syncthing-configuration?
  (syncthing   syncthing-configuration-syncthing (default syncthing))
  (arguments   syncthing-configuration-arguments (default '()))
  (logflags    syncthing-configuration-logflags (default 0))
  (user        syncthing-configuration-user (default #f))
  (group       syncthing-configuration-group (default "users"))
  (home        syncthing-configuration-home (default #f))
  (config-file syncthing-configuration-config-file (default #f)))

(define (syncthing-shepherd-service config)
  (let ((user (syncthing-configuration-user config)))
    (shepherd-service
     (provision (list (string->symbol (string-append "syncthing-" (or user "nobody")))))
     (requirement '(loopback))
     (documentation "Run Syncthing, the continuous file synchronization daemon.")
     (start #~(make-forkexec-constructor
               (append (list #$(file-append (syncthing-configuration-syncthing config) "/bin/syncthing")
                             "--no-browser" "--no-restart"
                             #$(string-append "--logflags="
                                              (number->string (syncthing-configuration-logflags config))))
                       '#$(syncthing-configuration-arguments config))
               #:user #$user
               #:group #$(syncthing-configuration-group config)))
     (stop #~(make-kill-destructor)))))

(define syncthing-service-type
  (service-type
   (name 'syncthing)
   (extensions (list (service-extension shepherd-root-service-type
                                        (lambda (config)
                                          (list (syncthing-shepherd-service config))))))
   (description "Run Syncthing, a decentralized continuous file synchronization
program, for a user.")))
