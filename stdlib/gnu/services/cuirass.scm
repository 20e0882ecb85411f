;;; schemy --- Cuirass, Guix's continuous integration (Guix manual,
;;; "Continuous Integration"): `cuirass register' socket-activated on its
;;; bridge and remote-builds sockets, `cuirass web', the remote build server
;;; and workers, with the command lines, accounts, PostgreSQL role and
;;; directories Guix gives them.  Cuirass is not packaged by Debian: on a
;;; host without it the services are realized and fail to start saying so.

(define-module (gnu services cuirass)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module ((guix utils) #:select (%current-system))
  #:use-module ((gnu packages admin) #:select (shadow))
  #:use-module ((gnu packages ci) #:select (cuirass))
  #:use-module ((gnu packages version-control) #:select (git))
  #:use-module (gnu services)
  #:use-module ((gnu services base) #:select (%default-substitute-urls))
  #:use-module ((gnu services databases)
                #:select (postgresql-service-type postgresql-role-service-type postgresql-role))
  #:use-module (gnu services shepherd)
  #:use-module (gnu system shadow)
  #:use-module (srfi srfi-1)
  #:use-module (ice-9 match)
  #:export (cuirass-remote-server-configuration
            cuirass-remote-server-configuration?
            cuirass-remote-server-configuration-backend-port
            cuirass-remote-server-configuration-log-port
            cuirass-remote-server-configuration-publish-port
            cuirass-remote-server-log-file
            cuirass-remote-server-configuration-cache
            cuirass-remote-server-configuration-log-expiry
            cuirass-remote-server-configuration-publish?
            cuirass-remote-server-trigger-url
            cuirass-remote-server-configuration-public-key
            cuirass-remote-server-configuration-private-key

            cuirass-configuration
            cuirass-configuration?
            cuirass-configuration-cuirass
            cuirass-configuration-log-file
            cuirass-configuration-web-log-file
            cuirass-configuration-cache-directory
            cuirass-configuration-user
            cuirass-configuration-group
            cuirass-configuration-interval
            cuirass-configuration-parallel-evaluations
            cuirass-configuration-ttl
            cuirass-configuration-evaluation-ttl
            cuirass-configuration-build-expiry
            cuirass-configuration-threads
            cuirass-configuration-web-threads
            cuirass-configuration-parameters
            cuirass-configuration-remote-server
            cuirass-configuration-database
            cuirass-configuration-port
            cuirass-configuration-host
            cuirass-configuration-specifications
            cuirass-configuration-one-shot?
            cuirass-configuration-fallback?
            cuirass-configuration-extra-options
            cuirass-configuration-web-extra-options
            cuirass-configuration->specification-file
            cuirass-service-type

            cuirass-remote-worker-configuration
            cuirass-remote-worker-configuration?
            cuirass-remote-worker-configuration-cuirass
            cuirass-remote-worker-workers
            cuirass-remote-worker-server
            cuirass-remote-worker-systems
            cuirass-remote-worker-log-file
            cuirass-remote-worker-configuration-publish-port
            cuirass-remote-worker-configuration-substitute-urls
            cuirass-remote-worker-configuration-public-key
            cuirass-remote-worker-configuration-private-key
            cuirass-remote-worker-service-type))

