;;; schemy --- Desktop services (Guix manual, "Desktop Services").
;;;
;;; The daemons of a desktop (elogind, upower, udisks, NetworkManager...) are
;;; the host's: their services are realized and shown as provided by the host.

(define-module (gnu services desktop)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (srfi srfi-1)
  #:use-module ((guix utils) #:select (%current-system %current-target-system target-64bit?))
  #:use-module ((gnu system uuid) #:select (uuid->string))
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (gnu services base)
  #:use-module (gnu services dbus)
  #:use-module (gnu services xorg)
  #:use-module (gnu services networking)
  #:use-module (gnu services avahi)
  #:use-module (gnu services sound)
  #:use-module ((gnu packages freedesktop) #:select (elogind udisks accountsservice))
  #:use-module ((gnu packages gnome) #:select (upower colord geoclue gvfs gnome-shell gnome-keyring))
  #:use-module ((gnu packages xfce) #:select (xfce))
  #:use-module ((gnu packages mate) #:select (mate))
  #:use-module ((gnu packages lxqt) #:select (lxqt))
  #:use-module ((gnu packages kde-plasma) #:select (plasma))
  #:use-module ((gnu packages enlightenment) #:select (enlightenment))
  #:use-module ((gnu packages linux) #:select (bluez inputattach))
  #:use-module ((gnu packages scanner) #:select (sane sane-backends))
  #:use-module ((gnu packages freedesktop) #:select (iio-sensor-proxy))
  #:use-module ((gnu packages kde-plasma) #:select (kwallet-pam))
  #:use-module (gnu system pam)
  #:use-module ((gnu services configuration)
                #:select (define-configuration/no-serialization define-configuration define-maybe
                          serialize-configuration configuration-field-name empty-serializer
                          maybe-value-set? list-of-strings?))
  #:use-module ((gnu packages admin) #:select (seatd))
  #:use-module (gnu system shadow)
  #:use-module ((gnu system file-systems) #:select (%control-groups file-system))
  #:re-export (dbus-service polkit-wheel-service)
  #:export (%desktop-services
            inputattach-configuration
            inputattach-configuration?
            inputattach-service-type
            elogind-configuration elogind-configuration? elogind-service-type elogind-service
            upower-configuration upower-configuration? upower-service-type upower-service
            udisks-configuration udisks-configuration? udisks-service-type udisks-service
            accountsservice-service-type accountsservice-service
            colord-service-type colord-service
            geoclue-configuration geoclue-configuration? geoclue-service-type geoclue-service
            geoclue-application %standard-geoclue-applications
            bluetooth-configuration bluetooth-configuration? bluetooth-service-type bluetooth-service
            gnome-desktop-configuration gnome-desktop-configuration? gnome-desktop-service-type
            xfce-desktop-configuration xfce-desktop-configuration? xfce-desktop-service-type
            mate-desktop-configuration mate-desktop-configuration? mate-desktop-service-type
            lxqt-desktop-configuration lxqt-desktop-configuration? lxqt-desktop-service-type
            plasma-desktop-configuration plasma-desktop-configuration? plasma-desktop-service-type
            enlightenment-desktop-configuration enlightenment-desktop-service-type
            x11-socket-directory-service x11-socket-directory-service-type
            fontconfig-file-system-service
            %fontconfig-file-system
            %gdm-file-system
            gdm-file-system-service
            gnome-desktop-configuration-core-services
            gnome-desktop-configuration-shell
            gnome-desktop-configuration-utilities
            gnome-desktop-configuration-extra-packages
            gnome-desktop-configuration-udev-ignorelist
            gnome-desktop-configuration-polkit-ignorelist
            gnome-desktop-configuration-keyring
            sugar-desktop-configuration
            sugar-desktop-configuration?
            sugar-desktop-service-type
            gvfs-configuration gvfs-service-type
            sane-service-type
            sane-configuration
            sane-configuration?
            sane-configuration-sane
            sane-configuration-backends
            kwallet-configuration
            kwallet-configuration?
            kwallet-service-type
            iio-sensor-proxy-configuration
            iio-sensor-proxy-configuration?
            iio-sensor-proxy-configuration-iio-sensor-proxy
            iio-sensor-proxy-service-type
            seatd-configuration seatd-configuration? seatd-service-type
            desktop-services-for-system
            cups-pk-helper-service-type
            gnome-desktop-service
            xfce-desktop-service
            mate-desktop-service
            lxqt-desktop-service
            enlightenment-desktop-service
            gnome-keyring-configuration
            gnome-keyring-configuration?
            gnome-keyring-service-type))

