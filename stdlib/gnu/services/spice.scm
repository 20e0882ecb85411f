;;; schemy --- SPICE (Guix manual, "Miscellaneous Services"): the SPICE
;;; guest agent of a virtual machine (the host's, when schemy manages a VM
;;; guest it does not run).

(define-module (gnu services spice)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (guix deprecation)
  #:use-module ((gnu packages spice) #:select (spice-vdagent))
  #:export (spice-vdagent-configuration
            spice-vdagent-configuration?
            spice-vdagent-service-type
            spice-vdagent-service))  ; deprecated

(define-record-type* <spice-vdagent-configuration> spice-vdagent-configuration
  make-spice-vdagent-configuration spice-vdagent-configuration?
  (spice-vdagent spice-vdagent-configuration-spice-vdagent (default spice-vdagent)))

(define spice-vdagent-service-type
  (service-type
   (name 'spice-vdagent)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (list (shepherd-service
                                      (provision '(spice-vdagentd))
                                      (requirement '(dbus-system))
                                      (documentation "Run the SPICE guest agent daemon.")
                                      (start #~(make-forkexec-constructor
                                                (list #$(file-append
                                                         (spice-vdagent-configuration-spice-vdagent config)
                                                         "/sbin/spice-vdagentd")
                                                      "-x")))
                                      (stop #~(make-kill-destructor))))))
          (service-extension profile-service-type
                             (lambda (config)
                               (list (spice-vdagent-configuration-spice-vdagent config))))))
   (default-value (spice-vdagent-configuration))
   (description "Run the SPICE guest agent: clipboard sharing and display
resizing for a virtual machine.")))

(define-deprecated (spice-vdagent-service #:optional (config (spice-vdagent-configuration)))
  spice-vdagent-service-type
  (service spice-vdagent-service-type config))
