;;; schemy --- LIRC, infrared remote controls (Guix manual, "Miscellaneous
;;; Services"): lircd in the foreground with the device, driver and
;;; configuration file given.

(define-module (gnu services lirc)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module ((gnu packages lirc) #:select ((lirc . %lirc)))
  #:export (lirc-configuration
            lirc-configuation?
            lirc-configuration?
            lirc-service
            lirc-service-type))

(define-record-type* <lirc-configuration> lirc-configuration
  make-lirc-configuration lirc-configuration?
  (lirc          lirc-configuration-lirc (default %lirc))
  (device        lirc-configuration-device (default #f))
  (driver        lirc-configuration-driver (default #f))
  (config-file   lirc-configuration-file (default #f))
  (extra-options lirc-configuration-options (default '())))

;; Guix's predicate has this misspelled name.
(define lirc-configuation? lirc-configuration?)

(define %lirc-activation
  #~(begin
      (use-modules (guix build utils))
      (mkdir-p "/var/run/lirc")))

(define (lirc-shepherd-service config)
  (let ((device (lirc-configuration-device config))
        (driver (lirc-configuration-driver config))
        (file (lirc-configuration-file config)))
    (list (shepherd-service
           (provision '(lircd))
           (documentation "Run the LIRC daemon.")
           (requirement '(user-processes))
           (start #~(make-forkexec-constructor
                     (list #$(file-append (lirc-configuration-lirc config) "/sbin/lircd")
                           "--nodaemon"
                           #$@(if device (list "--device" device) '())
                           #$@(if driver (list "--driver" driver) '())
                           #$@(if file (list file) '())
                           #$@(lirc-configuration-options config))))
           (stop #~(make-kill-destructor))))))

(define lirc-service-type
  (service-type
   (name 'lirc)
   (extensions
    (list (service-extension shepherd-root-service-type lirc-shepherd-service)
          (service-extension activation-service-type (const %lirc-activation))))
   (default-value (lirc-configuration))
   (description "Run LIRC, which decodes the infrared signals of remote controls.")))

(define* (lirc-service #:key (lirc %lirc) device driver config-file (extra-options '()))
  "Deprecated: a lirc-service-type service with these settings."
  (service lirc-service-type
           (lirc-configuration (lirc lirc) (device device) (driver driver)
                               (config-file config-file) (extra-options extra-options))))
