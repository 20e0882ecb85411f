;;; schemy --- Printing (Guix manual, "Printing Services"): CUPS, with the cupsd.conf Guix writes.

(define-module (gnu services cups)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (gnu system shadow)
  #:use-module ((gnu system pam) #:select (pam-root-service-type unix-pam-service))
  #:use-module ((gnu packages cups) #:select (cups cups-filters))
  #:use-module (srfi srfi-1)
  #:export (cups-configuration
            cups-configuration?
            files-configuration
            files-configuration?
            opaque-cups-configuration
            opaque-cups-configuration?
            policy-configuration
            policy-configuration?
            location-access-control
            location-access-control?
            operation-access-control
            operation-access-control?
            method-access-control
            method-access-control?
            cups-service-type
            cupsd-conf))

(define-record-type* <files-configuration> files-configuration
  make-files-configuration files-configuration?
  (access-log files-configuration-access-log (default "/var/log/cups/access_log"))
  (cache-dir files-configuration-cache-dir (default "/var/cache/cups"))
  (config-file-perm files-configuration-config-file-perm (default "0640"))
  (error-log files-configuration-error-log (default "/var/log/cups/error_log"))
  (fatal-errors files-configuration-fatal-errors (default "all -browse"))
  (file-device? files-configuration-file-device? (default #f))
  (group files-configuration-group (default "lp"))
  (log-file-group files-configuration-log-file-group (default "lpadmin"))
  (log-file-perm files-configuration-log-file-perm (default "0644"))
  (page-log files-configuration-page-log (default "/var/log/cups/page_log"))
  (remote-root files-configuration-remote-root (default "remroot"))
  (request-root files-configuration-request-root (default "/var/spool/cups"))
  (sandboxing files-configuration-sandboxing (default 'strict))
  (server-keychain files-configuration-server-keychain (default "/etc/cups/ssl"))
  (server-root files-configuration-server-root (default "/etc/cups"))
  (sync-on-close? files-configuration-sync-on-close? (default #f))
  (system-group files-configuration-system-group (default '("lpadmin" "wheel" "root")))
  (temp-dir files-configuration-temp-dir (default "/var/spool/cups/tmp"))
  (user files-configuration-user (default "lp"))
  (set-env files-configuration-set-env (default "variable value")))

;;; Access controls and policies (the manual's records, Guix's defaults).

(define-record-type* <operation-access-control> operation-access-control
  make-operation-access-control operation-access-control?
  (operations operation-access-control-operations (default '()))
  (access-controls operation-access-control-access-controls (default '())))

(define-record-type* <method-access-control> method-access-control
  make-method-access-control method-access-control?
  (reverse? method-access-control-reverse? (default #f))
  (methods method-access-control-methods (default '()))
  (access-controls method-access-control-access-controls (default '())))

(define-record-type* <location-access-control> location-access-control
  make-location-access-control location-access-control?
  (path location-access-control-path)
  (access-controls location-access-control-access-controls (default '()))
  (method-access-controls location-access-control-method-access-controls (default '())))

(define-record-type* <policy-configuration> policy-configuration
  make-policy-configuration policy-configuration?
  (name policy-configuration-name)
  (job-private-access policy-configuration-job-private-access (default "@OWNER @SYSTEM"))
  (job-private-values policy-configuration-job-private-values
                      (default "job-name job-originating-host-name job-originating-user-name phone"))
  (subscription-private-access policy-configuration-subscription-private-access (default "@OWNER @SYSTEM"))
  (subscription-private-values
   policy-configuration-subscription-private-values
   (default "notify-events notify-pull-method notify-recipient-uri notify-subscriber-user-name notify-user-data"))
  (access-controls policy-configuration-access-controls (default '())))

(define %default-location-access-controls
  (list (location-access-control (path "/") (access-controls '("Order allow,deny" "Allow localhost")))
        (location-access-control (path "/admin") (access-controls '("Order allow,deny" "Allow localhost")))
        (location-access-control (path "/admin/conf")
                                 (access-controls '("Order allow,deny" "AuthType Basic"
                                                    "Require user @SYSTEM" "Allow localhost")))))

(define %default-policies
  (list (policy-configuration
         (name "default")
         (access-controls
          (list (operation-access-control
                 (operations '(Send-Document
                               Send-URI Hold-Job Release-Job Restart-Job Purge-Jobs
                               Cancel-Job Close-Job Cancel-My-Jobs Set-Job-Attributes
                               Create-Job-Subscription Renew-Subscription
                               Cancel-Subscription Get-Notifications
                               Reprocess-Job Cancel-Current-Job Suspend-Current-Job
                               Resume-Job CUPS-Move-Job Validate-Job
                               CUPS-Get-Document))
                 (access-controls '("Require user @OWNER @SYSTEM" "Order deny,allow")))
                (operation-access-control
                 (operations '(Pause-Printer
                               Cancel-Jobs
                               Resume-Printer Set-Printer-Attributes Enable-Printer
                               Disable-Printer Pause-Printer-After-Current-Job
                               Hold-New-Jobs Release-Held-New-Jobs Deactivate-Printer
                               Activate-Printer Restart-Printer Shutdown-Printer
                               Startup-Printer Promote-Job Schedule-Job-After
                               CUPS-Authenticate-Job CUPS-Add-Printer
                               CUPS-Delete-Printer CUPS-Add-Class CUPS-Delete-Class
                               CUPS-Accept-Jobs CUPS-Reject-Jobs CUPS-Set-Default))
                 (access-controls '("AuthType Basic" "Require user @SYSTEM" "Order deny,allow")))
                (operation-access-control
                 (operations '(All))
                 (access-controls '("Order deny,allow"))))))))

(define (directives lines)
  (string-concatenate (map (lambda (line) (string-append line "\n")) lines)))

(define (names symbols)
  (string-join (map symbol->string symbols) " "))

(define (location-access-control-text x)
  (string-append
   "<Location " (location-access-control-path x) ">\n"
   (directives (location-access-control-access-controls x))
   (string-concatenate
    (map (lambda (m)
           (let ((limit (if (method-access-control-reverse? m) "LimitExcept" "Limit")))
             (string-append "<" limit " " (names (method-access-control-methods m)) ">\n"
                            (directives (method-access-control-access-controls m))
                            "</" limit ">\n")))
         (location-access-control-method-access-controls x)))
   "</Location>\n"))

(define (policy-configuration-text x)
  (string-append
   "<Policy " (policy-configuration-name x) ">\n"
   "JobPrivateAccess " (policy-configuration-job-private-access x) "\n"
   "JobPrivateValues " (policy-configuration-job-private-values x) "\n"
   "SubscriptionPrivateAccess " (policy-configuration-subscription-private-access x) "\n"
   "SubscriptionPrivateValues " (policy-configuration-subscription-private-values x) "\n"
   (string-concatenate
    (map (lambda (o)
           (string-append "<Limit " (names (operation-access-control-operations o)) ">\n"
                          (directives (operation-access-control-access-controls o))
                          "</Limit>\n"))
         (policy-configuration-access-controls x)))
   "</Policy>\n"))

(define-record-type* <cups-configuration> cups-configuration
  make-cups-configuration cups-configuration?
  (cups cups-configuration-cups (default cups))
  (allow-empty-password? cups-configuration-allow-empty-password? (default #f))
  (extensions cups-configuration-extensions (default (list cups-filters)))
  (files-configuration cups-configuration-files-configuration (default (files-configuration)))
  (access-log-level cups-configuration-access-log-level (default 'actions))
  (auto-purge-jobs? cups-configuration-auto-purge-jobs? (default #f))
  (browse-dns-sd-sub-types cups-configuration-browse-dns-sd-sub-types (default '("_cups")))
  (browse-local-protocols cups-configuration-browse-local-protocols (default 'dnssd))
  (browse-web-if? cups-configuration-browse-web-if? (default #f))
  (browsing? cups-configuration-browsing? (default #f))
  (classification cups-configuration-classification (default ""))
  (classify-override? cups-configuration-classify-override? (default #f))
  (default-auth-type cups-configuration-default-auth-type (default 'Basic))
  (default-encryption cups-configuration-default-encryption (default 'Required))
  (default-language cups-configuration-default-language (default "en"))
  (default-paper-size cups-configuration-default-paper-size (default "Auto"))
  (default-policy cups-configuration-default-policy (default "default"))
  (default-shared? cups-configuration-default-shared? (default #t))
  (dirty-clean-interval cups-configuration-dirty-clean-interval (default 30))
  (error-policy cups-configuration-error-policy (default 'stop-printer))
  (filter-limit cups-configuration-filter-limit (default 0))
  (filter-nice cups-configuration-filter-nice (default 0))
  (host-name-lookups cups-configuration-host-name-lookups (default #f))
  (job-kill-delay cups-configuration-job-kill-delay (default 30))
  (job-retry-interval cups-configuration-job-retry-interval (default 30))
  (job-retry-limit cups-configuration-job-retry-limit (default 5))
  (keep-alive? cups-configuration-keep-alive? (default #t))
  (limit-request-body cups-configuration-limit-request-body (default 0))
  (listen cups-configuration-listen (default '("localhost:631" "/var/run/cups/cups.sock")))
  (location-access-controls cups-configuration-location-access-controls
                            (default %default-location-access-controls))
  (log-debug-history cups-configuration-log-debug-history (default 100))
  (log-level cups-configuration-log-level (default 'info))
  (log-time-format cups-configuration-log-time-format (default 'standard))
  (max-clients cups-configuration-max-clients (default 100))
  (max-clients-per-host cups-configuration-max-clients-per-host (default 100))
  (max-copies cups-configuration-max-copies (default 9999))
  (max-hold-time cups-configuration-max-hold-time (default 0))
  (max-jobs cups-configuration-max-jobs (default 500))
  (max-jobs-per-printer cups-configuration-max-jobs-per-printer (default 0))
  (max-jobs-per-user cups-configuration-max-jobs-per-user (default 0))
  (max-job-time cups-configuration-max-job-time (default 10800))
  (max-log-size cups-configuration-max-log-size (default 1048576))
  (max-subscriptions cups-configuration-max-subscriptions (default 100))
  (max-subscriptions-per-job cups-configuration-max-subscriptions-per-job (default 0))
  (max-subscriptions-per-printer cups-configuration-max-subscriptions-per-printer (default 0))
  (max-subscriptions-per-user cups-configuration-max-subscriptions-per-user (default 0))
  (multiple-operation-timeout cups-configuration-multiple-operation-timeout (default 900))
  (environment-variables cups-configuration-environment-variables (default '()))
  (policies cups-configuration-policies (default %default-policies))
  (preserve-job-files cups-configuration-preserve-job-files (default 86400))
  (preserve-job-history cups-configuration-preserve-job-history (default #t))
  (ready-paper-sizes cups-configuration-ready-paper-sizes (default #f))
  (reload-timeout cups-configuration-reload-timeout (default 30))
  (rip-cache cups-configuration-rip-cache (default "128m"))
  (server-admin cups-configuration-server-admin (default "root@localhost.localdomain"))
  (server-alias cups-configuration-server-alias (default '*))
  (server-name cups-configuration-server-name (default "localhost"))
  (server-tokens cups-configuration-server-tokens (default 'Minimal))
  (ssl-listen cups-configuration-ssl-listen (default '()))
  (ssl-options cups-configuration-ssl-options (default '()))
  (strict-conformance? cups-configuration-strict-conformance? (default #f))
  (timeout cups-configuration-timeout (default 900))
  (web-interface? cups-configuration-web-interface? (default #f)))

(define-record-type* <opaque-cups-configuration> opaque-cups-configuration
  make-opaque-cups-configuration opaque-cups-configuration?
  (cups opaque-cups-configuration-cups (default cups))
  (allow-empty-password? opaque-cups-configuration-allow-empty-password? (default #f))
  (extensions opaque-cups-configuration-extensions (default '()))
  (cupsd.conf opaque-cups-configuration-cupsd.conf)
  (cups-files.conf opaque-cups-configuration-cups-files.conf (default "")))

(define (cups-value v)
  (cond ((string? v) v) ((number? v) (number->string v)) ((symbol? v) (symbol->string v))
        ((eq? v #t) "yes") ((eq? v #f) "no")
        ((list? v) (string-join (map cups-value v) " "))
        (else "")))

(define (cupsd-conf config)
  (if (opaque-cups-configuration? config)
      (opaque-cups-configuration-cupsd.conf config)
      (string-append
       "AccessLogLevel " (cups-value (cups-configuration-access-log-level config)) "\n"
       "AutoPurgeJobs " (cups-value (cups-configuration-auto-purge-jobs? config)) "\n"
       "BrowseLocalProtocols " (cups-value (cups-configuration-browse-local-protocols config)) "\n"
       "BrowseWebIF " (cups-value (cups-configuration-browse-web-if? config)) "\n"
       "Browsing " (cups-value (cups-configuration-browsing? config)) "\n"
       "DefaultAuthType " (cups-value (cups-configuration-default-auth-type config)) "\n"
       "DefaultEncryption " (cups-value (cups-configuration-default-encryption config)) "\n"
       "DefaultLanguage " (cups-configuration-default-language config) "\n"
       "DefaultPaperSize " (cups-configuration-default-paper-size config) "\n"
       "DefaultPolicy " (cups-configuration-default-policy config) "\n"
       "DefaultShared " (cups-value (cups-configuration-default-shared? config)) "\n"
       "ErrorPolicy " (cups-value (cups-configuration-error-policy config)) "\n"
       "KeepAlive " (cups-value (cups-configuration-keep-alive? config)) "\n"
       (string-concatenate
        (map (lambda (l) (string-append "Listen " l "\n")) (cups-configuration-listen config)))
       "LogLevel " (cups-value (cups-configuration-log-level config)) "\n"
       "MaxClients " (cups-value (cups-configuration-max-clients config)) "\n"
       "MaxJobs " (cups-value (cups-configuration-max-jobs config)) "\n"
       ;; As Guix: the subscription limits always; EnvironmentVariables and
       ;; ReadyPaperSizes only when given (CUPS computes the paper sizes itself).
       "MaxSubscriptions " (cups-value (cups-configuration-max-subscriptions config)) "\n"
       "MaxSubscriptionsPerJob " (cups-value (cups-configuration-max-subscriptions-per-job config)) "\n"
       "MaxSubscriptionsPerPrinter " (cups-value (cups-configuration-max-subscriptions-per-printer config)) "\n"
       "MaxSubscriptionsPerUser " (cups-value (cups-configuration-max-subscriptions-per-user config)) "\n"
       (let ((vars (cups-configuration-environment-variables config)))
         (if (null? vars) "" (string-append "EnvironmentVariables " (string-join vars " ") "\n")))
       (let ((sizes (cups-configuration-ready-paper-sizes config)))
         (if sizes (string-append "ReadyPaperSizes " (string-join sizes ",") "\n") ""))
       "ServerAdmin " (cups-configuration-server-admin config) "\n"
       "ServerAlias " (cups-value (cups-configuration-server-alias config)) "\n"
       "ServerName " (cups-configuration-server-name config) "\n"
       "ServerTokens " (cups-value (cups-configuration-server-tokens config)) "\n"
       "Timeout " (cups-value (cups-configuration-timeout config)) "\n"
       "WebInterface " (cups-value (cups-configuration-web-interface? config)) "\n"
       (string-concatenate
        (map location-access-control-text (cups-configuration-location-access-controls config)))
       (string-concatenate (map policy-configuration-text (cups-configuration-policies config))))))

(define (files-conf config)
  "cups-files.conf's settings from CONFIG's files-configuration, as Guix serializes them."
  (define (line name value) (string-append name " " (cups-value value) "\n"))
  (let ((f (cups-configuration-files-configuration config)))
    (string-append
     (line "AccessLog" (files-configuration-access-log f))
     (line "CacheDir" (files-configuration-cache-dir f))
     (line "ConfigFilePerm" (files-configuration-config-file-perm f))
     (line "ErrorLog" (files-configuration-error-log f))
     (line "FatalErrors" (files-configuration-fatal-errors f))
     (line "FileDevice" (files-configuration-file-device? f))
     (line "Group" (files-configuration-group f))
     (line "LogFileGroup" (files-configuration-log-file-group f))
     (line "LogFilePerm" (files-configuration-log-file-perm f))
     (line "PageLog" (files-configuration-page-log f))
     (line "RemoteRoot" (files-configuration-remote-root f))
     (line "RequestRoot" (files-configuration-request-root f))
     (line "Sandboxing" (files-configuration-sandboxing f))
     (line "ServerKeychain" (files-configuration-server-keychain f))
     (line "ServerRoot" (files-configuration-server-root f))
     (line "SyncOnClose" (files-configuration-sync-on-close? f))
     (line "SystemGroup" (files-configuration-system-group f))
     (line "TempDir" (files-configuration-temp-dir f))
     (line "User" (files-configuration-user f))
     (line "SetEnv" (files-configuration-set-env f)))))

(define (cups-files.conf config)
  ;; Guix follows the fields with fixed CacheDir and StateDir lines, which cupsd (the last
  ;; value wins) takes over the cache-dir field; here the field is kept, so that it means
  ;; what the manual says (its default is that same /var/cache/cups).  DataDir and ServerBin
  ;; are the package's share/cups and lib/cups (Guix's union with the extensions: on a
  ;; Debian host, drivers and filters install into the same directories).
  (let ((cups (cups-package config)))
    (mixed-text-file "cups-files.conf"
                     (if (opaque-cups-configuration? config)
                         (opaque-cups-configuration-cups-files.conf config)
                         (files-conf config))
                     "StateDir /var/run/cups\n"
                     "DataDir " cups "/share/cups\n"
                     "ServerBin " cups "/lib/cups\n")))

(define (cups-activation config)
  ;; As Guix: the state, spool, log, cache and configuration directories, owned by lp.  Guix
  ;; makes the default ones whatever the fields say; here they are the ones the
  ;; files-configuration names (the same by default), and those under /etc go through
  ;; root-file-name (inside the root in prefix mode, never the host's /etc).  cupsd makes its
  ;; own self-signed certificate in ServerKeychain when it needs one.
  (let ((directories
         (if (opaque-cups-configuration? config)
             '(("/var/spool/cups" #o755) ("/var/spool/cups/tmp" #o755) ("/var/log/cups" #o755)
               ("/var/cache/cups" #o770) ("/etc/cups" #o755) ("/etc/cups/ssl" #o700))
             (let ((f (cups-configuration-files-configuration config)))
               (define (log-dir x) (and (string? x) (string-prefix? "/" x) (dirname x)))
               (filter car
                       (list (list (files-configuration-request-root f) #o755)
                             (list (files-configuration-temp-dir f) #o755)
                             (list (log-dir (files-configuration-access-log f)) #o755)
                             (list (log-dir (files-configuration-error-log f)) #o755)
                             (list (log-dir (files-configuration-page-log f)) #o755)
                             (list (files-configuration-cache-dir f) #o770)
                             (list (files-configuration-server-root f) #o755)
                             (list (files-configuration-server-keychain f) #o700)))))))
    #~(begin
        (use-modules (guix build utils))
        (let ((user (getpwnam "lp")))
          (for-each (lambda (entry)
                      (let ((directory (if (string-prefix? "/etc/" (car entry))
                                           (root-file-name (car entry))
                                           (car entry))))
                        (mkdir-p directory)
                        (chown directory (passwd:uid user) (passwd:gid user))
                        (chmod directory (cadr entry))))
                    (cons '("/var/run/cups" #o755) '#$directories))))))

(define (cups-package config)
  (if (opaque-cups-configuration? config)
      (opaque-cups-configuration-cups config)
      (cups-configuration-cups config)))

(define cups-service-type
  (service-type
   (name 'cups)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (list (shepherd-service
                                      (provision '(cups))
                                      (requirement '(user-processes networking))
                                      (documentation "Run the CUPS print server.")
                                      (start #~(make-forkexec-constructor
                                                (list #$(file-append (cups-package config) "/sbin/cupsd")
                                                      "-f" "-c" #$(plain-file "cupsd.conf" (cupsd-conf config))
                                                      "-s" #$(cups-files.conf config))))
                                      (stop #~(make-kill-destructor))))))
          (service-extension activation-service-type cups-activation)
          (service-extension pam-root-service-type
                             ;; As Guix: the "cups" PAM service, with empty passwords if asked.
                             (lambda (config)
                               (list (unix-pam-service
                                      "cups"
                                      #:allow-empty-passwords?
                                      (if (opaque-cups-configuration? config)
                                          (opaque-cups-configuration-allow-empty-password? config)
                                          (cups-configuration-allow-empty-password? config))))))
          (service-extension account-service-type
                             (const (list (user-group (name "lpadmin") (system? #t))
                                          (user-account (name "lp") (group "lp") (system? #t)
                                                        (comment "System user for invoking printing helper programs")
                                                        (home-directory "/var/empty")
                                                        (shell %nologin-shell)))))
          (service-extension profile-service-type
                             (lambda (config) (list (cups-package config))))))
   (compose concatenate)
   (extend (lambda (config extensions)
             (if (opaque-cups-configuration? config)
                 config
                 (cups-configuration (inherit config)
                                     (extensions (append (cups-configuration-extensions config)
                                                         extensions))))))
   (default-value (cups-configuration))
   (description "Run the CUPS print server.")))
