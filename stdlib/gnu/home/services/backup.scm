;;; schemy --- The user's restic backup jobs (Guix manual, "Backup Home
;;; Services"): each job a timer of the user's shepherd running
;;; `restic-guix backup NAME', its log under the user's log directory.

(define-module (gnu home services backup)
  #:use-module (gnu services)
  #:use-module (gnu services backup)
  #:use-module (gnu home services)
  #:use-module (gnu home services shepherd)
  #:export (home-restic-backup-service-type)
  #:re-export (restic-backup-configuration
               restic-backup-job))

(define home-restic-backup-service-type
  (service-type
   (inherit (system->home-service-type restic-backup-service-type))
   ;; Jobs added by other services stay the user's.
   (extend (lambda (config jobs)
             (for-home
              (restic-backup-configuration
               (inherit config)
               (jobs (append (restic-backup-configuration-jobs config) jobs))))))
   (default-value (for-home (restic-backup-configuration)))))
