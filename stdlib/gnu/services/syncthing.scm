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
  (config-file syncthing-configuration-config-file (default #f))
  ;; Whether this is the user's own Syncthing, run by their shepherd (see `for-home').
  (home-service? syncthing-configuration-home-service? (default (for-home?)) (innate)))

(define (syncthing-shepherd-service config)
  (let ((user (syncthing-configuration-user config))
        (home? (syncthing-configuration-home-service? config)))
    (shepherd-service
     (provision (if home?
                    '(syncthing)
                    (list (string->symbol (string-append "syncthing-" (or user "nobody"))))))
     (requirement (if home? '() '(loopback)))
     (documentation "Run Syncthing, the continuous file synchronization daemon.")
     (start #~(make-forkexec-constructor
               (append (list #$(file-append (syncthing-configuration-syncthing config) "/bin/syncthing")
                             "--no-browser" "--no-restart"
                             #$(string-append "--logflags="
                                              (number->string (syncthing-configuration-logflags config))))
                       '#$(syncthing-configuration-arguments config))
               #:user #$(and (not home?) user)
               #:group #$(and (not home?) (syncthing-configuration-group config))))
     (stop #~(make-kill-destructor)))))

(define syncthing-service-type
  (service-type
   (name 'syncthing)
   (extensions (list (service-extension shepherd-root-service-type
                                        (lambda (config)
                                          (list (syncthing-shepherd-service config))))))
   (description "Run Syncthing, a decentralized continuous file synchronization
program, for a user.")))

;; Names Guix's module exports too.
(export syncthing-shepherd-service)
