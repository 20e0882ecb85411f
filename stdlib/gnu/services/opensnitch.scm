;;; schemy --- OpenSnitch, an application firewall (Guix manual,
;;; "Networking Services"): opensnitchd with the JSON configuration Guix
;;; writes (guile-json's pretty layout), its rules directory made on activation.

(define-module (gnu services opensnitch)
  #:use-module (guix gexp)
  #:use-module (guix packages)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services configuration)
  #:use-module (gnu services shepherd)
  #:use-module ((gnu packages networking) #:select (opensnitch-daemon))
  #:export (opensnitch-configuration
            opensnitch-configuration?
            opensnitch-service-type
            opensnitch-configuration->json))

(define-configuration/no-serialization opensnitch-configuration
  (opensnitch (package opensnitch-daemon) "The opensnitch-daemon package.")
  ;; The server the UI connects to.
  (server-address (string "unix:///tmp/osui.sock") "The address the UI connects to.")
  (server-log-file (string "/var/log/opensnitchd.log") "The daemon's log file.")
  ;; How the UI and the daemon authenticate each other.
  (authentication-type (string "simple") "The UI-daemon authentication type.")
  (tls-ca-cert (string "") "The TLS CA certificate.")
  (tls-server-cert (string "") "The TLS server certificate.")
  (tls-client-cert (string "") "The TLS client certificate.")
  (tls-client-key (string "") "The TLS client key.")
  (tls-skip-verify? (boolean #f) "Skip TLS verification.")
  (tls-client-auth-type (string "no-client-cert") "The TLS client authentication type.")
  ;; What happens to a connection no rule covers.
  (default-action (string "allow") "\"allow\" or \"deny\".")
  (default-duration (string "once") "How long a rule lasts: \"once\", \"until-restart\", \"always\"...")
  (intercept-unknown? (boolean #f) "Intercept connections of unknown processes.")
  (proc-monitor-method (string "ebpf") "\"ebpf\", \"proc\" or \"audit\".")
  (log-level (integer 2) "0 silent, 1 error, 2 warning, 3 important, 4 debug.")
  (log-utc? (boolean #t) "Log times in UTC.")
  (log-micro? (boolean #f) "Log microseconds.")
  (firewall (string "nftables") "\"nftables\" or \"iptables\".")
  (fw-config-path (string "/etc/opensnitchd/system-fw.json") "The system firewall configuration file.")
  (fw-monitor-interval (string "15s") "How often the firewall rules are checked.")
  (fw-queue-bypass? (boolean #t) "Let packets through while the daemon is not running.")
  (rules-path (string "/etc/opensnitchd/rules/") "The directory of the rules.")
  (rules-enable-checksums? (boolean #f) "Check the rules' checksums.")
  (ebpf-events-workers (integer 8) "eBPF event worker threads.")
  (ebpf-queue-events-size (integer 0) "The eBPF events queue size (0: the default).")
  (stats-max-events (integer 250) "Events kept in the statistics.")
  (stats-max-stats (integer 25) "Statistics entries kept.")
  (stats-workers (integer 6) "Statistics worker threads.")
  (internal-gc-percent (integer 100) "The Go garbage collector percentage.")
  (internal-flush-conns-on-start? (boolean #t) "Flush existing connections at start."))

;;; JSON as guile-json's scm->json-string #:pretty #t lays it out: objects
;;; (alists) one member a line, indented two spaces a level, "key": value.

(define (json-string s)
  (string-append
   "\""
   (string-concatenate
    (map (lambda (c)
           (case c
             ((#\" #\\) (string #\\ c))
             ((#\backspace) "\\b")
             ((#\page) "\\f")
             ((#\newline) "\\n")
             ((#\return) "\\r")
             ((#\tab) "\\t")
             (else (string c))))
         (string->list s)))
   "\""))

(define (json-value value level)
  (cond ((eq? value #t) "true")
        ((eq? value #f) "false")
        ((number? value) (number->string value))
        ((string? value) (json-string value))
        ((symbol? value) (json-string (symbol->string value)))
        ((null? value) "{}")
        (else
         (let ((indent (make-string (* 2 (+ level 1)) #\space)))
           (string-append
            "{\n"
            (string-join (map (lambda (member)
                                (string-append indent
                                               (json-string (symbol->string (car member)))
                                               ": " (json-value (cdr member) (+ level 1))))
                              value)
                         ",\n")
            "\n" (make-string (* 2 level) #\space) "}")))))

(define (opensnitch-configuration->json config)
  "The daemon's JSON configuration for CONFIG, as Guix writes it."
  (define (get accessor) (accessor config))
  (json-value
   `((Server . ((Address . ,(get opensnitch-configuration-server-address))
                (Authentication
                 . ((Type . ,(get opensnitch-configuration-authentication-type))
                    (TLSOptions
                     . ((CACert . ,(get opensnitch-configuration-tls-ca-cert))
                        (ServerCert . ,(get opensnitch-configuration-tls-server-cert))
                        (ClientCert . ,(get opensnitch-configuration-tls-client-cert))
                        (ClientKey . ,(get opensnitch-configuration-tls-client-key))
                        (SkipVerify . ,(get opensnitch-configuration-tls-skip-verify?))
                        (ClientAuthType . ,(get opensnitch-configuration-tls-client-auth-type))))))
                (LogFile . ,(get opensnitch-configuration-server-log-file))))
     (DefaultAction . ,(get opensnitch-configuration-default-action))
     (DefaultDuration . ,(get opensnitch-configuration-default-duration))
     (InterceptUnknown . ,(get opensnitch-configuration-intercept-unknown?))
     (ProcMonitorMethod . ,(get opensnitch-configuration-proc-monitor-method))
     (LogLevel . ,(get opensnitch-configuration-log-level))
     (LogUTC . ,(get opensnitch-configuration-log-utc?))
     (LogMicro . ,(get opensnitch-configuration-log-micro?))
     (Firewall . ,(get opensnitch-configuration-firewall))
     (FwOptions . ((ConfigPath . ,(get opensnitch-configuration-fw-config-path))
                   (MonitorInterval . ,(get opensnitch-configuration-fw-monitor-interval))
                   (QueueBypass . ,(get opensnitch-configuration-fw-queue-bypass?))))
     (Rules . ((Path . ,(get opensnitch-configuration-rules-path))
               (EnableChecksums . ,(get opensnitch-configuration-rules-enable-checksums?))))
     (Ebpf . ((EventsWorkers . ,(get opensnitch-configuration-ebpf-events-workers))
              (QueueEventsSize . ,(get opensnitch-configuration-ebpf-queue-events-size))))
     (Stats . ((MaxEvents . ,(get opensnitch-configuration-stats-max-events))
               (MaxStats . ,(get opensnitch-configuration-stats-max-stats))
               (Workers . ,(get opensnitch-configuration-stats-workers))))
     (Internal . ((GCPercent . ,(get opensnitch-configuration-internal-gc-percent))
                  (FlushConnsOnStart
                   . ,(get opensnitch-configuration-internal-flush-conns-on-start?)))))
   0))

(define (opensnitch-config-file config)
  (plain-file "opensnitch-config.json" (opensnitch-configuration->json config)))

(define (opensnitch-shepherd-service config)
  (list (shepherd-service
         (documentation "Run the OpenSnitch application firewall daemon.")
         (provision '(opensnitch))
         (requirement '(user-processes networking))
         (start #~(make-forkexec-constructor
                   (list #$(file-append (opensnitch-configuration-opensnitch config) "/sbin/opensnitchd")
                         "-config-file" #$(opensnitch-config-file config))
                   #:log-file #$(opensnitch-configuration-server-log-file config)))
         (stop #~(make-kill-destructor)))))

(define opensnitch-service-type
  (service-type
   (name 'opensnitch)
   (extensions
    (list (service-extension shepherd-root-service-type opensnitch-shepherd-service)
          (service-extension activation-service-type
                             (lambda (config)
                               #~(begin
                                   (use-modules (guix build utils))
                                   (mkdir-p #$(opensnitch-configuration-rules-path config)))))
          (service-extension profile-service-type (compose list opensnitch-configuration-opensnitch))))
   (default-value (opensnitch-configuration))
   (description "Run the OpenSnitch application firewall daemon.")))
