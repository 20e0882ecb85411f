;;; schemy --- Backup services (Guix manual, "Backup Services"): restic
;;; backup jobs, each a Shepherd timer running `restic backup' on its
;;; schedule (through `restic-guix backup NAME' in a login shell, as Guix
;;; does), and the restic-guix wrapper in the system profile.
;;;
;;; schemy builds and checks these services as Guix defines them; its
;;; service manager does not run Shepherd timers yet (see the report in
;;; notes), so a job is triggered by hand: `restic-guix backup NAME'.

(define-module (gnu services backup)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (guix packages)
  #:use-module ((guix licenses) #:prefix license:)
  #:use-module (guix build-system copy)
  #:use-module (gnu services)
  #:use-module (gnu services configuration)
  #:use-module (gnu services shepherd)
  #:use-module ((gnu packages backup) #:select (restic))
  #:use-module ((gnu packages bash) #:select (bash-minimal))
  #:use-module (srfi srfi-1)
  #:export (restic-backup-job
            restic-backup-job?
            restic-backup-job-fields
            restic-backup-job-restic
            restic-backup-job-user
            restic-backup-job-group
            restic-backup-job-log-file
            restic-backup-job-max-duration
            restic-backup-job-wait-for-termination?
            restic-backup-job-name
            restic-backup-job-repository
            restic-backup-job-password-file
            restic-backup-job-schedule
            restic-backup-job-files
            restic-backup-job-requirement
            restic-backup-job-verbose?
            restic-backup-job-extra-flags

            lower-restic-backup-job

            restic-backup-configuration
            restic-backup-configuration?
            restic-backup-configuration-jobs

            restic-backup-job-program
            restic-backup-job->shepherd-service
            restic-guix
            restic-guix-wrapper-package
            restic-backup-service-profile
            restic-program
            restic-job-log-file
            restic-backup-job-command
            restic-backup-job-modules
            restic-backup-service-type))

(define (gexp-or-string? value)
  (or (gexp? value) (string? value)))

(define (lowerable? value)
  (or (file-like? value) (gexp-or-string? value)))

(define list-of-lowerables? (list-of lowerable?))

(define-maybe/no-serialization string)
(define-maybe/no-serialization number)
(define-maybe/no-serialization symbol)
(define-maybe/no-serialization list-of-symbols)

(define-configuration/no-serialization restic-backup-job
  (restic (package restic) "The restic package for this job.")
  (user (string "root") "User running the job.")
  (group (string "root") "Group running the job.")
  (log-file maybe-string "Log file (default: /var/log/restic-backup/NAME.log).")
  (max-duration maybe-number "Seconds after which the job is terminated.")
  (wait-for-termination? (boolean #f) "Wait for the previous run to end before the next.")
  (name string "The job's name.")
  (repository string "The restic repository.")
  (password-file string "File holding the repository password (RESTIC_PASSWORD_FILE).")
  (schedule gexp-or-string "A calendar-event gexp or a Vixie cron string.")
  (requirement maybe-list-of-symbols "Shepherd requirements (default: user-processes file-systems).")
  (files (list-of-lowerables '()) "Files and directories to back up.")
  (verbose? (boolean #f) "Verbose output.")
  (extra-flags (list-of-lowerables '()) "Extra arguments of restic backup."))

(define-record-type* <restic-backup-configuration> restic-backup-configuration
  make-restic-backup-configuration restic-backup-configuration?
  (jobs          restic-backup-configuration-jobs (default '()))
  (home-service? restic-backup-configuration-home-service? (default (for-home?))))

(define (lower-restic-backup-job config)
  "The arguments of `restic backup' for the job CONFIG, as a gexp list."
  (let ((restic (file-append (restic-backup-job-restic config) "/bin/restic"))
        (files (restic-backup-job-files config))
        (extra-flags (restic-backup-job-extra-flags config))
        (verbose? (if (restic-backup-job-verbose? config) '("--verbose") '())))
    #~(list (list #$@files) #$restic #$(restic-backup-job-repository config)
            #$(restic-backup-job-password-file config)
            (list #$@verbose?) (list #$@extra-flags))))

(define restic-program
  #~(lambda (action action-args job-restic repository password-file verbose? extra-flags)
      (use-modules (ice-9 format))
      (define restic job-restic)
      (define command
        `(,restic ,@verbose? "-r" ,repository ,@extra-flags ,action ,@action-args))
      (setenv "RESTIC_PASSWORD_FILE" password-file)
      (when (> (length verbose?) 0)
        (format #t "Running~{ ~a~}~%" command))
      (apply execlp `(,restic ,@command))))

(define (restic-backup-job-program config)
  (program-file "restic-backup"
                #~(let ((restic-exec #$restic-program)
                        (job #$(lower-restic-backup-job config)))
                    (apply restic-exec `("backup" ,@job)))))

(define (restic-guix jobs)
  "The restic-guix program: `restic-guix backup NAME' runs the job NAME now."
  (program-file
   "restic-guix"
   #~(begin
       (use-modules (ice-9 match) (srfi srfi-1))
       (define names '#$(map restic-backup-job-name jobs))
       (define programs (list #$@(map restic-backup-job-program jobs)))
       (define (get-program name)
         (let ((idx (list-index (lambda (n) (string=? n name)) names)))
           (unless idx
             (error (string-append "Unknown job name " name "\n\n"
                                   "Possible job names are: " (string-join names " "))))
           (list-ref programs idx)))
       (define (main args)
         (unless (>= (length args) 3)
           (error (string-append "Usage: " (basename (car args)) " backup NAME")))
         (match (second args)
           ("backup" (let ((program (get-program (third args))))
                       (execlp program program)))
           (action (error (string-append "Unknown action: " action)))))
       (main (command-line)))))

(define* (restic-job-log-file job #:key (home-service? #f))
  (let ((log-file (restic-backup-job-log-file job)))
    (cond ((maybe-value-set? log-file) log-file)
          (home-service?
           #~(begin
               (use-modules (shepherd support))
               (string-append %user-log-dir "/restic-backup/" #$(restic-backup-job-name job) ".log")))
          (else (string-append "/var/log/restic-backup/" (restic-backup-job-name job) ".log")))))

(define* (restic-backup-job-command name files #:key (home-service? #f))
  ;; Through a login shell, for the user's environment (some backends, rclone, need it).
  (if home-service?
      #~(list "restic-guix" "backup" #$name)
      #~(list (string-append #$bash-minimal "/bin/bash") "-l" "-c"
              (string-append "restic-guix backup " #$name))))

(define* (restic-job-requirement config #:key (home-service? #f))
  (let ((requirement (restic-backup-job-requirement config)))
    (cond ((maybe-value-set? requirement) requirement)
          (home-service? '())
          (else '(user-processes file-systems)))))

(define* (restic-backup-job-modules #:key (home-service? #f))
  `((shepherd service timer)
    ,@(if home-service? '((shepherd support)) '())))

(define* (restic-backup-job->shepherd-service config #:key (home-service? #f))
  "The Shepherd timer running the job CONFIG on its schedule."
  (let ((schedule (restic-backup-job-schedule config))
        (name (restic-backup-job-name config))
        (user (restic-backup-job-user config))
        (group (restic-backup-job-group config))
        (max-duration (restic-backup-job-max-duration config)))
    (shepherd-service
     (provision (list (string->symbol name)))
     (requirement (restic-job-requirement config #:home-service? home-service?))
     (documentation "Run restic backed backups on a regular basis.")
     (modules (restic-backup-job-modules #:home-service? home-service?))
     (start #~(make-timer-constructor
               (if (string? #$schedule)
                   (cron-string->calendar-event #$schedule)
                   #$schedule)
               (command #$(restic-backup-job-command name (restic-backup-job-files config)
                                                     #:home-service? home-service?)
                        #$@(if home-service? '() (list #:user user #:group group))
                        #$@(if home-service?
                               '()
                               (list #:environment-variables
                                     #~(list (string-append "HOME=" (passwd:dir (getpwnam #$user)))))))
               #:log-file #$(restic-job-log-file config #:home-service? home-service?)
               #:wait-for-termination? #$(restic-backup-job-wait-for-termination? config)
               #:max-duration #$(and (maybe-value-set? max-duration) max-duration)))
     (stop #~(make-timer-destructor))
     (actions (list (shepherd-action
                     (inherit shepherd-trigger-action)
                     (documentation "Manually trigger a backup, without waiting for the scheduled time.")))))))

(define (restic-guix-wrapper-package jobs)
  "A package holding bin/restic-guix for JOBS."
  (package
    (name "restic-backup-service-wrapper")
    (version "0.0.0")
    (source (restic-guix jobs))
    (build-system copy-build-system)
    (arguments (list #:install-plan #~'(("./" "/bin"))))
    (home-page "https://restic.net")
    (synopsis "Easily interact from the CLI with Guix configured backups")
    (description "restic-guix runs the backup jobs of restic-backup-service-type by hand.")
    (license license:gpl3+)))

(define (restic-backup-service-profile config)
  (let ((jobs (restic-backup-configuration-jobs config)))
    (if (null? jobs) '() (list (restic-guix-wrapper-package jobs)))))

(define restic-backup-service-type
  (service-type
   (name 'restic-backup)
   (extensions
    (list (service-extension profile-service-type restic-backup-service-profile)
          (service-extension shepherd-root-service-type
                             (lambda (config)
                               (map (lambda (job)
                                      (restic-backup-job->shepherd-service
                                       job #:home-service? (restic-backup-configuration-home-service? config)))
                                    (restic-backup-configuration-jobs config))))))
   (compose concatenate)
   (extend (lambda (config jobs)
             (restic-backup-configuration
              (inherit config)
              (jobs (append (restic-backup-configuration-jobs config) jobs)))))
   (default-value (restic-backup-configuration))
   (description "Back up files periodically with restic.")))
