;;; schemy --- Monitoring services (Guix manual, "Monitoring Services"):
;;; darkstat, the Prometheus node exporter, vnStat (with the vnstat.conf Guix
;;; writes), and Zabbix: server and agent (zabbix_server.conf and
;;; zabbix_agent.conf as Guix writes them) and the PHP front end (its
;;; zabbix.conf.php and an nginx server block).  The daemons are the host's
;;; programs (Debian: darkstat, prometheus-node-exporter, vnstat,
;;; zabbix-server-pgsql, zabbix-agent).

(define-module (gnu services monitoring)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module ((guix packages) #:select (package?))
  #:use-module (gnu services)
  #:use-module (gnu services configuration)
  #:use-module (gnu services shepherd)
  #:use-module (gnu services web)
  #:use-module (gnu system shadow)
  #:use-module ((gnu packages monitoring)
                #:select (darkstat go-github-com-prometheus-node-exporter zabbix-server zabbix-agentd))
  #:use-module ((gnu packages networking) #:select (vnstat))
  #:use-module ((gnu packages web) #:select (nginx))
  #:use-module (ice-9 match)
  #:use-module (srfi srfi-1)
  #:use-module (srfi srfi-26)
  #:export (darkstat-configuration
            darkstat-service-type

            prometheus-node-exporter-configuration
            prometheus-node-exporter-configuration?
            prometheus-node-exporter-configuration-package
            prometheus-node-exporter-web-listen-address
            prometheus-node-exporter-service-type

            vnstat-configuration
            vnstat-configuration?
            vnstat-service-type
            vnstat-configuration-package
            vnstat-configuration-database-directory
            vnstat-configuration-5-minute-hours
            vnstat-configuration-64bit-interface-counters
            vnstat-configuration-always-add-new-interfaces?
            vnstat-configuration-bandwidth-detection?
            vnstat-configuration-bandwidth-detection-interval
            vnstat-configuration-boot-variation
            vnstat-configuration-check-disk-space?
            vnstat-configuration-create-directories?
            vnstat-configuration-daemon-group
            vnstat-configuration-daemon-user
            vnstat-configuration-daily-days
            vnstat-configuration-database-synchronous
            vnstat-configuration-database-write-ahead-logging?
            vnstat-configuration-hourly-days
            vnstat-configuration-log-file
            vnstat-configuration-max-bandwidth
            vnstat-configuration-max-bw
            vnstat-configuration-monthly-months
            vnstat-configuration-month-rotate
            vnstat-configuration-month-rotate-affects-years?
            vnstat-configuration-offline-save-interval
            vnstat-configuration-pid-file
            vnstat-configuration-poll-interval
            vnstat-configuration-rescan-database-on-save?
            vnstat-configuration-save-interval
            vnstat-configuration-save-on-status-change?
            vnstat-configuration-time-sync-wait
            vnstat-configuration-top-day-entries
            vnstat-configuration-trafficless-entries?
            vnstat-configuration-update-file-owner?
            vnstat-configuration-update-interval
            vnstat-configuration-use-logging
            vnstat-configuration-use-utc?
            vnstat-configuration-yearly-years

            zabbix-server-configuration
            zabbix-server-service-type
            zabbix-agent-configuration
            zabbix-agent-service-type
            zabbix-front-end-configuration
            zabbix-front-end-service-type
            %zabbix-front-end-configuration-nginx

            vnstat-conf-text
            zabbix-server-conf-text
            zabbix-agent-conf-text
            zabbix-front-end-php-text))