(define-record-type* <cuirass-remote-server-configuration>
  cuirass-remote-server-configuration make-cuirass-remote-server-configuration
  cuirass-remote-server-configuration?
  (backend-port cuirass-remote-server-configuration-backend-port (default 5555))
  (log-port     cuirass-remote-server-configuration-log-port (default 5556))
  (publish-port cuirass-remote-server-configuration-publish-port (default 5557))
  (log-file     cuirass-remote-server-log-file (default "/var/log/cuirass-remote-server.log"))
  (cache        cuirass-remote-server-configuration-cache (default "/var/cache/cuirass/remote/"))
  ;; Six months, in seconds.
  (log-expiry   cuirass-remote-server-configuration-log-expiry (default (* 6 30 24 3600)))
  (publish?     cuirass-remote-server-configuration-publish? (default #t))
  (trigger-url  cuirass-remote-server-trigger-url (default #f))
  (public-key   cuirass-remote-server-configuration-public-key (default #f))
  (private-key  cuirass-remote-server-configuration-private-key (default #f)))

(define-record-type* <cuirass-configuration>
  cuirass-configuration make-cuirass-configuration
  cuirass-configuration?
  (cuirass              cuirass-configuration-cuirass (default cuirass))
  (log-file             cuirass-configuration-log-file (default "/var/log/cuirass.log"))
  (web-log-file         cuirass-configuration-web-log-file (default "/var/log/cuirass-web.log"))
  (cache-directory      cuirass-configuration-cache-directory (default "/var/cache/cuirass"))
  (user                 cuirass-configuration-user (default "cuirass"))
  (group                cuirass-configuration-group (default "cuirass"))
  (interval             cuirass-configuration-interval (default 300))
  (parallel-evaluations cuirass-configuration-parallel-evaluations (default #f))
  (ttl                  cuirass-configuration-ttl (default 2592000))
  ;; Two years and four months of evaluations, four months of builds.
  (evaluation-ttl       cuirass-configuration-evaluation-ttl (default (* 24 30 24 3600)))
  (build-expiry         cuirass-configuration-build-expiry (default (* 4 30 24 3600)))
  (threads              cuirass-configuration-threads (default #f))
  (web-threads          cuirass-configuration-web-threads (default #f))
  (parameters           cuirass-configuration-parameters (default #f))
  (remote-server        cuirass-configuration-remote-server (default #f))
  (database             cuirass-configuration-database (default "dbname=cuirass"))
  (port                 cuirass-configuration-port (default 8081))
  (host                 cuirass-configuration-host (default "localhost"))
  ;; A gexp evaluating to the list of specifications.
  (specifications       cuirass-configuration-specifications)
  (one-shot?            cuirass-configuration-one-shot? (default #f))
  (fallback?            cuirass-configuration-fallback? (default #f))
  (extra-options        cuirass-configuration-extra-options (default '()))
  (web-extra-options    cuirass-configuration-web-extra-options (default '())))

(define (cuirass-configuration->specification-file config)
  "The file holding CONFIG's specifications (their code, pretty-printed),
checked by `cuirass register --check' where the host has Cuirass."
  (let ((program (file-append (cuirass-configuration-cuirass config) "/bin/cuirass")))
    (computed-file
     "cuirass-specs.scm"
     #~(begin
         (use-modules (ice-9 pretty-print))
         (call-with-output-file #$output
           (lambda (port)
             (pretty-print '#$(cuirass-configuration-specifications config) port)))
         ;; Guix validates the file with Cuirass itself; a host lacking
         ;; Cuirass cannot, and its services say so when started.
         (when (file-exists? #$program)
           (unless (zero? (system* #$program "register" "--check" "-S" #$output))
             (exit 1)))))))

(define (option flag value ->string)
  ;; "--FLAG=VALUE" when VALUE is set.
  (if value (list (string-append "--" flag "=" (->string value))) '()))

(define (seconds n) (string-append (number->string n) "s"))

(define (cuirass-register-command config spec-file)
  (match-record config <cuirass-configuration>
    (cuirass cache-directory database interval parallel-evaluations ttl evaluation-ttl
     build-expiry threads parameters remote-server one-shot? fallback? extra-options)
    (append
     (list #~(string-append #$cuirass "/bin/cuirass")
           "register"
           "--cache-directory" cache-directory
           "--specifications" spec-file
           "--database" database
           "--interval" (number->string interval))
     ;; As in Guix, the flag carries the evaluation TTL, not the count.
     (if parallel-evaluations
         (list (string-append "--parallel-evaluations=" (number->string evaluation-ttl)))
         '())
     (option "ttl" ttl seconds)
     (option "evaluation-ttl" evaluation-ttl seconds)
     (option "build-expiry" build-expiry seconds)
     (option "threads" threads number->string)
     (if parameters (list #~(string-append "--parameters=" #$parameters)) '())
     (if remote-server '("--build-remote") '())
     (if one-shot? '("--one-shot") '())
     (if fallback? '("--fallback") '())
     extra-options)))

(define (cuirass-web-command config)
  (match-record config <cuirass-configuration>
    (cuirass database host port web-threads parameters web-extra-options)
    (append
     (list #~(string-append #$cuirass "/bin/cuirass")
           "web"
           "--database" database
           "--listen" host
           "--port" (number->string port))
     (if web-threads (list #~(string-append "--threads=" #$web-threads)) '())
     (if parameters (list #~(string-append "--parameters=" #$parameters)) '())
     web-extra-options)))

(define (cuirass-remote-server-command config server)
  (match-record server <cuirass-remote-server-configuration>
    (backend-port publish-port log-expiry cache publish? trigger-url public-key private-key)
    (append
     (list #~(string-append #$(cuirass-configuration-cuirass config) "/bin/cuirass")
           "remote-server"
           (string-append "--database=" (cuirass-configuration-database config))
           (string-append "--cache=" cache)
           (string-append "--user=" (cuirass-configuration-user config))
           (string-append "--log-expiry=" (seconds log-expiry)))
     (option "backend-port" backend-port number->string)
     (option "publish-port" publish-port number->string)
     (let ((parameters (cuirass-configuration-parameters config)))
       (if parameters (list #~(string-append "--parameters=" #$parameters)) '()))
     (option "trigger-substitute-url" trigger-url identity)
     (if publish? '() '("--no-publish"))
     (option "public-key" public-key identity)
     (option "private-key" private-key identity))))

(define (cuirass-shepherd-service config)
  "The services of CONFIG: cuirass (register), cuirass-web and, with a remote
server, cuirass-remote-server."
  (let* ((user (cuirass-configuration-user config))
         (group (cuirass-configuration-group config))
         (spec-file (cuirass-configuration->specification-file config))
         (remote-server (cuirass-configuration-remote-server config)))
    (define (endpoint name)
      ;; A socket of /var/run/cuirass whose first connection starts Cuirass.
      #~(endpoint (make-socket-address AF_UNIX #$(string-append "/var/run/cuirass/" name))
                  #:name #$name
                  #:socket-owner #$user
                  #:socket-group #$group
                  #:socket-directory-permissions #o700))
    (append
     (list (shepherd-service
            (documentation "Run Cuirass.")
            (provision '(cuirass))
            (requirement '(user-processes guix-daemon postgres postgres-roles networking))
            (start #~(make-systemd-constructor
                      (list #$@(cuirass-register-command config spec-file))
                      (list #$(endpoint "bridge") #$(endpoint "remote-builds"))
                      ;; Evaluate right away, not at the first connection.
                      #:lazy-start? #f
                      #:environment-variables
                      (list "LC_ALL=C.UTF-8"
                            "GIT_SSL_CAINFO=/etc/ssl/certs/ca-certificates.crt"
                            "COLUMNS=200"
                            (string-append "GIT_EXEC_PATH=" #$git "/libexec/git-core"))
                      #:user #$user
                      #:group #$group
                      #:log-file #$(cuirass-configuration-log-file config)))
            (stop #~(make-systemd-destructor))
            (actions (list (shepherd-configuration-action spec-file))))
           (shepherd-service
            (documentation "Run Cuirass web interface.")
            (provision '(cuirass-web))
            (requirement '(user-processes cuirass))
            ;; The web interface comes up before Cuirass listens on its
            ;; bridge: it is restarted, slowly.
            (respawn-delay 1)
            (respawn-limit #~'(10 . 15))
            (start #~(make-forkexec-constructor
                      (list #$@(cuirass-web-command config))
                      #:user #$user
                      #:group #$group
                      #:log-file #$(cuirass-configuration-web-log-file config)))
            (stop #~(make-kill-destructor))))
     (if remote-server
         (list (shepherd-service
                (documentation "Run Cuirass remote build server.")
                (provision '(cuirass-remote-server))
                (requirement '(user-processes avahi-daemon cuirass))
                (start #~(make-forkexec-constructor
                          (list #$@(cuirass-remote-server-command config remote-server))
                          #:log-file #$(cuirass-remote-server-log-file remote-server)))
                (stop #~(make-kill-destructor))))
         '()))))

(define (cuirass-account config)
  (let ((user (cuirass-configuration-user config))
        (group (cuirass-configuration-group config)))
    (list (user-group (name group) (system? #t))
          (user-account
           (name user)
           (group group)
           (system? #t)
           (comment "Cuirass privilege separation user")
           (home-directory (string-append "/var/lib/" user))
           (shell (file-append shadow "/sbin/nologin"))))))

(define (cuirass-postgresql-role config)
  (list (postgresql-role
         (name (cuirass-configuration-user config))
         (create-database? #t))))

(define (cuirass-activation config)
  ;; The cache, log, GC roots and socket directories, owned by Cuirass's user
  ;; (the socket directory private to it), and the remote server's cache.
  (let* ((cache (cuirass-configuration-cache-directory config))
         (remote-server (cuirass-configuration-remote-server config))
         (remote-cache (and remote-server (cuirass-remote-server-configuration-cache remote-server)))
         (user (cuirass-configuration-user config))
         (group (cuirass-configuration-group config))
         (profile (string-append "/var/guix/profiles/per-user/" user))
         (roots (string-append profile "/cuirass")))
    #~(begin
        (use-modules (guix build utils))
        (for-each mkdir-p (list #$cache "/var/log/cuirass" #$roots "/var/run/cuirass"))
        (when #$remote-cache
          (mkdir-p #$remote-cache))
        (let ((uid (passwd:uid (getpwnam #$user)))
              (gid (group:gid (getgrnam #$group))))
          (for-each (lambda (dir) (chown dir uid gid))
                    (list #$cache "/var/log/cuirass" #$roots #$profile "/var/run/cuirass"))
          (chmod "/var/run/cuirass" #o700)
          (when #$remote-cache
            (chown #$remote-cache uid gid))))))

(define cuirass-service-type
  (service-type
   (name 'cuirass)
   (extensions
    (list (service-extension profile-service-type
                             (lambda (config) (list (cuirass-configuration-cuirass config))))
          (service-extension activation-service-type cuirass-activation)
          (service-extension shepherd-root-service-type cuirass-shepherd-service)
          (service-extension account-service-type cuirass-account)
          ;; The PostgreSQL server, and Cuirass's role and database in it.
          (service-extension postgresql-service-type (const #t))
          (service-extension postgresql-role-service-type cuirass-postgresql-role)))
   (description "Run the Cuirass continuous integration service.")))

(define-record-type* <cuirass-remote-worker-configuration>
  cuirass-remote-worker-configuration make-cuirass-remote-worker-configuration
  cuirass-remote-worker-configuration?
  (cuirass         cuirass-remote-worker-configuration-cuirass (default cuirass))
  (workers         cuirass-remote-worker-workers (default 1))
  (server          cuirass-remote-worker-server (default #f))
  (systems         cuirass-remote-worker-systems (default (list (%current-system))))
  (log-file        cuirass-remote-worker-log-file (default "/var/log/cuirass-remote-worker.log"))
  (publish-port    cuirass-remote-worker-configuration-publish-port (default 5558))
  (substitute-urls cuirass-remote-worker-configuration-substitute-urls
                   (default %default-substitute-urls))
  (public-key      cuirass-remote-worker-configuration-public-key (default #f))
  (private-key     cuirass-remote-worker-configuration-private-key (default #f)))

(define %cuirass-remote-worker-accounts
  (list (user-group (name "cuirass-worker") (system? #t))
        (user-account
         (name "cuirass-worker")
         (group "cuirass-worker")
         (system? #t)
         (comment "Cuirass worker privilege separation user")
         (home-directory "/var/empty")
         (shell (file-append shadow "/sbin/nologin")))))

(define (cuirass-remote-worker-shepherd-service config)
  (match-record config <cuirass-remote-worker-configuration>
    (cuirass workers server systems log-file publish-port substitute-urls public-key private-key)
    (list (shepherd-service
           (documentation "Run Cuirass remote build worker.")
           (provision '(cuirass-remote-worker))
           (requirement '(user-processes avahi-daemon guix-daemon networking))
           (start #~(make-forkexec-constructor
                     (list #$(file-append cuirass "/bin/cuirass")
                           "remote-worker"
                           ;; The worker drops its privileges at once.
                           "--user=cuirass-worker"
                           #$(string-append "--workers=" (number->string workers))
                           #$@(option "server" server identity)
                           #$@(option "systems" systems (lambda (l) (string-join l ",")))
                           #$@(option "publish-port" publish-port number->string)
                           #$@(option "substitute-urls" substitute-urls string-join)
                           #$@(option "public-key" public-key identity)
                           #$@(option "private-key" private-key identity))
                     ;; Guile fibers' bug on aarch64 (before Guile 3.0.10).
                     #:environment-variables
                     (if (string-prefix? "aarch64-" %host-type)
                         '("GUILE_JIT_THRESHOLD=-1")
                         '())
                     #:log-file #$log-file))
           (stop #~(make-kill-destructor))))))

(define cuirass-remote-worker-service-type
  (service-type
   (name 'cuirass-remote-worker)
   (extensions
    (list (service-extension shepherd-root-service-type cuirass-remote-worker-shepherd-service)
          (service-extension account-service-type (const %cuirass-remote-worker-accounts))))
   (description "Run the Cuirass remote build worker service.")))
