;;; schemy --- (gnu services guix): Guix Home environments deployed by the
;;; system (Guix manual, "Guix Home Service"): for each (USER HOME-ENVIRONMENT)
;;; a one-shot shepherd service activates the user's home generation as that
;;; user when the system starts.

(define-module (gnu services guix)
  #:use-module (guix gexp)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (ice-9 match)
  #:export (guix-home-service-type))

(define (guix-home-shepherd-services homes)
  (map (match-lambda
         ((user he)
          (shepherd-service
           (documentation "Activate Guix Home.")
           (requirement '(user-processes))
           (provision (list (symbol-append 'guix-home- (string->symbol user))))
           (one-shot? #t)
           (auto-start? #t)
           (start #~(make-forkexec-constructor
                     '(#$(file-append he "/activate"))
                     #:user #$user
                     #:environment-variables
                     (list (string-append "HOME=" (passwd:dir (getpw #$user)))
                           "GUIX_SYSTEM_IS_RUNNING_HOME_ACTIVATE=t")
                     #:group (group:name (getgrgid (passwd:gid (getpw #$user))))))
           (stop #~(make-kill-destructor))))
         (entry
          (error (format #f "guix-home-service-type: ~s is not a (USER HOME-ENVIRONMENT) list"
                         entry))))
       homes))

(define guix-home-service-type
  (service-type
   (name 'guix-home)
   (extensions (list (service-extension shepherd-root-service-type
                                        guix-home-shepherd-services)))
   (compose concatenate)
   (extend append)
   (default-value '())
   (description "Set up Guix Home for the given user accounts: a list of
(USER HOME-ENVIRONMENT) lists.")))
