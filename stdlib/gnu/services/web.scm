;;; schemy --- Web services (Guix manual, "Web Services"): nginx, with the
;;; nginx.conf Guix writes (server blocks, upstreams, locations).

(define-module (gnu services web)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (gnu services configuration)
  #:use-module ((gnu services admin) #:select (log-rotation-service-type))
  #:use-module ((gnu services databases) #:select (postgresql-role postgresql-role-service-type))
  #:use-module (gnu services getmail)
  #:use-module (ice-9 match)
  #:use-module (gnu system shadow)
  #:use-module ((gnu packages web) #:select (nginx))
  #:use-module ((gnu packages php) #:select (php))
  #:use-module ((guix packages) #:select (package-version package-name))
  #:use-module ((guix utils) #:select (version-major version-major+minor))
  #:use-module (srfi srfi-1)
  #:export (nginx-configuration
            nginx-configuration?
            nginx-configuration-nginx
            nginx-configuration-server-blocks
            nginx-server-configuration
            nginx-server-configuration?
            nginx-upstream-configuration
            nginx-upstream-configuration?
            nginx-location-configuration
            nginx-location-configuration?
            nginx-location-configuration-uri
            nginx-location-configuration-body
            nginx-named-location-configuration
            nginx-service-type
            nginx-configuration-text))

