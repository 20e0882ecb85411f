;;; schemy --- Database services (Guix manual, "Database Services"):
;;; PostgreSQL (postgresql.conf, pg_hba.conf), MySQL/MariaDB (my.cnf),
;;; Redis (redis.conf) and Memcached, each run by schemy as its own system user.

(define-module (gnu services databases)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module ((guix packages) #:select (package-name))
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (gnu system shadow)
  #:use-module ((gnu packages databases) #:select (postgresql redis mariadb memcached))
  #:use-module ((gnu packages admin) #:select (shadow))
  #:use-module (srfi srfi-1)
  #:export (postgresql-config-file
            postgresql-config-file?
            postgresql-configuration
            postgresql-configuration?
            postgresql-service-type
            postgresql-role
            postgresql-role?
            postgresql-role-name
            postgresql-role-password-file
            postgresql-role-permissions
            postgresql-role-create-database?
            postgresql-role-configuration
            postgresql-role-configuration?
            postgresql-role-configuration-host
            postgresql-role-configuration-shepherd-requirement
            postgresql-role-configuration-roles
            %default-postgresql-role-shepherd-requirement
            postgresql-role-service-type
            %default-postgres-hba
            %default-postgres-ident
            postgresql-config-file-text
            mysql-configuration
            mysql-configuration?
            mysql-service-type
            redis-configuration
            redis-configuration?
            redis-service-type

            memcached-service-type
            memcached-configuration
            memcached-configuration?
            memcached-configuration-memcached
            memcached-configuration-interfaces
            memcached-configuration-tcp-port
            memcached-configuration-udp-port
            memcached-configuration-additional-options))

;;; PostgreSQL.

(define %default-postgres-hba
  (plain-file "pg_hba.conf"
              "local\tall\tall\t\t\tpeer\nhost\tall\tall\t127.0.0.1/32 \tmd5\nhost\tall\tall\t::1/128 \tmd5\n"))

(define %default-postgres-ident
  (plain-file "pg_ident.conf" "# MAPNAME       SYSTEM-USERNAME         PG-USERNAME\n"))