(define (nologin-account name comment home)
  (list (user-account (name name) (group name) (system? #t) (comment comment)
                      (home-directory home) (shell "/sbin/nologin"))
        (user-group (name name) (system? #t))))

;;; darkstat.

(define-record-type* <darkstat-configuration> darkstat-configuration
  make-darkstat-configuration darkstat-configuration?
  (package      darkstat-configuration-package (default darkstat))
  (interface    darkstat-configuration-interface)
  (port         darkstat-configuration-port (default "667"))
  (bind-address darkstat-configuration-bind-address (default "127.0.0.1"))
  (base         darkstat-configuration-base (default "/")))

(define (darkstat-shepherd-service config)
  (shepherd-service
   (documentation "Network statistics gatherer.")
   (provision '(darkstat))
   (requirement '(user-processes networking))
   (start #~(make-forkexec-constructor
             (list #$(file-append (darkstat-configuration-package config) "/sbin/darkstat")
                   "-i" #$(darkstat-configuration-interface config)
                   "-p" #$(darkstat-configuration-port config)
                   "-b" #$(darkstat-configuration-bind-address config)
                   "--base" #$(darkstat-configuration-base config)
                   "--syslog" "--no-daemon"
                   "--chroot" "/var/lib/darkstat"
                   "--user" "darkstat"
                   "--import" "darkstat.db"
                   "--export" "darkstat.db")))
   (stop #~(make-kill-destructor))))

(define darkstat-service-type
  (service-type
   (name 'darkstat)
   (extensions
    (list (service-extension account-service-type
                             (const (nologin-account "darkstat" "darkstat daemon user"
                                                     "/var/lib/darkstat")))
          (service-extension shepherd-root-service-type
                             (lambda (config) (list (darkstat-shepherd-service config))))))
   (description "Run darkstat, which serves network traffic statistics over HTTP.")))

;;; Prometheus node exporter.

(define-record-type* <prometheus-node-exporter-configuration>
  prometheus-node-exporter-configuration make-prometheus-node-exporter-configuration
  prometheus-node-exporter-configuration?
  (package            prometheus-node-exporter-configuration-package
                      (default go-github-com-prometheus-node-exporter))
  (web-listen-address prometheus-node-exporter-web-listen-address (default ":9100"))
  (textfile-directory prometheus-node-exporter-textfile-directory
                      (default "/var/lib/prometheus/node-exporter"))
  (extra-options      prometheus-node-exporter-extra-options (default '())))

(define (prometheus-node-exporter-shepherd-service config)
  (match-record config <prometheus-node-exporter-configuration>
    (package web-listen-address textfile-directory extra-options)
    (list (shepherd-service
           (documentation "Prometheus node exporter.")
           (provision '(prometheus-node-exporter))
           (requirement '(user-processes networking))
           (start #~(make-forkexec-constructor
                     (list #$(file-append package "/bin/node_exporter")
                           "--web.listen-address" #$web-listen-address
                           #$@(if textfile-directory
                                  (list "--collector.textfile.directory" textfile-directory)
                                  '())
                           #$@extra-options)
                     #:user "prometheus-node-exporter"
                     #:group "prometheus-node-exporter"
                     #:log-file "/var/log/prometheus-node-exporter.log"))
           (stop #~(make-kill-destructor))))))

(define (prometheus-node-exporter-activation config)
  #~(let ((textfile-directory #$(prometheus-node-exporter-textfile-directory config)))
      (use-modules (guix build utils))
      (when textfile-directory
        (let ((user (getpw "prometheus-node-exporter")))
          (mkdir-p textfile-directory)
          (chown textfile-directory (passwd:uid user) (passwd:gid user))
          (chmod textfile-directory #o775)))))

(define prometheus-node-exporter-service-type
  (service-type
   (name 'prometheus-node-exporter)
   (extensions
    (list (service-extension account-service-type
                             (const (nologin-account "prometheus-node-exporter"
                                                     "Prometheus node exporter daemon user"
                                                     "/var/empty")))
          (service-extension activation-service-type prometheus-node-exporter-activation)
          (service-extension shepherd-root-service-type prometheus-node-exporter-shepherd-service)))
   (default-value (prometheus-node-exporter-configuration))
   (description "Run node_exporter, which serves hardware and OS metrics to Prometheus.")))

;;; vnStat.

(define (camelfy-field-name field-name)
  ;; database-dir -> DatabaseDir: each dash-separated word with its first letter upper case.
  (match (string-split (if (symbol? field-name) (symbol->string field-name) field-name) #\-)
    ((words ...)
     (string-concatenate (map (lambda (w)
                                (if (string-null? w)
                                    w
                                    (string-append (string (char-upcase (string-ref w 0)))
                                                   (substring w 1))))
                              words)))))

(define (strip-trailing-? field-name)
  (let ((str (symbol->string field-name)))
    (if (string-suffix? "?" str)
        (string->symbol (substring str 0 (- (string-length str) 1)))
        field-name)))

(define (vnstat-serialize-string field-name value)
  (format #f "~a ~s\n" (camelfy-field-name field-name) value))

(define vnstat-serialize-integer vnstat-serialize-string)

(define (vnstat-serialize-boolean field-name value)
  (format #f "~a ~a\n" (camelfy-field-name (strip-trailing-? field-name)) (if value 1 0)))

(define (vnstat-serialize-alist field-name value)
  (generic-serialize-alist string-append
                           (lambda (iface val)
                             (vnstat-serialize-integer (format #f "MaxBW~a" iface) val))
                           value))

(define (vnstat-serialize-user-account field-name value)
  (vnstat-serialize-string field-name (user-account-name value)))

(define (vnstat-serialize-user-group field-name value)
  (vnstat-serialize-string field-name (user-group-name value)))

(define-maybe string (prefix vnstat-))
(define-maybe integer (prefix vnstat-))
(define-maybe boolean (prefix vnstat-))
(define-maybe alist (prefix vnstat-))
(define-maybe user-account (prefix vnstat-))
(define-maybe user-group (prefix vnstat-))

(define %vnstat-user
  (user-account (name "vnstat") (group "vnstat") (system? #t)
                (home-directory "/var/empty") (shell "/sbin/nologin")))

(define %vnstat-group
  (user-group (name "vnstat") (system? #t)))

(define (vnstat-serialize-file-like field-name value) "")

(define-configuration vnstat-configuration
  (package (file-like vnstat) "The vnstat package." (serializer empty-serializer))
  (database-directory (string "/var/lib/vnstat") "Directory of the database."
                      (serializer (lambda (_ value) (vnstat-serialize-string 'database-dir value))))
  (5-minute-hours (maybe-integer 48) "Hours of 5-minute entries kept (-1 unlimited, 0 off).")
  (64bit-interface-counters (maybe-integer -2) "Counter width: 1, 0, -1 (old logic) or -2 (detect).")
  (always-add-new-interfaces? (maybe-boolean #t) "Add new interfaces to the database.")
  (bandwidth-detection? (maybe-boolean #t) "Detect each interface's maximum bandwidth.")
  (bandwidth-detection-interval (maybe-integer 5) "Minutes between bandwidth detections.")
  (boot-variation (maybe-integer 15) "Tolerated boot time variation, in seconds.")
  (check-disk-space? (maybe-boolean #t) "Check for free disk space before writing.")
  (create-directories? (maybe-boolean #t) "Create missing directories."
                       (serializer (lambda (_ value)
                                     (if (maybe-value-set? value)
                                         (vnstat-serialize-boolean 'create-dirs value) ""))))
  (daemon-group (maybe-user-group %vnstat-group) "Group the daemon switches to (unset: none).")
  (daemon-user (maybe-user-account %vnstat-user) "User the daemon switches to (unset: none).")
  (daily-days (maybe-integer 62) "Days of daily entries kept.")
  (database-synchronous (maybe-integer -1) "SQLite synchronous flag (-1: by mode).")
  (database-write-ahead-logging? (maybe-boolean #f) "SQLite write-ahead logging.")
  (hourly-days (maybe-integer 4) "Days of hourly entries kept.")
  (log-file maybe-string "Log file, when use-logging is 1.")
  (max-bandwidth maybe-integer "Maximum bandwidth of all interfaces (0: off).")
  (max-bw maybe-alist "Per-interface maximum bandwidth: (\"eth0\" . 15000) pairs."
          (serializer (lambda (field-name value)
                        (if (maybe-value-set? value) (vnstat-serialize-alist field-name value) ""))))
  (monthly-months (maybe-integer 25) "Months of monthly entries kept.")
  (month-rotate (maybe-integer 1) "Day of month on which months change.")
  (month-rotate-affects-years? (maybe-boolean #f) "Whether month-rotate applies to years.")
  (offline-save-interval (maybe-integer 30) "Minutes between saves when all interfaces are offline.")
  (pid-file (maybe-string "/var/run/vnstat/vnstatd.pid") "The pid file.")
  (poll-interval (maybe-integer 5) "Seconds between interface status checks.")
  (rescan-database-on-save? maybe-boolean "Monitor interfaces added to the database.")
  (save-interval (maybe-integer 5) "Minutes between saves.")
  (save-on-status-change? (maybe-boolean #t) "Save when an interface goes on or offline.")
  (time-sync-wait (maybe-integer 5) "Minutes to wait for the clock at start.")
  (top-day-entries (maybe-integer 20) "Top day entries kept.")
  (trafficless-entries? (maybe-boolean #t) "Create entries without traffic.")
  (update-file-owner? (maybe-boolean #t) "Update file ownership at start.")
  (update-interval (maybe-integer 20) "Seconds between data updates.")
  (use-logging (maybe-integer 2) "0 none, 1 log file, 2 syslog.")
  (use-utc? maybe-boolean "Use UTC in the database."
            (serializer (lambda (_ value)
                          (if (maybe-value-set? value) (vnstat-serialize-boolean 'use-UTC value) ""))))
  (yearly-years (maybe-integer -1) "Years of yearly entries kept.")
  (prefix vnstat-))

(define (vnstat-conf-text config)
  "vnstat.conf as Guix writes it: one `Name value' line per set field, in record order."
  (serialize-configuration config vnstat-configuration-fields))

(define (vnstat-shepherd-service config)
  (let ((config-file (plain-file "vnstat.conf" (vnstat-conf-text config)))
        (pid-file (vnstat-configuration-pid-file config)))
    (shepherd-service
     (documentation "Run vnstatd.")
     (requirement '(user-processes networking file-systems))
     (provision '(vnstatd))
     (start #~(make-forkexec-constructor
               (list #$(file-append (vnstat-configuration-package config) "/sbin/vnstatd")
                     "--daemon" "--config" #$config-file)
               #:pid-file #$(maybe-value pid-file)))
     (stop #~(make-kill-destructor))
     (actions (list (shepherd-configuration-action config-file)
                    (shepherd-signal-action 'reload SIGHUP
                                            #:documentation "Reload vnstatd."
                                            #:message "Issued SIGHUP to vnstatd."))))))

(define vnstat-service-type
  (service-type
   (name 'vnstat)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config) (list (vnstat-shepherd-service config))))
          (service-extension account-service-type
                             (lambda (config)
                               (filter-map maybe-value
                                           (list (vnstat-configuration-daemon-group config)
                                                 (vnstat-configuration-daemon-user config)))))))
   (default-value (vnstat-configuration))
   (description "Run vnStat, the network traffic monitor.")))

;;; Zabbix.

(define (zabbix-field-name field-name)
  ;; db-host -> DBHost, ssl-ca-location -> SSLCALocation, pid-file -> PidFile.
  (string-concatenate
   (map (lambda (word)
          (if (member word '("ca" "db" "ssl"))
              (string-upcase word)
              (string-append (string (char-upcase (string-ref word 0)))
                             (string-downcase (substring word 1)))))
        (string-split (string-delete #\? (symbol->string field-name)) #\-))))

(define (serialize-field field-name val)
  (format #f "~a=~a\n" (zabbix-field-name field-name) val))

(define (serialize-number field-name val)
  (serialize-field field-name (number->string val)))

(define (serialize-list field-name val)
  (if (null? val) "" (serialize-field field-name (string-join val ","))))

(define (serialize-string field-name val)
  ;; The user and group run the daemon; empty strings are left out.
  (if (or (memq field-name '(user group)) (string-null? val))
      ""
      (serialize-field field-name val)))

(define include-files? list?)

(define (serialize-include-files field-name val)
  (string-concatenate (map (cut serialize-field 'include <>) val)))

(define extra-options? string?)

(define (serialize-extra-options field-name val)
  (if (string-null? val) "" (string-append val "\n")))

(define (nginx-server-configuration-list? val)
  (and (list? val) (every nginx-server-configuration? val)))

(define (serialize-nginx-server-configuration-list field-name val) "")

(define-configuration zabbix-server-configuration
  (zabbix-server (file-like zabbix-server) "The zabbix-server package.")
  (user (string "zabbix") "User who runs the Zabbix server.")
  (group (string "zabbix") "Group who runs the Zabbix server.")
  (db-host (string "127.0.0.1") "Database host name.")
  (db-name (string "zabbix") "Database name.")
  (db-user (string "zabbix") "Database user.")
  (db-password (string "") "Database password (better: DBPassword in an include file).")
  (db-port (number 5432) "Database port.")
  (log-type (string "") "Where to log: system, file or console.")
  (log-file (string "/var/log/zabbix/server.log") "Log file, for log-type file.")
  (pid-file (string "/var/run/zabbix/zabbix_server.pid") "The pid file.")
  (ssl-ca-location (string "/etc/ssl/certs/ca-certificates.crt")
                   "CA certificates for SSL server certificate verification.")
  (ssl-cert-location (string "/etc/ssl/certs") "Location of SSL client certificates.")
  (extra-options (extra-options "") "Text appended to the configuration file.")
  (include-files (include-files '()) "Files included in the configuration file."))

(define (zabbix-server-conf-text config)
  "zabbix_server.conf as Guix writes it."
  (string-append "# Generated by 'zabbix-server-service'.\n"
                 (serialize-configuration config zabbix-server-configuration-fields)))

(define (zabbix-accounts user group)
  (list (user-group (name group) (system? #t))
        (user-account (name user) (system? #t) (group group)
                      (comment "zabbix privilege separation user")
                      (home-directory (string-append "/var/run/" user))
                      (shell "/sbin/nologin"))))

(define (zabbix-directories-activation user files)
  #~(begin
      (use-modules (guix build utils))
      (let ((user (getpw #$user)))
        (for-each (lambda (file)
                    (let ((directory (dirname file)))
                      (mkdir-p directory)
                      (chown directory (passwd:uid user) (passwd:gid user))
                      (chmod directory #o755)))
                  '#$files))))

(define %zabbix-environment
  (list "SSL_CERT_DIR=/run/current-system/profile/etc/ssl/certs"
        "SSL_CERT_FILE=/run/current-system/profile/etc/ssl/certs/ca-certificates.crt"))

(define (zabbix-server-shepherd-service config)
  (let ((program (file-append (zabbix-server-configuration-zabbix-server config) "/sbin/zabbix_server"))
        (config-file (plain-file "zabbix_server.conf" (zabbix-server-conf-text config))))
    (define (runtime-control name documentation command)
      (shepherd-action
       (name name)
       (documentation documentation)
       (procedure #~(lambda (_ . args)
                      (zero? (apply system* #$program "--config" #$config-file "-R" #$command
                                    args))))))
    (list (shepherd-service
           (provision '(zabbix-server))
           (requirement '(user-processes))
           (documentation "Run the Zabbix server daemon.")
           (actions (list (runtime-control 'reload-config-cache "Reload the configuration cache."
                                           "config_cache_reload")
                          (runtime-control 'reload-snmp-cache "Reload SNMP cache."
                                           "snmp_cache_reload")))
           (start #~(make-forkexec-constructor
                     (list #$program "--config" #$config-file "--foreground")
                     #:user #$(zabbix-server-configuration-user config)
                     #:group #$(zabbix-server-configuration-group config)
                     #:pid-file #$(zabbix-server-configuration-pid-file config)
                     #:environment-variables '#$%zabbix-environment))
           ;; The server finishes its database work on shutdown, which may take a while.
           (stop #~(make-kill-destructor #:grace-period 60))))))

(define zabbix-server-service-type
  (service-type
   (name 'zabbix-server)
   (extensions
    (list (service-extension shepherd-root-service-type zabbix-server-shepherd-service)
          (service-extension account-service-type
                             (lambda (config)
                               (zabbix-accounts (zabbix-server-configuration-user config)
                                                (zabbix-server-configuration-group config))))
          (service-extension activation-service-type
                             (lambda (config)
                               (zabbix-directories-activation
                                (zabbix-server-configuration-user config)
                                (list (zabbix-server-configuration-log-file config)
                                      (zabbix-server-configuration-pid-file config)
                                      "/etc/zabbix/maintenance.inc.php"))))))
   (default-value (zabbix-server-configuration))
   (description "Run the Zabbix monitoring server.")))

(define-configuration zabbix-agent-configuration
  (zabbix-agent (file-like zabbix-agentd) "The zabbix-agent package.")
  (user (string "zabbix") "User who runs the Zabbix agent.")
  (group (string "zabbix") "Group who runs the Zabbix agent.")
  (hostname (string "") "Unique host name, as configured on the server.")
  (log-type (string "") "Where to log: system, file or console.")
  (log-file (string "/var/log/zabbix/agent.log") "Log file, for log-type file.")
  (pid-file (string "/var/run/zabbix/zabbix_agent.pid") "The pid file.")
  (server (list '("127.0.0.1")) "Servers and proxies allowed to connect.")
  (server-active (list '("127.0.0.1")) "Servers and proxies for active checks.")
  (extra-options (extra-options "") "Text appended to the configuration file.")
  (include-files (include-files '()) "Files included in the configuration file."))

(define (zabbix-agent-conf-text config)
  "zabbix_agent.conf as Guix writes it."
  (string-append "# Generated by 'zabbix-agent-service'.\n"
                 (serialize-configuration config zabbix-agent-configuration-fields)))

(define (zabbix-agent-shepherd-service config)
  (let ((config-file (plain-file "zabbix_agent.conf" (zabbix-agent-conf-text config)))
        (agent (zabbix-agent-configuration-zabbix-agent config)))
    (list (shepherd-service
           (provision '(zabbix-agent))
           (requirement '(user-processes))
           (documentation "Run Zabbix agent daemon.")
           (start #~(make-forkexec-constructor
                     ;; zabbix_agent2 takes single-dash options, zabbix_agentd double-dash ones.
                     (if (file-exists? #$(file-append agent "/sbin/zabbix_agent2"))
                         (list #$(file-append agent "/sbin/zabbix_agent2")
                               "-config" #$config-file "-foreground")
                         (list #$(file-append agent "/sbin/zabbix_agentd")
                               "--config" #$config-file "--foreground"))
                     #:user #$(zabbix-agent-configuration-user config)
                     #:group #$(zabbix-agent-configuration-group config)
                     #:pid-file #$(zabbix-agent-configuration-pid-file config)
                     #:environment-variables
                     '#$(append %zabbix-environment
                                '("PATH=/run/current-system/profile/bin:/run/current-system/profile/sbin"))))
           (stop #~(make-kill-destructor))))))

(define zabbix-agent-service-type
  (service-type
   (name 'zabbix-agent)
   (extensions
    (list (service-extension shepherd-root-service-type zabbix-agent-shepherd-service)
          (service-extension account-service-type
                             (lambda (config)
                               (zabbix-accounts (zabbix-agent-configuration-user config)
                                                (zabbix-agent-configuration-group config))))
          (service-extension activation-service-type
                             (lambda (config)
                               (zabbix-directories-activation
                                (zabbix-agent-configuration-user config)
                                (list (zabbix-agent-configuration-log-file config)
                                      (zabbix-agent-configuration-pid-file config)))))))
   (default-value (zabbix-agent-configuration))
   (description "Run zabbix_agentd, which gathers system information for a Zabbix server.")))

;;; The Zabbix front end.

(define (zabbix-php-location)
  ;; What Guix's nginx-php-location gives, plus the front end's PHP limits.
  (nginx-location-configuration
   (uri "~ \\.php$")
   (body (list "fastcgi_split_path_info ^(.+\\.php)(/.+)$;"
               "fastcgi_param HTTP_PROXY \"\";"
               "if (!-f $document_root$fastcgi_script_name) { return 404; }"
               "fastcgi_pass unix:/var/run/php8-fpm.sock;"
               "fastcgi_index index.php;"
               (list "include " nginx "/share/nginx/conf/fastcgi.conf;")
               "
fastcgi_param PHP_VALUE \"post_max_size = 16M
                          max_execution_time = 300\";
"))))

(define (zabbix-front-end-root server)
  (file-append server "/share/zabbix/php"))

(define %zabbix-front-end-configuration-nginx
  (nginx-server-configuration
   (root (zabbix-front-end-root zabbix-server))
   (index '("index.php"))
   (locations (list (zabbix-php-location)))
   (listen '("80"))))

(define-configuration zabbix-front-end-configuration
  (zabbix-server (file-like zabbix-server) "The Zabbix server package.")
  (nginx (list '()) "nginx server blocks for the front end (empty: one on port 80).")
  (db-host (string "localhost") "Database host name.")
  (db-port (number 5432) "Database port.")
  (db-name (string "zabbix") "Database name.")
  (db-user (string "zabbix") "Database user.")
  (db-password (string "") "Database password (better: db-secret-file).")
  (db-secret-file (string "") "File holding the database password, made by hand.")
  (zabbix-host (string "localhost") "Zabbix server host name.")
  (zabbix-port (number 10051) "Zabbix server port."))

(define (zabbix-front-end-php-text config)
  "zabbix.conf.php as Guix writes it; an error when neither password nor secret file is given."
  (let ((password (zabbix-front-end-configuration-db-password config))
        (secret (zabbix-front-end-configuration-db-secret-file config)))
    (string-append
     "\n<?php\n// Zabbix GUI configuration file.\nglobal $DB;\n\n"
     "$DB['TYPE']     = 'POSTGRESQL';\n"
     "$DB['SERVER']   = '" (zabbix-front-end-configuration-db-host config) "';\n"
     "$DB['PORT']     = '" (number->string (zabbix-front-end-configuration-db-port config)) "';\n"
     "$DB['DATABASE'] = '" (zabbix-front-end-configuration-db-name config) "';\n"
     "$DB['USER']     = '" (zabbix-front-end-configuration-db-user config) "';\n"
     "$DB['PASSWORD'] = "
     (cond ((not (string-null? password))
            (format (current-error-port)
                    "hint: zabbix-front-end-configuration: consider db-secret-file instead of db-password~%")
            (format #f "'~a';~%" password))
           ((not (string-null? secret))
            (string-append "trim(file_get_contents('" secret "'));\n"))
           (else
            (configuration-error
             #f (format #f "no '~a' or '~a' field in your '~a' record"
                        'db-secret-file 'db-password 'zabbix-front-end-configuration))))
     "\n// Schema name. Used for IBM DB2 and PostgreSQL.\n$DB['SCHEMA'] = '';\n\n"
     "// Use IEEE754 compatible value range for 64-bit Numeric (float) history values.\n"
     "$DB['DOUBLE_IEEE754'] = true;\n\n"
     "$ZBX_SERVER      = '" (zabbix-front-end-configuration-zabbix-host config) "';\n"
     "$ZBX_SERVER_PORT = '" (number->string (zabbix-front-end-configuration-zabbix-port config)) "';\n"
     "$ZBX_SERVER_NAME = '';\n\n"
     "$IMAGE_FORMAT_DEFAULT = IMAGE_FORMAT_PNG;\n")))

(define (zabbix-front-end-activation config)
  #~(begin
      (use-modules (guix build utils))
      (mkdir-p "/etc/zabbix")
      (call-with-output-file "/etc/zabbix/maintenance.inc.php"
        (lambda (port) (display "\n<?php\n" port)))
      (copy-file #$(plain-file "zabbix.conf.php" (zabbix-front-end-php-text config))
                 "/etc/zabbix/zabbix.conf.php")))

(define (zabbix-front-end-nginx-extension config)
  (let ((nginx (zabbix-front-end-configuration-nginx config)))
    (if (null? nginx)
        (list (nginx-server-configuration
               (inherit %zabbix-front-end-configuration-nginx)
               (root (zabbix-front-end-root (zabbix-front-end-configuration-zabbix-server config)))))
        nginx)))

(define zabbix-front-end-service-type
  (service-type
   (name 'zabbix-front-end)
   (extensions
    (list (service-extension activation-service-type zabbix-front-end-activation)
          (service-extension nginx-service-type zabbix-front-end-nginx-extension)))
   (default-value (zabbix-front-end-configuration))
   (description "Serve the Zabbix PHP front end through nginx.")))
