;;; schemy --- Power management home services (Guix manual, "Power
;;; Management Home Services"): batsignal, which warns when the battery runs low.

(define-module (gnu home services pm)
  #:use-module (gnu services)
  #:use-module (gnu home services)
  #:use-module (gnu home services shepherd)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module ((gnu packages monitoring) #:select (batsignal))
  #:export (home-batsignal-configuration
            home-batsignal-service-type))

(define-record-type* <home-batsignal-configuration> home-batsignal-configuration
  make-home-batsignal-configuration home-batsignal-configuration?
  (warning-level         batsignal-warning-level (default 15))
  (warning-message       batsignal-warning-message (default #f))
  (critical-level        batsignal-critical-level (default 5))
  (critical-message      batsignal-critical-message (default #f))
  (danger-level          batsignal-danger-level (default 2))
  (danger-command        batsignal-danger-command (default #f))
  (full-level            batsignal-full-level (default #f))
  (full-message          batsignal-full-message (default #f))
  (batteries             batsignal-batteries (default '()))
  (poll-delay            batsignal-poll-delay (default 60))
  (icon                  batsignal-icon (default #f))
  (notifications?        batsignal-notifications? (default #t))
  (notifications-expire? batsignal-notifications-expire? (default #f))
  (notification-command  batsignal-notification-command (default #f))
  (ignore-missing?       batsignal-ignore-missing? (default #f)))

(define (batsignal-arguments config)
  ;; batsignal's command-line options for CONFIG (see batsignal(1)).
  (define (option flag value) (if value (list flag value) '()))
  (append
   (list "-w" (number->string (batsignal-warning-level config))
         "-c" (number->string (batsignal-critical-level config))
         "-d" (number->string (batsignal-danger-level config))
         "-m" (number->string (batsignal-poll-delay config)))
   (option "-W" (batsignal-warning-message config))
   (option "-C" (batsignal-critical-message config))
   (option "-D" (batsignal-danger-command config))
   (option "-f" (and (batsignal-full-level config)
                     (number->string (batsignal-full-level config))))
   (option "-F" (batsignal-full-message config))
   (option "-n" (and (pair? (batsignal-batteries config))
                     (string-join (batsignal-batteries config) ",")))
   (option "-I" (batsignal-icon config))
   (if (batsignal-notifications? config) '() '("-N"))
   (if (batsignal-notifications-expire? config) '("-e") '())
   (option "-M" (batsignal-notification-command config))
   (if (batsignal-ignore-missing? config) '("-i") '())))

(define (batsignal-shepherd-services config)
  (list (shepherd-service
         (provision '(batsignal))
         (documentation "Run the batsignal battery-watching daemon.")
         (modules '((shepherd support)))
         (start #~(make-forkexec-constructor
                   (list #$(file-append batsignal "/bin/batsignal")
                         #$@(batsignal-arguments config))
                   #:log-file (string-append %user-log-dir "/batsignal.log")))
         (stop #~(make-kill-destructor)))))

(define home-batsignal-service-type
  (service-type
   (name 'home-batsignal)
   (extensions (list (service-extension home-shepherd-service-type batsignal-shepherd-services)))
   (default-value (home-batsignal-configuration))
   (description "Run batsignal, which notifies about and acts on battery
levels.")))
