;;; schemy --- Authentication services (Guix manual, "Authentication
;;; Services"): fprintd, the fingerprint reader daemon (the host's).

(define-module (gnu services authentication)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (gnu services dbus)
  #:use-module ((gnu packages freedesktop) #:select (fprintd))
  #:export (fprintd-configuration
            fprintd-configuration?
            fprintd-service-type))

(define-record-type* <fprintd-configuration> fprintd-configuration
  make-fprintd-configuration fprintd-configuration?
  (fprintd fprintd-configuration-fprintd (default fprintd)))

(define fprintd-service-type
  (service-type
   (name 'fprintd)
   (extensions
    (list (service-extension dbus-root-service-type
                             (lambda (config) (list (fprintd-configuration-fprintd config))))
          (service-extension polkit-service-type
                             (lambda (config) (list (fprintd-configuration-fprintd config))))))
   (default-value (fprintd-configuration))
   (description "Run fprintd, the fingerprint reader daemon, through D-Bus.")))