(define-record-type* <postgresql-config-file> postgresql-config-file
  make-postgresql-config-file postgresql-config-file?
  (log-destination  postgresql-config-file-log-destination (default "syslog"))
  (hba-file         postgresql-config-file-hba-file (default %default-postgres-hba))
  (ident-file       postgresql-config-file-ident-file (default %default-postgres-ident))
  (socket-directory postgresql-config-file-socket-directory (default "/var/run/postgresql"))
  (extra-config     postgresql-config-file-extra-config (default '())))

(define (pg-value v)
  (cond ((string? v) (string-append "'" v "'"))
        ((number? v) (number->string v))
        ((eq? v #t) "on")
        ((eq? v #f) "off")
        (else (format #f "~a" v))))

(define (postgresql-config-file-text config)
  "The settings of postgresql.conf other than the hba and ident files."
  (string-append
   "log_destination = " (pg-value (postgresql-config-file-log-destination config)) "\n"
   "unix_socket_directories = " (pg-value (postgresql-config-file-socket-directory config)) "\n"
   (string-concatenate
    (map (lambda (kv)
           (string-append (car kv) " = " (pg-value (cadr kv)) "\n"))
         (postgresql-config-file-extra-config config)))))

(define (postgresql-config-file->file config)
  (mixed-text-file "postgresql.conf"
                   "hba_file = '" (postgresql-config-file-hba-file config) "'\n"
                   "ident_file = '" (postgresql-config-file-ident-file config) "'\n"
                   (postgresql-config-file-text config)))

(define-record-type* <postgresql-configuration> postgresql-configuration
  make-postgresql-configuration postgresql-configuration?
  (postgresql         postgresql-configuration-postgresql (default postgresql))
  (port               postgresql-configuration-port (default 5432))
  (locale             postgresql-configuration-locale (default "en_US.utf8"))
  (config-file        postgresql-configuration-file (default (postgresql-config-file)))
  (log-directory      postgresql-configuration-log-directory (default "/var/log/postgresql"))
  (data-directory     postgresql-configuration-data-directory (default "/var/lib/postgresql/data"))
  (extension-packages postgresql-configuration-extension-packages (default '()))
  (create-account?    postgresql-configuration-create-account? (default #t))
  (allow-login?       postgresql-configuration-allow-login? (default #f))
  (home-directory     postgresql-configuration-home-directory (default "/var/empty"))
  (uid                postgresql-configuration-uid (default #f))
  (gid                postgresql-configuration-gid (default #f)))

(define (postgresql-accounts config)
  (if (postgresql-configuration-create-account? config)
      (list (user-group (name "postgres") (system? #t))
            (user-account (name "postgres") (group "postgres") (system? #t)
                          (comment "PostgreSQL server user")
                          (home-directory (postgresql-configuration-home-directory config))
                          (shell (if (postgresql-configuration-allow-login? config)
                                     "/bin/sh" "/sbin/nologin"))))
      '()))

(define (postgresql-activation config)
  ;; As Guix: the socket and log directories, owned by postgres, and on first activation the
  ;; data directory, initialised by initdb run as postgres (initdb refuses to run as root).
  (let ((socket-directory (let ((file (postgresql-configuration-file config)))
                            (and (postgresql-config-file? file)
                                 (postgresql-config-file-socket-directory file))))
        (log-directory (postgresql-configuration-log-directory config))
        (data-directory (postgresql-configuration-data-directory config))
        (locale (postgresql-configuration-locale config)))
    #~(begin
        (use-modules (guix build utils) (ice-9 match))
        (let ((user (getpwnam "postgres")))
          (let ((socket-directory #$socket-directory))
            (when (string? socket-directory)
              (mkdir-p socket-directory)
              (chown socket-directory (passwd:uid user) (passwd:gid user))))
          (when (string? #$log-directory)
            (mkdir-p #$log-directory)
            (chown #$log-directory (passwd:uid user) (passwd:gid user)))
          (unless (file-exists? #$data-directory)
            (let ((initdb #$(file-append (postgresql-configuration-postgresql config) "/bin/initdb"))
                  (initdb-args (if #$locale (list (string-append "--locale=" #$locale)) '())))
              (mkdir-p #$data-directory)
              (chown #$data-directory (passwd:uid user) (passwd:gid user))
              ;; Drop privileges and initialise the data directory in a child process.
              (match (primitive-fork)
                (0
                 (dynamic-wind
                   (const #t)
                   (lambda ()
                     (setgid (passwd:gid user))
                     (setuid (passwd:uid user))
                     (apply execl initdb initdb "-D" #$data-directory initdb-args))
                   (lambda ()
                     (primitive-exit 1))))
                (pid (waitpid pid)))))))))

(define (postgresql-shepherd-service config)
  ;; Guix runs pg_ctl as postgres, which starts the server in the background and logs to
  ;; LOG-DIRECTORY/pg_ctl.log; here the server itself runs in the foreground as postgres
  ;; (the service manager watches it), with its output in the same log file.
  (let ((file (postgresql-configuration-file config))
        (log-directory (postgresql-configuration-log-directory config)))
    (shepherd-service
     (provision '(postgres postgresql))
     (requirement '(user-processes loopback syslogd))
     (documentation "Run the PostgreSQL daemon.")
     (start #~(make-forkexec-constructor
               (list #$(file-append (postgresql-configuration-postgresql config) "/bin/postgres")
                     "-D" #$(postgresql-configuration-data-directory config)
                     "-p" #$(number->string (postgresql-configuration-port config))
                     (string-append
                      "--config-file="
                      #$(if (postgresql-config-file? file) (postgresql-config-file->file file) file)))
               #:user "postgres" #:group "postgres"
               #:log-file #$(and (string? log-directory)
                                 (string-append log-directory "/pg_ctl.log"))))
     (stop #~(make-kill-destructor))
     (actions (list (shepherd-configuration-action
                     (if (postgresql-config-file? file) (postgresql-config-file->file file) file)))))))

(define postgresql-service-type
  (service-type
   (name 'postgresql)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config) (list (postgresql-shepherd-service config))))
          (service-extension activation-service-type postgresql-activation)
          (service-extension account-service-type postgresql-accounts)
          (service-extension profile-service-type
                             (lambda (config) (list (postgresql-configuration-postgresql config))))))
   (default-value (postgresql-configuration))
   (description "Run the PostgreSQL database server.")))

(define-record-type* <postgresql-role> postgresql-role
  make-postgresql-role postgresql-role?
  (name             postgresql-role-name)
  (password-file    postgresql-role-password-file (default #f))
  (permissions      postgresql-role-permissions (default '(createdb login)))
  (create-database? postgresql-role-create-database? (default #f))
  (encoding         postgresql-role-encoding (default "UTF8"))
  (collation        postgresql-role-collation (default "en_US.utf8"))
  (ctype            postgresql-role-ctype (default "en_US.utf8"))
  (template         postgresql-role-template (default "template1")))

(define %default-postgresql-role-shepherd-requirement
  '(user-processes postgres))

(define %postgresql-role-runtime-dir "/run/postgresql-role")

(define-record-type* <postgresql-role-configuration> postgresql-role-configuration
  make-postgresql-role-configuration postgresql-role-configuration?
  (shepherd-requirement postgresql-role-configuration-shepherd-requirement
                        (default %default-postgresql-role-shepherd-requirement))
  (host  postgresql-role-configuration-host (default "/var/run/postgresql"))
  (log   postgresql-role-configuration-log (default "/var/log/postgresql_roles.log"))
  (roles postgresql-role-configuration-roles (default '())))

(define (role-permissions permissions)
  ;; The CREATE ROLE options among PERMISSIONS, upper case; others are ignored, as Guix does.
  (string-join (filter-map (lambda (p)
                             (and (memq p '(bypassrls createdb createrole login replication superuser))
                                  (string-upcase (symbol->string p))))
                           permissions)
               " "))

(define (role-queries roles)
  ;; psql commands that create each role (and its database) unless it exists.
  (plain-file
   "queries"
   (string-concatenate
    (map (lambda (role)
           (let ((name (postgresql-role-name role)))
             (string-append
              "SELECT NOT(EXISTS(SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = '" name
              "')) as not_exists;\n\\gset\n\\if :not_exists\n"
              "CREATE ROLE \"" name "\" WITH " (role-permissions (postgresql-role-permissions role)) ";\n"
              (if (postgresql-role-create-database? role)
                  (string-append "CREATE DATABASE \"" name "\" OWNER \"" name "\"\n"
                                 " ENCODING '" (postgresql-role-encoding role) "'\n"
                                 " LC_COLLATE '" (postgresql-role-collation role) "'\n"
                                 " LC_CTYPE '" (postgresql-role-ctype role) "'\n"
                                 " TEMPLATE " (postgresql-role-template role) ";")
                  "")
              "\\endif\n")))
         roles))))

(define (postgresql-create-roles config)
  ;; Runs psql as postgres on the queries, then, for the roles with a password file, on a
  ;; query file that sets their passwords (written in the runtime directory, readable by
  ;; postgres only, deleted at once: passwords never appear on a command line or in a log).
  ;; The program itself runs as root and gives psql to postgres, because the interpreter that
  ;; runs a program file may be one only root can run.
  (let ((host (postgresql-role-configuration-host config))
        (roles (postgresql-role-configuration-roles config)))
    (program-file
     "run-queries"
     (with-imported-modules '((guix build utils))
       #~(begin
           (use-modules (guix build utils) (ice-9 match) (ice-9 textual-ports))
           (let* ((psql #$(file-append postgresql "/bin/psql"))
                  (user (getpwnam "postgres"))
                  (passwords (filter identity
                                     (list #$@(map (lambda (role)
                                                     (let ((file (postgresql-role-password-file role)))
                                                       (and (string? file) (not (string-null? file))
                                                            #~(list #$(postgresql-role-name role) #$file))))
                                                   roles)))))
             (define (psql-as-postgres . args)
               (match (primitive-fork)
                 (0 (dynamic-wind
                      (const #t)
                      (lambda ()
                        (setgid (passwd:gid user))
                        (setuid (passwd:uid user))
                        (apply execl psql psql args))
                      (lambda () (primitive-exit 127))))
                 (pid (unless (zero? (status:exit-val (cdr (waitpid pid))))
                        (error "psql failed" args)))))
             (define (password-statement entry)
               (match entry
                 ((name file)
                  (if (file-exists? file)
                      (string-append "ALTER ROLE " name " WITH ENCRYPTED PASSWORD '"
                                     (call-with-input-file file get-string-all) "';")
                      (begin
                        (format (current-error-port)
                                "~a does not exist! ~a's password will not be set.~%" file name)
                        "")))))
             (psql-as-postgres "-a" "-h" #$host "-f" #$(role-queries roles))
             (unless (null? passwords)
               (let ((query (string-append #$%postgresql-role-runtime-dir "/set-passwords.sql")))
                 (mkdir-p #$%postgresql-role-runtime-dir)
                 (chown #$%postgresql-role-runtime-dir (passwd:uid user) (passwd:gid user))
                 (chmod #$%postgresql-role-runtime-dir #o700)
                 (call-with-output-file query
                   (lambda (port)
                     (display (string-join (append '("BEGIN;" "SET LOCAL log_statement = 'none';")
                                                   (map password-statement passwords)
                                                   '("COMMIT;\n"))
                                           "\n")
                              port)))
                 (chmod query #o600)  ; in a directory only postgres may enter
                 (chown query (passwd:uid user) (passwd:gid user))
                 (dynamic-wind
                   (const #t)
                   (lambda () (psql-as-postgres "-h" #$host "-f" query))
                   (lambda () (delete-file query)))))))))))

(define (postgresql-role-shepherd-services config)
  (list (shepherd-service
         (requirement (postgresql-role-configuration-shepherd-requirement config))
         (provision '(postgres-roles))
         (one-shot? #t)
         (documentation "Create PostgreSQL roles.")
         (start #~(make-forkexec-constructor
                   (list #$(postgresql-create-roles config))
                   #:log-file #$(postgresql-role-configuration-log config))))))

(define postgresql-role-service-type
  (service-type
   (name 'postgresql-role)
   (extensions
    (list (service-extension shepherd-root-service-type postgresql-role-shepherd-services)))
   (compose concatenate)
   (extend (lambda (config roles)
             (postgresql-role-configuration
              (inherit config)
              (roles (append (postgresql-role-configuration-roles config) roles)))))
   (default-value (postgresql-role-configuration))
   (description "Create PostgreSQL roles (and their databases) once the server runs.")))

;;; MySQL / MariaDB.

;; As Guix: mysqld runs from a wrapper that makes the data and run directories (owned by
;; mysql), initializes the system tables on the first start (mariadb-install-db, or mysqld
;; --initialize for MySQL), then drops privileges; a one-shot service runs mysql_upgrade once
;; the server answers on its socket, when auto-upgrade? is on.

(define-record-type* <mysql-configuration> mysql-configuration
  make-mysql-configuration mysql-configuration?
  (mysql             mysql-configuration-mysql (default mariadb))
  (bind-address      mysql-configuration-bind-address (default "127.0.0.1"))
  (port              mysql-configuration-port (default 3306))
  (socket            mysql-configuration-socket (default "/run/mysqld/mysqld.sock"))
  (datadir           mysql-configuration-datadir (default "/var/lib/mysql"))
  (extra-content     mysql-configuration-extra-content (default ""))
  (extra-environment mysql-configuration-extra-environment (default #~'()))
  (auto-upgrade?     mysql-configuration-auto-upgrade? (default #t)))

(define (my.cnf config)
  (plain-file "my.cnf"
              (string-append "[mysqld]\n"
                             "datadir=" (mysql-configuration-datadir config) "\n"
                             "socket=" (mysql-configuration-socket config) "\n"
                             "bind-address=" (mysql-configuration-bind-address config) "\n"
                             "port=" (number->string (mysql-configuration-port config)) "\n"
                             (mysql-configuration-extra-content config) "\n")))

(define (mysql-install config)
  ;; Creates the system tables of an empty data directory.
  (let ((mysql (mysql-configuration-mysql config)))
    (program-file
     "mysql-install"
     #~(exit
        (status:exit-val
         (if (string=? "mariadb" #$(package-name mysql))
             (system* #$(file-append mysql "/bin/mariadb-install-db")
                      (string-append "--defaults-file=" #$(my.cnf config))
                      "--skip-test-db" "--user=mysql")
             (system* #$(file-append mysql "/bin/mysqld")
                      (string-append "--defaults-file=" #$(my.cnf config))
                      "--initialize" "--user=mysql")))))))

(define (mysqld-wrapper config)
  (let ((datadir (mysql-configuration-datadir config))
        (rundir (dirname (mysql-configuration-socket config))))
    (program-file
     "mysqld-wrapper"
     (with-imported-modules '((guix build utils))
       #~(begin
           (use-modules (guix build utils))
           (let* ((mysqld #$(file-append (mysql-configuration-mysql config) "/bin/mysqld"))
                  (user (getpwnam "mysql"))
                  (uid (passwd:uid user))
                  (gid (passwd:gid user)))
             (for-each (lambda (directory)
                         (mkdir-p directory)
                         (chown directory uid gid))
                       (list #$datadir #$rundir))
             (unless (file-exists? (string-append #$datadir "/mysql"))
               (unless (zero? (status:exit-val (system* #$(mysql-install config))))
                 (error "MySQL initialization failed"))
               ;; What the installer wrote as root (MariaDB's mysql_upgrade_info) belongs
               ;; to mysql too, or mysql_upgrade cannot update it.
               (for-each (lambda (file) (chown file uid gid))
                         (find-files #$datadir #:directories? #t)))
             (setgid gid)
             (setuid uid)
             (execl mysqld mysqld (string-append "--defaults-file=" #$(my.cnf config)))))))))

(define (mysql-upgrade-wrapper config)
  ;; mysql_upgrade, as mysql, once the server accepts connections on its socket (20 s at
  ;; most).  Guix starts the wrapper itself as mysql; here it drops privileges just before
  ;; running mysql_upgrade, because the interpreter that runs a program file may be one
  ;; that only root can run (a Python under /root).
  (program-file
   "mysql-upgrade-wrapper"
   #~(let ((upgrade #$(file-append (mysql-configuration-mysql config) "/bin/mysql_upgrade"))
           (user (getpwnam "mysql")))
       (let loop ((tries 0))
         (if (catch 'system-error
               (lambda ()
                 (let ((sock (socket PF_UNIX SOCK_STREAM 0)))
                   (connect sock AF_UNIX #$(mysql-configuration-socket config))
                   (close-port sock)
                   #t))
               (lambda _ #f))
             (begin
               (setgid (passwd:gid user))
               (setuid (passwd:uid user))
               (execl upgrade upgrade
                    (string-append "--defaults-file=" #$(my.cnf config))
                      "--user=mysql"))
             (if (< tries 20)
                 (begin (sleep 1) (loop (+ tries 1)))
                 (error "MySQL server did not appear in time")))))))

(define (mysql-shepherd-services config)
  (cons (shepherd-service
         (provision '(mysql))
         (requirement '(user-processes))
         (documentation "Run the MySQL server.")
         (actions (list (shepherd-configuration-action (my.cnf config))))
         (start #~(make-forkexec-constructor
                   (list #$(mysqld-wrapper config))
                   #:log-file "/var/log/mysqld.log"
                   #:environment-variables #$(mysql-configuration-extra-environment config)))
         (stop #~(make-kill-destructor)))
        (if (mysql-configuration-auto-upgrade? config)
            (list (shepherd-service
                   (provision '(mysql-upgrade))
                   (requirement '(mysql))
                   (one-shot? #t)
                   (documentation "Upgrade MySQL database schemas.")
                   (start #~(make-forkexec-constructor
                             (list #$(mysql-upgrade-wrapper config))
                             #:log-file "/var/log/mysql_upgrade.log"))))
            '())))

(define mysql-service-type
  (service-type
   (name 'mysql)
   (extensions
    (list (service-extension shepherd-root-service-type mysql-shepherd-services)
          (service-extension account-service-type
                             (const (list (user-group (name "mysql") (system? #t))
                                          (user-account (name "mysql") (group "mysql") (system? #t)
                                                        (home-directory "/var/empty")
                                                        (shell "/sbin/nologin")))))))
   (default-value (mysql-configuration))
   (description "Run the MySQL or MariaDB database server, mysqld.")))

;;; Redis.

(define-record-type* <redis-configuration> redis-configuration
  make-redis-configuration redis-configuration?
  (redis             redis-configuration-redis (default redis))
  (bind              redis-configuration-bind (default "127.0.0.1"))
  (port              redis-configuration-port (default 6379))
  (working-directory redis-configuration-working-directory (default "/var/lib/redis"))
  (config-file       redis-configuration-config-file (default #f)))

(define (redis.conf config)
  (or (redis-configuration-config-file config)
      (plain-file "redis.conf"
                  (string-append "bind " (redis-configuration-bind config) "\n"
                                 "port " (number->string (redis-configuration-port config)) "\n"
                                 "dir " (redis-configuration-working-directory config) "\n"
                                 "daemonize no\n"))))

(define (redis-activation config)
  ;; As Guix: the working directory, owned by redis.
  #~(begin
      (use-modules (guix build utils))
      (let ((user (getpwnam "redis")))
        (mkdir-p #$(redis-configuration-working-directory config))
        (chown #$(redis-configuration-working-directory config) (passwd:uid user) (passwd:gid user)))))

(define redis-service-type
  (service-type
   (name 'redis)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (list (shepherd-service
                                      (provision '(redis))
                                      (requirement '(user-processes syslogd))
                                      (documentation "Run the Redis daemon.")
                                      (start #~(make-forkexec-constructor
                                                (list #$(file-append (redis-configuration-redis config)
                                                                     "/bin/redis-server")
                                                      #$(redis.conf config))
                                                #:user "redis" #:group "redis"))
                                      (stop #~(make-kill-destructor))
                                      (actions (list (shepherd-configuration-action (redis.conf config))))))))
          (service-extension activation-service-type redis-activation)
          (service-extension account-service-type
                             (const (list (user-group (name "redis") (system? #t))
                                          (user-account (name "redis") (group "redis") (system? #t)
                                                        (home-directory "/var/empty")
                                                        (shell "/sbin/nologin")))))))
   (default-value (redis-configuration))
   (description "Run Redis, an in-memory key-value store.")))

;;; Memcached: the daemon drops to the memcached user, so its pid file is in
;;; a directory that user owns.

(define-record-type* <memcached-configuration> memcached-configuration
  make-memcached-configuration memcached-configuration?
  (memcached          memcached-configuration-memcached (default memcached))
  (interfaces         memcached-configuration-interfaces (default '("0.0.0.0")))
  (tcp-port           memcached-configuration-tcp-port (default 11211))
  (udp-port           memcached-configuration-udp-port (default 11211))
  (additional-options memcached-configuration-additional-options (default '())))

(define %memcached-accounts
  (list (user-group (name "memcached") (system? #t))
        (user-account
         (name "memcached")
         (group "memcached")
         (system? #t)
         (comment "Memcached server user")
         (home-directory "/var/empty")
         (shell (file-append shadow "/sbin/nologin")))))

(define memcached-activation
  #~(let ((user (getpwnam "memcached")))
      (mkdir-p "/var/run/memcached")
      (chown "/var/run/memcached" (passwd:uid user) (passwd:gid user))))

(define (memcached-shepherd-service config)
  (list (shepherd-service
         (provision '(memcached))
         (requirement '(user-processes loopback))
         (documentation "Run the Memcached daemon.")
         (start #~(make-forkexec-constructor
                   (list #$(file-append (memcached-configuration-memcached config) "/bin/memcached")
                         "-l" #$(string-join (memcached-configuration-interfaces config) ",")
                         "-p" #$(number->string (memcached-configuration-tcp-port config))
                         "-U" #$(number->string (memcached-configuration-udp-port config))
                         "--daemon"
                         "-P" "/var/run/memcached/pid"
                         "-u" "memcached"
                         #$@(memcached-configuration-additional-options config))
                   #:log-file "/var/log/memcached"
                   #:pid-file "/var/run/memcached/pid"))
         (stop #~(make-kill-destructor)))))

(define memcached-service-type
  (service-type
   (name 'memcached)
   (extensions
    (list (service-extension shepherd-root-service-type memcached-shepherd-service)
          (service-extension activation-service-type (const memcached-activation))
          (service-extension account-service-type (const %memcached-accounts))))
   (default-value (memcached-configuration))
   (description "Run memcached, an in-memory cache for dynamic web applications.")))

;; Names Guix's module exports too.
(export postgresql-config-file-extra-config postgresql-config-file-hba-file
        postgresql-config-file-ident-file postgresql-config-file-log-destination
        postgresql-config-file-socket-directory postgresql-configuration-allow-login?
        postgresql-configuration-create-account? postgresql-configuration-data-directory
        postgresql-configuration-extension-packages postgresql-configuration-file
        postgresql-configuration-gid postgresql-configuration-home-directory
        postgresql-configuration-locale postgresql-configuration-log-directory
        postgresql-configuration-port postgresql-configuration-postgresql
        postgresql-configuration-uid)