(define (host-daemon name provision package program documentation)
  "The shepherd service of a daemon the host runs (shown as provided by the host)."
  (list (shepherd-service
         (provision provision)
         (requirement '(dbus-system))
         (documentation documentation)
         (start #~(make-forkexec-constructor
                   (list #$(file-append package program))))
         (stop #~(make-kill-destructor)))))

(define* (host-daemon-service-type name provision package-of program description
                                   #:key (default #f) (dbus? #t))
  (service-type
   (name name)
   (extensions
    (append
     (list (service-extension shepherd-root-service-type
                              (lambda (config)
                                (host-daemon name provision (package-of config)
                                             program description))))
     (if dbus?
         (list (service-extension dbus-root-service-type
                                  (lambda (config) (list (package-of config))))
               (service-extension polkit-service-type
                                  (lambda (config) (list (package-of config)))))
         '())))
   (default-value default)
   (description description)))

;;; elogind.

;; elogind-configuration has Guix's fields, types and defaults, and logind.conf and
;; sleep.conf are written by Guix's serializers: KEY=VALUE, the key the field's name in
;; PascalCase (without "?", "seconds" as "sec"), booleans yes/no, lists space-separated,
;; unset fields left out.

(define (elogind-pascal-case name)
  (string-concatenate (map string-capitalize (string-split name #\-))))

(define (elogind-serialize-boolean name value)
  (let ((text (symbol->string name)))
    (string-append (elogind-pascal-case (if (string-suffix? "?" text)
                                            (string-drop-right text 1)
                                            text))
                   "=" (if value "yes" "no") "\n")))

(define (elogind-base-serializer name value)
  (let ((text (symbol->string name)))
    (format #f "~a=~a~%"
            (elogind-pascal-case (if (string-suffix? "seconds" text)
                                     (string-drop-right text 4) ;seconds -> sec
                                     text))
            value)))

(define (elogind-list-serializer name value)
  (format #f "~a=~a~%" (elogind-pascal-case (symbol->string name))
          (string-join (map (lambda (x) (format #f "~a" x)) value) " ")))

(define (non-negative-integer? x) (and (exact-integer? x) (not (negative? x))))
(define (percent? x) (and (non-negative-integer? x) (<= x 100)))
(define (user-name? x)
  (and (string? x)
       (string-every (string->char-set "abcdefghijklmnopqrstuvwxyz0123456789_-") x)))
(define (list-of-user-names? x) (and (list? x) (every user-name? x)))
(define %elogind-actions
  '(ignore poweroff reboot halt kexec suspend hibernate hybrid-sleep
    suspend-then-hibernate lock factory-reset))
(define (action? x) (and (memq x %elogind-actions) #t))
(define (elogind-symbol-in? choices)
  (lambda (x) (and (memq (if (string? x) (string->symbol x) x) choices) #t)))
(define (list-of-suspend-states? x)
  (and (list? x) (every (elogind-symbol-in? '(disk standby freeze mem)) x)))
(define (list-of-suspend-modes? x)
  (and (list? x) (every (elogind-symbol-in? '(s2idle shallow deep)) x)))
(define (list-of-hibernation-modes? x)
  (and (list? x) (every (elogind-symbol-in? '(platform shutdown reboot suspend test_resume)) x)))
(define (list-of-file-likes? x) (and (list? x) (every file-like? x)))

(define elogind-serialize-action elogind-base-serializer)
(define elogind-serialize-non-negative-integer elogind-base-serializer)
(define elogind-serialize-percent elogind-base-serializer)
(define elogind-serialize-list-of-strings elogind-list-serializer)
(define elogind-serialize-list-of-user-names elogind-list-serializer)
(define elogind-serialize-list-of-suspend-states elogind-list-serializer)
(define elogind-serialize-list-of-suspend-modes elogind-list-serializer)
(define elogind-serialize-list-of-hibernation-modes elogind-list-serializer)
(define-maybe boolean (prefix elogind-))
(define-maybe non-negative-integer (prefix elogind-))
(define-maybe percent (prefix elogind-))
(define-maybe list-of-user-names (prefix elogind-))
(define-maybe action (prefix elogind-))
(define-maybe list-of-suspend-states (prefix elogind-))
(define-maybe list-of-suspend-modes (prefix elogind-))
(define-maybe list-of-hibernation-modes (prefix elogind-))
(define-maybe list-of-strings (prefix elogind-))

(define (elogind-deprecated-empty-serializer name value)
  ;; As Guix: the sleep-state fields elogind no longer reads are accepted, with a warning.
  (when (maybe-value-set? value)
    (format (current-error-port) "warning: elogind-configuration's '~a' is deprecated; it has no effect~%"
            name))
  "")

(define-configuration elogind-configuration
  (elogind (file-like elogind) (serializer empty-serializer))
  (system-sleep-hook-files (list-of-file-likes '()) (serializer empty-serializer))
  (system-shutdown-hook-files (list-of-file-likes '()) (serializer empty-serializer))
  (allow-power-off-interrupts? (maybe-boolean #f))
  (allow-suspend-interrupts? (maybe-boolean #f))
  (broadcast-power-off-interrupts? (maybe-boolean #f))
  (broadcast-suspend-interrupts? (maybe-boolean #f))
  (kill-user-processes? (maybe-boolean #f))
  (kill-only-users maybe-list-of-user-names)
  (kill-exclude-users (maybe-list-of-user-names (list "root")))
  (inhibit-delay-max-seconds (maybe-non-negative-integer 5))
  (handle-power-key (maybe-action 'poweroff))
  (handle-suspend-key (maybe-action 'suspend))
  (handle-hibernate-key (maybe-action 'hibernate))
  (handle-lid-switch (maybe-action 'suspend))
  (handle-lid-switch-docked (maybe-action 'ignore))
  (handle-lid-switch-external-power (maybe-action 'suspend))
  (power-key-ignore-inhibited? (maybe-boolean #f))
  (suspend-key-ignore-inhibited? (maybe-boolean #f))
  (hibernate-key-ignore-inhibited? (maybe-boolean #f))
  (lid-switch-ignore-inhibited? (maybe-boolean #f))
  (holdoff-timeout-seconds (maybe-non-negative-integer 30))
  (idle-action (maybe-action 'ignore))
  (idle-action-seconds maybe-non-negative-integer)
  (runtime-directory-size-percent maybe-percent (serializer empty-serializer))
  (runtime-directory-size maybe-non-negative-integer (serializer empty-serializer))
  (remove-ipc? (maybe-boolean #t))
  (suspend-state (maybe-list-of-suspend-states '(mem standby freeze)))
  (suspend-mode (maybe-list-of-suspend-modes))
  (suspend-estimation-seconds (maybe-non-negative-integer (* 60 60)))
  (hibernate-mode (maybe-list-of-hibernation-modes '(platform shutdown)))
  (hibernate-delay-seconds maybe-non-negative-integer)
  (hibernate-state maybe-list-of-strings (serializer elogind-deprecated-empty-serializer))
  (hybrid-sleep-state maybe-list-of-strings (serializer elogind-deprecated-empty-serializer))
  (hybrid-sleep-mode maybe-list-of-strings (serializer elogind-deprecated-empty-serializer))
  (prefix elogind-))

(define %elogind-sleep-fields
  ;; The fields written to sleep.conf; the others go to logind.conf.
  '(suspend-state suspend-mode suspend-estimation-seconds hibernate-mode
    hibernate-delay-seconds hibernate-state hybrid-sleep-state hybrid-sleep-mode))

(define (elogind-logind.conf config)
  (let ((percent (elogind-configuration-runtime-directory-size-percent config))
        (size (elogind-configuration-runtime-directory-size config)))
    (string-append
     "[Login]\n"
     ;; As Guix: the percentage wins over the size in bytes.  (Guix ends the line of a
     ;; size in bytes without a newline, running it into the next key; here it is ended.)
     (cond ((maybe-value-set? percent) (format #f "RuntimeDirectorySize=~a%~%" percent))
           ((maybe-value-set? size) (format #f "RuntimeDirectorySize=~a~%" size))
           (else ""))
     (serialize-configuration
      config
      (remove (lambda (f) (memq (configuration-field-name f) %elogind-sleep-fields))
              elogind-configuration-fields)))))

(define (elogind-sleep.conf config)
  (string-append
   "[Sleep]\n"
   (serialize-configuration
    config
    (filter (lambda (f) (memq (configuration-field-name f) %elogind-sleep-fields))
            elogind-configuration-fields))))

(define elogind-service-type
  (service-type
   (name 'elogind)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (host-daemon 'elogind '(elogind) (elogind-configuration-elogind config)
                                            "/libexec/elogind/elogind"
                                            "The elogind login and seat management daemon (the host's).")))
          (service-extension etc-service-type
                             (lambda (config)
                               (define (hook-directory name files)
                                 ;; As Guix: each executable copied in, mode 500.
                                 (computed-file name
                                                #~(begin
                                                    (mkdir #$output)
                                                    (for-each
                                                     (lambda (f)
                                                       (let ((dest (string-append #$output "/" (basename f))))
                                                         (copy-file f dest)
                                                         (chmod dest #o500)))
                                                     (list #$@files)))))
                               (append
                                ;; As Guix: drop-in files of /etc/elogind.
                                (list (list "elogind/logind.conf.d/logind.conf"
                                            (plain-file "logind.conf" (elogind-logind.conf config)))
                                      (list "elogind/sleep.conf.d/sleep.conf"
                                            (plain-file "sleep.conf" (elogind-sleep.conf config))))
                                (if (null? (elogind-configuration-system-sleep-hook-files config))
                                    '()
                                    (list (list "elogind/system-sleep"
                                                (hook-directory "elogind-system-sleep"
                                                                (elogind-configuration-system-sleep-hook-files config)))))
                                (if (null? (elogind-configuration-system-shutdown-hook-files config))
                                    '()
                                    (list (list "elogind/system-shutdown"
                                                (hook-directory "elogind-system-shutdown"
                                                                (elogind-configuration-system-shutdown-hook-files config))))))))
          (service-extension dbus-root-service-type
                             (lambda (config) (list (elogind-configuration-elogind config))))
          (service-extension polkit-service-type
                             (lambda (config) (list (elogind-configuration-elogind config))))))
   (default-value (elogind-configuration))
   (description "Run the elogind login and seat management service, which
keeps track of logged-in users and handles power buttons and lid switches.")))

(define* (elogind-service #:key (config (elogind-configuration)))
  (service elogind-service-type config))

;;; upower, udisks, accounts, colord, geoclue.

(define-record-type* <upower-configuration> upower-configuration
  make-upower-configuration upower-configuration?
  (upower             upower-configuration-upower (default upower))
  (watts-up-pro?      upower-configuration-watts-up-pro? (default #f))
  (poll-batteries?    upower-configuration-poll-batteries? (default #t))
  (ignore-lid?        upower-configuration-ignore-lid? (default #f))
  (use-percentage-for-policy? upower-configuration-use-percentage-for-policy? (default #t))
  (percentage-low     upower-configuration-percentage-low (default 20))
  (percentage-critical upower-configuration-percentage-critical (default 5))
  (percentage-action  upower-configuration-percentage-action (default 2))
  (time-low           upower-configuration-time-low (default 1200))
  (time-critical      upower-configuration-time-critical (default 300))
  (time-action        upower-configuration-time-action (default 120))
  (critical-power-action upower-configuration-critical-power-action (default 'hybrid-sleep)))

(define (upower-conf config)
  (define (bool b) (if b "true" "false"))
  (string-append
   "[UPower]\n"
   "EnableWattsUpPro=" (bool (upower-configuration-watts-up-pro? config)) "\n"
   "NoPollBatteries=" (bool (not (upower-configuration-poll-batteries? config))) "\n"
   "IgnoreLid=" (bool (upower-configuration-ignore-lid? config)) "\n"
   "UsePercentageForPolicy=" (bool (upower-configuration-use-percentage-for-policy? config)) "\n"
   "PercentageLow=" (number->string (upower-configuration-percentage-low config)) "\n"
   "PercentageCritical=" (number->string (upower-configuration-percentage-critical config)) "\n"
   "PercentageAction=" (number->string (upower-configuration-percentage-action config)) "\n"
   "TimeLow=" (number->string (upower-configuration-time-low config)) "\n"
   "TimeCritical=" (number->string (upower-configuration-time-critical config)) "\n"
   "TimeAction=" (number->string (upower-configuration-time-action config)) "\n"
   "CriticalPowerAction=" (symbol->string (upower-configuration-critical-power-action config)) "\n"))

(define upower-service-type
  (service-type
   (name 'upower)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (host-daemon 'upower '(upower-daemon) (upower-configuration-upower config)
                                            "/libexec/upowerd" "The UPower daemon (the host's).")))
          (service-extension etc-service-type
                             (lambda (config)
                               (list (list "UPower/UPower.conf"
                                           (plain-file "UPower.conf" (upower-conf config))))))
          (service-extension dbus-root-service-type
                             (lambda (config) (list (upower-configuration-upower config))))))
   (default-value (upower-configuration))
   (description "Run UPower, a daemon that monitors the power sources.")))

(define* (upower-service #:rest args) (service upower-service-type))

(define-record-type* <udisks-configuration> udisks-configuration
  make-udisks-configuration udisks-configuration?
  (udisks udisks-configuration-udisks (default udisks)))

(define udisks-service-type
  (host-daemon-service-type 'udisks '(udisks-daemon) udisks-configuration-udisks
                            "/libexec/udisks2/udisksd"
                            "Run UDisks, a disk management daemon."
                            #:default (udisks-configuration)))

(define %default-udisks udisks)  ; schemy's define* would see the keyword itself
(define* (udisks-service #:key (udisks %default-udisks))
  (service udisks-service-type (udisks-configuration (udisks udisks))))

(define accountsservice-service-type
  (host-daemon-service-type 'accountsservice '(accounts-daemon) identity
                            "/libexec/accounts-daemon"
                            "Run AccountsService, which lists user accounts for log-in managers."
                            #:default accountsservice))

(define %default-accountsservice accountsservice)  ; schemy's define* would see the keyword itself
(define* (accountsservice-service #:key (accountsservice %default-accountsservice))
  (service accountsservice-service-type accountsservice))

(define colord-service-type
  (host-daemon-service-type 'colord '(colord) identity "/libexec/colord"
                            "Run colord, the color profile management daemon."
                            #:default colord))

(define %default-colord colord)  ; schemy's define* would see the keyword itself
(define* (colord-service #:key (colord %default-colord))
  (service colord-service-type colord))

(define-record-type* <geoclue-application> geoclue-application-record
  make-geoclue-application geoclue-application?
  (name geoclue-application-name) (allowed? geoclue-application-allowed? (default #t))
  (system? geoclue-application-system? (default #f)) (users geoclue-application-users (default '())))

(define* (geoclue-application name #:key (allowed? #t) system? (users '()))
  (make-geoclue-application name allowed? system? users))

(define %standard-geoclue-applications
  (list (geoclue-application "gnome-datetime-panel" #:system? #t)
        (geoclue-application "epiphany" #:system? #f)
        (geoclue-application "firefox" #:system? #f)))

(define-record-type* <geoclue-configuration> geoclue-configuration
  make-geoclue-configuration geoclue-configuration?
  (geoclue geoclue-configuration-geoclue (default geoclue))
  (whitelist geoclue-configuration-whitelist (default '()))
  (wifi-geolocation-url geoclue-configuration-wifi-geolocation-url
                        (default "https://api.beacondb.net/v1/geolocate?key=geoclue_guix.gnu.org"))
  (submit-data? geoclue-configuration-submit-data? (default #f))
  (wifi-submission-url geoclue-configuration-wifi-submission-url
                       (default "https://api.beacondb.net/v2/geosubmit"))
  (submission-nick geoclue-configuration-submission-nick (default "geoclue"))
  (applications geoclue-configuration-applications (default %standard-geoclue-applications)))

(define geoclue-service-type
  (host-daemon-service-type 'geoclue '(geoclue) geoclue-configuration-geoclue
                            "/libexec/geoclue"
                            "Run Geoclue, the geolocation service."
                            #:default (geoclue-configuration)))

(define %default-geoclue geoclue)  ; schemy's define* would see the keyword itself
(define* (geoclue-service #:key (geoclue %default-geoclue) (whitelist '()))
  (service geoclue-service-type (geoclue-configuration (geoclue geoclue) (whitelist whitelist))))

;;; Bluetooth.

;; Every field of Guix's record, with its default; main.conf is written as Guix writes it:
;; one line per setting, section by section, the optional ones (#f) left out.
(define-record-type* <bluetooth-configuration> bluetooth-configuration
  make-bluetooth-configuration bluetooth-configuration?
  (bluez bluetooth-configuration-bluez (default bluez))
  ;; [General]
  (name bluetooth-configuration-name (default "BlueZ"))
  (class bluetooth-configuration-class (default #x000000))
  (discoverable-timeout bluetooth-configuration-discoverable-timeout (default 180))
  (always-pairable? bluetooth-configuration-always-pairable? (default #f))
  (pairable-timeout bluetooth-configuration-pairable-timeout (default 0))
  (device-id bluetooth-configuration-device-id (default #f))
  (reverse-service-discovery? bluetooth-configuration-reverse-service-discovery (default #t))
  (name-resolving? bluetooth-configuration-name-resolving? (default #t))
  (debug-keys? bluetooth-configuration-debug-keys? (default #f))
  (controller-mode bluetooth-configuration-controller-mode (default 'dual))  ; dual, bredr, le
  (multi-profile bluetooth-configuration-multi-profile (default 'off))      ; off, single, multiple
  (fast-connectable? bluetooth-configuration-fast-connectable? (default #f))
  (privacy bluetooth-configuration-privacy (default 'off))
  (just-works-repairing bluetooth-configuration-just-works-repairing (default 'never))
  (temporary-timeout bluetooth-configuration-temporary-timeout (default 30))
  (refresh-discovery? bluetooth-configuration-refresh-discovery (default #t))
  (experimental bluetooth-configuration-experimental (default #f))           ; #t, #f or uuids
  (remote-name-request-retry-delay bluetooth-configuration-remote-name-request-retry-delay
                                   (default 300))
  ;; [BR]
  (page-scan-type bluetooth-configuration-page-scan-type (default #f))
  (page-scan-interval bluetooth-configuration-page-scan-interval (default #f))
  (page-scan-window bluetooth-configuration-page-scan-window (default #f))
  (inquiry-scan-type bluetooth-configuration-inquiry-scan-type (default #f))
  (inquiry-scan-interval bluetooth-configuration-inquiry-scan-interval (default #f))
  (inquiry-scan-window bluetooth-configuration-inquiry-scan-window (default #f))
  (link-supervision-timeout bluetooth-configuration-link-supervision-timeout (default #f))
  (page-timeout bluetooth-configuration-page-timeout (default #f))
  (min-sniff-interval bluetooth-configuration-min-sniff-interval (default #f))
  (max-sniff-interval bluetooth-configuration-max-sniff-interval (default #f))
  ;; [LE]
  (min-advertisement-interval bluetooth-configuration-min-advertisement-interval (default #f))
  (max-advertisement-interval bluetooth-configuration-max-advertisement-interval (default #f))
  (multi-advertisement-rotation-interval
   bluetooth-configuration-multi-advertisement-rotation-interval (default #f))
  (scan-interval-auto-connect bluetooth-configuration-scan-interval-auto-connect (default #f))
  (scan-window-auto-connect bluetooth-configuration-scan-window-auto-connect (default #f))
  (scan-interval-suspend bluetooth-configuration-scan-interval-suspend (default #f))
  (scan-window-suspend bluetooth-configuration-scan-window-suspend (default #f))
  (scan-interval-discovery bluetooth-configuration-scan-interval-discovery (default #f))
  (scan-window-discovery bluetooth-configuration-scan-window-discovery (default #f))
  (scan-interval-adv-monitor bluetooth-configuration-scan-interval-adv-monitor (default #f))
  (scan-window-adv-monitor bluetooth-configuration-scan-window-adv-monitor (default #f))
  (scan-interval-connect bluetooth-configuration-scan-interval-connect (default #f))
  (scan-window-connect bluetooth-configuration-scan-window-connect (default #f))
  (min-connection-interval bluetooth-configuration-min-connection-interval (default #f))
  (max-connection-interval bluetooth-configuration-max-connection-interval (default #f))
  (connection-latency bluetooth-configuration-connection-latency (default #f))
  (connection-supervision-timeout bluetooth-configuration-connection-supervision-timeout
                                  (default #f))
  (autoconnect-timeout bluetooth-configuration-autoconnect-timeout (default #f))
  (adv-mon-allowlist-scan-duration bluetooth-configuration-adv-mon-allowlist-scan-duration
                                   (default 300))
  (adv-mon-no-filter-scan-duration bluetooth-configuration-adv-mon-no-filter-scan-duration
                                   (default 500))
  (enable-adv-mon-interleave-scan? bluetooth-configuration-enable-adv-mon-interleave-scan
                                   (default #t))
  ;; [GATT]
  (cache bluetooth-configuration-cache (default 'always))                    ; yes, no, always
  (key-size bluetooth-configuration-key-size (default 0))
  (exchange-mtu bluetooth-configuration-exchange-mtu (default 517))
  (att-channels bluetooth-configuration-att-channels (default 3))
  ;; [AVDTP]
  (session-mode bluetooth-configuration-session-mode (default 'basic))      ; basic, ertm
  (stream-mode bluetooth-configuration-stream-mode (default 'basic))        ; basic, streaming
  ;; [Policy]
  (reconnect-uuids bluetooth-configuration-reconnect-uuids (default '()))
  (reconnect-attempts bluetooth-configuration-reconnect-attempts (default 7))
  (reconnect-intervals bluetooth-configuration-reconnect-intervals (default (list 1 2 4 8 16 32 64)))
  (auto-enable? bluetooth-configuration-auto-enable? (default #f))
  (resume-delay bluetooth-configuration-resume-delay (default 2))
  ;; [AdvMon]
  (rssi-sampling-period bluetooth-configuration-rssi-sampling-period (default #xFF)))

(define (bluetooth-setting value kind)
  ;; VALUE as main.conf spells a setting of KIND, or #f to leave the line out.
  (define (bool b) (if b "true" "false"))
  (case kind
    ((string) value)
    ((number) (number->string value))
    ((bool) (bool value))
    ((symbol) (symbol->string value))
    ((hex6) (string-append "0x" (string-pad (number->string value 16) 6 #\0)))
    ((hex2) (string-append "0x" (string-pad (number->string value 16) 2 #\0)))
    ((bit) (if (eq? value #t) "1" "0"))
    ((numbers) (string-join (map number->string value) ","))
    ((maybe-string) (and value value))
    ((maybe-number) (and value (number->string value)))
    ((maybe-uuids) (and (pair? value) (string-join (map uuid->string value) ",")))
    ((experimental) (if (boolean? value) (bool value) (string-join (map uuid->string value) ",")))))

(define %bluetooth-settings
  ;; (SECTION (KEY ACCESSOR KIND) ...) in the order of main.conf.
  `(("General"
     ("Name" ,bluetooth-configuration-name string)
     ("Class" ,bluetooth-configuration-class hex6)
     ("DiscoverableTimeout" ,bluetooth-configuration-discoverable-timeout number)
     ("AlwaysPairable" ,bluetooth-configuration-always-pairable? bool)
     ("PairableTimeout" ,bluetooth-configuration-pairable-timeout number)
     ("DeviceID" ,bluetooth-configuration-device-id maybe-string)
     ("ReverseServiceDiscovery" ,bluetooth-configuration-reverse-service-discovery bool)
     ("NameResolving" ,bluetooth-configuration-name-resolving? bool)
     ("DebugKeys" ,bluetooth-configuration-debug-keys? bool)
     ("ControllerMode" ,bluetooth-configuration-controller-mode symbol)
     ("MultiProfile" ,bluetooth-configuration-multi-profile symbol)
     ("FastConnectable" ,bluetooth-configuration-fast-connectable? bool)
     ("Privacy" ,bluetooth-configuration-privacy symbol)
     ("JustWorksRepairing" ,bluetooth-configuration-just-works-repairing symbol)
     ("TemporaryTimeout" ,bluetooth-configuration-temporary-timeout number)
     ("RefreshDiscovery" ,bluetooth-configuration-refresh-discovery bool)
     ("Experimental" ,bluetooth-configuration-experimental experimental)
     ("RemoteNameRequestRetryDelay" ,bluetooth-configuration-remote-name-request-retry-delay number))
    ("BR"
     ("PageScanType" ,bluetooth-configuration-page-scan-type maybe-number)
     ("PageScanInterval" ,bluetooth-configuration-page-scan-interval maybe-number)
     ("PageScanWindow" ,bluetooth-configuration-page-scan-window maybe-number)
     ("InquiryScanType" ,bluetooth-configuration-inquiry-scan-type maybe-number)
     ("InquiryScanInterval" ,bluetooth-configuration-inquiry-scan-interval maybe-number)
     ("InquiryScanWindow" ,bluetooth-configuration-inquiry-scan-window maybe-number)
     ("LinkSupervisionTimeout" ,bluetooth-configuration-link-supervision-timeout maybe-number)
     ("PageTimeout" ,bluetooth-configuration-page-timeout maybe-number)
     ("MinSniffInterval" ,bluetooth-configuration-min-sniff-interval maybe-number)
     ("MaxSniffInterval" ,bluetooth-configuration-max-sniff-interval maybe-number))
    ("LE"
     ("MinAdvertisementInterval" ,bluetooth-configuration-min-advertisement-interval maybe-number)
     ("MaxAdvertisementInterval" ,bluetooth-configuration-max-advertisement-interval maybe-number)
     ("MultiAdvertisementRotationInterval"
      ,bluetooth-configuration-multi-advertisement-rotation-interval maybe-number)
     ("ScanIntervalAutoConnect" ,bluetooth-configuration-scan-interval-auto-connect maybe-number)
     ("ScanWindowAutoConnect" ,bluetooth-configuration-scan-window-auto-connect maybe-number)
     ("ScanIntervalSuspend" ,bluetooth-configuration-scan-interval-suspend maybe-number)
     ("ScanWindowSuspend" ,bluetooth-configuration-scan-window-suspend maybe-number)
     ("ScanIntervalDiscovery" ,bluetooth-configuration-scan-interval-discovery maybe-number)
     ("ScanWindowDiscovery" ,bluetooth-configuration-scan-window-discovery maybe-number)
     ("ScanIntervalAdvMonitor" ,bluetooth-configuration-scan-interval-adv-monitor maybe-number)
     ("ScanWindowAdvMonitor" ,bluetooth-configuration-scan-window-adv-monitor maybe-number)
     ("ScanIntervalConnect" ,bluetooth-configuration-scan-interval-connect maybe-number)
     ("ScanWindowConnect" ,bluetooth-configuration-scan-window-connect maybe-number)
     ("MinConnectionInterval" ,bluetooth-configuration-min-connection-interval maybe-number)
     ("MaxConnectionInterval" ,bluetooth-configuration-max-connection-interval maybe-number)
     ("ConnectionLatency" ,bluetooth-configuration-connection-latency maybe-number)
     ("ConnectionSupervisionTimeout" ,bluetooth-configuration-connection-supervision-timeout maybe-number)
     ("Autoconnecttimeout" ,bluetooth-configuration-autoconnect-timeout maybe-number)
     ("AdvMonAllowlistScanDuration" ,bluetooth-configuration-adv-mon-allowlist-scan-duration number)
     ("AdvMonNoFilterScanDuration" ,bluetooth-configuration-adv-mon-no-filter-scan-duration number)
     ("EnableAdvMonInterleaveScan" ,bluetooth-configuration-enable-adv-mon-interleave-scan bit))
    ("GATT"
     ("Cache" ,bluetooth-configuration-cache symbol)
     ("KeySize" ,bluetooth-configuration-key-size number)
     ("ExchangeMTU" ,bluetooth-configuration-exchange-mtu number)
     ("Channels" ,bluetooth-configuration-att-channels number))
    ("AVDTP"
     ("SessionMode" ,bluetooth-configuration-session-mode symbol)
     ("StreamMode" ,bluetooth-configuration-stream-mode symbol))
    ("Policy"
     ("ReconnectUUIDs" ,bluetooth-configuration-reconnect-uuids maybe-uuids)
     ("ReconnectAttempts" ,bluetooth-configuration-reconnect-attempts number)
     ("ReconnectIntervals" ,bluetooth-configuration-reconnect-intervals numbers)
     ("AutoEnable" ,bluetooth-configuration-auto-enable? bool)
     ("ResumeDelay" ,bluetooth-configuration-resume-delay number))
    ("AdvMon"
     ("RSSISamplingPeriod" ,bluetooth-configuration-rssi-sampling-period hex2))))

(define (bluetooth-conf config)
  "main.conf: each section's header on its own line, then its settings as KEY = VALUE, lines
joined by newlines (no final newline, as Guix's)."
  (string-join
   (append-map (lambda (section)
                 (cons (string-append "[" (car section) "]")
                       (filter-map (lambda (setting)
                                     (let ((value (bluetooth-setting ((cadr setting) config)
                                                                     (caddr setting))))
                                       (and value (string-append (car setting) " = " value))))
                                   (cdr section))))
               %bluetooth-settings)
   "\n"))

(define bluetooth-service-type
  (service-type
   (name 'bluetooth)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (host-daemon 'bluetooth '(bluetooth) (bluetooth-configuration-bluez config)
                                            "/libexec/bluetooth/bluetoothd"
                                            "The Bluetooth daemon (the host's).")))
          (service-extension etc-service-type
                             (lambda (config)
                               (list (list "bluetooth/main.conf"
                                           (plain-file "main.conf" (bluetooth-conf config))))))
          (service-extension dbus-root-service-type
                             (lambda (config) (list (bluetooth-configuration-bluez config))))))
   (default-value (bluetooth-configuration))
   (description "Run the bluetoothd daemon, which manages Bluetooth devices.")))

(define %default-bluez bluez)  ; schemy's define* would see the keyword itself
(define* (bluetooth-service #:key (bluez %default-bluez) (auto-enable? #f))
  (service bluetooth-service-type
           (bluetooth-configuration (bluez bluez) (auto-enable? auto-enable?))))

;;; Desktop environments: each adds its packages to the system profile.

(define-record-type* <gnome-keyring-configuration> gnome-keyring-configuration
  make-gnome-keyring-configuration gnome-keyring-configuration?
  (keyring gnome-keyring-package (default gnome-keyring))
  (pam-services gnome-keyring-pam-services
                (default '(("gdm-password" . login) ("passwd" . passwd)))))

(define-record-type* <gnome-desktop-configuration> gnome-desktop-configuration
  make-gnome-desktop-configuration gnome-desktop-configuration?
  (core-services gnome-core-services (default (list gnome-shell)))
  (shell gnome-shell-packages (default (list gnome-shell)))
  (utilities gnome-utilities (default '()))
  (extra-packages gnome-extra-packages (default '()))
  (udev-ignorelist gnome-udev-ignorelist (default '()))
  (polkit-ignorelist gnome-polkit-ignorelist (default '()))
  (gnome gnome-package (default #f))
  ;; The GNOME keyring's integration (gnome-keyring-configuration), or #f.
  (keyring gnome-desktop-configuration-keyring (default (gnome-keyring-configuration))))

(define gnome-desktop-configuration-core-services gnome-core-services)
(define gnome-desktop-configuration-shell gnome-shell-packages)
(define gnome-desktop-configuration-utilities gnome-utilities)
(define gnome-desktop-configuration-extra-packages gnome-extra-packages)
(define gnome-desktop-configuration-udev-ignorelist gnome-udev-ignorelist)
(define gnome-desktop-configuration-polkit-ignorelist gnome-polkit-ignorelist)

(define gnome-desktop-service-type
  (service-type
   (name 'gnome-desktop)
   (extensions
    (list (service-extension profile-service-type
                             (lambda (config)
                               (append (gnome-shell-packages config)
                                       (gnome-extra-packages config))))))
   (default-value (gnome-desktop-configuration))
   (description "Run the GNOME desktop environment.")))

(define-record-type* <xfce-desktop-configuration> xfce-desktop-configuration
  make-xfce-desktop-configuration xfce-desktop-configuration?
  (xfce xfce-package (default xfce))
  (allow-empty-passwords? xfce-allow-empty-passwords? (default #t)))

(define-record-type* <mate-desktop-configuration> mate-desktop-configuration
  make-mate-desktop-configuration mate-desktop-configuration?
  (mate-package mate-package (default mate)))

(define-record-type* <lxqt-desktop-configuration> lxqt-desktop-configuration
  make-lxqt-desktop-configuration lxqt-desktop-configuration?
  (lxqt lxqt-package (default lxqt)))

(define-record-type* <plasma-desktop-configuration> plasma-desktop-configuration
  make-plasma-desktop-configuration plasma-desktop-configuration?
  (plasma-package plasma-package (default plasma)))

(define-record-type* <enlightenment-desktop-configuration> enlightenment-desktop-configuration
  make-enlightenment-desktop-configuration enlightenment-desktop-configuration?
  (enlightenment enlightenment-package (default enlightenment)))

(define (desktop-type name accessor default doc)
  (service-type
   (name name)
   (extensions
    (list (service-extension profile-service-type
                             (lambda (config) (list (accessor config))))))
   (default-value default)
   (description doc)))

(define xfce-desktop-service-type
  ;; As Guix: the screensaver's PAM service honours allow-empty-passwords?.
  (service-type
   (inherit (desktop-type 'xfce-desktop xfce-package (xfce-desktop-configuration)
                          "Run the Xfce desktop environment."))
   (extensions
    (list (service-extension profile-service-type (lambda (config) (list (xfce-package config))))
          (service-extension pam-root-service-type
                             (lambda (config)
                               (list (unix-pam-service "xfce4-screensaver"
                                                       #:allow-empty-passwords?
                                                       (xfce-allow-empty-passwords? config)))))))))
(define mate-desktop-service-type
  (desktop-type 'mate-desktop mate-package (mate-desktop-configuration)
                "Run the MATE desktop environment."))
(define lxqt-desktop-service-type
  (desktop-type 'lxqt-desktop lxqt-package (lxqt-desktop-configuration)
                "Run the LXQt desktop environment."))
(define plasma-desktop-service-type
  (desktop-type 'plasma-desktop plasma-package (plasma-desktop-configuration)
                "Run the KDE Plasma desktop environment."))
(define enlightenment-desktop-service-type
  (desktop-type 'enlightenment-desktop enlightenment-package
                (enlightenment-desktop-configuration)
                "Run the Enlightenment desktop environment."))

;;; Small desktop helpers.

(define x11-socket-directory-service-type
  (service-type
   (name 'x11-socket-directory)
   (extensions
    (list (service-extension activation-service-type
                             (const #~(begin (mkdir-p "/tmp/.X11-unix")
                                             (chmod "/tmp/.X11-unix" #o1777))))))
   (default-value #f)
   (description "Create /tmp/.X11-unix, the directory of X11 sockets.")))

(define x11-socket-directory-service
  (service x11-socket-directory-service-type))

;; The fontconfig cache may name fonts gone from the store: a read-only
;; tmpfs over it.  GDM keeps nothing worth keeping in /var/lib/gdm, and stale
;; user IDs there crash it: a tmpfs too.  Mounts are the host's.
(define %fontconfig-file-system
  (file-system
    (device "none")
    (mount-point "/var/cache/fontconfig")
    (type "tmpfs")
    (flags '(read-only))
    (check? #f)))

(define %gdm-file-system
  (file-system
    (device "none")
    (mount-point "/var/lib/gdm")
    (type "tmpfs")
    (check? #f)))

(define fontconfig-file-system-service
  (simple-service 'fontconfig-file-system file-system-service-type
                  (list %fontconfig-file-system)))

(define gdm-file-system-service
  (simple-service 'gdm-file-system file-system-service-type (list %gdm-file-system)))

(define-record-type* <gvfs-configuration> gvfs-configuration
  make-gvfs-configuration gvfs-configuration?
  (gvfs gvfs-configuration-gvfs (default gvfs)))

(define gvfs-service-type
  (service-type
   (name 'gvfs)
   (extensions (list (service-extension dbus-root-service-type
                                        (lambda (config) (list (gvfs-configuration-gvfs config))))))
   (default-value (gvfs-configuration))
   (description "Make GVfs, the GNOME virtual file system, available to the desktop.")))

;;; SANE: the backends' udev rules (for the "scanner" group) and, in every
;;; session, SANE's search paths pointing at the backends.

(define (non-empty-list-of-packages? value)
  (and (pair? value) (list? value) (every file-like? value)))

(define-configuration/no-serialization sane-configuration
  (sane (file-like sane) "The package of the SANE library.")
  (backends (non-empty-list-of-packages (list sane-backends)) "The packages of SANE backends."))

(define (lift-sane-configuration config)
  ;; Before sane-configuration, the service's value was the backends' package.
  (if (sane-configuration? config) config (sane-configuration (backends (list config)))))

(define (sane-search-paths config)
  ;; The sane package's search paths (etc/sane.d and lib/sane) in the union
  ;; of the backends.
  (let ((union (computed-file
                "sane-backends"
                #~(begin
                    (use-modules (guix build utils) (ice-9 ftw))
                    ;; Each backend's files of etc/sane.d and lib/sane, linked
                    ;; in one tree (the first package wins).
                    (for-each (lambda (package)
                                (for-each (lambda (sub)
                                            (let ((from (string-append package "/" sub))
                                                  (to (string-append #$output "/" sub)))
                                              (mkdir-p to)
                                              (when (file-exists? from)
                                                (for-each (lambda (file)
                                                            (let ((link (string-append to "/" file)))
                                                              (unless (file-exists? link)
                                                                (symlink (string-append from "/" file) link))))
                                                          (scandir from (lambda (f) (not (member f '("." "..")))))))))
                                          '("etc/sane.d" "lib/sane")))
                              (list #$@(sane-configuration-backends (lift-sane-configuration config))))))))
    (list (cons "SANE_CONFIG_DIR" (file-append union "/etc/sane.d"))
          (cons "SANE_BACKEND_LIB_PATH" (file-append union "/lib/sane")))))

(define sane-service-type
  (service-type
   (name 'sane)
   (extensions
    (list (service-extension udev-service-type
                             (lambda (config)
                               (sane-configuration-backends (lift-sane-configuration config))))
          (service-extension session-environment-service-type sane-search-paths)
          (service-extension account-service-type
                             (const (list (user-group (name "scanner") (system? #t)))))))
   (default-value (sane-configuration))
   (description "Make scanners available through SANE: the backends' udev rules
and the scanner group.")))

;;; KWallet: pam_kwallet5 unlocks the user's wallet at login and follows
;;; password changes.

(define-record-type* <kwallet-configuration> kwallet-configuration
  make-kwallet-configuration kwallet-configuration?
  (wallet       kwallet-package (default kwallet-pam))
  ;; PAM service names and what kwallet does in them: login or passwd.
  (pam-services kwallet-pam-services (default '(("sddm" . login) ("passwd" . passwd)))))

(define (pam-kwallet config)
  (if (not config)
      '()
      (let ((entry (lambda arguments
                     (pam-entry (control "optional")
                                (module (file-append (kwallet-package config)
                                                     "/lib/security/pam_kwallet5.so"))
                                (arguments arguments)))))
        (list (pam-extension
               (transformer
                (lambda (service)
                  (case (assoc-ref (kwallet-pam-services config) (pam-service-name service))
                    ((login)
                     (pam-service
                      (inherit service)
                      (auth (append (pam-service-auth service) (list (entry))))
                      (session (append (pam-service-session service) (list (entry "auto_start"))))))
                    ((passwd)
                     (pam-service
                      (inherit service)
                      (password (append (pam-service-password service) (list (entry))))))
                    (else service)))))))))

(define kwallet-service-type
  (service-type
   (name 'kwallet)
   (extensions (list (service-extension pam-root-service-type pam-kwallet)))
   (default-value (kwallet-configuration))
   (description "Unlock the user's KWallet when they log in, with pam_kwallet5.")))

;;; iio-sensor-proxy: the IIO sensors (accelerometer, light) over D-Bus.

(define-record-type* <iio-sensor-proxy-configuration> iio-sensor-proxy-configuration
  make-iio-sensor-proxy-configuration iio-sensor-proxy-configuration?
  (iio-sensor-proxy iio-sensor-proxy-configuration-iio-sensor-proxy (default iio-sensor-proxy)))

(define iio-sensor-proxy-service-type
  (let ((package (lambda (config) (list (iio-sensor-proxy-configuration-iio-sensor-proxy config)))))
    (service-type
     (name 'iio-sensor-proxy)
     (extensions
      (list (service-extension polkit-service-type package)
            (service-extension dbus-root-service-type package)
            (service-extension udev-service-type package)
            (service-extension
             shepherd-root-service-type
             (lambda (config)
               (list (shepherd-service
                      (provision '(iio-sensor-proxy))
                      (requirement '(user-processes dbus-system udev))
                      (documentation "Proxy the IIO sensors to D-Bus.")
                      (start #~(make-forkexec-constructor
                                (list #$(file-append
                                         (iio-sensor-proxy-configuration-iio-sensor-proxy config)
                                         "/libexec/iio-sensor-proxy"))))
                      (stop #~(make-kill-destructor))))))))
     (default-value (iio-sensor-proxy-configuration))
     (description "Run iio-sensor-proxy, which gives the IIO sensors' data over D-Bus."))))

;;; seatd: a minimal seat manager.  As in Guix, the service declares the
;;; group whose members may use the seat ("seat" by default), so a user
;;; listing it among their supplementary groups needs nothing more.

(define (seatd-group-sanitizer group-or-name)
  (cond ((user-group? group-or-name) group-or-name)
        ((string? group-or-name) (user-group (name group-or-name) (system? #t)))
        (else (error (string-append "seatd: not a valid group (a string or a user-group): "
                                    (object->string group-or-name))))))

(define-record-type* <seatd-configuration> seatd-configuration
  make-seatd-configuration seatd-configuration?
  (seatd    seatd-package (default seatd))
  (group    seatd-group (default "seat") (sanitize seatd-group-sanitizer))
  (socket   seatd-socket (default "/run/seatd.sock"))
  (logfile  seatd-logfile (default "/var/log/seatd.log"))
  (loglevel seatd-loglevel (default "info")))

(define (seatd-shepherd-service config)
  ;; seatd also provides `elogind' (the seat management it stands for): the
  ;; host's job, so it is shown as provided by the host.
  (list (shepherd-service
         (documentation "Minimal seat management daemon")
         (requirement '(user-processes))
         (provision '(seatd elogind))
         (start #~(make-forkexec-constructor
                   (list #$(file-append (seatd-package config) "/bin/seatd")
                         "-g" #$(user-group-name (seatd-group config)))
                   #:environment-variables
                   (list #$(string-append "SEATD_LOGLEVEL=" (seatd-loglevel config))
                         #$(string-append "SEATD_DEFAULTPATH=" (seatd-socket config)))
                   #:log-file #$(seatd-logfile config)))
         (stop #~(make-kill-destructor)))))

(define seatd-service-type
  (service-type
   (name 'seatd)
   (extensions
    (list (service-extension account-service-type
                             (lambda (config) (list (seatd-group config))))
          (service-extension file-system-service-type (const %control-groups))
          (service-extension shepherd-root-service-type seatd-shepherd-service)))
   (default-value (seatd-configuration))
   (description "Run seatd, a minimal seat management daemon that mediates
access to shared devices (graphics, input) for unprivileged programs; members
of its group may use the seat.")))

;;; %desktop-services.

(define* (desktop-services-for-system #:optional
                                      (system (or (%current-target-system) (%current-system))))
  ;; Guix's desktop services, in Guix's order: a display manager (GDM, SDDM on
  ;; 32-bit systems), screen lockers, udev rules for MTP devices and scanners,
  ;; the wheel group's polkit rules, setuid mount helpers for NFS and NTFS,
  ;; Guix's artwork, GDM's and fontconfig's file systems, VTE integration,
  ;; NetworkManager and its applet, the D-Bus services, NTP, the X11 socket
  ;; directory and sound.
  (list (if (target-64bit? system)
            (service gdm-service-type)
            (service sddm-service-type))
        (service screen-locker-service-type
                 (screen-locker-configuration
                  (name "slock")
                  (program (file-append (@ (gnu packages suckless) slock) "/bin/slock"))))
        (service screen-locker-service-type
                 (screen-locker-configuration
                  (name "xlock")
                  (program (file-append (@ (gnu packages xdisorg) xlockmore) "/bin/xlock"))))
        (simple-service 'mtp udev-service-type (list (@ (gnu packages libusb) libmtp)))
        (service sane-service-type)
        polkit-wheel-service
        (simple-service 'mount-setuid-helpers privileged-program-service-type
                        (map (@ (gnu system privilege) file-like->setuid-program)
                             (list (file-append (@ (gnu packages nfs) nfs-utils) "/sbin/mount.nfs")
                                   (file-append (@ (gnu packages linux) ntfs-3g)
                                                "/sbin/mount.ntfs-3g"))))
        (simple-service 'guix-artwork profile-service-type (@ (gnu system) %base-packages-artwork))
        gdm-file-system-service
        (service vte-integration-service-type)
        fontconfig-file-system-service
        (service network-manager-service-type)
        (service wpa-supplicant-service-type)
        (simple-service 'network-manager-applet profile-service-type
                        (list (@ (gnu packages gnome) network-manager-applet)))
        (service modem-manager-service-type)
        (service usb-modeswitch-service-type)
        (service avahi-service-type)
        (service udisks-service-type)
        (service upower-service-type)
        (service accountsservice-service-type)
        (service cups-pk-helper-service-type)
        (service colord-service-type)
        (service geoclue-service-type)
        (service polkit-service-type)
        (service elogind-service-type)
        (service dbus-root-service-type)
        (service ntp-service-type)
        (service x11-socket-directory-service-type)
        (service pulseaudio-service-type)
        (service alsa-service-type)))

(define cups-pk-helper-service-type
  (service-type
   (name 'cups-pk-helper)
   (extensions (list (service-extension profile-service-type (const '()))))
   (default-value #f)
   (description "Let unprivileged users manage printers through PolicyKit.")))

(define %desktop-services
  ;; The services of a desktop, on top of %base-services.
  (append (desktop-services-for-system) %base-services))

;;; GNOME Keyring: unlocked at log-in through PAM.


(define gnome-keyring-service-type
  (service-type
   (name 'gnome-keyring)
   (extensions
    (list (service-extension profile-service-type
                             (lambda (config) (list (gnome-keyring-package config))))))
   (default-value (gnome-keyring-configuration))
   (description "Set up GNOME Keyring to be unlocked when users log in.")))

;;; The procedures that made desktop services before Guix 1.1 (removed from
;;; Guix since): still accepted, with a warning naming the service type.

(define (deprecated-desktop-service name type config)
  (format (current-warning-port)
          "warning: '~a' is deprecated; use (service ~a-service-type) instead~%"
          name (service-type-name type))
  (service type config))

(define* (gnome-desktop-service #:key (config (gnome-desktop-configuration)))
  (deprecated-desktop-service 'gnome-desktop-service gnome-desktop-service-type config))

(define* (xfce-desktop-service #:key (config (xfce-desktop-configuration)))
  (deprecated-desktop-service 'xfce-desktop-service xfce-desktop-service-type config))

(define* (mate-desktop-service #:key (config (mate-desktop-configuration)))
  (deprecated-desktop-service 'mate-desktop-service mate-desktop-service-type config))

(define* (lxqt-desktop-service #:key (config (lxqt-desktop-configuration)))
  (deprecated-desktop-service 'lxqt-desktop-service lxqt-desktop-service-type config))

(define* (enlightenment-desktop-service #:key (config (enlightenment-desktop-configuration)))
  (deprecated-desktop-service 'enlightenment-desktop-service enlightenment-desktop-service-type config))


;;; inputattach: serial input devices (Wacom tablets and the like).

(define-record-type* <inputattach-configuration>
  inputattach-configuration make-inputattach-configuration
  inputattach-configuration?
  (device-type inputattach-configuration-device-type (default "wacom"))
  (device      inputattach-configuration-device (default "/dev/ttyS0"))
  (baud-rate   inputattach-configuration-baud-rate (default #f))   ;#f: inputattach's own
  (log-file    inputattach-configuration-log-file (default #f)))

(define (inputattach-shepherd-service config)
  (let ((baud (inputattach-configuration-baud-rate config)))
    (list (shepherd-service
           (documentation "Attach a serial input device to the kernel's input layer.")
           (provision '(inputattach))
           (requirement '(user-processes udev))
           (start #~(make-forkexec-constructor
                     (list #$(file-append inputattach "/bin/inputattach")
                           #$@(if baud (list "--baud" (number->string baud)) '())
                           #$(string-append "--" (inputattach-configuration-device-type config))
                           #$(inputattach-configuration-device config))
                     #:log-file #$(inputattach-configuration-log-file config)))
           (stop #~(make-kill-destructor))))))

(define inputattach-service-type
  (service-type
   (name 'inputattach)
   (extensions
    (list (service-extension shepherd-root-service-type inputattach-shepherd-service)))
   (default-value (inputattach-configuration))
   (description "Run inputattach on a serial device so that the kernel sees its
events (a Wacom tablet by default).")))

;;; Sugar, the learning desktop: its packages and polkit policy.

(define-record-type* <sugar-desktop-configuration> sugar-desktop-configuration
  make-sugar-desktop-configuration sugar-desktop-configuration?
  (sugar sugar-package (default (optional-package '(gnu packages sugar) 'sugar)))
  (gobject-introspection sugar-gobject-introspection
                         (default (optional-package '(gnu packages glib) 'gobject-introspection)))
  (activities sugar-activities
              (default (list (optional-package '(gnu packages sugar) 'sugar-help-activity)))))

(define (optional-package module name)
  (module-ref (resolve-interface module) name))

(define sugar-desktop-service-type
  (service-type
   (name 'sugar-desktop)
   (extensions
    (list (service-extension polkit-service-type (lambda (config) (list (sugar-package config))))
          (service-extension profile-service-type
                             (lambda (config)
                               (cons* (sugar-package config) (sugar-gobject-introspection config)
                                      (sugar-activities config))))))
   (default-value (sugar-desktop-configuration))
   (description "Run the Sugar desktop environment.")))

;; Names Guix's module exports too.
(export <upower-configuration> enlightenment-desktop-configuration? gvfs-configuration?
        upower-configuration-critical-power-action upower-configuration-ignore-lid?
        upower-configuration-percentage-action upower-configuration-percentage-critical
        upower-configuration-percentage-low upower-configuration-poll-batteries?
        upower-configuration-time-action upower-configuration-time-critical
        upower-configuration-time-low upower-configuration-upower
        upower-configuration-use-percentage-for-policy?
        upower-configuration-watts-up-pro?)
