;;; schemy --- apcupsd, the APC UPS daemon (Guix manual, "Power Management
;;; Services"): apcupsd.conf as Guix serializes it, the apccontrol script
;;; running the event handlers, pam_nologin during power failures.

(define-module (gnu services power)
  #:use-module (guix gexp)
  #:use-module (guix packages)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services configuration)
  #:use-module (gnu services shepherd)
  #:use-module (gnu system pam)
  #:use-module ((gnu packages power) #:select ((apcupsd . %apcupsd)))
  #:use-module ((gnu packages admin) #:select (shepherd))
  #:use-module ((gnu packages linux) #:select (util-linux))
  #:use-module (ice-9 match)
  #:export (apcupsd-service-type

            apcupsd-configuration
            apcupsd-configuration?
            apcupsd-configuration-apcupsd
            apcupsd-configuration-shepherd-service-name
            apcupsd-configuration-auto-start?
            apcupsd-configuration-pid-file
            apcupsd-configuration-debug-level
            apcupsd-configuration-run-dir
            apcupsd-configuration-name
            apcupsd-configuration-cable
            apcupsd-configuration-type
            apcupsd-configuration-device
            apcupsd-configuration-poll-time
            apcupsd-configuration-on-batery-delay
            apcupsd-configuration-battery-level
            apcupsd-configuration-remaining-minutes
            apcupsd-configuration-timeout
            apcupsd-configuration-annoy-interval
            apcupsd-configuration-annoy-delay
            apcupsd-configuration-no-logon
            apcupsd-configuration-kill-delay
            apcupsd-configuration-net-server
            apcupsd-configuration-net-server-ip
            apcupsd-configuration-net-server-port
            apcupsd-configuration-net-server-events-file
            apcupsd-configuration-net-server-events-file-max-size
            apcupsd-configuration-class
            apcupsd-configuration-mode
            apcupsd-configuration-stat-time
            apcupsd-configuration-log-stats
            apcupsd-configuration-data-time
            apcupsd-configuration-facility
            apcupsd-configuration-event-handlers

            apcupsd-event-handlers
            apcupsd-event-handlers?
            apcupsd-event-handlers-modules
            apcupsd-event-handlers-annoyme
            apcupsd-event-handlers-battattach
            apcupsd-event-handlers-battdetach
            apcupsd-event-handlers-changeme
            apcupsd-event-handlers-commfailure
            apcupsd-event-handlers-commok
            apcupsd-event-handlers-doreboot
            apcupsd-event-handlers-doshutdown
            apcupsd-event-handlers-emergency
            apcupsd-event-handlers-endselftest
            apcupsd-event-handlers-failing
            apcupsd-event-handlers-killpower
            apcupsd-event-handlers-loadlimit
            apcupsd-event-handlers-mainsback
            apcupsd-event-handlers-offbattery
            apcupsd-event-handlers-onbattery
            apcupsd-event-handlers-powerout
            apcupsd-event-handlers-remotedown
            apcupsd-event-handlers-runlimit
            apcupsd-event-handlers-startselftest
            apcupsd-event-handlers-timeout

            apcupsd-config-file))

;;; Event handlers: code run by apccontrol, where `name' is the UPS's name,
;;; `wall' tells everyone logged in, `mail-to-root' mails root, `apcupsd'
;;; runs the daemon with the configuration and `powerfail-file' is the file
;;; apcupsd makes during a power failure.

(define (event-handler? x) (gexp? x))

