;;; schemy --- Linux services (Guix manual, "Linux Services"): earlyoom,
;;; kernel module loading, zram devices, fstrim.
;;;
;;; earlyoom is a daemon schemy runs; loading kernel modules and setting up
;;; zram are the host kernel's business: realized, shown as provided by the host.

(define-module (gnu services linux)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (gnu services mcron)
  #:use-module ((gnu packages linux) #:select (earlyoom kmod util-linux))
  #:use-module (srfi srfi-1)
  #:export (earlyoom-configuration
            earlyoom-configuration?
            earlyoom-service-type
            earlyoom-command
            kernel-module-loader-service-type
            zram-device-configuration
            zram-device-configuration?
            zram-device-service-type
            fstrim-configuration
            fstrim-configuration?
            fstrim-service-type))

;;; earlyoom.

(define-record-type* <earlyoom-configuration> earlyoom-configuration
  make-earlyoom-configuration earlyoom-configuration?
  (earlyoom earlyoom-configuration-earlyoom (default earlyoom))
  (minimum-available-memory earlyoom-configuration-minimum-available-memory (default 10))
  (minimum-free-swap earlyoom-configuration-minimum-free-swap (default 10))
  (prefer-regexp earlyoom-configuration-prefer-regexp (default #f))
  (avoid-regexp earlyoom-configuration-avoid-regexp (default #f))
  (memory-report-interval earlyoom-configuration-memory-report-interval (default 0))
  (ignore-positive-oom-score-adj? earlyoom-configuration-ignore-positive-oom-score-adj? (default #f))
  (run-with-higher-priority? earlyoom-configuration-run-with-higher-priority? (default #f))
  (show-debug-messages? earlyoom-configuration-show-debug-messages? (default #f))
  (send-notification-command earlyoom-configuration-send-notification-command (default #f)))

(define (earlyoom-command config)
  "The command line of earlyoom for CONFIG."
  (append
   (list (file-append (earlyoom-configuration-earlyoom config) "/bin/earlyoom")
         "-m" (number->string (earlyoom-configuration-minimum-available-memory config))
         "-s" (number->string (earlyoom-configuration-minimum-free-swap config))
         "-r" (number->string (earlyoom-configuration-memory-report-interval config)))
   (let ((re (earlyoom-configuration-prefer-regexp config)))
     (if re (list "--prefer" re) '()))
   (let ((re (earlyoom-configuration-avoid-regexp config)))
     (if re (list "--avoid" re) '()))
   (if (earlyoom-configuration-ignore-positive-oom-score-adj? config) '("-i") '())
   (if (earlyoom-configuration-run-with-higher-priority? config) '("-p") '())
   (if (earlyoom-configuration-show-debug-messages? config) '("-d") '())
   (let ((cmd (earlyoom-configuration-send-notification-command config)))
     (if cmd (list "-N" cmd) '()))))

(define earlyoom-service-type
  (service-type
   (name 'earlyoom)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (list (shepherd-service
                                      (provision '(earlyoom))
                                      (documentation "Run the Early OOM daemon.")
                                      (start #~(make-forkexec-constructor
                                                '#$(earlyoom-command config)))
                                      (stop #~(make-kill-destructor))))))))
   (default-value (earlyoom-configuration))
   (description "Run earlyoom, a daemon that kills processes before the
system runs out of memory.")))

;;; Kernel modules.

(define kernel-module-loader-service-type
  (service-type
   (name 'kernel-module-loader)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (modules)
                               (list (shepherd-service
                                      (provision '(kernel-module-loader))
                                      (requirement '())
                                      (documentation "Load kernel modules (the host kernel's).")
                                      (one-shot? #t)
                                      (start #~(lambda _
                                                 (zero? (apply system*
                                                               #$(file-append kmod "/bin/modprobe")
                                                               "-a" '#$modules))))))))))
   (compose concatenate)
   (extend append)
   (default-value '())
   (description "Load the given kernel modules; services extend it with
lists of module names.")))

;;; zram.

(define-record-type* <zram-device-configuration> zram-device-configuration
  make-zram-device-configuration zram-device-configuration?
  (size zram-device-configuration-size (default "1G"))
  (compression-algorithm zram-device-configuration-compression-algorithm (default 'lzo))
  (memory-limit zram-device-configuration-memory-limit (default 0))
  (priority zram-device-configuration-priority (default #f)))

(define (zram-size->string size)
  (if (number? size) (number->string size) size))

(define zram-device-service-type
  (service-type
   (name 'zram)
   (extensions
    (list (service-extension kernel-module-loader-service-type (const '("zram")))
          (service-extension shepherd-root-service-type
                             (lambda (config)
                               (list (shepherd-service
                                      (provision '(zram-device))
                                      (requirement '(kernel-module-loader))
                                      (documentation "Set up a zram swap device (the host kernel's).")
                                      (one-shot? #t)
                                      (start #~(lambda _
                                                 (zero? (system* #$(file-append util-linux "/sbin/zramctl")
                                                                 "/dev/zram0" "--size"
                                                                 #$(zram-size->string
                                                                    (zram-device-configuration-size config))
                                                                 "--algorithm"
                                                                 #$(symbol->string
                                                                    (zram-device-configuration-compression-algorithm
                                                                     config))))))))))))
   (default-value (zram-device-configuration))
   (description "Create a zram device used as swap.")))

;;; fstrim.

(define-record-type* <fstrim-configuration> fstrim-configuration
  make-fstrim-configuration fstrim-configuration?
  (package fstrim-configuration-package (default util-linux))
  (schedule fstrim-configuration-schedule (default "0 0 * * 0"))
  (listed-in fstrim-configuration-listed-in (default '("/etc/fstab" "/proc/self/mountinfo")))
  (verbose? fstrim-configuration-verbose? (default #t))
  (quiet-unsupported? fstrim-configuration-quiet-unsupported? (default #t))
  (extra-arguments fstrim-configuration-extra-arguments (default #f)))

(define (fstrim-job config)
  #~(job #$(fstrim-configuration-schedule config)
         #$(string-join
            (append (list "fstrim")
                    (let ((l (fstrim-configuration-listed-in config)))
                      (if (null? l) '("--all") (list "--listed-in" (string-join l ":"))))
                    (if (fstrim-configuration-verbose? config) '("--verbose") '())
                    (if (fstrim-configuration-quiet-unsupported? config) '("--quiet-unsupported") '())
                    (or (fstrim-configuration-extra-arguments config) '()))
            " ")))

(define fstrim-service-type
  (service-type
   (name 'fstrim)
   (extensions
    (list (service-extension mcron-service-type
                             (lambda (config) (list (fstrim-job config))))))
   (default-value (fstrim-configuration))
   (description "Discard unused blocks of the file systems from time to time.")))
