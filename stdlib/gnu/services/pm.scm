;;; schemy --- Power management (Guix manual, "Power Management Services"): TLP (tlp.conf), thermald, power-profiles-daemon.

(define-module (gnu services pm)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module ((gnu packages linux) #:select (tlp powertop))
  #:use-module ((gnu services configuration)
                #:select (define-configuration serialize-package define-maybe serialize-configuration))
  #:use-module ((srfi srfi-1) #:select (every))
  #:use-module ((gnu packages admin) #:select (thermald))
  #:use-module ((gnu packages freedesktop) #:select (power-profiles-daemon))
  #:export (tlp-configuration
            tlp-configuration?
            tlp-service-type
            tlp-conf
            thermald-configuration
            thermald-configuration?
            thermald-service-type
            power-profiles-daemon-configuration
            power-profiles-daemon-service-type
            powertop-configuration
            powertop-configuration?
            powertop-service-type))

;; tlp.conf as Guix writes it: each field as KEY=VALUE, the key its name upcased with
;; dashes as underscores (and no "?"); booleans as 1/0, on-off booleans as on/off, y-n
;; booleans as Y/N, lists as one double-quoted string; maybe fields only when set.
(define (tlp-field-key field-name)
  (let ((str (symbol->string field-name)))
    (string-join (string-split (string-upcase (if (string-suffix? "?" str)
                                                  (substring str 0 (1- (string-length str)))
                                                  str))
                               #\-)
                 "_")))

(define (tlp-serialize-field field-name value)
  (string-append (tlp-field-key field-name) "=" value "\n"))

(define (tlp-serialize-boolean field-name value)
  (tlp-serialize-field field-name (if value "1" "0")))
(define (tlp-serialize-string field-name value)
  (tlp-serialize-field field-name value))
(define (space-separated-string-list? value)
  (and (list? value)
       (every (lambda (x) (and (string? x) (not (string-index x #\space)))) value)))
(define (tlp-serialize-space-separated-string-list field-name value)
  (tlp-serialize-field field-name (format #f "~s" (string-join value " "))))
(define (non-negative-integer? value)
  (and (exact-integer? value) (not (negative? value))))
(define (tlp-serialize-non-negative-integer field-name value)
  (tlp-serialize-field field-name (number->string value)))
(define on-off-boolean? boolean?)
(define (tlp-serialize-on-off-boolean field-name value)
  (tlp-serialize-field field-name (if value "on" "off")))
(define y-n-boolean? boolean?)
(define (tlp-serialize-y-n-boolean field-name value)
  (tlp-serialize-field field-name (if value "Y" "N")))
(define (tlp-serialize-file-like field-name value) "")
(define-maybe boolean (prefix tlp-))
(define-maybe string (prefix tlp-))
(define-maybe space-separated-string-list (prefix tlp-))
(define-maybe non-negative-integer (prefix tlp-))
(define-maybe on-off-boolean (prefix tlp-))

(define-configuration tlp-configuration
  (tlp (file-like tlp))
  (tlp-enable? (boolean #t))
  (tlp-default-mode (string "AC"))
  (disk-idle-secs-on-ac (non-negative-integer 0))
  (disk-idle-secs-on-bat (non-negative-integer 2))
  (max-lost-work-secs-on-ac (non-negative-integer 15))
  (max-lost-work-secs-on-bat (non-negative-integer 60))
  (cpu-scaling-governor-on-ac maybe-space-separated-string-list)
  (cpu-scaling-governor-on-bat maybe-space-separated-string-list)
  (cpu-scaling-min-freq-on-ac maybe-non-negative-integer)
  (cpu-scaling-max-freq-on-ac maybe-non-negative-integer)
  (cpu-scaling-min-freq-on-bat maybe-non-negative-integer)
  (cpu-scaling-max-freq-on-bat maybe-non-negative-integer)
  (cpu-min-perf-on-ac maybe-non-negative-integer)
  (cpu-max-perf-on-ac maybe-non-negative-integer)
  (cpu-min-perf-on-bat maybe-non-negative-integer)
  (cpu-max-perf-on-bat maybe-non-negative-integer)
  (cpu-boost-on-ac? maybe-boolean)
  (cpu-boost-on-bat? maybe-boolean)
  (sched-powersave-on-ac? (boolean #f))
  (sched-powersave-on-bat? (boolean #t))
  (nmi-watchdog? (boolean #f))
  (phc-controls maybe-string)
  (energy-perf-policy-on-ac (string "performance"))
  (energy-perf-policy-on-bat (string "powersave"))
  (disks-devices (space-separated-string-list '("sda")))
  (disk-apm-level-on-ac (space-separated-string-list '("254" "254")))
  (disk-apm-level-on-bat (space-separated-string-list '("128" "128")))
  (disk-spindown-timeout-on-ac maybe-space-separated-string-list)
  (disk-spindown-timeout-on-bat maybe-space-separated-string-list)
  (disk-iosched maybe-space-separated-string-list)
  (sata-linkpwr-on-ac (string "max_performance"))
  (sata-linkpwr-on-bat (string "min_power"))
  (sata-linkpwr-blacklist maybe-string)
  (ahci-runtime-pm-on-ac? maybe-on-off-boolean)
  (ahci-runtime-pm-on-bat? maybe-on-off-boolean)
  (ahci-runtime-pm-timeout (non-negative-integer 15))
  (pcie-aspm-on-ac (string "performance"))
  (pcie-aspm-on-bat (string "powersave"))
  (start-charge-thresh-bat0 maybe-non-negative-integer)
  (stop-charge-thresh-bat0 maybe-non-negative-integer)
  (start-charge-thresh-bat1 maybe-non-negative-integer)
  (stop-charge-thresh-bat1 maybe-non-negative-integer)
  (radeon-power-profile-on-ac (string "high"))
  (radeon-power-profile-on-bat (string "low"))
  (radeon-dpm-state-on-ac (string "performance"))
  (radeon-dpm-state-on-bat (string "battery"))
  (radeon-dpm-perf-level-on-ac (string "auto"))
  (radeon-dpm-perf-level-on-bat (string "auto"))
  (wifi-pwr-on-ac? (on-off-boolean #f))
  (wifi-pwr-on-bat? (on-off-boolean #t))
  (wol-disable? (y-n-boolean #t))
  (sound-power-save-on-ac (non-negative-integer 0))
  (sound-power-save-on-bat (non-negative-integer 1))
  (sound-power-save-controller? (y-n-boolean #t))
  (bay-poweroff-on-bat? (boolean #f))
  (bay-device (string "sr0"))
  (runtime-pm-on-ac (string "on"))
  (runtime-pm-on-bat (string "auto"))
  (runtime-pm-all? (boolean #t))
  (runtime-pm-blacklist maybe-space-separated-string-list)
  (runtime-pm-driver-blacklist (space-separated-string-list '("radeon" "nouveau")))
  (usb-autosuspend? (boolean #t))
  (usb-blacklist maybe-string)
  (usb-blacklist-wwan? (boolean #t))
  (usb-whitelist maybe-string)
  (usb-autosuspend-disable-on-shutdown? maybe-boolean)
  (restore-device-state-on-startup? (boolean #f))
  (cpu-energy-perf-policy-on-ac maybe-string)
  (cpu-energy-perf-policy-on-bat maybe-string)
  ;; Not Guix's: the newer names TLP gives some of the above; written only when set.
  (runtime-pm-denylist maybe-space-separated-string-list)
  (runtime-pm-driver-denylist maybe-space-separated-string-list)
  (usb-denylist maybe-string)
  (usb-denylist-wwan? maybe-boolean)
  (usb-allowlist maybe-string)
  (devices-to-disable-on-startup maybe-space-separated-string-list)
  (devices-to-enable-on-startup maybe-space-separated-string-list)
  (devices-to-disable-on-shutdown maybe-space-separated-string-list)
  (devices-to-enable-on-shutdown maybe-space-separated-string-list)
  (devices-to-enable-on-ac maybe-space-separated-string-list)
  (devices-to-disable-on-bat maybe-space-separated-string-list)
  (devices-to-disable-on-bat-not-in-use maybe-space-separated-string-list)
  (platform-profile-on-ac maybe-string)
  (platform-profile-on-bat maybe-string)
  (prefix tlp-))

(define (tlp-conf config)
  "tlp.conf as Guix writes it."
  (serialize-configuration config tlp-configuration-fields))

(define tlp-service-type
  (service-type
   (name 'tlp)
   (extensions
    (list (service-extension etc-service-type
                             (lambda (config) (list (list "tlp.conf" (plain-file "tlp.conf" (tlp-conf config))))))
          (service-extension profile-service-type
                             (lambda (config) (list (tlp-configuration-tlp config))))
          (service-extension shepherd-root-service-type
                             (lambda (config)
                               (list (shepherd-service
                                      (provision '(tlp))
                                      (requirement '(user-processes))
                                      (documentation "Apply TLP's power settings (the host's power management).")
                                      (one-shot? #t)
                                      (start #~(make-forkexec-constructor
                                                (list #$(file-append (tlp-configuration-tlp config) "/bin/tlp")
                                                      "init" "start")))))))))
   (default-value (tlp-configuration))
   (description "Run TLP, a power management tool.")))

(define-record-type* <thermald-configuration> thermald-configuration
  make-thermald-configuration thermald-configuration?
  (thermald thermald-configuration-thermald (default thermald))
  (adaptive? thermald-configuration-adaptive? (default #f))
  (ignore-cpuid-check? thermald-configuration-ignore-cpuid-check? (default #f)))

(define thermald-service-type
  (service-type
   (name 'thermald)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (list (shepherd-service
                                      (provision '(thermald))
                                      (requirement '(networking))
                                      (documentation "Run thermald, the CPU frequency scaling daemon.")
                                      (start #~(make-forkexec-constructor
                                                (list #$(file-append (thermald-configuration-thermald config) "/sbin/thermald"))))
                                      (stop #~(make-kill-destructor))))))
          (service-extension profile-service-type
                             (lambda (config) (list (thermald-configuration-thermald config))))))
   (default-value (thermald-configuration))
   (description "Run thermald, the CPU frequency scaling daemon.")))

(define-record-type* <power-profiles-daemon-configuration> power-profiles-daemon-configuration
  make-power-profiles-daemon-configuration power-profiles-daemon-configuration?
  (power-profiles-daemon power-profiles-daemon-configuration-power-profiles-daemon (default power-profiles-daemon)))

(define power-profiles-daemon-service-type
  (service-type
   (name 'power-profiles-daemon)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (list (shepherd-service
                                      (provision '(power-profiles-daemon))
                                      (requirement '(networking))
                                      (documentation "Run power-profiles-daemon, which switches power profiles.")
                                      (start #~(make-forkexec-constructor
                                                (list #$(file-append (power-profiles-daemon-configuration-power-profiles-daemon config) "/libexec/power-profiles-daemon"))))
                                      (stop #~(make-kill-destructor))))))
          (service-extension profile-service-type
                             (lambda (config) (list (power-profiles-daemon-configuration-power-profiles-daemon config))))))
   (default-value (power-profiles-daemon-configuration))
   (description "Run power-profiles-daemon, which switches power profiles.")))

;;; PowerTOP: "powertop --auto-tune" once at boot.

(define (package? x) (file-like? x))

(define-configuration powertop-configuration
  (powertop (package powertop) "The PowerTOP package."))

(define (powertop-shepherd-service config)
  (shepherd-service
   (provision '(powertop powertop-auto-tune))
   (requirement '(user-processes))
   (documentation "Tune the kernel's power settings at boot.")
   (one-shot? #t)
   (start #~(lambda _
              (zero? (system* #$(file-append (powertop-configuration-powertop config) "/sbin/powertop")
                              "--auto-tune"))))))

(define powertop-service-type
  (service-type
   (name 'powertop)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config) (list (powertop-shepherd-service config))))))
   (compose concatenate)
   (default-value (powertop-configuration))
   (description "Tune the kernel's power parameters to use less energy.")))