(define-configuration/no-serialization apcupsd-event-handlers
  (modules (gexp #~()) "More modules the handler script uses.")
  (killpower (gexp #~(begin
                       (wall "apccontrol: apcupsd --killpower on UPS ~a" name)
                       (sleep 10)
                       (apcupsd "--killpower")
                       (wall "apccontrol: apcupsd --killpower done on UPS ~a" name)))
             "Run when the UPS is to turn its power off.")
  (commfailure (gexp #~(begin
                         (let ((text (format #f "~a: communication with UPS ~a lost"
                                             (gethostname) name)))
                           (mail-to-root text text))
                         (wall "Communication with UPS ~a lost" name)))
               "Run when communication with the UPS is lost.")
  (commok (gexp #~(begin
                    (let ((text (format #f "~a: communication with UPS ~a restored"
                                        (gethostname) name)))
                      (mail-to-root text text))
                    (wall "Communication with UPS ~a restored" name)))
          "Run when communication with the UPS is back.")
  (powerout (gexp #~#t) "Run as soon as the power fails.")
  (onbattery (gexp #~(begin
                       (let ((text (format #f "~a: power failure on UPS ~a"
                                           (gethostname) name)))
                         (mail-to-root text text))
                       (wall "Power failure on UPS ~a: running on batteries" name)))
             "Run when the UPS runs on its batteries.")
  (offbattery (gexp #~(begin
                        (let ((text (format #f "~a: power back on UPS ~a"
                                            (gethostname) name)))
                          (mail-to-root text text))
                        (wall "Power is back on UPS ~a" name)))
              "Run when the power is back.")
  (mainsback (gexp #~(when (file-exists? powerfail-file)
                       (wall "Shutdown continues.")))
             "Run when the power is back during a shutdown.")
  (failing (gexp #~(wall "Batteries of UPS ~a exhausted: shutting down" name))
           "Run when the batteries are exhausted.")
  (timeout (gexp #~(wall "Time on batteries of UPS ~a exceeded: shutting down" name))
           "Run when the time on batteries is over.")
  (loadlimit (gexp #~(wall "Charge of UPS ~a below its limit: shutting down" name))
             "Run when the charge is below battery-level.")
  (runlimit (gexp #~(wall "Runtime of UPS ~a below its limit: shutting down" name))
            "Run when the runtime left is below remaining-minutes.")
  (doreboot (gexp #~(begin
                      (wall "UPS ~a: rebooting" name)
                      (system* #$(file-append shepherd "/sbin/reboot"))))
            "Run to reboot.")
  (doshutdown (gexp #~(begin
                        (wall "UPS ~a: shutting down" name)
                        (system* #$(file-append shepherd "/sbin/halt"))))
              "Run to shut down.")
  (annoyme (gexp #~(wall "Power problems with UPS ~a: please log off" name))
           "Run to ask users to log off.")
  (emergency (gexp #~(wall "Emergency shutdown: battery of UPS ~a may have failed" name))
             "Run on an emergency shutdown.")
  (changeme (gexp #~(begin
                      (let ((text (format #f "~a: batteries of UPS ~a need changing"
                                          (gethostname) name)))
                        (mail-to-root text text))
                      (wall "Batteries of UPS ~a have failed: change them now" name)))
            "Run when the batteries need replacing.")
  (remotedown (gexp #~(wall "Remote shutdown: shutting down"))
              "Run when a remote apcupsd shuts down.")
  (startselftest (gexp #~#t) "Run when a self test starts.")
  (endselftest (gexp #~#t) "Run when a self test ends.")
  (battdetach (gexp #~#t) "Run when the battery is disconnected.")
  (battattach (gexp #~#t) "Run when the battery is connected."))

;;; apcupsd.conf: one "KEYWORD value" line per field.

(define (field-keyword field)
  (match field
    ('name "UPSNAME") ('cable "UPSCABLE") ('type "UPSTYPE") ('device "DEVICE")
    ('poll-time "POLLTIME") ('lock-dir "LOCKFILE") ('power-fail-dir "PWRFAILDIR")
    ('no-login-dir "NOLOGINDIR") ('on-batery-delay "ONBATTERYDELAY")
    ('battery-level "BATTERYLEVEL") ('remaining-minutes "MINUTES") ('timeout "TIMEOUT")
    ('annoy-interval "ANNOY") ('annoy-delay "ANNOYDELAY") ('no-logon "NOLOGON")
    ('kill-delay "KILLDELAY") ('net-server "NETSERVER") ('net-server-ip "NISIP")
    ('net-server-port "NISPORT") ('net-server-events-file "EVENTSFILE")
    ('net-server-events-file-max-size "EVENTSFILEMAX") ('class "UPSCLASS")
    ('mode "UPSMODE") ('stat-time "STATTIME") ('stat-file "STATFILE")
    ('log-stats "LOGSTATS") ('data-time "DATATIME") ('facility "FACILITY")))

(define (serialize-field field value)
  (format #f "~a ~a\n" (field-keyword field) value))
(define serialize-string serialize-field)
(define serialize-symbol serialize-field)
(define serialize-integer serialize-field)
(define (serialize-boolean field value)
  (serialize-field field (if value "on" "off")))

(define-maybe string)

(define-enumerated-field-type enum-cable
  (simple smart ether usb
   940-0119A 940-0127A 940-0128A 940-0020B 940-0020C 940-0023A 940-0024B 940-0024C
   940-1524C 940-0024G 940-0095A 940-0095B 940-0095C 940-0625A MAM-04-02-2000))
(define-enumerated-field-type enum-type (apcsmart usb net snmp netsnmp dumb pcnet modbus test))
(define-enumerated-field-type enum-no-logon (disable timeout percent minutes always))
(define-enumerated-field-type enum-class (standalone shareslave sharemaster))
(define-enumerated-field-type enum-mode (disable share))

(define-configuration apcupsd-configuration
  (apcupsd (package %apcupsd) "The apcupsd package.")
  (shepherd-service-name (symbol 'apcupsd)
                         "The shepherd service's name (one service per UPS)." empty-serializer)
  (auto-start? (boolean #t) "Whether the service starts at boot." empty-serializer)
  (pid-file (string "/run/apcupsd.pid") "The PID file." empty-serializer)
  (debug-level (integer 0) "How verbose the logs are (up to 999)." empty-serializer)
  (run-dir (string "/run/apcupsd") "The runtime directory (one per daemon)." empty-serializer)
  (name maybe-string "The UPS's name in logs (8 characters or less).")
  (cable (enum-cable 'usb) "The cable between the UPS and the computer.")
  (type (enum-type 'usb) "The kind of UPS.")
  (device (string "") "The device or address of the UPS; empty detects a USB one.")
  (poll-time (integer 60) "Seconds between polls of the UPS.")
  (on-batery-delay (integer 6) "Seconds from a power failure to the onbattery event.")
  (battery-level (integer 5) "Shut down at or below this battery percentage.")
  (remaining-minutes (integer 3) "Shut down at or below this many minutes of runtime left.")
  (timeout (integer 0) "Shut down after this many seconds on batteries (0: never).")
  (annoy-interval (integer 300) "Seconds between requests to log off (0: none).")
  (annoy-delay (integer 60) "Seconds after a power failure before asking users to log off.")
  (no-logon (enum-no-logon 'disable) "When logins are refused during a power failure.")
  (kill-delay (integer 0) "Seconds after a shutdown before killing the power (0: never).")
  (net-server (boolean #f) "Run the network information server.")
  (net-server-ip (string "127.0.0.1") "The address the information server listens on.")
  (net-server-port (integer 3551) "The port the information server listens on.")
  (net-server-events-file maybe-string "The file of the last events the server shows.")
  (net-server-events-file-max-size (integer 10) "The events file's size limit, in kilobytes.")
  (class (enum-class 'standalone) "standalone, unless the UPS is shared with a ShareUPS card.")
  (mode (enum-mode 'disable) "disable, unless the UPS is shared with a ShareUPS card.")
  (stat-time (integer 0) "Seconds between writes of the status file (0: never).")
  (log-stats (boolean #f) "Also log the statistics.")
  (data-time (integer 0) "Seconds between data records in the log (0: never).")
  (facility maybe-string "The syslog facility.")
  (event-handlers (apcupsd-event-handlers (apcupsd-event-handlers))
                  "What to do on each event." empty-serializer))

(define (apccontrol config)
  "The apccontrol program apcupsd runs with EVENT NAME CONNECTED POWERED."
  (let ((h (apcupsd-configuration-event-handlers config))
        (apcupsd (apcupsd-configuration-apcupsd config)))
    (program-file
     "apccontrol"
     #~(begin
         (use-modules (ice-9 format) (ice-9 match) (ice-9 popen) (srfi srfi-9))
         ;; The handlers' own modules (a gexp of a list of module names).
         (for-each (lambda (m) (module-use! (current-module) (resolve-interface m)))
                   '#$(apcupsd-event-handlers-modules h))
         ;; The configuration names the script directory, so the script gets
         ;; the configuration's file name from the environment.
         (define conf (getenv "GUIX_APCUPSD_CONF"))
         (define powerfail-file (getenv "GUIX_APCUPSD_POWERFAIL_FILE"))
         (define (err . args) (apply format (current-error-port) args))
         (define (wall . args)
           (system* #$(file-append util-linux "/bin/wall") (apply format #f args)))
         (define (apcupsd . args)
           (apply system* #$(file-append apcupsd "/sbin/apcupsd") "-f" conf args))
         (define (mail-to-root subject body)
           (let ((port (open-pipe* OPEN_WRITE "/run/privileged/bin/sendmail"
                                   "-F" "apcupsd" "root")))
             (format port "Subject: ~a~%~%~a~&" subject body)
             (close-pipe port)))
         (match (cdr (command-line))
           (((? string? event) name connected powered)
            (match event
              ("killpower" #$(apcupsd-event-handlers-killpower h))
              ("commfailure" #$(apcupsd-event-handlers-commfailure h))
              ("commok" #$(apcupsd-event-handlers-commok h))
              ("powerout" #$(apcupsd-event-handlers-powerout h))
              ("onbattery" #$(apcupsd-event-handlers-onbattery h))
              ("offbattery" #$(apcupsd-event-handlers-offbattery h))
              ("mainsback" #$(apcupsd-event-handlers-mainsback h))
              ("failing" #$(apcupsd-event-handlers-failing h))
              ("timeout" #$(apcupsd-event-handlers-timeout h))
              ("loadlimit" #$(apcupsd-event-handlers-loadlimit h))
              ("runlimit" #$(apcupsd-event-handlers-runlimit h))
              ("doreboot" #$(apcupsd-event-handlers-doreboot h))
              ("doshutdown" #$(apcupsd-event-handlers-doshutdown h))
              ("annoyme" #$(apcupsd-event-handlers-annoyme h))
              ("emergency" #$(apcupsd-event-handlers-emergency h))
              ("changeme" #$(apcupsd-event-handlers-changeme h))
              ("remotedown" #$(apcupsd-event-handlers-remotedown h))
              ("startselftest" #$(apcupsd-event-handlers-startselftest h))
              ("endselftest" #$(apcupsd-event-handlers-endselftest h))
              ("battdetach" #$(apcupsd-event-handlers-battdetach h))
              ("battattach" #$(apcupsd-event-handlers-battattach h))
              (_ (err "apccontrol: unknown event ~a~%" event)
                 (exit #f))))
           (args
            (err "apccontrol: unexpected arguments ~s~%" args)
            (exit #f)))))))

(define (apcupsd-script-dir config)
  (computed-file "apcupsd-script-dir"
                 #~(begin
                     (mkdir #$output)
                     (symlink #$(apccontrol config) (string-append #$output "/apccontrol")))))

(define (apcupsd-config-file config)
  "apcupsd.conf for CONFIG: Guix's header, the fields, then the lock, power
failure, nologin and status files under run-dir and the script directory."
  (let ((run-dir (apcupsd-configuration-run-dir config)))
    (mixed-text-file
     "apcupsd.conf"
     "## apcupsd.conf v1.1 ##\n#\n#  for apcupsd - GNU Guix\n#\n"
     "# \"apcupsd\" POSIX config file (generated by apcupsd-service-type)\n"
     (serialize-configuration config apcupsd-configuration-fields)
     (serialize-string 'lock-dir (string-append run-dir "/lock"))
     (serialize-string 'power-fail-dir run-dir)
     (serialize-string 'no-login-dir run-dir)
     (serialize-string 'stat-file (string-append run-dir "/apcupsd.status"))
     "SCRIPTDIR " (apcupsd-script-dir config) "\n")))

(define (apcupsd-activation config)
  #~(begin
      (use-modules (guix build utils))
      (mkdir-p #$(string-append (apcupsd-configuration-run-dir config) "/lock"))))

(define (apcupsd-shepherd-services config)
  (let ((conf (apcupsd-config-file config))
        (name (apcupsd-configuration-shepherd-service-name config)))
    (list (shepherd-service
           (documentation "Run the apcupsd daemon.")
           (requirement '(user-processes))
           (provision (list name))
           (auto-start? (apcupsd-configuration-auto-start? config))
           (start #~(make-forkexec-constructor
                     (list #$(file-append (apcupsd-configuration-apcupsd config) "/sbin/apcupsd")
                           "-b"         ;in the foreground
                           "-f" #$conf
                           "-P" #$(apcupsd-configuration-pid-file config)
                           "-d" #$(number->string (apcupsd-configuration-debug-level config)))
                     #:log-file #$(format #f "/var/log/~a.log" name)
                     #:environment-variables
                     (cons* (string-append "GUIX_APCUPSD_CONF=" #$conf)
                            #$(string-append "GUIX_APCUPSD_POWERFAIL_FILE="
                                             (apcupsd-configuration-run-dir config) "/powerfail")
                            (default-environment-variables))))
           (stop #~(make-kill-destructor))
           (actions (list (shepherd-configuration-action conf)))))))

(define (apcupsd-pam-extensions config)
  ;; apcupsd refuses logins by making run-dir/nologin, which pam_nologin reads.
  (let ((nologin (pam-entry
                  (control "required")
                  (module "pam_nologin.so")
                  (arguments (list (string-append "file=" (apcupsd-configuration-run-dir config)
                                                  "/nologin"))))))
    (list (pam-extension
           (transformer (lambda (pam)
                          (pam-service
                           (inherit pam)
                           (auth (cons nologin (pam-service-auth pam))))))))))

(define apcupsd-service-type
  (service-type
   (name 'apcupsd)
   (extensions
    (list (service-extension activation-service-type apcupsd-activation)
          (service-extension shepherd-root-service-type apcupsd-shepherd-services)
          (service-extension pam-root-service-type apcupsd-pam-extensions)))
   (default-value (apcupsd-configuration))
   (description "Run apcupsd, the daemon of APC UPSes.")))
