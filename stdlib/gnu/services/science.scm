;;; schemy --- R Shiny web applications (Guix manual, "Miscellaneous
;;; Services"): the application's program from the system profile, with
;;; R_LIBS_USER at the profile's site library.

(define-module (gnu services science)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module ((gnu packages cran) #:select (r-shiny))
  #:export (<rshiny-configuration>
            rshiny-configuration
            rshiny-configuration?
            rshiny-configuration-package
            rshiny-configuration-binary
            rshiny-shepherd-service
            rshiny-service-type))

(define-record-type* <rshiny-configuration> rshiny-configuration
  make-rshiny-configuration rshiny-configuration?
  (package rshiny-configuration-package (default r-shiny))
  (binary  rshiny-configuration-binary (default "rshiny")))

(define (rshiny-shepherd-service config)
  "The service running the application BINARY of the system profile; its
name is rshiny- and the binary's first nine characters, as in Guix."
  (let ((binary (rshiny-configuration-binary config)))
    (list (shepherd-service
           (documentation (string-append "R-Shiny service for " binary))
           (provision (list (symbol-append 'rshiny- (string->symbol (string-take binary 9)))))
           (requirement '(networking))
           (start #~(make-forkexec-constructor
                     (list #$(string-append "/run/current-system/profile/bin/" binary))
                     #:environment-variables
                     (list "R_LIBS_USER=/run/current-system/profile/site-library/")))
           (stop #~(make-kill-destructor))))))

(define rshiny-service-type
  (service-type
   (name 'rshiny)
   (extensions
    (list (service-extension shepherd-root-service-type rshiny-shepherd-service)
          ;; Installed for its propagated R packages.
          (service-extension profile-service-type
                             (lambda (config) (list (rshiny-configuration-package config))))))
   (description "Run an R-Shiny web application.")))
