;;; schemy --- Scheduled jobs with mcron.
;;;
;;; mcron runs jobs at given times, like cron.  A job is a gexp such as
;;; #~(job "45 1 * * *" "updatedb") or
;;; #~(job '(next-hour '(3)) (lambda () (system* "backup"))).
;;; Services extend `mcron-service-type' with lists of job gexps; the
;;; backend hands the folded jobs to the service manager's scheduler.

(define-module (gnu services mcron)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module ((gnu services configuration) #:select (field-checker))
  #:use-module (gnu packages guile-xyz)
  #:export (mcron-configuration
            mcron-configuration?
            mcron-configuration-mcron
            mcron-configuration-jobs
            mcron-configuration-log?
            mcron-configuration-log-file
            mcron-configuration-log-format
            mcron-configuration-date-format
            mcron-configuration-home-service?
            mcron-service-type
            job-files))

(define sanitize-jobs
  (field-checker list? "mcron-configuration: jobs must be a list of job gexps, not ~s"))

(define-record-type* <mcron-configuration> mcron-configuration
  make-mcron-configuration mcron-configuration?
  this-mcron-configuration
  ;; The mcron package.
  (mcron       mcron-configuration-mcron (default mcron))
  ;; List of job gexps, #~(job SCHEDULE ACTION).
  (jobs        mcron-configuration-jobs (default '()) (sanitize sanitize-jobs))
  ;; Whether to log the output of jobs.
  (log?        mcron-configuration-log? (default #t))
  (log-file    mcron-configuration-log-file (thunked)
               (default (if (mcron-configuration-home-service? this-mcron-configuration)
                            #~(string-append %user-log-dir "/mcron.log")
                            "/var/log/mcron.log")))
  ;; The format of log messages (a format string, see `format').
  (log-format  mcron-configuration-log-format (default "~1@*~a ~a: ~a~%"))
  (date-format mcron-configuration-date-format (default #f))
  ;; Whether this is the user's mcron, run by their shepherd (made inside `for-home').
  (home-service? mcron-configuration-home-service? (default (for-home?)) (innate)))

(define (job-files mcron jobs)
  "One Scheme file per job in JOBS, for mcron to load."
  (map (lambda (job)
         (scheme-file "mcron-job" job))
       jobs))

(define (mcron-shepherd-service config)
  (let ((jobs (mcron-configuration-jobs config)))
    (shepherd-service
     (provision '(mcron))
     (requirement (if (mcron-configuration-home-service? config) '() '(user-processes)))
     (documentation (string-append "Run the mcron job scheduler ("
                                   (number->string (length jobs))
                                   (if (= 1 (length jobs)) " job)." " jobs).")))
     (start #~(make-forkexec-constructor
               (list #$(file-append (mcron-configuration-mcron config) "/bin/mcron")
                     #$@(if (mcron-configuration-log? config)
                            (list "--log" "--log-format" (mcron-configuration-log-format config))
                            '())
                     #$@(job-files (mcron-configuration-mcron config) jobs))
               #:log-file #$(mcron-configuration-log-file config)))
     (stop #~(make-kill-destructor)))))

(define mcron-service-type
  (service-type
   (name 'mcron)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config) (list (mcron-shepherd-service config))))
          (service-extension profile-service-type
                             (lambda (config) (list (mcron-configuration-mcron config))))))
   (compose (lambda (lists) (apply append lists)))
   (extend (lambda (config jobs)
             (mcron-configuration
              (inherit config)
              (home-service? (mcron-configuration-home-service? config))
              (jobs (append (mcron-configuration-jobs config) jobs)))))
   (default-value (mcron-configuration))
   (description "Run the mcron job scheduler, which runs commands at given times.
Services extend it with lists of job gexps.")))