(define* (daemon-account name comment #:key (group name) (home "/var/empty"))
  "The system group and the system account, with no login shell, a daemon runs as."
  (list (user-group (name group) (system? #t))
        (user-account (name name) (group group) (system? #t)
                      (comment comment)
                      (home-directory home)
                      (shell %nologin-shell))))

(export nginx-server-configuration-listen
        nginx-server-configuration-server-name
        nginx-server-configuration-root
        nginx-server-configuration-locations
        nginx-server-configuration-index
        nginx-server-configuration-try-files
        nginx-server-configuration-ssl-certificate
        nginx-server-configuration-ssl-certificate-key
        nginx-server-configuration-server-tokens?
        nginx-server-configuration-raw-content
        nginx-location-configuration-uri
        nginx-location-configuration-body)

(define-record-type* <nginx-server-configuration> nginx-server-configuration
  make-nginx-server-configuration nginx-server-configuration?
  (listen              nginx-server-configuration-listen (default '("80" "443 ssl")))
  (server-name         nginx-server-configuration-server-name (default (list 'default)))
  (root                nginx-server-configuration-root (default "/srv/http"))
  (locations           nginx-server-configuration-locations (default '()))
  (index               nginx-server-configuration-index (default (list "index.html")))
  (try-files           nginx-server-configuration-try-files (default '()))
  (ssl-certificate     nginx-server-configuration-ssl-certificate (default #f))
  (ssl-certificate-key nginx-server-configuration-ssl-certificate-key (default #f))
  (server-tokens?      nginx-server-configuration-server-tokens? (default #f))
  (raw-content         nginx-server-configuration-raw-content (default '())))

(define-record-type* <nginx-upstream-configuration> nginx-upstream-configuration
  make-nginx-upstream-configuration nginx-upstream-configuration?
  (name    nginx-upstream-configuration-name)
  (servers nginx-upstream-configuration-servers)
  (extra-content nginx-upstream-configuration-extra-content (default '())))

(define-record-type* <nginx-location-configuration> nginx-location-configuration
  make-nginx-location-configuration nginx-location-configuration?
  (uri  nginx-location-configuration-uri (default #f))
  (body nginx-location-configuration-body))

(define-record-type* <nginx-named-location-configuration> nginx-named-location-configuration
  make-nginx-named-location-configuration nginx-named-location-configuration?
  (name nginx-named-location-configuration-name (default #f))
  (body nginx-named-location-configuration-body))

(define (assert-valid-log-format-escape escape)
  (unless (memq escape '(default json none))
    (%raise-located #f (format #f "unknown log format escape '~a'" escape)))
  escape)

(define-record-type* <nginx-log-format-configuration> nginx-log-format-configuration
  make-nginx-log-format-configuration nginx-log-format-configuration?
  (name   nginx-log-format-configuration-name)                  ;symbol
  (escape nginx-log-format-configuration-escape
          (sanitize assert-valid-log-format-escape)
          (default 'default))                                   ;default, json or none
  (format nginx-log-format-configuration-format))               ;string

(define-record-type* <nginx-stream-configuration> nginx-stream-configuration
  make-nginx-stream-configuration nginx-stream-configuration?
  (upstream-blocks nginx-stream-configuration-upstream-blocks (default '()))
  (server-blocks   nginx-stream-configuration-server-blocks (default '()))
  (extra-content   nginx-stream-configuration-extra-content (default '())))

(define-record-type* <nginx-configuration> nginx-configuration
  make-nginx-configuration nginx-configuration?
  (nginx                nginx-configuration-nginx (default nginx))
  (shepherd-requirement nginx-configuration-shepherd-requirement (default '()))
  (log-directory        nginx-configuration-log-directory (default "/var/log/nginx"))
  (log-format           nginx-configuration-log-format (default 'combined))
  (log-formats          nginx-configuration-log-formats (default '()))
  (log-level            nginx-configuration-log-level (default 'error))
  (run-directory        nginx-configuration-run-directory (default "/var/run/nginx"))
  (server-blocks        nginx-configuration-server-blocks (default '()))
  (upstream-blocks      nginx-configuration-upstream-blocks (default '()))
  (server-names-hash-bucket-size nginx-configuration-server-names-hash-bucket-size (default #f))
  (server-names-hash-bucket-max-size nginx-configuration-server-names-hash-bucket-max-size (default #f))
  (stream               nginx-configuration-stream (default #f))   ;#f or <nginx-stream-configuration>
  (modules              nginx-configuration-modules (default '()))
  (global-directives    nginx-configuration-global-directives (default '((events . ()))))
  (lua-package-path     nginx-configuration-lua-package-path (default #f))
  (lua-package-cpath    nginx-configuration-lua-package-cpath (default #f))
  (extra-content        nginx-configuration-extra-content (default ""))
  (file                 nginx-configuration-file (default #f)))

(define (flatten . lst)
  (append-map (lambda (x) (if (list? x) (apply flatten x) (list x))) lst))

(define (text x)
  (cond ((string? x) x) ((symbol? x) (symbol->string x)) ((number? x) (number->string x))
        (else "")))

;;; nginx.conf as Guix lays it out: every piece below is a string, a file-like object
;;; (a package's file, a site in the store) or a gexp, nested in lists that
;;; nginx-config-file flattens for mixed-text-file.

(define (domain-strings names)
  ;; Each name followed by a space; 'default is nginx's catch-all "_".
  (map (lambda (name) (if (eq? name 'default) "_ " (list name " "))) names))

(define (index-strings names)
  (map (lambda (name) (list name " ")) names))

(define (global-directive-text directive)
  ;; (KEY . VALUE) is "KEY VALUE;", (KEY . ALIST) a block "KEY { ...}".
  (let ((key (car directive)) (value (cdr directive)))
    (if (list? value)
        (format #f "~a { ~a}~%" key (string-concatenate (map global-directive-text value)))
        (format #f "~a ~a;~%" key value))))

(define (log-format-text log-format)
  (list "    log_format " (symbol->string (nginx-log-format-configuration-name log-format))
        " escape=" (symbol->string (nginx-log-format-configuration-escape log-format))
        " " (nginx-log-format-configuration-format log-format) ";\n"))

(define (location-text loc)
  (let ((body (lambda (lines) (map (lambda (x) (list "        " x "\n")) lines))))
    (if (nginx-location-configuration? loc)
        (list "      location " (nginx-location-configuration-uri loc) " {\n"
              (body (nginx-location-configuration-body loc))
              "      }\n")
        (list "      location @" (nginx-named-location-configuration-name loc) " {\n"
              (body (nginx-named-location-configuration-body loc))
              "      }\n"))))

(define* (server-text server #:optional (context 'http))
  ;; In a stream block, a server has no root, index nor server_tokens.
  (let ((cert (nginx-server-configuration-ssl-certificate server))
        (key (nginx-server-configuration-ssl-certificate-key server))
        (root (nginx-server-configuration-root server))
        (index (nginx-server-configuration-index server))
        (try-files (nginx-server-configuration-try-files server))
        (http? (eq? context 'http)))
    (list
     "    server {\n"
     (map (lambda (l) (list "      listen " l ";\n")) (nginx-server-configuration-listen server))
     "      server_name " (domain-strings (nginx-server-configuration-server-name server)) ";\n"
     (if cert (list "      ssl_certificate " cert ";\n") '())
     (if key (list "      ssl_certificate_key " key ";\n") '())
     (if (and http? (not (equal? "" root))) (list "      root " root ";\n") "")
     (if (and http? (not (null? index))) (list "      index " (index-strings index) ";\n") "")
     (if (null? try-files) "" (list "      try_files " (index-strings try-files) ";\n"))
     (if http?
         (list "      server_tokens " (if (nginx-server-configuration-server-tokens? server) "on" "off")
               ";\n")
         "")
     "\n"
     (map location-text (nginx-server-configuration-locations server))
     "\n"
     (map (lambda (x) (list "      " x "\n")) (nginx-server-configuration-raw-content server))
     "    }\n")))

(define (upstream-text upstream)
  (let ((extra (nginx-upstream-configuration-extra-content upstream)))
    (list
     "    upstream " (nginx-upstream-configuration-name upstream) " {\n"
     (map (lambda (server) (simple-format #f "      server ~A;\n" server))
          (nginx-upstream-configuration-servers upstream))
     (if (and extra (not (null? extra)))
         (cons "\n" (map (lambda (line) (list "      " line "\n"))
                         (if (list? extra) extra (list extra))))
         '())
     "    }\n")))

(define (stream-text stream)
  (if stream
      (list "stream {\n"
            (map upstream-text (nginx-stream-configuration-upstream-blocks stream))
            (map (lambda (server) (server-text server 'stream))
                 (nginx-stream-configuration-server-blocks stream))
            (let ((extra (nginx-stream-configuration-extra-content stream)))
              (if (list? extra) (map (lambda (line) (list "    " line "\n")) extra) extra))
            "}\n")
      ""))

(define (lua-path-text directive paths suffix)
  ;; As Guix: written when the file is built, the paths being store items.
  (if paths
      #~(format #f "    ~a ~s;~%" #$directive
                (string-join (map (lambda (path) (string-append path #$suffix)) (list #$@paths))
                             ";"))
      ""))

(define (nginx-configuration-text config)
  "The nginx.conf of CONFIG, laid out as Guix writes it: a list of strings, file-like
objects and gexps (the package's mime.types, a server's root, Lua paths), nested; flattened,
they are what mixed-text-file takes."
  (let ((run (nginx-configuration-run-directory config))
        (log (nginx-configuration-log-directory config))
        (bucket (nginx-configuration-server-names-hash-bucket-size config))
        (bucket-max (nginx-configuration-server-names-hash-bucket-max-size config))
        (extra (nginx-configuration-extra-content config)))
    (list
     "user nginx nginx;\n"
     "pid " run "/pid;\n"
     "error_log " log "/error.log " (symbol->string (nginx-configuration-log-level config)) ";\n"
     (map (lambda (m) (list "load_module " m ";\n")) (nginx-configuration-modules config))
     (map global-directive-text (nginx-configuration-global-directives config))
     (stream-text (nginx-configuration-stream config))
     "http {\n"
     "    client_body_temp_path " run "/client_body_temp;\n"
     "    proxy_temp_path " run "/proxy_temp;\n"
     "    fastcgi_temp_path " run "/fastcgi_temp;\n"
     "    uwsgi_temp_path " run "/uwsgi_temp;\n"
     "    scgi_temp_path " run "/scgi_temp;\n"
     (map log-format-text (nginx-configuration-log-formats config))
     "    access_log " log "/access.log " (symbol->string (nginx-configuration-log-format config)) ";\n"
     ;; The package's MIME types, so that files are served with their type.
     "    include " (mime-types-file config) ";\n"
     (lua-path-text "lua_package_path" (nginx-configuration-lua-package-path config) "/lib/?.lua")
     (lua-path-text "lua_package_cpath" (nginx-configuration-lua-package-cpath config)
                    "/lib/lua/?.lua")
     (if bucket
         (string-append "    server_names_hash_bucket_size " (number->string bucket) ";\n")
         "")
     (if bucket-max
         (string-append "    server_names_hash_bucket_max_size " (number->string bucket-max) ";\n")
         "")
     (if (list? extra) (map (lambda (line) (list "    " line "\n")) extra) extra)
     "\n"
     (map upstream-text (nginx-configuration-upstream-blocks config))
     (map server-text (nginx-configuration-server-blocks config))
     "}\n")))

(define (mime-types-file config)
  (file-append (nginx-configuration-nginx config) "/share/nginx/conf/mime.types"))

(define (nginx-config-file config)
  (or (nginx-configuration-file config)
      (apply mixed-text-file "nginx.conf" (flatten (nginx-configuration-text config)))))

(define (nginx-activation config)
  ;; As Guix: the log, run and temporary directories nginx.conf names, the start-up log
  ;; directory (nginx writes there until it has read its configuration), then a syntax check.
  (let ((run (nginx-configuration-run-directory config))
        (log (nginx-configuration-log-directory config)))
    #~(begin
        (mkdir-p #$log)
        (for-each (lambda (dir) (mkdir-p (string-append #$run "/" dir)))
                  '("" "client_body_temp" "proxy_temp" "fastcgi_temp" "uwsgi_temp" "scgi_temp" "logs"))
        (system* #$(file-append (nginx-configuration-nginx config) "/sbin/nginx")
                 "-c" #$(nginx-config-file config) "-p" #$run "-t"))))

(define (nginx-shepherd-service config)
  ;; As Guix: nginx is started the way it runs by itself (it detaches) and the service is
  ;; the master process its pid file names; stopping kills that process, whose workers exit
  ;; with it.  (Guix invokes nginx and reads the pid file; make-forkexec-constructor with
  ;; #:pid-file does both and lets the service manager watch the master process.)
  (let* ((nginx (file-append (nginx-configuration-nginx config) "/sbin/nginx"))
         (run (nginx-configuration-run-directory config))
         (config-file (nginx-config-file config))
         (signal (lambda (name)
                   #~(lambda _
                       (invoke #$nginx "-c" #$config-file "-p" #$run "-s" #$name)
                       #t))))
    (shepherd-service
     (provision '(nginx))
     (requirement (cons* 'user-processes 'loopback (nginx-configuration-shepherd-requirement config)))
     (documentation "Run the nginx daemon.")
     (start #~(make-forkexec-constructor
               (list #$nginx "-c" #$config-file "-p" #$run)
               #:pid-file #$(string-append run "/pid")))
     (stop #~(make-kill-destructor))
     (actions (list (shepherd-configuration-action config-file)
                    (shepherd-action
                     (name 'reload)
                     (documentation "Reload nginx's configuration file and restart its worker processes.")
                     (procedure (signal "reload")))
                    (shepherd-action
                     (name 'reopen)
                     (documentation "Re-open the log files.")
                     (procedure (signal "reopen"))))))))

(define nginx-service-type
  (service-type
   (name 'nginx)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config) (list (nginx-shepherd-service config))))
          (service-extension log-rotation-service-type
                             (lambda (config)
                               (let ((log (nginx-configuration-log-directory config)))
                                 (list (string-append log "/access.log")
                                       (string-append log "/error.log")))))
          (service-extension activation-service-type nginx-activation)
          (service-extension account-service-type
                             (const (list (user-group (name "nginx") (system? #t))
                                          (user-account (name "nginx") (group "nginx") (system? #t)
                                                        (comment "nginx server user")
                                                        (home-directory "/var/empty")
                                                        (shell "/sbin/nologin")))))
          (service-extension profile-service-type
                             (lambda (config) (list (nginx-configuration-nginx config))))))
   (compose concatenate)
   (extend (lambda (config servers)
             (nginx-configuration
              (inherit config)
              (server-blocks (append (nginx-configuration-server-blocks config) servers)))))
   (default-value (nginx-configuration))
   (description "Run the nginx web server.")))

;;;
;;; The Apache HTTP Server (Guix manual, "Web Services"): httpd.conf from an
;;; httpd-config-file record, extended by other services with virtual hosts
;;; and configuration text.
;;;

(export httpd-configuration
        httpd-configuration?
        httpd-configuration-package
        httpd-configuration-pid-file
        httpd-configuration-config
        httpd-module
        httpd-module?
        httpd-module-name
        httpd-module-file
        %default-httpd-modules
        httpd-config-file
        httpd-config-file?
        httpd-config-file-modules
        httpd-config-file-server-root
        httpd-config-file-server-name
        httpd-config-file-document-root
        httpd-config-file-listen
        httpd-config-file-pid-file
        httpd-config-file-error-log
        httpd-config-file-user
        httpd-config-file-group
        httpd-config-file-extra-config
        httpd-virtualhost
        httpd-virtualhost?
        httpd-virtualhost-addresses-and-ports
        httpd-virtualhost-contents
        httpd-service-type)

(define-record-type* <httpd-module> httpd-module make-httpd-module
  httpd-module?
  (name httpd-module-name)              ;"mime_module"
  (file httpd-module-file))             ;relative to the server root, or a file-like

(define %default-httpd-modules
  ;; The modules Guix's httpd.conf loads by default.
  (map (lambda (stem)
         (httpd-module (name (string-append stem "_module"))
                       (file (string-append "modules/mod_" stem ".so"))))
       '("authn_file" "authn_core" "authz_host" "authz_groupfile" "authz_user" "authz_core"
         "access_compat" "auth_basic" "reqtimeout" "filter" "mime" "log_config" "env" "headers"
         "setenvif" "version" "unixd" "status" "autoindex" "dir" "alias")))

(define-record-type* <httpd-config-file> httpd-config-file make-httpd-config-file
  httpd-config-file?
  (modules       httpd-config-file-modules (default %default-httpd-modules))
  (server-root   httpd-config-file-server-root (default (@ (gnu packages web) httpd)))
  (server-name   httpd-config-file-server-name (default #f))
  (document-root httpd-config-file-document-root (default "/srv/http"))
  (listen        httpd-config-file-listen (default '("80")))
  (pid-file      httpd-config-file-pid-file (default "/var/run/httpd"))
  (error-log     httpd-config-file-error-log (default "/var/log/httpd/error_log"))
  (user          httpd-config-file-user (default "httpd"))
  (group         httpd-config-file-group (default "httpd"))
  (extra-config  httpd-config-file-extra-config
                 (default (list "TypesConfig etc/httpd/mime.types"))))

(define-record-type <httpd-virtualhost>
  (httpd-virtualhost addresses-and-ports contents)
  httpd-virtualhost?
  (addresses-and-ports httpd-virtualhost-addresses-and-ports) ;"*:80"
  (contents            httpd-virtualhost-contents))           ;list of strings and gexps

(define-record-type* <httpd-configuration> httpd-configuration make-httpd-configuration
  httpd-configuration?
  (package  httpd-configuration-package (default (@ (gnu packages web) httpd)))
  (pid-file httpd-configuration-pid-file (default "/var/run/httpd"))
  (config   httpd-configuration-config (default (httpd-config-file))))

(define (httpd-extension-pieces item)
  "ITEM given by a service extending httpd (a virtual host, a string, or a list of strings
and file-like objects) as pieces of httpd.conf's extra configuration, as Guix adds them."
  (cond ((httpd-virtualhost? item)
         (append (list (string-append "\n<VirtualHost "
                                      (httpd-virtualhost-addresses-and-ports item) ">\n"))
                 (httpd-virtualhost-contents item)
                 (list "\n</VirtualHost>\n")))
        ((list? item) (append (list "\n") item (list "\n")))
        (else (list "\n" item "\n"))))

(define (httpd-config-file->file config)
  ;; As Guix's httpd.conf: the modules, the server's settings, a blank line, then the
  ;; extra configuration's pieces one after the other (no separator of their own).
  (apply mixed-text-file "httpd.conf"
         (append
          (append-map (lambda (module)
                        (list "LoadModule " (httpd-module-name module) " "
                              (httpd-module-file module) "\n"))
                      (httpd-config-file-modules config))
          (list "ServerRoot " (httpd-config-file-server-root config) "\n")
          (if (httpd-config-file-server-name config)
              (list "ServerName " (httpd-config-file-server-name config) "\n")
              '())
          (list "DocumentRoot " (httpd-config-file-document-root config) "\n")
          (append-map (lambda (address) (list "Listen " address "\n"))
                      (httpd-config-file-listen config))
          (let ((optional (lambda (key value) (if value (list key value "\n") '()))))
            (append (optional "Pidfile " (httpd-config-file-pid-file config))
                    (optional "ErrorLog " (httpd-config-file-error-log config))
                    (optional "User " (httpd-config-file-user config))
                    (optional "Group " (httpd-config-file-group config))))
          (list "\n\n")
          (httpd-config-file-extra-config config))))

(define (httpd-config-of config)
  "The httpd.conf of httpd-configuration CONFIG: a file-like object or a file name."
  (let ((c (httpd-configuration-config config)))
    (if (httpd-config-file? c) (httpd-config-file->file c) c)))

(define (httpd-shepherd-services config)
  (list (shepherd-service
         (provision '(httpd))
         (requirement '(user-processes networking))
         (documentation "The Apache HTTP Server")
         (start #~(make-forkexec-constructor
                   (list #$(file-append (httpd-configuration-package config) "/bin/httpd")
                         #$@(let ((file (httpd-config-of config)))
                              (if file (list "-f" file) '())))
                   #:pid-file #$(httpd-configuration-pid-file config)))
         (stop #~(make-kill-destructor)))))

(define (httpd-accounts config)
  (let ((c (httpd-configuration-config config)))
    (if (httpd-config-file? c)
        (list (user-group (name (httpd-config-file-group c)) (system? #t))
              (user-account
               (name (httpd-config-file-user c))
               (group (httpd-config-file-group c))
               (system? #t)
               (comment "Apache HTTPD server user")
               (home-directory "/var/empty")
               (shell "/usr/sbin/nologin")))
        '())))

(define (httpd-activation config)
  (let ((c (httpd-configuration-config config)))
    #~(begin
        (use-modules (guix build utils))
        (mkdir-p #$(if (httpd-config-file? c)
                       (dirname (httpd-config-file-error-log c))
                       "/var/log/httpd"))
        (mkdir-p #$(if (httpd-config-file? c) (httpd-config-file-document-root c) "/srv/http")))))

(define httpd-service-type
  (service-type
   (name 'httpd)
   (extensions
    (list (service-extension shepherd-root-service-type httpd-shepherd-services)
          (service-extension activation-service-type httpd-activation)
          (service-extension account-service-type httpd-accounts)))
   (compose concatenate)
   (extend (lambda (base extra)
             ;; Virtual hosts and text of other services go at the end of extra-config.
             (let ((c (httpd-configuration-config base)))
               (if (httpd-config-file? c)
                   (httpd-configuration
                    (inherit base)
                    (config (httpd-config-file
                             (inherit c)
                             (extra-config (append (httpd-config-file-extra-config c)
                                                   (append-map httpd-extension-pieces extra))))))
                   base))))
   (default-value (httpd-configuration))
   (description "Run the Apache HTTP Server (httpd).")))

;;;
;;; PHP-FPM (Guix manual, "Web Services"): the FastCGI process manager of PHP,
;;; its php-fpm.conf as Guix writes it, and the nginx location that hands it
;;; .php files.
;;;

(export php-fpm-configuration
        make-php-fpm-configuration
        php-fpm-configuration?
        php-fpm-configuration-php
        php-fpm-configuration-socket
        php-fpm-configuration-user
        php-fpm-configuration-group
        php-fpm-configuration-socket-user
        php-fpm-configuration-socket-group
        php-fpm-configuration-pid-file
        php-fpm-configuration-log-file
        php-fpm-configuration-process-manager
        php-fpm-configuration-display-errors
        php-fpm-configuration-timezone
        php-fpm-configuration-workers-log-file
        php-fpm-configuration-file
        php-fpm-configuration-php-ini-file
        php-fpm-dynamic-process-manager-configuration
        make-php-fpm-dynamic-process-manager-configuration
        php-fpm-dynamic-process-manager-configuration?
        php-fpm-dynamic-process-manager-configuration-max-children
        php-fpm-dynamic-process-manager-configuration-start-servers
        php-fpm-dynamic-process-manager-configuration-min-spare-servers
        php-fpm-dynamic-process-manager-configuration-max-spare-servers
        php-fpm-static-process-manager-configuration
        make-php-fpm-static-process-manager-configuration
        php-fpm-static-process-manager-configuration?
        php-fpm-static-process-manager-configuration-max-children
        php-fpm-on-demand-process-manager-configuration
        make-php-fpm-on-demand-process-manager-configuration
        php-fpm-on-demand-process-manager-configuration?
        php-fpm-on-demand-process-manager-configuration-max-children
        php-fpm-on-demand-process-manager-configuration-process-idle-timeout
        php-fpm-service-type
        php-fpm-configuration-text
        nginx-php-location)

(define (php-run-file php suffix)
  ;; Guix's default file names carry PHP's major version: /var/run/php8-fpm.sock.
  (string-append "php" (version-major (package-version php)) suffix))

(define-record-type* <php-fpm-dynamic-process-manager-configuration>
  php-fpm-dynamic-process-manager-configuration
  make-php-fpm-dynamic-process-manager-configuration
  php-fpm-dynamic-process-manager-configuration?
  (max-children      php-fpm-dynamic-process-manager-configuration-max-children (default 5))
  (start-servers     php-fpm-dynamic-process-manager-configuration-start-servers (default 2))
  (min-spare-servers php-fpm-dynamic-process-manager-configuration-min-spare-servers (default 1))
  (max-spare-servers php-fpm-dynamic-process-manager-configuration-max-spare-servers (default 3)))

(define-record-type* <php-fpm-static-process-manager-configuration>
  php-fpm-static-process-manager-configuration
  make-php-fpm-static-process-manager-configuration
  php-fpm-static-process-manager-configuration?
  (max-children php-fpm-static-process-manager-configuration-max-children (default 5)))

(define-record-type* <php-fpm-on-demand-process-manager-configuration>
  php-fpm-on-demand-process-manager-configuration
  make-php-fpm-on-demand-process-manager-configuration
  php-fpm-on-demand-process-manager-configuration?
  (max-children         php-fpm-on-demand-process-manager-configuration-max-children
                        (default 5))
  (process-idle-timeout php-fpm-on-demand-process-manager-configuration-process-idle-timeout
                        (default 10)))

(define-record-type* <php-fpm-configuration> php-fpm-configuration
  make-php-fpm-configuration php-fpm-configuration?
  this-php-fpm-configuration
  (php              php-fpm-configuration-php (default php))
  (socket           php-fpm-configuration-socket (thunked)
                    (default (string-append "/var/run/"
                                            (php-run-file (php-fpm-configuration-php
                                                           this-php-fpm-configuration)
                                                          "-fpm.sock"))))
  (user             php-fpm-configuration-user (default "php-fpm"))
  (group            php-fpm-configuration-group (default "php-fpm"))
  (socket-user      php-fpm-configuration-socket-user (default "php-fpm"))
  (socket-group     php-fpm-configuration-socket-group (default "nginx"))
  (pid-file         php-fpm-configuration-pid-file (thunked)
                    (default (string-append "/var/run/"
                                            (php-run-file (php-fpm-configuration-php
                                                           this-php-fpm-configuration)
                                                          "-fpm.pid"))))
  (log-file         php-fpm-configuration-log-file (thunked)
                    (default (string-append "/var/log/"
                                            (php-run-file (php-fpm-configuration-php
                                                           this-php-fpm-configuration)
                                                          "-fpm.log"))))
  (process-manager  php-fpm-configuration-process-manager
                    (default (php-fpm-dynamic-process-manager-configuration)))
  (display-errors   php-fpm-configuration-display-errors (default #f))
  (timezone         php-fpm-configuration-timezone (default #f))
  (workers-log-file php-fpm-configuration-workers-log-file (thunked)
                    (default (string-append "/var/log/"
                                            (php-run-file (php-fpm-configuration-php
                                                           this-php-fpm-configuration)
                                                          "-fpm.www.log"))))
  (file             php-fpm-configuration-file (default #f))          ;#f or file-like
  (php-ini-file     php-fpm-configuration-php-ini-file (default #f))) ;#f or file-like

(define (php-fpm-process-manager-text pm)
  (cond ((php-fpm-dynamic-process-manager-configuration? pm)
         (list "pm = dynamic\n"
               "pm.max_children ="
               (number->string (php-fpm-dynamic-process-manager-configuration-max-children pm)) "\n"
               "pm.start_servers ="
               (number->string (php-fpm-dynamic-process-manager-configuration-start-servers pm)) "\n"
               "pm.min_spare_servers ="
               (number->string (php-fpm-dynamic-process-manager-configuration-min-spare-servers pm))
               "\n"
               "pm.max_spare_servers ="
               (number->string (php-fpm-dynamic-process-manager-configuration-max-spare-servers pm))
               "\n"))
        ((php-fpm-static-process-manager-configuration? pm)
         (list "pm = static\n"
               "pm.max_children ="
               (number->string (php-fpm-static-process-manager-configuration-max-children pm)) "\n"))
        ((php-fpm-on-demand-process-manager-configuration? pm)
         (list "pm = ondemand\n"
               "pm.max_children ="
               (number->string (php-fpm-on-demand-process-manager-configuration-max-children pm))
               "\n"
               "pm.process_idle_timeout ="
               (number->string
                (php-fpm-on-demand-process-manager-configuration-process-idle-timeout pm))
               "s\n"))
        (else
         (%raise-located #f (format #f "php-fpm-configuration: process-manager must be a \
php-fpm-dynamic-, -static- or -on-demand-process-manager-configuration, not ~s" pm)))))

(define (php-fpm-configuration-text config)
  "The php-fpm.conf Guix writes for CONFIG (when its `file' is #f), as a list of strings.
Like Guix's, its `key =value' lines have no space after the equal sign."
  (let ((timezone (php-fpm-configuration-timezone config))
        (workers-log-file (php-fpm-configuration-workers-log-file config)))
    (flatten
     "[global]\n"
     "pid =" (php-fpm-configuration-pid-file config) "\n"
     "error_log =" (php-fpm-configuration-log-file config) "\n"
     "[www]\n"
     "user =" (php-fpm-configuration-user config) "\n"
     "group =" (php-fpm-configuration-group config) "\n"
     "listen =" (php-fpm-configuration-socket config) "\n"
     "listen.owner =" (php-fpm-configuration-socket-user config) "\n"
     "listen.group =" (php-fpm-configuration-socket-group config) "\n"
     (if timezone
         (string-append "php_admin_value[date.timezone] = \"" timezone "\"\n")
         "")
     (php-fpm-process-manager-text (php-fpm-configuration-process-manager config))
     "php_flag[display_errors] = " (if (php-fpm-configuration-display-errors config) "on" "off") "\n"
     (if workers-log-file
         (list "catch_workers_output = yes\n"
               "php_admin_value[error_log] =" workers-log-file "\n"
               "php_admin_flag[log_errors] = on\n")
         (list "catch_workers_output = no\n")))))

(define (php-fpm-config-file config)
  (or (php-fpm-configuration-file config)
      (apply mixed-text-file "php-fpm.conf" (php-fpm-configuration-text config))))

(define (php-fpm-accounts config)
  ;; As Guix: the php-fpm group always (the user's supplementary group), the
  ;; configured group, and the user.
  (let ((user (php-fpm-configuration-user config))
        (group (php-fpm-configuration-group config)))
    (append (if (equal? group "php-fpm")
                '()
                (list (user-group (name "php-fpm") (system? #t))))
            (list (user-group (name group) (system? #t))
                  (user-account
                   (name user)
                   (group group)
                   (supplementary-groups '("php-fpm"))
                   (system? #t)
                   (comment "php-fpm daemon user")
                   (home-directory "/var/empty")
                   (shell %nologin-shell))))))

(define (php-fpm-shepherd-service config)
  (let ((ini (php-fpm-configuration-php-ini-file config)))
    (list (shepherd-service
           (provision '(php-fpm))
           (documentation "Run the php-fpm daemon.")
           (requirement '(user-processes networking))
           (start #~(make-forkexec-constructor
                     (list #$(file-append (php-fpm-configuration-php config) "/sbin/php-fpm")
                           "--fpm-config" #$(php-fpm-config-file config)
                           #$@(if ini (list "-c" ini) '()))
                     #:pid-file #$(php-fpm-configuration-pid-file config)))
           (stop #~(make-kill-destructor))))))

(define (php-fpm-activation config)
  ;; As Guix: the log files exist and belong to the daemon's user (when workers log).
  #~(begin
      (use-modules (guix build utils))
      (let* ((user (getpwnam #$(php-fpm-configuration-user config)))
             (workers-log-file #$(php-fpm-configuration-workers-log-file config))
             (init-log-file
              (lambda (file-name)
                (when workers-log-file
                  (unless (file-exists? file-name)
                    (mkdir-p (dirname file-name))
                    (call-with-output-file file-name (const #t)))
                  (chown file-name (passwd:uid user) (passwd:gid user))
                  (chmod file-name #o660)))))
        (init-log-file #$(php-fpm-configuration-log-file config))
        (init-log-file workers-log-file))))

(define php-fpm-service-type
  (service-type
   (name 'php-fpm)
   (description
    "Run @command{php-fpm} to provide a fastcgi socket for calling php through
a webserver.")
   (extensions
    (list (service-extension shepherd-root-service-type php-fpm-shepherd-service)
          (service-extension activation-service-type php-fpm-activation)
          (service-extension account-service-type php-fpm-accounts)))
   (default-value (php-fpm-configuration))))

(define* (nginx-php-location #:key (nginx-package nginx)
                             (socket (string-append "/var/run/" (php-run-file php "-fpm.sock"))))
  "An nginx-location-configuration that has nginx run .php files through the
php-fpm socket SOCKET."
  (nginx-location-configuration
   (uri "~ \\.php$")
   (body (list
          "fastcgi_split_path_info ^(.+\\.php)(/.+)$;"
          ;; Upstream's advice against httpoxy: no Proxy header to the script.
          "fastcgi_param HTTP_PROXY \"\";"
          ;; Only files that exist go to php-fpm.
          "if (!-f $document_root$fastcgi_script_name) { return 404; }"
          (string-append "fastcgi_pass unix:" socket ";")
          "fastcgi_index index.php;"
          (list "include " nginx-package "/share/nginx/conf/fastcgi.conf;")))))
;;; fcgiwrap (Guix manual, "Web Services"): runs CGI programs, such as cgit's
;;; or git-http-backend, for nginx's FastCGI locations (Debian: fcgiwrap).
;;;

(export fcgiwrap-configuration
        fcgiwrap-configuration?
        fcgiwrap-service-type)

(define-record-type* <fcgiwrap-configuration> fcgiwrap-configuration
  make-fcgiwrap-configuration fcgiwrap-configuration?
  (package fcgiwrap-configuration-package
           (default (module-ref (resolve-interface '(gnu packages web)) 'fcgiwrap)))
  (socket  fcgiwrap-configuration-socket (default "tcp:127.0.0.1:9000"))
  (user    fcgiwrap-configuration-user (default "fcgiwrap"))
  (group   fcgiwrap-configuration-group (default "fcgiwrap")))

(define (fcgiwrap-accounts config)
  (let ((user (fcgiwrap-configuration-user config))
        (group (fcgiwrap-configuration-group config)))
    (append (if (equal? group "fcgiwrap")
                (list (user-group (name "fcgiwrap") (system? #t)))
                '())
            (if (equal? user "fcgiwrap")
                (list (user-account (name "fcgiwrap") (group group) (system? #t)
                                    (comment "Fcgiwrap Daemon") (home-directory "/var/empty")
                                    (shell "/sbin/nologin")))
                '()))))

(define (fcgiwrap-shepherd-service config)
  (list (shepherd-service
         (provision '(fcgiwrap))
         (documentation "Run the fcgiwrap daemon.")
         (requirement '(user-processes networking))
         (start #~(make-forkexec-constructor
                   (list #$(file-append (fcgiwrap-configuration-package config) "/sbin/fcgiwrap")
                         "-s" #$(fcgiwrap-configuration-socket config))
                   #:user #$(fcgiwrap-configuration-user config)
                   #:group #$(fcgiwrap-configuration-group config)
                   #:log-file "/var/log/fcgiwrap.log"))
         (stop #~(make-kill-destructor)))))

(define (fcgiwrap-activation config)
  ;; A unix socket's directory, owned by the daemon's user and group.
  (let ((socket (fcgiwrap-configuration-socket config)))
    #~(begin
        (use-modules (guix build utils))
        (when (string-prefix? "unix:" #$socket)
          (let ((run-directory (dirname (substring #$socket (string-length "unix:")))))
            (mkdir-p run-directory)
            (chown run-directory
                   (passwd:uid (getpw #$(fcgiwrap-configuration-user config)))
                   (group:gid (getgr #$(fcgiwrap-configuration-group config)))))))))

(define fcgiwrap-service-type
  (service-type
   (name 'fcgiwrap)
   (extensions
    (list (service-extension shepherd-root-service-type fcgiwrap-shepherd-service)
          (service-extension account-service-type fcgiwrap-accounts)
          (service-extension activation-service-type fcgiwrap-activation)))
   ;; Services extend it only to have it instantiated (cgit, git-http).
   (compose (const #f))
   (extend (lambda (config _) config))
   (default-value (fcgiwrap-configuration))
   (description "Run fcgiwrap, the FastCGI wrapper for CGI programs.")))

;; Names Guix's module exports too.
(export nginx-configuration-extra-content nginx-configuration-file
        nginx-configuration-global-directives nginx-configuration-log-directory
        nginx-configuration-log-format nginx-configuration-log-formats
        nginx-configuration-log-level nginx-configuration-modules
        nginx-configuration-run-directory
        nginx-configuration-server-names-hash-bucket-max-size
        nginx-configuration-server-names-hash-bucket-size
        nginx-configuration-shepherd-requirement nginx-configuration-upstream-blocks
        nginx-named-location-configuration-body nginx-named-location-configuration-name
        nginx-named-location-configuration? nginx-upstream-configuration-extra-content
        nginx-upstream-configuration-name nginx-upstream-configuration-servers
        nginx-configuration-stream
        nginx-log-format-configuration nginx-log-format-configuration?
        nginx-log-format-configuration-name nginx-log-format-configuration-escape
        nginx-log-format-configuration-format
        nginx-stream-configuration nginx-stream-configuration?
        nginx-stream-configuration-server-blocks nginx-stream-configuration-extra-content)

;;;
;;; Varnish Cache (Guix manual, "Web Services"): one varnishd instance per
;;; service, its command line built from the record (Debian: varnish).
;;;

(export varnish-configuration
        varnish-configuration?
        varnish-configuration-package
        varnish-configuration-name
        varnish-configuration-backend
        varnish-configuration-vcl
        varnish-configuration-listen
        varnish-configuration-storage
        varnish-configuration-parameters
        varnish-configuration-extra-options
        varnish-service-type)

(define-record-type* <varnish-configuration> varnish-configuration
  make-varnish-configuration varnish-configuration?
  (package       varnish-configuration-package
                 (default (module-ref (resolve-interface '(gnu packages web)) 'varnish)))
  (name          varnish-configuration-name (default "default"))
  (backend       varnish-configuration-backend (default "localhost:8080"))
  (vcl           varnish-configuration-vcl (default #f))            ;#f or file-like
  (listen        varnish-configuration-listen (default '("localhost:80")))
  (storage       varnish-configuration-storage (default '("malloc,128m")))
  (parameters    varnish-configuration-parameters (default '()))    ;(("name" . "value") ...)
  (extra-options varnish-configuration-extra-options (default '())))

(define (varnish-command config)
  "varnishd's command line for CONFIG: the VCL program when there is one, else the backend."
  (let ((vcl (varnish-configuration-vcl config))
        (option (lambda (flag) (lambda (value) (list flag value)))))
    (append (list (file-append (varnish-configuration-package config) "/sbin/varnishd")
                  "-n" (varnish-configuration-name config))
            (if vcl (list "-f" vcl) (list "-b" (varnish-configuration-backend config)))
            (append-map (option "-a") (varnish-configuration-listen config))
            (append-map (option "-s") (varnish-configuration-storage config))
            (append-map (lambda (p) (list "-p" (string-append (car p) "=" (cdr p))))
                        (varnish-configuration-parameters config))
            (varnish-configuration-extra-options config))))

(define (varnish-pid-file name)
  ;; varnishd keeps its files in /var/varnish/NAME, or in NAME when it is absolute.
  (string-append (if (string-prefix? "/" name) name (string-append "/var/varnish/" name))
                 "/_.pid"))

(define (varnish-shepherd-service config)
  (let ((name (varnish-configuration-name config)))
    (list (shepherd-service
           (provision (list (symbol-append 'varnish- (string->symbol name))))
           (documentation (string-append "The Varnish Web Accelerator (" name ")"))
           (requirement '(user-processes networking))
           ;; No #:user: varnishd drops to the varnish account itself, after binding
           ;; ports below 1024.
           (start #~(make-forkexec-constructor (list #$@(varnish-command config))
                                               #:pid-file #$(varnish-pid-file name)))
           (stop #~(make-kill-destructor))))))

(define %varnish-accounts
  (daemon-account "varnish" "Varnish Cache User" #:home "/var/varnish"))

(define varnish-service-type
  (service-type
   (name 'varnish)
   (extensions
    (list (service-extension account-service-type (const %varnish-accounts))
          (service-extension shepherd-root-service-type varnish-shepherd-service)))
   (default-value (varnish-configuration))
   (description "Run the Varnish cache server.")))

;;;
;;; Whoogle Search (Guix manual, "Web Services"): the metasearch engine's web
;;; server, configured by environment variables.
;;;

(export whoogle-configuration
        whoogle-configuration?
        whoogle-configuration-package
        whoogle-configuration-host
        whoogle-configuration-port
        whoogle-configuration-environment-variables
        whoogle-service-type)

(define-configuration/no-serialization whoogle-configuration
  (package
    (file-like (module-ref (resolve-interface '(gnu packages python-web)) 'whoogle-search))
    "The whoogle-search package.")
  (host (string "127.0.0.1") "The address Whoogle listens on.")
  (port (integer 5000) "The port Whoogle listens on.")
  (environment-variables (list-of-strings '()) "Environment variables (\"NAME=VALUE\")."))

(define (whoogle-shepherd-service config)
  (list (shepherd-service
         (provision '(whoogle-search))
         (requirement '(user-processes))
         (documentation "Run a whoogle-search instance.")
         (start #~(make-forkexec-constructor
                   (list #$(file-append (whoogle-configuration-package config)
                                        "/bin/whoogle-search")
                         "--host" #$(whoogle-configuration-host config)
                         "--port" #$(number->string (whoogle-configuration-port config)))
                   #:environment-variables
                   (cons "CONFIG_VOLUME=/var/cache/whoogle-search"
                         '#$(whoogle-configuration-environment-variables config))))
         (stop #~(make-kill-destructor)))))

(define whoogle-service-type
  (service-type
   (name 'whoogle-search)
   (extensions
    (list (service-extension shepherd-root-service-type whoogle-shepherd-service)
          (service-extension profile-service-type
                             (lambda (config) (list (whoogle-configuration-package config))))))
   (default-value (whoogle-configuration))
   (description "Set up the whoogle-search metasearch engine.")))

;;;
;;; go-webdav (Guix manual, "Web Services"): its value is webdav-server's
;;; command-line arguments.
;;;

(export go-webdav-service-type)

(define (go-webdav-shepherd-service arguments)
  (list (shepherd-service
         (provision '(go-webdav))
         ;; It may listen on one address only: start it once the network is up.
         (requirement '(user-processes networking))
         (documentation "Run the go-webdav server.")
         (start #~(make-forkexec-constructor
                   (list #$(file-append (module-ref (resolve-interface '(gnu packages golang-xyz))
                                                    'go-webdav)
                                        "/bin/webdav-server")
                         #$@arguments)))
         (stop #~(make-kill-destructor)))))

(define go-webdav-service-type
  (service-type
   (name 'go-webdav)
   (extensions
    (list (service-extension account-service-type
                             (const (daemon-account "go-webdav" "go-webdav daemon user")))
          (service-extension shepherd-root-service-type go-webdav-shepherd-service)))
   (compose concatenate)
   (default-value '("-addr" "127.0.0.1:8080"))
   (description "Run the go-webdav WebDAV server.")))

;;;
;;; gmnisrv (Guix manual, "Web Services"): a Gemini server run from its ini file.
;;;

(export gmnisrv-configuration
        gmnisrv-configuration?
        gmnisrv-configuration-package
        gmnisrv-configuration-config-file
        gmnisrv-service-type)

(define %default-gmnisrv-config-file
  ;; As Guix's: both address families on port 1965, certificates kept in
  ;; /var/lib/gemini/certs, /srv/gemini served as localhost.
  (plain-file "gmnisrv.ini"
              (string-append "\n"
                             "listen=0.0.0.0:1965 [::]:1965\n\n"
                             "[:tls]\n"
                             "store=/var/lib/gemini/certs\n\n"
                             "organization=gmnisrv on Guix user\n\n"
                             "[localhost]\n"
                             "root=/srv/gemini\n")))

(define-record-type* <gmnisrv-configuration> gmnisrv-configuration
  make-gmnisrv-configuration gmnisrv-configuration?
  (package     gmnisrv-configuration-package
               (default (module-ref (resolve-interface '(gnu packages web)) 'gmnisrv)))
  (config-file gmnisrv-configuration-config-file (default %default-gmnisrv-config-file)))

(define (gmnisrv-shepherd-service config)
  (list (shepherd-service
         (provision '(gmnisrv))
         (requirement '(user-processes networking))
         (documentation "Run the gmnisrv Gemini server.")
         (start #~(make-forkexec-constructor
                   (list #$(file-append (gmnisrv-configuration-package config) "/bin/gmnisrv")
                         "-C" #$(gmnisrv-configuration-config-file config))
                   #:user "gmnisrv" #:group "gmnisrv"
                   #:log-file "/var/log/gmnisrv.log"))
         (stop #~(make-kill-destructor)))))

(define %gmnisrv-activation
  ;; The certificate store of the default ini file, the server's own.
  #~(begin
      (use-modules (guix build utils))
      (mkdir-p "/var/lib/gemini/certs")
      (let ((pw (getpwnam "gmnisrv")))
        (for-each (lambda (dir) (chown dir (passwd:uid pw) (passwd:gid pw)))
                  '("/var/lib/gemini" "/var/lib/gemini/certs")))))

(define gmnisrv-service-type
  (service-type
   (name 'gmnisrv)
   (extensions
    (list (service-extension activation-service-type (const %gmnisrv-activation))
          (service-extension account-service-type
                             (const (daemon-account "gmnisrv" "gmnisrv Gemini server")))
          (service-extension shepherd-root-service-type gmnisrv-shepherd-service)))
   (default-value (gmnisrv-configuration))
   (description "Run the gmnisrv Gemini server.")))

;;;
;;; Agate (Guix manual, "Web Services"): a Gemini server configured by its
;;; command line.
;;;

(export agate-configuration
        agate-configuration?
        agate-configuration-package
        agate-configuration-content
        agate-configuration-only-tls13
        agate-configuration-serve-secret
        agate-configuration-ed25519
        agate-configuration-skip-port-check
        agate-configuration-log-ip
        agate-configuration-user
        agate-configuration-group
        agate-service-type)

;; Accessor names are Guix's; it exports those named after their field only (it also lists
;; agate-configuration-addr, -certs, -hostname, -lang, -central-conf and -log-file, which it
;; never defines).
(define-record-type* <agate-configuration> agate-configuration
  make-agate-configuration agate-configuration?
  (package                agate-configuration-package
                          (default (module-ref (resolve-interface '(gnu packages rust-apps))
                                               'agate)))
  (content                agate-configuration-content (default "/srv/gemini"))
  (certificates           agate-configuration-certificates (default "/srv/gemini-certs"))
  (addresses              agate-configuration-addresses (default '("[::]:1965" "0.0.0.0:1965")))
  (hostnames              agate-configuration-hostnames (default '()))
  (languages              agate-configuration-languages (default #f))
  (only-tls13?            agate-configuration-only-tls13 (default #f))
  (serve-secret?          agate-configuration-serve-secret (default #f))
  (central-configuration? agate-configuration-central-configuration (default #f))
  (ed25519?               agate-configuration-ed25519 (default #f))
  (skip-port-check?       agate-configuration-skip-port-check (default #f))
  (log-ip?                agate-configuration-log-ip (default #t))
  (user                   agate-configuration-user (default "agate"))
  (group                  agate-configuration-group (default "agate"))
  (log-file               agate-configuration-log (default "/var/log/agate.log")))

(define (agate-command config)
  (let ((flag (lambda (on? name) (if on? (list name) '()))))
    (append (list (file-append (agate-configuration-package config) "/bin/agate")
                  "--content" (agate-configuration-content config)
                  "--certs" (agate-configuration-certificates config))
            (append-map (lambda (a) (list "--addr" a)) (agate-configuration-addresses config))
            (append-map (lambda (h) (list "--hostname" h)) (agate-configuration-hostnames config))
            (let ((lang (agate-configuration-languages config)))
              (if lang (list "--lang" lang) '()))
            (flag (agate-configuration-serve-secret config) "--serve-secret")
            (flag (agate-configuration-only-tls13 config) "--only-tls13")
            (flag (agate-configuration-central-configuration config) "--central-conf")
            (flag (agate-configuration-ed25519 config) "--ed25519")
            (flag (agate-configuration-skip-port-check config) "--skip-port-check")
            (flag (agate-configuration-log-ip config) "--log-ip"))))

(define (agate-shepherd-service config)
  (list (shepherd-service
         (provision '(agate))
         (requirement '(user-processes networking))
         (documentation "Run the agate Gemini server.")
         (start #~(make-forkexec-constructor
                   (list #$@(agate-command config))
                   #:user #$(agate-configuration-user config)
                   #:group #$(agate-configuration-group config)
                   #:log-file #$(agate-configuration-log config)))
         (stop #~(make-kill-destructor)))))

(define (agate-accounts config)
  ;; As Guix: the agate group always (the user's supplementary group), the
  ;; configured group, and the user.
  (let ((user (agate-configuration-user config))
        (group (agate-configuration-group config)))
    (append (if (equal? group "agate") '() (list (user-group (name "agate") (system? #t))))
            (list (user-group (name group) (system? #t))
                  (user-account (name user) (group group)
                                (supplementary-groups '("agate"))
                                (system? #t)
                                (comment "agate server user")
                                (home-directory "/var/empty")
                                (shell %nologin-shell))))))

(define agate-service-type
  (service-type
   (name 'agate)
   (extensions
    (list (service-extension account-service-type agate-accounts)
          (service-extension shepherd-root-service-type agate-shepherd-service)))
   (default-value (agate-configuration))
   (description "Run Agate, a simple Gemini protocol server written in Rust.")))

;;;
;;; Miniflux (Guix manual, "Web Services"): the feed reader, its KEY=value
;;; configuration file, its PostgreSQL role and database.
;;;

(export miniflux-configuration
        miniflux-configuration?
        miniflux-configuration-listen-address
        miniflux-configuration-base-url
        miniflux-configuration-create-administrator-account?
        miniflux-configuration-administrator-account-name
        miniflux-configuration-administrator-account-password
        miniflux-configuration-run-migrations?
        miniflux-configuration-database-url
        miniflux-configuration-user
        miniflux-configuration-group
        miniflux-configuration-log-file
        miniflux-configuration-extra-settings
        miniflux-service-type
        miniflux-configuration-text)

(define (string-or-file-path? value) (string? value))
(define-maybe/no-serialization string-or-file-path)
(define-maybe/no-serialization list)

(define-configuration/no-serialization miniflux-configuration
  (listen-address (string "127.0.0.1:8080")
                  "Address (or absolute socket file name) to listen on.")
  (base-url (string "http://127.0.0.1/") "Base URL of the generated links and cookies.")
  (create-administrator-account? (boolean #f) "Create an initial administrator account.")
  (administrator-account-name maybe-string-or-file-path
                              "The initial administrator's name, or the absolute name of a file holding it.")
  (administrator-account-password maybe-string-or-file-path
                                  "The initial administrator's password, or the absolute name of a file holding it.")
  (run-migrations? (boolean #t) "Run database migrations at start-up.")
  (database-url (string "host=/var/run/postgresql") "PostgreSQL connection string.")
  (user (string "miniflux") "PostgreSQL role and system account.")
  (group (string "miniflux") "System account's group.")
  (log-file (string "/var/log/miniflux.log") "Log file.")
  (extra-settings maybe-list "More configuration lines, as strings."))

(define (miniflux-configuration-text config)
  "The miniflux.conf Guix writes for CONFIG: KEY=value lines; an account name or password
given as an absolute file name is read from that file (ADMIN_USERNAME_FILE=...)."
  (let ((line (lambda (key value) (string-append key "=" value "\n")))
        (bool (lambda (b) (if b "1" "0")))
        (maybe-file (lambda (key value)
                      (cond ((not (maybe-value-set? value)) "")
                            ((absolute-file-name? value)
                             (string-append key "_FILE=" value "\n"))
                            (else (string-append key "=" value "\n")))))
        (extra (miniflux-configuration-extra-settings config)))
    (string-append
     (line "LISTEN_ADDR" (miniflux-configuration-listen-address config))
     (line "BASE_URL" (miniflux-configuration-base-url config))
     (line "CREATE_ADMIN" (bool (miniflux-configuration-create-administrator-account? config)))
     (maybe-file "ADMIN_USERNAME" (miniflux-configuration-administrator-account-name config))
     (maybe-file "ADMIN_PASSWORD" (miniflux-configuration-administrator-account-password config))
     (line "RUN_MIGRATIONS" (bool (miniflux-configuration-run-migrations? config)))
     (line "DATABASE_URL" (miniflux-configuration-database-url config))
     (if (maybe-value-set? extra) (string-append (string-join extra "\n") "\n") ""))))

(define (miniflux-config-file config)
  (plain-file "miniflux.conf" (miniflux-configuration-text config)))

(define (miniflux-shepherd-service config)
  ;; Guix runs miniflux in a least-authority container; here it runs as its account.
  (let ((config-file (miniflux-config-file config)))
    (list (shepherd-service
           (provision '(miniflux))
           (requirement '(postgres networking))
           (documentation "Run Miniflux server")
           (start #~(make-forkexec-constructor
                     (list #$(file-append (module-ref (resolve-interface '(gnu packages web))
                                                      'miniflux)
                                          "/bin/miniflux")
                           "-config-file" #$config-file)
                     #:user #$(miniflux-configuration-user config)
                     #:group #$(miniflux-configuration-group config)
                     #:log-file #$(miniflux-configuration-log-file config)))
           (stop #~(make-kill-destructor))
           (actions (list (shepherd-configuration-action config-file)))))))

(define (miniflux-accounts config)
  (daemon-account (miniflux-configuration-user config) "miniflux server user"
                  #:group (miniflux-configuration-group config)))

(define (miniflux-activation config)
  ;; A Unix socket's directory belongs to the daemon's account.
  (let ((address (miniflux-configuration-listen-address config)))
    #~(begin
        (use-modules (guix build utils))
        (when (absolute-file-name? #$address)
          (let ((user (getpwnam #$(miniflux-configuration-user config)))
                (dir (dirname #$address)))
            (mkdir-p dir)
            (chown dir (passwd:uid user) (passwd:gid user))
            (chmod dir #o755))))))

(define miniflux-service-type
  (service-type
   (name 'miniflux)
   (extensions
    (list (service-extension account-service-type miniflux-accounts)
          (service-extension postgresql-role-service-type
                             (lambda (config)
                               (list (postgresql-role
                                      (name (miniflux-configuration-user config))
                                      (create-database? #t)))))
          (service-extension shepherd-root-service-type miniflux-shepherd-service)
          (service-extension log-rotation-service-type
                             (lambda (config) (list (miniflux-configuration-log-file config))))
          (service-extension activation-service-type miniflux-activation)))
   (default-value (miniflux-configuration))
   (description "Run Miniflux, minimalist feed reader")))

;;;
;;; anonip (Guix manual, "Log Rotation"): a FIFO the web server logs to, read by
;;; anonip, which writes the log with masked addresses.
;;;

(export anonip-configuration
        anonip-configuration?
        anonip-configuration-anonip
        anonip-configuration-input
        anonip-configuration-output
        anonip-configuration-debug?
        anonip-configuration-skip-private?
        anonip-configuration-column
        anonip-configuration-replacement
        anonip-configuration-ipv4mask
        anonip-configuration-ipv6mask
        anonip-configuration-increment
        anonip-configuration-delimiter
        anonip-configuration-regex
        anonip-service-type)

(define-record-type* <anonip-configuration> anonip-configuration
  make-anonip-configuration anonip-configuration?
  (anonip        anonip-configuration-anonip
                 (default (module-ref (resolve-interface '(gnu packages web)) 'anonip)))
  (input         anonip-configuration-input)                    ;the FIFO
  (output        anonip-configuration-output)                   ;the filtered log
  (debug?        anonip-configuration-debug? (default #f))
  (skip-private? anonip-configuration-skip-private? (default #f))
  (column        anonip-configuration-column (default #f))
  (replacement   anonip-configuration-replacement (default #f))
  (ipv4mask      anonip-configuration-ipv4mask (default #f))
  (ipv6mask      anonip-configuration-ipv6mask (default #f))
  (increment     anonip-configuration-increment (default #f))
  (delimiter     anonip-configuration-delimiter (default #f))
  (regex         anonip-configuration-regex (default #f)))

(define (anonip-command config)
  "anonip's command line for CONFIG, options in Guix's order, each --NAME=VALUE."
  (let ((option (lambda (value name)
                  (if value (list (format #f "~a=~a" name value)) '()))))
    (append (list (file-append (anonip-configuration-anonip config) "/bin/anonip")
                  (string-append "--input=" (anonip-configuration-input config))
                  (string-append "--output=" (anonip-configuration-output config)))
            (if (anonip-configuration-debug? config) '("--debug") '())
            (if (anonip-configuration-skip-private? config) '("--skip-private") '())
            (option (anonip-configuration-column config) "--column")
            (option (anonip-configuration-ipv4mask config) "--ipv4mask")
            (option (anonip-configuration-ipv6mask config) "--ipv6mask")
            (option (anonip-configuration-increment config) "--increment")
            (option (anonip-configuration-replacement config) "--replacement")
            (option (anonip-configuration-delimiter config) "--delimiter")
            (option (anonip-configuration-regex config) "--regex"))))

(define (anonip-shepherd-service config)
  (let ((input (anonip-configuration-input config))
        (output (anonip-configuration-output config)))
    (list (shepherd-service
           (provision (list (symbol-append 'anonip- (string->symbol output))))
           (requirement '(user-processes))
           (documentation "Anonymize the given log file location with anonip.")
           ;; The FIFO is made anew at each start: another service's activation (nginx's)
           ;; may have left a plain file in its place.  Guix runs anonip in its own UTF-8
           ;; locale; the host's C.UTF-8 is one.
           (start #~(lambda ()
                      (false-if-exception (delete-file #$input))
                      (mknod #$input 'fifo #o600 0)
                      (fork+exec-command (list #$@(anonip-command config))
                                         #:environment-variables '("LC_ALL=C.UTF-8"))))
           (stop #~(make-kill-destructor))))))

(define (anonip-activation config)
  #~(begin
      (use-modules (guix build utils))
      (for-each (lambda (directory)
                  (mkdir-p directory)
                  (chmod directory #o755))
                (list (dirname #$(anonip-configuration-input config))
                      (dirname #$(anonip-configuration-output config))))))

(define anonip-service-type
  (service-type
   (name 'anonip)
   (extensions
    (list (service-extension shepherd-root-service-type anonip-shepherd-service)
          (service-extension log-rotation-service-type
                             (lambda (config) (list (anonip-configuration-output config))))
          (service-extension activation-service-type anonip-activation)))
   (description "Provide web server log anonymization with anonip.")))

;;;
;;; hpcguix-web (Guix manual, "Web Services"): a web interface to browse Guix
;;; packages; its own configuration is a gexp written to a Scheme file.
;;;

(export hpcguix-web-configuration
        hpcguix-web-configuration?
        hpcguix-web-service-type)

(define-record-type* <hpcguix-web-configuration> hpcguix-web-configuration
  make-hpcguix-web-configuration hpcguix-web-configuration?
  (package hpcguix-web-package
           (default (module-ref (resolve-interface '(gnu packages web)) 'hpcguix-web)))
  (specs   hpcguix-web-configuration-specs (default #f))          ;#f or a gexp
  (address hpcguix-web-configuration-address (default "127.0.0.1"))
  (port    hpcguix-web-configuration-port (default 5000)))

(define %hpcguix-web-activation
  ;; Its cache directory (the package list), without the lock files a killed
  ;; server leaves, which would keep the list from being rebuilt.
  #~(begin
      (use-modules (guix build utils) (ice-9 ftw))
      (let ((home "/var/cache/guix/web")
            (user (getpwnam "hpcguix-web")))
        (mkdir-p home)
        (chown home (passwd:uid user) (passwd:gid user))
        (chmod home #o755)
        (for-each (lambda (lock) (delete-file (string-append home "/" lock)))
                  (scandir home (lambda (file) (string-suffix? ".lock" file)))))))

(define (hpcguix-web-shepherd-service config)
  (let* ((specs (hpcguix-web-configuration-specs config))
         (config-file (and specs (scheme-file "hpcguix-web.scm" specs))))
    (shepherd-service
     (provision '(hpcguix-web))
     (requirement '(user-processes networking))
     (documentation "hpcguix-web daemon")
     (start #~(make-forkexec-constructor
               (list #$(file-append (hpcguix-web-package config) "/bin/hpcguix-web")
                     #$(string-append "--listen=" (hpcguix-web-configuration-address config))
                     "-p" #$(number->string (hpcguix-web-configuration-port config))
                     #$@(if config-file
                            (list #~(string-append "--config=" #$config-file))
                            '()))
               #:user "hpcguix-web" #:group "hpcguix-web"
               #:environment-variables (list "XDG_CACHE_HOME=/var/cache/guix/web"
                                             "SSL_CERT_DIR=/etc/ssl/certs")
               #:log-file "/var/log/hpcguix-web.log"))
     (stop #~(make-kill-destructor))
     ;; As Guix: the action answers #f when there is no configuration file.
     (actions (list (shepherd-configuration-action config-file))))))

(define hpcguix-web-service-type
  (service-type
   (name 'hpcguix-web)
   (extensions
    (list (service-extension account-service-type
                             (const (daemon-account "hpcguix-web" "hpcguix-web")))
          (service-extension activation-service-type (const %hpcguix-web-activation))
          (service-extension shepherd-root-service-type
                             (lambda (config) (list (hpcguix-web-shepherd-service config))))))
   (default-value (hpcguix-web-configuration))
   (description "Run the hpcguix-web server.")))

;;;
;;; Patchwork (Guix manual, "Web Services"): the patch tracker as a Django
;;; application under httpd's mod_wsgi, its settings a Python package built
;;; from a record, mail fed to it by getmail.
;;;

(export patchwork-database-configuration
        patchwork-database-configuration?
        patchwork-database-configuration-engine
        patchwork-database-configuration-name
        patchwork-database-configuration-user
        patchwork-database-configuration-password
        patchwork-database-configuration-host
        patchwork-database-configuration-port
        patchwork-settings-module
        patchwork-settings-module?
        patchwork-settings-module-database-configuration
        patchwork-settings-module-allowed-hosts
        patchwork-settings-module-default-from-email
        patchwork-settings-module-static-url
        patchwork-settings-module-admins
        patchwork-settings-module-debug?
        patchwork-settings-module-enable-rest-api?
        patchwork-settings-module-enable-xmlrpc?
        patchwork-settings-module-force-https-links?
        patchwork-settings-module-extra-settings
        patchwork-configuration
        patchwork-configuration?
        patchwork-configuration-patchwork
        patchwork-configuration-domain
        patchwork-configuration-settings-module
        patchwork-virtualhost
        patchwork-service-type)

(define-record-type* <patchwork-database-configuration> patchwork-database-configuration
  make-patchwork-database-configuration patchwork-database-configuration?
  (engine   patchwork-database-configuration-engine
            (default "django.db.backends.postgresql_psycopg2"))
  (name     patchwork-database-configuration-name (default "patchwork"))
  (user     patchwork-database-configuration-user (default "httpd"))
  (password patchwork-database-configuration-password (default ""))
  (host     patchwork-database-configuration-host (default ""))
  (port     patchwork-database-configuration-port (default "")))

(define-record-type* <patchwork-settings-module> patchwork-settings-module
  make-patchwork-settings-module patchwork-settings-module?
  (database-configuration patchwork-settings-module-database-configuration
                          (default (patchwork-database-configuration)))
  (secret-key-file        patchwork-settings-module-secret-key-file
                          (default "/etc/patchwork/django-secret-key"))
  (allowed-hosts          patchwork-settings-module-allowed-hosts)
  (default-from-email     patchwork-settings-module-default-from-email)
  (static-url             patchwork-settings-module-static-url (default "/static/"))
  (admins                 patchwork-settings-module-admins (default '()))   ;((NAME EMAIL) ...)
  (debug?                 patchwork-settings-module-debug? (default #f))
  (enable-rest-api?       patchwork-settings-module-enable-rest-api? (default #t))
  (enable-xmlrpc?         patchwork-settings-module-enable-xmlrpc? (default #t))
  (force-https-links?     patchwork-settings-module-force-https-links? (default #t))
  (extra-settings         patchwork-settings-module-extra-settings (default "")))

(define-record-type* <patchwork-configuration> patchwork-configuration
  make-patchwork-configuration patchwork-configuration?
  (patchwork                patchwork-configuration-patchwork
                            (default (module-ref (resolve-interface '(gnu packages patchutils))
                                                 'patchwork)))
  (domain                   patchwork-configuration-domain)
  (settings-module          patchwork-configuration-settings-module)
  (static-path              patchwork-configuration-static-url (default "/static/"))
  (getmail-retriever-config getmail-retriever-config))

(define (python-boolean b) (if b "True" "False"))

(define (patchwork-settings-text module)
  "The settings.py of the patchwork-settings-module MODULE, as Guix writes it: Django's
settings, overriding patchwork's base settings."
  (let ((db (patchwork-settings-module-database-configuration module))
        (static-url (patchwork-settings-module-static-url module)))
    (string-append
     "from patchwork.settings.base import *\n\n"
     "# Configuration from Guix\n"
     "with open('" (patchwork-settings-module-secret-key-file module) "') as f:\n"
     "    SECRET_KEY = f.read().strip()\n\n"
     "ALLOWED_HOSTS = [\n"
     ;; Guix writes no comma between hosts (Python would join two of them into one
     ;; string); each host is followed by one here.
     (string-concatenate (map (lambda (host) (string-append "  '" host "',\n"))
                              (patchwork-settings-module-allowed-hosts module)))
     "]\n\n"
     "DEFAULT_AUTO_FIELD = 'django.db.models.AutoField'\n\n"
     "DEFAULT_FROM_EMAIL = '" (patchwork-settings-module-default-from-email module) "'\n"
     "SERVER_EMAIL = DEFAULT_FROM_EMAIL\n"
     "NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL\n\n"
     "ADMINS = [\n"
     (string-concatenate (map (match-lambda
                                ((name email) (string-append "('" name "','" email "'),")))
                              (patchwork-settings-module-admins module)))
     "]\n\n"
     "DEBUG = " (python-boolean (patchwork-settings-module-debug? module)) "\n\n"
     "ENABLE_REST_API = " (python-boolean (patchwork-settings-module-enable-rest-api? module)) "\n"
     "ENABLE_XMLRPC = " (python-boolean (patchwork-settings-module-enable-xmlrpc? module)) "\n\n"
     "FORCE_HTTPS_LINKS = " (python-boolean (patchwork-settings-module-force-https-links? module))
     "\n\n"
     "DATABASES = {\n"
     "    'default': {\n"
     (string-concatenate
      (map (lambda (key value) (string-append "        '" key "': '" value "',\n"))
           '("ENGINE" "NAME" "USER" "PASSWORD" "HOST" "PORT")
           (list (patchwork-database-configuration-engine db)
                 (patchwork-database-configuration-name db)
                 (patchwork-database-configuration-user db)
                 (patchwork-database-configuration-password db)
                 (patchwork-database-configuration-host db)
                 (patchwork-database-configuration-port db))))
     "    },\n"
     "}\n\n"
     (if static-url (string-append "STATIC_URL = '" static-url "'") "") "\n\n"
     "STATICFILES_STORAGE = (\n"
     "  'django.contrib.staticfiles.storage.StaticFilesStorage'\n"
     ")\n\n"
     "# Guix Extra Configuration\n"
     (patchwork-settings-module-extra-settings module) "\n")))

;; As Guix's gexp compiler: a settings module is a directory holding the Python
;; package guix.patchwork whose settings.py is the text above.
(%register-record-lowerer!
 <patchwork-settings-module>
 (lambda (module)
   (file-union "patchwork-settings"
               (list (list "guix/__init__.py" (plain-file "__init__.py" ""))
                     (list "guix/patchwork/__init__.py" (plain-file "__init__.py" ""))
                     (list "guix/patchwork/settings.py"
                           (plain-file "settings.py" (patchwork-settings-text module)))))))

(define (patchwork-virtualhost config)
  "The httpd virtual host serving CONFIG's patchwork through mod_wsgi on port 8080."
  (let* ((patchwork (patchwork-configuration-patchwork config))
         (domain (patchwork-configuration-domain config))
         (static-path (patchwork-configuration-static-url config))
         (name (package-name patchwork))
         (wsgi.py (file-append patchwork
                               (string-append "/lib/python"
                                              (version-major+minor
                                               (package-version
                                                (module-ref (resolve-interface '(gnu packages python))
                                                            'python)))
                                              "/site-packages/patchwork/wsgi.py"))))
    (httpd-virtualhost
     "*:8080"
     (append
      (list "ServerAdmin admin@example.com`\nServerName " domain "\n\n"
            "LogFormat \"%v %h %l %u %t \\\"%r\\\" %>s %b \\\"%{Referer}i\\\" \\\"%{User-Agent}i\\\"\" customformat\n"
            "LogLevel info\n"
            "CustomLog \"/var/log/httpd/" domain "-access_log\" customformat\n\n"
            "ErrorLog /var/log/httpd/error.log\n\n"
            "WSGIScriptAlias / " wsgi.py "\n"
            "WSGIDaemonProcess " name " user=httpd group=httpd processes=1 threads=2 "
            "display-name=%{GROUP} lang='en_US.UTF-8' locale='en_US.UTF-8' python-path="
            (patchwork-configuration-settings-module config) "\n"
            "WSGIProcessGroup " name "\n"
            "WSGIPassAuthorization On\n\n"
            "<Files " wsgi.py ">\n"
            "  Require all granted\n"
            "</Files>\n\n")
      (if static-path
          (list "Alias " static-path " " patchwork "/share/patchwork/htdocs/")
          '())
      (list "\n<Directory \"/srv/http/" domain "/\">\n"
            "    AllowOverride None\n"
            "    Options MultiViews Indexes SymlinksIfOwnerMatch IncludesNoExec\n"
            "    Require method GET POST OPTIONS\n"
            "</Directory>")))))

(define (patchwork-httpd-configuration config)
  (list "WSGISocketPrefix /var/run/mod_wsgi"
        (list "LoadModule wsgi_module "
              (file-append (module-ref (resolve-interface '(gnu packages web)) 'mod-wsgi)
                           "/modules/mod_wsgi.so"))
        (patchwork-virtualhost config)))

(define (patchwork-django-admin-gexp patchwork settings-module)
  ;; A procedure running `patchwork-admin COMMAND...' as httpd with the settings.
  #~(lambda command
      (zero? (spawn-command
              (cons #$(file-append patchwork "/bin/patchwork-admin") command)
              #:user "httpd" #:group "httpd"
              #:environment-variables
              (list "DJANGO_SETTINGS_MODULE=guix.patchwork.settings"
                    (string-append "PYTHONPATH=" #$settings-module))))))

(define (patchwork-shepherd-services config)
  (let* ((patchwork (patchwork-configuration-patchwork config))
         (settings-module (patchwork-configuration-settings-module config))
         (secret-key-file (and (patchwork-settings-module? settings-module)
                               (patchwork-settings-module-secret-key-file settings-module))))
    (list (shepherd-service
           (provision (list (string->symbol (string-append (package-name patchwork) "-setup"))))
           (requirement '(postgres))
           (documentation "Setup Patchwork.")
           ;; Django's secret key is made once, readable by httpd only (Guix draws it
           ;; with guile-gcrypt; here from /dev/urandom), then the database is migrated.
           (start #~(lambda ()
                      (define run-django-admin-command
                        #$(patchwork-django-admin-gexp patchwork settings-module))
                      (let ((secret-key-file #$secret-key-file))
                        (when (and secret-key-file (not (file-exists? secret-key-file)))
                          (mkdir-p (dirname secret-key-file))
                          (call-with-output-file secret-key-file
                            (lambda (port)
                              (let ((bytes (call-with-input-file "/dev/urandom"
                                             (lambda (in) (get-bytevector-n in 30))
                                             #:binary #t)))
                                (for-each (lambda (b)
                                            (display (string-pad (number->string b 16) 2 #\0) port))
                                          (bytevector->u8-list bytes)))))
                          (let ((pw (getpwnam "httpd")))
                            (chown secret-key-file (passwd:uid pw) (passwd:gid pw))
                            (chmod secret-key-file #o400))))
                      (run-django-admin-command "migrate")))
           (stop #~(const #f))
           (respawn? #f)
           (modules (append '((guix build utils) (rnrs io ports) (rnrs bytevectors))
                            %default-modules))
           (actions
            (list (shepherd-action
                   (name 'django-admin)
                   (documentation "Run a django admin command for patchwork")
                   (procedure (patchwork-django-admin-gexp patchwork settings-module)))))))))

(define (patchwork-getmail-configs config)
  (let* ((patchwork (patchwork-configuration-patchwork config))
         (retriever (getmail-retriever-config config))
         (pkg-name (package-name patchwork)))
    ;; (Inside the record, `name' would be its own field: hence `pkg-name'.)
    (list (getmail-configuration
           (name (string->symbol pkg-name))
           (user "httpd")
           (directory (string-append "/var/lib/getmail/" pkg-name))
           (rcfile (getmail-configuration-file
                    (retriever retriever)
                    (destination (getmail-destination-configuration
                                  (type "MDA_external")
                                  (path (file-append patchwork "/bin/patchwork-admin"))
                                  (extra-parameters '((arguments . ("parsemail"))))))
                    (options (getmail-options-configuration
                              (read-all #f) (delivered-to #f) (received #f)))))
           (idle (or (assq-ref (getmail-retriever-configuration-extra-parameters retriever)
                               'mailboxes)
                     '()))
           (environment-variables
            (list "DJANGO_SETTINGS_MODULE=guix.patchwork.settings"
                  #~(string-append "PYTHONPATH=" #$(patchwork-configuration-settings-module
                                                    config))))))))

(define patchwork-service-type
  (service-type
   (name 'patchwork-setup)
   (extensions
    (list (service-extension httpd-service-type patchwork-httpd-configuration)
          (service-extension shepherd-root-service-type patchwork-shepherd-services)
          (service-extension getmail-service-type patchwork-getmail-configs)))
   (description "Patchwork patch tracking system.")))

;;;
;;; Mumi (Guix manual, "Web Services"): the Debbugs web interface, its mailer,
;;; and a timer that mirrors the Debbugs data with rsync and indexes it.
;;;

(export mumi-configuration
        mumi-configuration?
        mumi-configuration-mumi
        mumi-configuration-data-directory
        mumi-configuration-rsync-remote
        mumi-configuration-rsync-flags
        mumi-configuration-mailer?
        mumi-configuration-sender
        mumi-configuration-smtp
        mumi-configuration-packages
        mumi-package-configuration
        mumi-package-configuration?
        mumi-package-configuration-name
        mumi-package-configuration-display-name
        mumi-package-configuration-debbugs-packages
        mumi-package-configuration-bug-email-address
        mumi-package-configuration-patch-email-address
        mumi-package-configuration-file-tags
        mumi-service-type)

(define (mumi-package) (module-ref (resolve-interface '(gnu packages mail)) 'mumi))

(define-record-type* <mumi-configuration> mumi-configuration
  make-mumi-configuration mumi-configuration?
  (mumi           mumi-configuration-mumi (default (mumi-package)))
  (data-directory mumi-configuration-data-directory (default "/var/mumi/data"))
  (rsync-remote   mumi-configuration-rsync-remote)
  (rsync-flags    mumi-configuration-rsync-flags (default '()))
  (mailer?        mumi-configuration-mailer? (default #t))
  (sender         mumi-configuration-sender (default #f))
  (smtp           mumi-configuration-smtp (default #f))
  (packages       mumi-configuration-packages (default '())))

(define-record-type* <mumi-package-configuration> mumi-package-configuration
  make-mumi-package-configuration mumi-package-configuration?
  (name                mumi-package-configuration-name)
  (display-name        mumi-package-configuration-display-name (default #f))
  (debbugs-packages    mumi-package-configuration-debbugs-packages)
  (bug-email-address   mumi-package-configuration-bug-email-address (default #f))
  (patch-email-address mumi-package-configuration-patch-email-address (default #f))
  (file-tags           mumi-package-configuration-file-tags (default '())))

(define (mumi-package-configuration->alist package)
  ;; (NAME (KEY . VALUE) ...), the settings given only.
  (let ((entry (lambda (key value) (if value (list (cons key value)) '()))))
    (cons (mumi-package-configuration-name package)
          (append (entry 'display-name (mumi-package-configuration-display-name package))
                  (entry 'debbugs-packages (mumi-package-configuration-debbugs-packages package))
                  (entry 'bug-email-address (mumi-package-configuration-bug-email-address package))
                  (entry 'patch-email-address
                         (mumi-package-configuration-patch-email-address package))
                  (let ((tags (mumi-package-configuration-file-tags package)))
                    (if (null? tags) '() (list (cons 'file-tags tags))))))))

(define (mumi-config-file config)
  ;; As Guix's: one alist, written with `write'.
  (plain-file "mumi.conf"
              (call-with-output-string
                (lambda (port)
                  (write `((mailer-enabled? . ,(mumi-configuration-mailer? config))
                           (packages . ,(map mumi-package-configuration->alist
                                             (mumi-configuration-packages config))))
                         port)))))

(define (mumi-rsync-and-index config)
  (program-file "mumi-rsync-and-index"
                #~(begin
                    (use-modules (guix build utils))
                    (invoke #$(file-append (module-ref (resolve-interface '(gnu packages rsync))
                                                       'rsync)
                                           "/bin/rsync")
                            "--delete" "--archive" "--verbose"
                            #$@(mumi-configuration-rsync-flags config)
                            #$(mumi-configuration-rsync-remote config)
                            #$(mumi-configuration-data-directory config))
                    (invoke #$(file-append (mumi-package) "/bin/mumi") "fetch"
                            (string-append "--config=" #$(mumi-config-file config))))))

(define (mumi-shepherd-services config)
  ;; Guix gives mumi its own UTF-8 locales; the host's C.UTF-8 is one.
  (let ((mumi (file-append (mumi-configuration-mumi config) "/bin/mumi"))
        (conf (mumi-config-file config))
        (sender (mumi-configuration-sender config))
        (smtp (mumi-configuration-smtp config)))
    (list (shepherd-service
           (provision '(mumi))
           (requirement '(user-processes networking))
           (documentation "Mumi bug-tracking web interface.")
           (start #~(make-forkexec-constructor
                     (list #$mumi "web" (string-append "--config=" #$conf))
                     #:environment-variables '("LC_ALL=C.UTF-8")
                     #:user "mumi" #:group "mumi"
                     #:log-file "/var/log/mumi.log"))
           (stop #~(make-kill-destructor)))
          (shepherd-service
           (provision '(mumi-rsync-and-index))
           (modules '((shepherd service timer)))
           (documentation "Rsync and index the GNU Debbugs data")
           ;; Every five minutes, unless the previous run is still going.
           (start #~(make-timer-constructor
                     (calendar-event #:minutes '#$(iota 12 0 5))
                     (command (list #$(mumi-rsync-and-index config)))
                     #:log-file "/var/log/mumi.rsync-and-index.log"
                     #:max-duration (* 2 60 60)
                     #:wait-for-termination? #t))
           (stop #~(make-timer-destructor))
           (actions (list shepherd-trigger-action)))
          (shepherd-service
           (provision '(mumi-mailer))
           (requirement '(user-processes networking))
           (documentation "Mumi bug-tracking web interface mailer.")
           (start #~(make-forkexec-constructor
                     (list #$mumi "mailer" (string-append "--config=" #$conf)
                           #$@(if sender (list (string-append "--sender=" sender)) '())
                           #$@(if smtp (list (string-append "--smtp=" smtp)) '()))
                     #:environment-variables '("LC_ALL=C.UTF-8")
                     #:user "mumi" #:group "mumi"
                     #:log-file "/var/log/mumi.mailer.log"))
           (stop #~(make-kill-destructor))))))

(define %mumi-activation
  #~(begin
      (use-modules (guix build utils))
      (mkdir-p "/var/mumi/db")
      (mkdir-p "/var/mumi/mails")
      (let ((pw (getpwnam "mumi")))
        (for-each (lambda (dir) (chown dir (passwd:uid pw) (passwd:gid pw)))
                  '("/var/mumi" "/var/mumi/mails" "/var/mumi/db")))))

(define mumi-service-type
  (service-type
   (name 'mumi)
   (extensions
    (list (service-extension activation-service-type (const %mumi-activation))
          (service-extension account-service-type
                             (const (daemon-account "mumi" "Mumi web server")))
          (service-extension shepherd-root-service-type mumi-shepherd-services)))
   (description "Run Mumi, a Web interface to the Debbugs bug-tracking server.")))

;;;
;;; gunicorn (Guix manual, "Web Services"): one gunicorn process per WSGI
;;; application, on Unix sockets (or addresses) of its own.
;;;

(export gunicorn-configuration
        gunicorn-configuration?
        gunicorn-configuration-package
        gunicorn-configuration-apps
        gunicorn-app
        gunicorn-app?
        gunicorn-app-name
        gunicorn-app-package
        gunicorn-app-wsgi-app-module
        gunicorn-app-user
        gunicorn-app-group
        gunicorn-app-sockets
        gunicorn-app-workers
        gunicorn-app-extra-cli-arguments
        gunicorn-app-environment-variables
        gunicorn-app-timeout
        gunicorn-app-mappings
        gunicorn-service-type)

(define-record-type* <gunicorn-configuration> gunicorn-configuration
  make-gunicorn-configuration gunicorn-configuration?
  (package gunicorn-configuration-package
           (default (module-ref (resolve-interface '(gnu packages python-web)) 'gunicorn)))
  (apps    gunicorn-configuration-apps (default '())))

(define (sanitize-gunicorn-app-sockets value)
  (unless (and (list? value) (not (null? value)))
    (%raise-located #f (format #f "gunicorn: '~a' is invalid; must be a non-empty list" value)))
  value)

(define-record-type* <gunicorn-app> gunicorn-app
  make-gunicorn-app gunicorn-app?
  this-gunicorn-app
  (name                  gunicorn-app-name)
  (package               gunicorn-app-package)
  (wsgi-app-module       gunicorn-app-wsgi-app-module)
  (user                  gunicorn-app-user)
  (group                 gunicorn-app-group)
  (sockets               gunicorn-app-sockets
                         (default (list (string-append "unix:/var/run/gunicorn/"
                                                       (gunicorn-app-name this-gunicorn-app)
                                                       "/socket")))
                         (sanitize sanitize-gunicorn-app-sockets)
                         (thunked))
  (workers               gunicorn-app-workers (default 1))
  (extra-cli-arguments   gunicorn-app-extra-cli-arguments (default '()))
  (environment-variables gunicorn-app-environment-variables (default '()))  ;(("NAME" . "VALUE"))
  (timeout               gunicorn-app-timeout (default 30))
  (mappings              gunicorn-app-mappings (default '())))

(define (gunicorn-unix-socket-directory socket)
  ;; "unix:/var/run/gunicorn/app/socket" -> "/var/run/gunicorn/app"; #f for an address.
  (and (string-prefix? "unix:" socket)
       (dirname (substring socket (string-length "unix:")))))

(define (gunicorn-activation config)
  ;; The directories of the Unix sockets, each app's own.
  #~(begin
      (use-modules (guix build utils) (ice-9 match))
      (for-each (match-lambda
                  ((user group directories ...)
                   (for-each (lambda (directory)
                               (mkdir-p directory)
                               (chown directory (passwd:uid (getpw user))
                                      (group:gid (getgrnam group))))
                             directories)))
                '#$(map (lambda (app)
                          (cons* (gunicorn-app-user app) (gunicorn-app-group app)
                                 (filter-map gunicorn-unix-socket-directory
                                             (gunicorn-app-sockets app))))
                        (gunicorn-configuration-apps config)))))

(define (gunicorn-app-command config app)
  (append (list (file-append (gunicorn-configuration-package config) "/bin/gunicorn")
                "--workers" (number->string (gunicorn-app-workers app))
                "--timeout" (number->string (gunicorn-app-timeout app)))
          (append-map (lambda (socket) (list "--bind" socket)) (gunicorn-app-sockets app))
          (append-map (lambda (pair) (list "--env" (string-append (car pair) "=" (cdr pair))))
                      (gunicorn-app-environment-variables app))
          (gunicorn-app-extra-cli-arguments app)
          (list (gunicorn-app-wsgi-app-module app))))

(define (gunicorn-shepherd-services config)
  ;; Guix runs each app in a least-authority container over a profile of Python and the
  ;; app's package; here gunicorn runs as the app's account on the host's Python.
  (map (lambda (app)
         (let ((name (string-append "gunicorn-" (gunicorn-app-name app))))
           (shepherd-service
            (provision (list (string->symbol name)))
            (requirement '(networking))
            (documentation (string-append "Run gunicorn for app " (gunicorn-app-name app) "."))
            (start #~(make-forkexec-constructor
                      (list #$@(gunicorn-app-command config app))
                      #:user #$(gunicorn-app-user app)
                      #:group #$(gunicorn-app-group app)
                      #:log-file #$(string-append "/var/log/" name ".log")))
            (stop #~(make-kill-destructor)))))
       (gunicorn-configuration-apps config)))

(define gunicorn-service-type
  (service-type
   (name 'gunicorn)
   (extensions
    (list (service-extension activation-service-type gunicorn-activation)
          (service-extension shepherd-root-service-type gunicorn-shepherd-services)))
   (compose concatenate)
   (extend (lambda (config apps)
             (gunicorn-configuration
              (inherit config)
              (apps (append (gunicorn-configuration-apps config) apps)))))
   (default-value (gunicorn-configuration))
   (description "Run gunicorn.")))

;;;
;;; cat-avatar-generator (Guix manual, "Web Services"): an nginx server running
;;; the PHP avatar generator through php-fpm, with its cache directory.
;;;

(export cat-avatar-generator-service)

(define* (cat-avatar-generator-service
          #:key
          (cache-dir "/var/cache/cat-avatar-generator")
          (package (module-ref (resolve-interface '(gnu packages web)) 'cat-avatar-generator))
          (configuration (nginx-server-configuration)))
  "A service adding to nginx the server CONFIGURATION serving PACKAGE's avatar generator,
whose PHP location tells it CACHE-DIR."
  (simple-service
   'cat-http-server nginx-service-type
   (list (nginx-server-configuration
          (inherit configuration)
          (locations
           (cons (let ((base (nginx-php-location)))
                   (nginx-location-configuration
                    (inherit base)
                    ;; As Guix: the PHP location's lines follow as one item (one line).
                    (body (list (string-append "fastcgi_param CACHE_DIR \"" cache-dir "\";")
                                (nginx-location-configuration-body base)))))
                 (nginx-server-configuration-locations configuration)))
          (root #~(string-append #$package "/share/web/cat-avatar-generator"))))))
