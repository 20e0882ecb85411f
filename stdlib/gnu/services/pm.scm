;;; schemy --- Power management (Guix manual, "Power Management Services"): TLP (tlp.conf), thermald, power-profiles-daemon.

(define-module (gnu services pm)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module ((gnu packages linux) #:select (tlp powertop))
  #:use-module ((gnu services configuration) #:select (define-configuration serialize-package))
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

(define-record-type* <tlp-configuration> tlp-configuration
  make-tlp-configuration tlp-configuration?
  (tlp tlp-configuration-tlp (default tlp))
  (tlp-enable? tlp-configuration-tlp-enable? (default #t))
  (tlp-default-mode tlp-configuration-tlp-default-mode (default "AC"))
  (disk-idle-secs-on-ac tlp-configuration-disk-idle-secs-on-ac (default 0))
  (disk-idle-secs-on-bat tlp-configuration-disk-idle-secs-on-bat (default 2))
  (max-lost-work-secs-on-ac tlp-configuration-max-lost-work-secs-on-ac (default 15))
  (max-lost-work-secs-on-bat tlp-configuration-max-lost-work-secs-on-bat (default 60))
  (cpu-scaling-governor-on-ac tlp-configuration-cpu-scaling-governor-on-ac (default #f))
  (cpu-scaling-governor-on-bat tlp-configuration-cpu-scaling-governor-on-bat (default #f))
  (cpu-scaling-min-freq-on-ac tlp-configuration-cpu-scaling-min-freq-on-ac (default #f))
  (cpu-scaling-max-freq-on-ac tlp-configuration-cpu-scaling-max-freq-on-ac (default #f))
  (cpu-scaling-min-freq-on-bat tlp-configuration-cpu-scaling-min-freq-on-bat (default #f))
  (cpu-scaling-max-freq-on-bat tlp-configuration-cpu-scaling-max-freq-on-bat (default #f))
  (cpu-min-perf-on-ac tlp-configuration-cpu-min-perf-on-ac (default #f))
  (cpu-max-perf-on-ac tlp-configuration-cpu-max-perf-on-ac (default #f))
  (cpu-min-perf-on-bat tlp-configuration-cpu-min-perf-on-bat (default #f))
  (cpu-max-perf-on-bat tlp-configuration-cpu-max-perf-on-bat (default #f))
  (cpu-boost-on-ac? tlp-configuration-cpu-boost-on-ac? (default #f))
  (cpu-boost-on-bat? tlp-configuration-cpu-boost-on-bat? (default #f))
  (cpu-energy-perf-policy-on-ac tlp-configuration-cpu-energy-perf-policy-on-ac (default #f))
  (cpu-energy-perf-policy-on-bat tlp-configuration-cpu-energy-perf-policy-on-bat (default #f))
  (sched-powersave-on-ac? tlp-configuration-sched-powersave-on-ac? (default #f))
  (sched-powersave-on-bat? tlp-configuration-sched-powersave-on-bat? (default #t))
  (nmi-watchdog? tlp-configuration-nmi-watchdog? (default #f))
  (energy-perf-policy-on-ac tlp-configuration-energy-perf-policy-on-ac (default #f))
  (energy-perf-policy-on-bat tlp-configuration-energy-perf-policy-on-bat (default #f))
  (disks-devices tlp-configuration-disks-devices (default '("sda")))
  (disk-apm-level-on-ac tlp-configuration-disk-apm-level-on-ac (default '("254" "254")))
  (disk-apm-level-on-bat tlp-configuration-disk-apm-level-on-bat (default '("128" "128")))
  (sata-linkpwr-on-ac tlp-configuration-sata-linkpwr-on-ac (default "max_performance"))
  (sata-linkpwr-on-bat tlp-configuration-sata-linkpwr-on-bat (default "min_power"))
  (pcie-aspm-on-ac tlp-configuration-pcie-aspm-on-ac (default #f))
  (pcie-aspm-on-bat tlp-configuration-pcie-aspm-on-bat (default #f))
  (start-charge-thresh-bat0 tlp-configuration-start-charge-thresh-bat0 (default #f))
  (stop-charge-thresh-bat0 tlp-configuration-stop-charge-thresh-bat0 (default #f))
  (start-charge-thresh-bat1 tlp-configuration-start-charge-thresh-bat1 (default #f))
  (stop-charge-thresh-bat1 tlp-configuration-stop-charge-thresh-bat1 (default #f))
  (radeon-power-profile-on-ac tlp-configuration-radeon-power-profile-on-ac (default "high"))
  (radeon-power-profile-on-bat tlp-configuration-radeon-power-profile-on-bat (default "low"))
  (radeon-dpm-state-on-ac tlp-configuration-radeon-dpm-state-on-ac (default "performance"))
  (radeon-dpm-state-on-bat tlp-configuration-radeon-dpm-state-on-bat (default "battery"))
  (wifi-pwr-on-ac? tlp-configuration-wifi-pwr-on-ac? (default #f))
  (wifi-pwr-on-bat? tlp-configuration-wifi-pwr-on-bat? (default #t))
  (wol-disable? tlp-configuration-wol-disable? (default #t))
  (sound-power-save-on-ac tlp-configuration-sound-power-save-on-ac (default 0))
  (sound-power-save-on-bat tlp-configuration-sound-power-save-on-bat (default 1))
  (sound-power-save-controller? tlp-configuration-sound-power-save-controller? (default #t))
  (bay-poweroff-on-bat? tlp-configuration-bay-poweroff-on-bat? (default #f))
  (bay-device tlp-configuration-bay-device (default "sr0"))
  (runtime-pm-on-ac tlp-configuration-runtime-pm-on-ac (default "on"))
  (runtime-pm-on-bat tlp-configuration-runtime-pm-on-bat (default "auto"))
  (runtime-pm-all? tlp-configuration-runtime-pm-all? (default #t))
  (runtime-pm-denylist tlp-configuration-runtime-pm-denylist (default #f))
  (runtime-pm-driver-denylist tlp-configuration-runtime-pm-driver-denylist (default '("radeon" "nouveau")))
  (usb-autosuspend? tlp-configuration-usb-autosuspend? (default #t))
  (usb-denylist tlp-configuration-usb-denylist (default #f))
  (usb-denylist-wwan? tlp-configuration-usb-denylist-wwan? (default #t))
  (usb-allowlist tlp-configuration-usb-allowlist (default #f))
  (usb-autosuspend-disable-on-shutdown? tlp-configuration-usb-autosuspend-disable-on-shutdown? (default #f))
  (restore-device-state-on-startup? tlp-configuration-restore-device-state-on-startup? (default #f))
  (devices-to-disable-on-startup tlp-configuration-devices-to-disable-on-startup (default #f))
  (devices-to-enable-on-startup tlp-configuration-devices-to-enable-on-startup (default #f))
  (devices-to-disable-on-shutdown tlp-configuration-devices-to-disable-on-shutdown (default #f))
  (devices-to-enable-on-shutdown tlp-configuration-devices-to-enable-on-shutdown (default #f))
  (devices-to-enable-on-ac tlp-configuration-devices-to-enable-on-ac (default #f))
  (devices-to-disable-on-bat tlp-configuration-devices-to-disable-on-bat (default #f))
  (devices-to-disable-on-bat-not-in-use tlp-configuration-devices-to-disable-on-bat-not-in-use (default #f))
  (platform-profile-on-ac tlp-configuration-platform-profile-on-ac (default #f))
  (platform-profile-on-bat tlp-configuration-platform-profile-on-bat (default #f)))

(define (tlp-value v)
  (cond ((eq? v #t) "1") ((eq? v #f) #f) ((string? v) v) ((number? v) (number->string v))
        ((symbol? v) (symbol->string v))
        ((list? v) (string-append "\"" (string-join (map (lambda (x) (or (tlp-value x) "")) v) " ") "\""))
        (else #f)))

(define (tlp-conf config)
  "tlp.conf as Guix writes it: KEY=VALUE for each field that is set (booleans as 1/0)."
  (string-concatenate
   (map (lambda (pair)
          (let* ((key (car pair)) (v (cdr pair))
                 (text (cond ((boolean? v)
                              (and (string-suffix? "?" "") #f))
                             (else (tlp-value v)))))
            (cond ((eq? v #t) (string-append key "=1\n"))
                  ((and (eq? v #f) (member key '("TLP_ENABLE" "CPU_BOOST_ON_AC" "CPU_BOOST_ON_BAT"
                                                   "SCHED_POWERSAVE_ON_AC" "SCHED_POWERSAVE_ON_BAT"
                                                   "NMI_WATCHDOG" "WIFI_PWR_ON_AC" "WIFI_PWR_ON_BAT"
                                                   "WOL_DISABLE" "USB_AUTOSUSPEND" "RUNTIME_PM_ALL"
                                                   "USB_DENYLIST_WWAN" "BAY_POWEROFF_ON_BAT"
                                                   "SOUND_POWER_SAVE_CONTROLLER"
                                                   "RESTORE_DEVICE_STATE_ON_STARTUP"
                                                   "USB_AUTOSUSPEND_DISABLE_ON_SHUTDOWN")))
                   (string-append key "=0\n"))
                  (text (string-append key "=" text "\n"))
                  (else ""))))
        (list (cons "TLP_ENABLE" (tlp-configuration-tlp-enable? config)) (cons "TLP_DEFAULT_MODE" (tlp-configuration-tlp-default-mode config)) (cons "DISK_IDLE_SECS_ON_AC" (tlp-configuration-disk-idle-secs-on-ac config)) (cons "DISK_IDLE_SECS_ON_BAT" (tlp-configuration-disk-idle-secs-on-bat config)) (cons "MAX_LOST_WORK_SECS_ON_AC" (tlp-configuration-max-lost-work-secs-on-ac config)) (cons "MAX_LOST_WORK_SECS_ON_BAT" (tlp-configuration-max-lost-work-secs-on-bat config)) (cons "CPU_SCALING_GOVERNOR_ON_AC" (tlp-configuration-cpu-scaling-governor-on-ac config)) (cons "CPU_SCALING_GOVERNOR_ON_BAT" (tlp-configuration-cpu-scaling-governor-on-bat config)) (cons "CPU_SCALING_MIN_FREQ_ON_AC" (tlp-configuration-cpu-scaling-min-freq-on-ac config)) (cons "CPU_SCALING_MAX_FREQ_ON_AC" (tlp-configuration-cpu-scaling-max-freq-on-ac config)) (cons "CPU_SCALING_MIN_FREQ_ON_BAT" (tlp-configuration-cpu-scaling-min-freq-on-bat config)) (cons "CPU_SCALING_MAX_FREQ_ON_BAT" (tlp-configuration-cpu-scaling-max-freq-on-bat config)) (cons "CPU_MIN_PERF_ON_AC" (tlp-configuration-cpu-min-perf-on-ac config)) (cons "CPU_MAX_PERF_ON_AC" (tlp-configuration-cpu-max-perf-on-ac config)) (cons "CPU_MIN_PERF_ON_BAT" (tlp-configuration-cpu-min-perf-on-bat config)) (cons "CPU_MAX_PERF_ON_BAT" (tlp-configuration-cpu-max-perf-on-bat config)) (cons "CPU_BOOST_ON_AC" (tlp-configuration-cpu-boost-on-ac? config)) (cons "CPU_BOOST_ON_BAT" (tlp-configuration-cpu-boost-on-bat? config)) (cons "CPU_ENERGY_PERF_POLICY_ON_AC" (tlp-configuration-cpu-energy-perf-policy-on-ac config)) (cons "CPU_ENERGY_PERF_POLICY_ON_BAT" (tlp-configuration-cpu-energy-perf-policy-on-bat config)) (cons "SCHED_POWERSAVE_ON_AC" (tlp-configuration-sched-powersave-on-ac? config)) (cons "SCHED_POWERSAVE_ON_BAT" (tlp-configuration-sched-powersave-on-bat? config)) (cons "NMI_WATCHDOG" (tlp-configuration-nmi-watchdog? config)) (cons "ENERGY_PERF_POLICY_ON_AC" (tlp-configuration-energy-perf-policy-on-ac config)) (cons "ENERGY_PERF_POLICY_ON_BAT" (tlp-configuration-energy-perf-policy-on-bat config)) (cons "DISKS_DEVICES" (tlp-configuration-disks-devices config)) (cons "DISK_APM_LEVEL_ON_AC" (tlp-configuration-disk-apm-level-on-ac config)) (cons "DISK_APM_LEVEL_ON_BAT" (tlp-configuration-disk-apm-level-on-bat config)) (cons "SATA_LINKPWR_ON_AC" (tlp-configuration-sata-linkpwr-on-ac config)) (cons "SATA_LINKPWR_ON_BAT" (tlp-configuration-sata-linkpwr-on-bat config)) (cons "PCIE_ASPM_ON_AC" (tlp-configuration-pcie-aspm-on-ac config)) (cons "PCIE_ASPM_ON_BAT" (tlp-configuration-pcie-aspm-on-bat config)) (cons "START_CHARGE_THRESH_BAT0" (tlp-configuration-start-charge-thresh-bat0 config)) (cons "STOP_CHARGE_THRESH_BAT0" (tlp-configuration-stop-charge-thresh-bat0 config)) (cons "START_CHARGE_THRESH_BAT1" (tlp-configuration-start-charge-thresh-bat1 config)) (cons "STOP_CHARGE_THRESH_BAT1" (tlp-configuration-stop-charge-thresh-bat1 config)) (cons "RADEON_POWER_PROFILE_ON_AC" (tlp-configuration-radeon-power-profile-on-ac config)) (cons "RADEON_POWER_PROFILE_ON_BAT" (tlp-configuration-radeon-power-profile-on-bat config)) (cons "RADEON_DPM_STATE_ON_AC" (tlp-configuration-radeon-dpm-state-on-ac config)) (cons "RADEON_DPM_STATE_ON_BAT" (tlp-configuration-radeon-dpm-state-on-bat config)) (cons "WIFI_PWR_ON_AC" (tlp-configuration-wifi-pwr-on-ac? config)) (cons "WIFI_PWR_ON_BAT" (tlp-configuration-wifi-pwr-on-bat? config)) (cons "WOL_DISABLE" (tlp-configuration-wol-disable? config)) (cons "SOUND_POWER_SAVE_ON_AC" (tlp-configuration-sound-power-save-on-ac config)) (cons "SOUND_POWER_SAVE_ON_BAT" (tlp-configuration-sound-power-save-on-bat config)) (cons "SOUND_POWER_SAVE_CONTROLLER" (tlp-configuration-sound-power-save-controller? config)) (cons "BAY_POWEROFF_ON_BAT" (tlp-configuration-bay-poweroff-on-bat? config)) (cons "BAY_DEVICE" (tlp-configuration-bay-device config)) (cons "RUNTIME_PM_ON_AC" (tlp-configuration-runtime-pm-on-ac config)) (cons "RUNTIME_PM_ON_BAT" (tlp-configuration-runtime-pm-on-bat config)) (cons "RUNTIME_PM_ALL" (tlp-configuration-runtime-pm-all? config)) (cons "RUNTIME_PM_DENYLIST" (tlp-configuration-runtime-pm-denylist config)) (cons "RUNTIME_PM_DRIVER_DENYLIST" (tlp-configuration-runtime-pm-driver-denylist config)) (cons "USB_AUTOSUSPEND" (tlp-configuration-usb-autosuspend? config)) (cons "USB_DENYLIST" (tlp-configuration-usb-denylist config)) (cons "USB_DENYLIST_WWAN" (tlp-configuration-usb-denylist-wwan? config)) (cons "USB_ALLOWLIST" (tlp-configuration-usb-allowlist config)) (cons "USB_AUTOSUSPEND_DISABLE_ON_SHUTDOWN" (tlp-configuration-usb-autosuspend-disable-on-shutdown? config)) (cons "RESTORE_DEVICE_STATE_ON_STARTUP" (tlp-configuration-restore-device-state-on-startup? config)) (cons "DEVICES_TO_DISABLE_ON_STARTUP" (tlp-configuration-devices-to-disable-on-startup config)) (cons "DEVICES_TO_ENABLE_ON_STARTUP" (tlp-configuration-devices-to-enable-on-startup config)) (cons "DEVICES_TO_DISABLE_ON_SHUTDOWN" (tlp-configuration-devices-to-disable-on-shutdown config)) (cons "DEVICES_TO_ENABLE_ON_SHUTDOWN" (tlp-configuration-devices-to-enable-on-shutdown config)) (cons "DEVICES_TO_ENABLE_ON_AC" (tlp-configuration-devices-to-enable-on-ac config)) (cons "DEVICES_TO_DISABLE_ON_BAT" (tlp-configuration-devices-to-disable-on-bat config)) (cons "DEVICES_TO_DISABLE_ON_BAT_NOT_IN_USE" (tlp-configuration-devices-to-disable-on-bat-not-in-use config)) (cons "PLATFORM_PROFILE_ON_AC" (tlp-configuration-platform-profile-on-ac config)) (cons "PLATFORM_PROFILE_ON_BAT" (tlp-configuration-platform-profile-on-bat config))))))

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
