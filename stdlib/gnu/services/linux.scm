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
  #:use-module ((gnu packages linux) #:select (cachefilesd rasdaemon fuse-2 util-linux+udev))
  #:use-module ((gnu packages file-systems) #:select (bindfs))
  #:use-module ((gnu packages power) #:select (tuned))
  #:use-module (gnu services configuration)
  #:use-module ((gnu services dbus) #:select (dbus-root-service-type polkit-service-type))
  #:use-module ((gnu services base) #:select (file-system-service-type))
  #:use-module ((gnu system file-systems) #:select (file-system))
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
            fstrim-service-type

            cachefilesd-configuration
            cachefilesd-configuration?
            cachefilesd-configuration-cachefilesd
            cachefilesd-configuration-debug-output?
            cachefilesd-configuration-use-syslog?
            cachefilesd-configuration-scan?
            cachefilesd-configuration-cache-directory
            cachefilesd-configuration-cache-name
            cachefilesd-configuration-security-context
            cachefilesd-configuration-pause-culling-for-block-percentage
            cachefilesd-configuration-pause-culling-for-file-percentage
            cachefilesd-configuration-resume-culling-for-block-percentage
            cachefilesd-configuration-resume-culling-for-file-percentage
            cachefilesd-configuration-pause-caching-for-block-percentage
            cachefilesd-configuration-pause-caching-for-file-percentage
            cachefilesd-configuration-log2-table-size
            cachefilesd-configuration-cull?
            cachefilesd-configuration-trace-function-entry-in-kernel-module?
            cachefilesd-configuration-trace-function-exit-in-kernel-module?
            cachefilesd-configuration-trace-internal-checkpoints-in-kernel-module?
            cachefilesd-service-type

            rasdaemon-configuration
            rasdaemon-configuration?
            rasdaemon-configuration-record?
            rasdaemon-service-type

            tuned-configuration
            tuned-configuration?
            tuned-configuration-tuned
            tuned-configuration-auto-start?
            tuned-configuration-power-profiles-daemon-support?
            tuned-configuration-profiles
            tuned-configuration-settings
            tuned-configuration-ppd-settings
            tuned-configuration-recommend.conf
            tuned-settings
            tuned-settings?
            tuned-settings-daemon?
            tuned-settings-dynamic-tuning?
            tuned-settings-default-instance-priority
            tuned-settings-recommend-command?
            tuned-settings-sleep-interval
            tuned-settings-update-interval
            tuned-settings-profile-dirs
            tuned-settings-extra-content
            tuned-ppd-settings
            tuned-ppd-settings?
            tuned-ppd-settings-default
            tuned-ppd-settings-battery-detection?
            tuned-ppd-settings-sysfs-acpi-monitor?
            tuned-ppd-settings-profiles
            tuned-ppd-settings-battery
            tuned-ppd-settings-extra-content
            %default-tuned-ppd-settings-profiles
            %default-tuned-ppd-settings-battery
            %default-tuned-configuration-recommend.conf
            tuned-file-systems
            tuned-activation
            tuned-shepherd-services
            tuned-service-type

            vfs-mapping
            vfs-mapping?
            vfs-mapping-source
            vfs-mapping-destination
            vfs-mapping-policy
            vfs-mapping-user
            vfs-mapping-group
            vfs-mapping-name
            vfs-mapping-requirement
            vfs-mapping-configuration
            vfs-mapping-configuration?
            vfs-mapping-configuration-bindfs
            vfs-mapping-configuration-fusermount
            vfs-mapping-configuration-umount
            vfs-mapping-configuration-bindings
            vfs-mapping-service-type))

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

;;; cachefilesd, the FS-Cache daemon: its settings in a file given with -f,
;;; the daemon not detaching.

(define-maybe/no-serialization string)
(define (non-negative-integer? x) (and (exact-integer? x) (not (negative? x))))
(define-maybe/no-serialization non-negative-integer)

