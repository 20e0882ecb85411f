;;; schemy --- Guix Home (Guix manual, "Home Configuration"): a user's
;;; packages and dotfiles declared as a `home-environment', the per-user
;;; counterpart of `operating-system'.  Its services fold into the home
;;; generation directory (see (gnu home services)); `schemy home build'
;;; realizes it.

(define-module (gnu home)
  #:use-module (gnu services)
  #:use-module (gnu home services)
  #:use-module (gnu home services symlink-manager)
  #:use-module (gnu home services shells)
  #:use-module (gnu home services xdg)
  #:use-module (gnu home services fontutils)
  #:use-module (gnu services configuration)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:export (home-environment
            home-environment?
            this-home-environment

            home-environment-packages
            home-environment-user-services
            home-environment-essential-services
            home-environment-services
            home-environment-location
            home-environment-derivation
            home-environment-with-provenance
            home-environment-configuration-file

            %base-home-services))

(define sanitize-home-services
  (compose (field-element-checker
            service?
            (lambda (x)
              (format #f "services: ~s is not a service (write (service TYPE VALUE))" x)))
           (field-checker list? (lambda (value)
                                  (format #f "services must be a list, not ~s" value)))))

(define-record-type* <home-environment> home-environment
  make-home-environment
  home-environment?
  this-home-environment
  ;; Packages of the home profile, ~/.guix-home/profile: packages or
  ;; (PACKAGE OUTPUT) lists.
  (packages           home-environment-packages (default '()))
  (essential-services home-environment-essential-services (thunked)
                      (default (home-environment-default-essential-services
                                this-home-environment)))
  (services           home-environment-user-services
                      (default %base-home-services)
                      (sanitize sanitize-home-services))
  (location           home-environment-location
                      (default (%construction-location)) (innate)))

;; The services every home environment gets unless it says otherwise.  Guix's
;; list (log rotation, shepherd timers and transient services) builds on system
;; services schemy does not have; it is empty here.
(define %base-home-services '())

(define (home-environment-default-essential-services he)
  (list (service home-run-on-first-login-service-type)
        (service home-activation-service-type)
        (service home-environment-variables-service-type)
        (service home-symlink-manager-service-type)
        (service home-fontconfig-service-type)
        (service home-xdg-base-directories-service-type)
        (service home-shell-profile-service-type)
        (service home-service-type)
        (service home-profile-service-type (home-environment-packages he))))

(define (home-environment-services he)
  "Every service of HE: the user's, then the essential ones, with the missing
extension targets instantiated."
  (instantiate-missing-services
   (append (home-environment-user-services he)
           (home-environment-essential-services he))))

(define (home-environment-derivation he)
  "The home generation directory of HE, a file-like object."
  (service-value (fold-services (home-environment-services he)
                                #:target-type home-service-type)))

(define (home-environment-configuration-file he)
  (let ((loc (home-environment-location he)))
    ;; A location prints as FILE:LINE:COLUMN.
    (and loc (let* ((text (%location->string loc))
                    (end (string-rindex text #\: 0 (or (string-rindex text #\:) 0))))
               (and end (substring text 0 end))))))

(define* (home-environment-with-provenance he #:optional
                                           (config-file (home-environment-configuration-file he)))
  "HE with a copy of CONFIG-FILE in its generation."
  (home-environment
   (inherit he)
   (services (cons (service home-provenance-service-type config-file)
                   (home-environment-user-services he)))))

;; A home-environment is file-like: it lowers to its generation directory, so
;; that (file-append he "/activate") names its activation script (as used by
;; guix-home-service-type).
(%register-record-lowerer! <home-environment> home-environment-derivation)