(define (cachefilesd-option keyword)
  (lambda (field value)
    (if (maybe-value-set? value) (format #f "~a ~a~%" keyword value) "")))

(define (cachefilesd-threshold keyword)
  (lambda (field value)
    (if (maybe-value-set? value) (format #f "~a ~a%~%" keyword value) "")))

(define-configuration cachefilesd-configuration
  (cachefilesd (file-like cachefilesd) "The cachefilesd package." (serializer empty-serializer))
  (debug-output? (boolean #f) "Whether to print debugging output (-d)." (serializer empty-serializer))
  (use-syslog? (boolean #t) "Whether to log to syslog (else stderr, -s)." (serializer empty-serializer))
  (scan? (boolean #t) "Whether to scan for culling (else -N)." (serializer empty-serializer))
  (cache-directory maybe-string "The cache directory (dir)." (serializer (cachefilesd-option 'dir)))
  (cache-name (maybe-string "CacheFiles") "The cache's tag (tag)." (serializer (cachefilesd-option 'tag)))
  (security-context maybe-string "The LSM security context (secctx)."
                    (serializer (cachefilesd-option 'secctx)))
  (pause-culling-for-block-percentage (maybe-non-negative-integer 7) "brun."
                                      (serializer (cachefilesd-threshold 'brun)))
  (pause-culling-for-file-percentage (maybe-non-negative-integer 7) "frun."
                                     (serializer (cachefilesd-threshold 'frun)))
  (resume-culling-for-block-percentage (maybe-non-negative-integer 5) "bcull."
                                       (serializer (cachefilesd-threshold 'bcull)))
  (resume-culling-for-file-percentage (maybe-non-negative-integer 5) "fcull."
                                      (serializer (cachefilesd-threshold 'fcull)))
  (pause-caching-for-block-percentage (maybe-non-negative-integer 1) "bstop."
                                      (serializer (cachefilesd-threshold 'bstop)))
  (pause-caching-for-file-percentage (maybe-non-negative-integer 1) "fstop."
                                     (serializer (cachefilesd-threshold 'fstop)))
  (log2-table-size (maybe-non-negative-integer 12) "The culling table's size, as a power of two."
                   (serializer (cachefilesd-option 'culltable)))
  (cull? (boolean #t) "Whether to cull (else nocull)."
         (serializer (lambda (field value) (if value "" "nocull\n"))))
  (trace-function-entry-in-kernel-module? (boolean #f) "Kernel module debugging."
                                          (serializer empty-serializer))
  (trace-function-exit-in-kernel-module? (boolean #f) "Kernel module debugging."
                                         (serializer empty-serializer))
  (trace-internal-checkpoints-in-kernel-module? (boolean #f) "Kernel module debugging."
                                                (serializer empty-serializer)))

(define (cachefilesd-configuration-file config)
  (plain-file "cachefilesd.conf"
              (serialize-configuration config cachefilesd-configuration-fields)))

(define (cachefilesd-shepherd-service config)
  (let ((directory (cachefilesd-configuration-cache-directory config)))
    (shepherd-service
     (provision '(cachefilesd))
     (requirement (append '(user-processes file-systems)
                          (if (cachefilesd-configuration-use-syslog? config) '(syslogd) '())))
     (documentation "Run cachefilesd, the FS-Cache daemon.")
     (start #~(begin
                #$@(if (maybe-value-set? directory) (list #~(mkdir-p #$directory)) '())
                (make-forkexec-constructor
                 (list #$(file-append (cachefilesd-configuration-cachefilesd config) "/sbin/cachefilesd")
                       "-n"
                       #$@(if (cachefilesd-configuration-debug-output? config) '("-d") '())
                       #$@(if (cachefilesd-configuration-use-syslog? config) '() '("-s"))
                       #$@(if (cachefilesd-configuration-scan? config) '() '("-N"))
                       "-f" #$(cachefilesd-configuration-file config)))))
     (stop #~(make-kill-destructor)))))

(define cachefilesd-service-type
  (service-type
   (name 'cachefilesd)
   (extensions
    (list (service-extension kernel-module-loader-service-type (const '("cachefiles")))
          (service-extension shepherd-root-service-type
                             (lambda (config) (list (cachefilesd-shepherd-service config))))))
   (default-value (cachefilesd-configuration))
   (description "Run cachefilesd, which caches network file systems' files on disk.")))

;;; rasdaemon, the Reliability, Availability and Serviceability monitor.

(define-record-type* <rasdaemon-configuration> rasdaemon-configuration
  make-rasdaemon-configuration rasdaemon-configuration?
  ;; Whether to record events in /var/lib/rasdaemon's database.
  (record? rasdaemon-configuration-record? (default #f)))

(define (rasdaemon-shepherd-service config)
  (shepherd-service
   (provision '(rasdaemon))
   (requirement '(user-processes syslogd))
   (documentation "Run rasdaemon.")
   (start #~(make-forkexec-constructor
             (list #$(file-append rasdaemon "/sbin/rasdaemon") "--foreground"
                   #$@(if (rasdaemon-configuration-record? config) '("--record") '()))))
   (stop #~(make-kill-destructor))))

(define rasdaemon-service-type
  (service-type
   (name 'rasdaemon)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config) (list (rasdaemon-shepherd-service config))))
          (service-extension activation-service-type
                             (lambda (config)
                               #~(when #$(rasdaemon-configuration-record? config)
                                   (mkdir-p "/var/lib/rasdaemon"))))))
   (compose concatenate)
   (default-value (rasdaemon-configuration))
   (description "Run rasdaemon, the RAS (hardware error) monitor.")))

;;; TuneD: tuned-main.conf, ppd.conf (its power-profiles-daemon layer),
;;; recommend.conf and the user's profiles, in /etc/tuned.

(define (uglify-snake-case name)
  (let ((str (symbol->string name)))
    (string-map (lambda (c) (if (char=? c #\-) #\_ c))
                (string-downcase (if (string-suffix? "?" str)
                                     (substring str 0 (- (string-length str) 1))
                                     str)))))

(define (mixed-list? value)
  (and (list? value) (every (lambda (x) (or (string? x) (pair? x))) value)))

(define (list-of-profile-dirs? value)
  (and (list? value) (every (lambda (x) (or (string? x) (file-like? x) (gexp? x))) value)))

(define %default-tuned-ppd-settings-profiles
  '(("power-saver" . "powersave")
    ("balanced" . "balanced")
    ("performance" . "throughput-performance")))

(define %default-tuned-ppd-settings-battery
  '(("balanced" . "balanced-battery")))

(define-configuration/no-serialization tuned-ppd-settings
  (default (string "balanced") "The default PPD profile.")
  (battery-detection? (boolean #t) "Whether to detect the battery.")
  (sysfs-acpi-monitor? (boolean #t) "Whether to follow the ACPI platform profile (Fn keys).")
  (profiles (mixed-list %default-tuned-ppd-settings-profiles)
            "PPD profiles and their TuneD profiles, as pairs (or verbatim lines).")
  (battery (mixed-list %default-tuned-ppd-settings-battery)
           "PPD battery states and their TuneD profiles.")
  (extra-content (text-config (list (plain-file "tuned-ppd-settings-extra-content" "")))
                 "Blocks appended to ppd.conf."))

(define-configuration/no-serialization tuned-settings
  (daemon? (boolean #t) "Whether to run as a daemon (else only apply the tuning).")
  (dynamic-tuning? (boolean #f) "Whether to tune dynamically.")
  (default-instance-priority (integer 0) "The instances' default priority.")
  (recommend-command? (boolean #t) "Whether the recommend command is available.")
  (sleep-interval (integer 1) "Seconds between checks for events.")
  (update-interval (integer 10) "Seconds between dynamic tunings.")
  (profile-dirs (list-of-profile-dirs
                 (list (file-append tuned "/lib/tuned/profiles") "/etc/tuned/profiles"))
                "Directories of profiles, the latter winning.")
  (extra-content (text-config (list (plain-file "tuned-settings-extra-content" "")))
                 "Blocks appended to tuned-main.conf."))

(define (tuned-pair-line entry)
  (if (pair? entry) (list (car entry) "=" (cdr entry)) (list entry)))

(define (tuned-section name entries)
  (if (null? entries)
      '()
      (append (list "\n[" name "]\n")
              (append-map (lambda (e) (tuned-pair-line e))
                          (interpose entries "\n"))
              (list "\n"))))

(define (tuned-text-blocks texts)
  (append-map (lambda (text) (list (if (string? text) text
                                       #~(call-with-input-file #$text
                                           (@ (ice-9 textual-ports) get-string-all)))
                                   "\n"))
              texts))

(define (serialize-tuned-ppd-settings settings)
  (let ((flag (lambda (name value) (string-append name "=" (if value "true" "false") "\n"))))
    (apply mixed-text-file "ppd.conf"
           (append
            (list "[main]\n"
                  "default=" (tuned-ppd-settings-default settings) "\n"
                  (flag "battery_detection" (tuned-ppd-settings-battery-detection? settings))
                  (flag "sysfs_acpi_monitor" (tuned-ppd-settings-sysfs-acpi-monitor? settings))
                  "\n")
            (tuned-section "profiles" (tuned-ppd-settings-profiles settings))
            (tuned-section "battery" (tuned-ppd-settings-battery settings))
            (tuned-text-blocks (tuned-ppd-settings-extra-content settings))
            (list "\n")))))

(define (serialize-tuned-settings settings)
  (let ((line (lambda (name value)
                (string-append name "="
                               (cond ((eq? value #t) "true")
                                     ((eq? value #f) "false")
                                     (else (number->string value)))
                               "\n\n")))
        (dirs (tuned-settings-profile-dirs settings)))
    (apply mixed-text-file "tuned-main.conf"
           (append
            (list (line "daemon" (tuned-settings-daemon? settings))
                  (line "dynamic_tuning" (tuned-settings-dynamic-tuning? settings))
                  (line "default_instance_priority" (tuned-settings-default-instance-priority settings))
                  (line "recommend_command" (tuned-settings-recommend-command? settings))
                  (line "sleep_interval" (tuned-settings-sleep-interval settings))
                  (line "update_interval" (tuned-settings-update-interval settings)))
            (if (null? dirs) '() (cons "profile_dirs = " (interpose dirs ",")))
            (tuned-text-blocks (tuned-settings-extra-content settings))
            (list "\n")))))

(define (tuned-plugin? value)
  (and (list? value) (= 2 (length value)) (string? (car value)) (file-like? (cadr value))))

(define list-of-tuned-plugins? (list-of tuned-plugin?))

(define %default-tuned-configuration-recommend.conf
  (file-append tuned "/lib/tuned/recommend.d/50-tuned.conf"))

(define-configuration/no-serialization tuned-configuration
  (tuned (file-like tuned) "The TuneD package.")
  (auto-start? (boolean #t) "Whether the Shepherd starts TuneD by itself.")
  (power-profiles-daemon-support? (boolean #f) "Whether to run the power-profiles-daemon emulation.")
  (profiles (list-of-tuned-plugins '())
            "Profiles of the user: (NAME FILE-LIKE) lists, in /etc/tuned/profiles/NAME.")
  (settings (tuned-settings (tuned-settings)) "tuned-main.conf's settings.")
  (ppd-settings (tuned-ppd-settings (tuned-ppd-settings)) "ppd.conf's settings.")
  (recommend.conf (file-like %default-tuned-configuration-recommend.conf)
                  "The profile recommendation file."))

(define (tuned-file-systems config)
  (list (file-system (device "none") (mount-point "/run/tuned") (type "ramfs") (check? #f))))

(define (tuned-etc-files config)
  ;; Guix links them into /etc/tuned at activation, /etc/tuned itself staying
  ;; writable for TuneD.
  (append (list (list "tuned/recommend.conf" (tuned-configuration-recommend.conf config))
                (list "tuned/tuned-main.conf"
                      (serialize-tuned-settings (tuned-configuration-settings config)))
                (list "tuned/ppd.conf"
                      (serialize-tuned-ppd-settings (tuned-configuration-ppd-settings config))))
          (map (lambda (profile)
                 (list (string-append "tuned/profiles/" (car profile)) (cadr profile)))
               (tuned-configuration-profiles config))))

(define (tuned-activation config)
  #~(for-each (lambda (directory)
                (mkdir-p directory)
                (chmod directory #o755))
              '("/var/lib/tuned" "/var/log/tuned")))

(define (tuned-shepherd-services config)
  (let ((tuned (tuned-configuration-tuned config))
        (auto-start? (tuned-configuration-auto-start? config)))
    (cons (shepherd-service
           (provision '(tuned))
           (requirement '(dbus-system user-processes udev))
           (documentation "Run the TuneD daemon.")
           (auto-start? auto-start?)
           (start #~(make-forkexec-constructor (list #$(file-append tuned "/sbin/tuned"))
                                               #:log-file "/var/log/tuned/tuned.log"))
           (stop #~(make-kill-destructor)))
          (if (tuned-configuration-power-profiles-daemon-support? config)
              (list (shepherd-service
                     (provision '(tuned-ppd power-profiles-daemon))
                     (requirement '(dbus-system user-processes udev tuned))
                     (documentation "Run TuneD's power-profiles-daemon emulation.")
                     (auto-start? auto-start?)
                     (start #~(make-forkexec-constructor
                               (list #$(file-append tuned "/sbin/tuned-ppd"))
                               #:log-file "/var/log/tuned/tuned-ppd.log"))
                     (stop #~(make-kill-destructor))))
              '()))))

(define tuned-service-type
  (service-type
   (name 'tuned)
   (extensions
    (list (service-extension shepherd-root-service-type tuned-shepherd-services)
          (service-extension dbus-root-service-type
                             (lambda (config) (list (tuned-configuration-tuned config))))
          (service-extension polkit-service-type
                             (lambda (config) (list (tuned-configuration-tuned config))))
          (service-extension profile-service-type
                             (lambda (config) (list (tuned-configuration-tuned config))))
          (service-extension file-system-service-type tuned-file-systems)
          (service-extension etc-service-type tuned-etc-files)
          (service-extension activation-service-type tuned-activation)))
   (default-value (tuned-configuration))
   (description "Run TuneD, which tunes the system's settings to its use.")))

;;; VFS mappings: a directory shown at another place, bound, translated to
;;; another owner (bindfs) or overlaid.  Mounts are the host's: their
;;; services are shown as provided by the host.

(define-record-type* <vfs-mapping> vfs-mapping make-vfs-mapping
  vfs-mapping? this-vfs-mapping
  (source      vfs-mapping-source)
  (destination vfs-mapping-destination)
  ;; bind, translate or overlay.
  (policy      vfs-mapping-policy (default 'translate))
  (user        vfs-mapping-user (default #f))
  (group       vfs-mapping-group (default "users"))
  (name        vfs-mapping-name (thunked)
               (default (format #f "~a-on-~a" (vfs-mapping-policy this-vfs-mapping)
                                (vfs-mapping-destination this-vfs-mapping))))
  (requirement vfs-mapping-requirement (default '(file-systems user-homes))))

(define (valid-vfs-mapping? x)
  (and (vfs-mapping? x)
       (memq (vfs-mapping-policy x) '(bind translate overlay))
       (string? (vfs-mapping-name x))
       (if (eq? (vfs-mapping-policy x) 'bind)
           (not (vfs-mapping-user x))
           (and (string? (vfs-mapping-user x)) (string? (vfs-mapping-group x))))))

(define list-of-vfs-mapping? (list-of valid-vfs-mapping?))

(define-configuration/no-serialization vfs-mapping-configuration
  (bindfs (gexp #~(string-append #$bindfs "/bin/bindfs")) "The bindfs command.")
  (fusermount (gexp #~(string-append #$fuse-2 "/bin/fusermount")) "The fusermount command.")
  (umount (gexp #~(string-append #$util-linux+udev "/bin/umount")) "The umount command.")
  (bindings (list-of-vfs-mapping '()) "The mappings."))

(define (vfs-mapping-shepherd-service config mapping)
  (let ((bindfs (vfs-mapping-configuration-bindfs config))
        (fusermount (vfs-mapping-configuration-fusermount config))
        (umount (vfs-mapping-configuration-umount config))
        (source (vfs-mapping-source mapping))
        (destination (vfs-mapping-destination mapping))
        (policy (vfs-mapping-policy mapping))
        (user (vfs-mapping-user mapping))
        (group (vfs-mapping-group mapping)))
    (shepherd-service
     (provision (list (string->symbol (vfs-mapping-name mapping))))
     (requirement (vfs-mapping-requirement mapping))
     (documentation (string-append "Map a directory on " (if (string? destination) destination "")
                                   " (the host's mounts)."))
     (start #~(lambda _
                (define (make-directories directory)
                  (unless (or (string=? directory "/") (file-exists? directory))
                    (make-directories (dirname directory))
                    (mkdir directory)
                    (let ((pw (getpw #$user)))
                      (chown directory (passwd:uid pw) (passwd:gid pw)))))
                (let* ((st (stat #$source))
                       (source-user (passwd:name (getpwuid (stat:uid st))))
                       (source-group (group:name (getgrgid (stat:gid st))))
                       (bindfs-options (list (string-append "--create-for-group=" source-group)
                                             (string-append "--create-for-user=" source-user)
                                             (string-append "--force-user=" #$user)
                                             (string-append "--force-group=" #$group))))
                  (make-directories #$destination)
                  (case '#$policy
                    ((bind) (mount #$source #$destination #f MS_BIND))
                    ((translate)
                     (apply invoke #$bindfs (append bindfs-options
                                                    (list "-o" "nonempty" #$source #$destination))))
                    ((overlay)
                     (let ((upper (string-append #$destination "-overlay"))
                           (work (string-append #$destination "-workdir")))
                       (make-directories upper)
                       (make-directories work)
                       (mount "overlay" #$destination "overlay" 0
                              (string-append "lowerdir=" #$source ",upperdir=" upper
                                             ",workdir=" work))
                       (apply invoke #$bindfs (append bindfs-options
                                                      (list #$destination #$destination)))))))
                #t))
     (stop #~(lambda _
               (case '#$policy
                 ((bind) (invoke #$umount #$destination))
                 ((translate) (invoke #$fusermount "-u" #$destination))
                 ((overlay)
                  (invoke #$fusermount "-u" #$destination)
                  (invoke #$umount #$destination)))
               #f)))))

(define vfs-mapping-service-type
  (service-type
   (name 'vfs-mapping)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (map (lambda (m) (vfs-mapping-shepherd-service config m))
                                    (vfs-mapping-configuration-bindings config))))))
   (compose concatenate)
   (extend (lambda (config bindings)
             (vfs-mapping-configuration
              (inherit config)
              (bindings (append (vfs-mapping-configuration-bindings config) bindings)))))
   (default-value (vfs-mapping-configuration))
   (description "Show a directory at another place: bound, with another owner, or overlaid.")))

;; Names Guix's module exports too.
(export earlyoom-configuration-avoid-regexp earlyoom-configuration-earlyoom
        earlyoom-configuration-ignore-positive-oom-score-adj?
        earlyoom-configuration-memory-report-interval
        earlyoom-configuration-minimum-available-memory
        earlyoom-configuration-minimum-free-swap earlyoom-configuration-prefer-regexp
        earlyoom-configuration-send-notification-command
        earlyoom-configuration-show-debug-messages? fstrim-configuration-extra-arguments
        fstrim-configuration-listed-in fstrim-configuration-package
        fstrim-configuration-quiet-unsupported? fstrim-configuration-schedule
        fstrim-configuration-verbose? tuned-configuration-fields
        tuned-ppd-settings-fields tuned-settings-fields
        zram-device-configuration-compression-algorithm
        zram-device-configuration-memory-limit zram-device-configuration-priority
        zram-device-configuration-size)
