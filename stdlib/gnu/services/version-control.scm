;;; schemy --- Version control services (Guix manual, "Version Control
;;; Services"): git daemon, Smart HTTP through nginx and fcgiwrap (the
;;; location helper), Gitolite (its .gitolite.rc and .gitconfig as Guix
;;; writes them, set up at activation), Gitile and Fossil.  The programs are
;;; the host's (Debian: git, gitolite3, fossil).

(define-module (gnu services version-control)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module ((guix packages) #:select (package?))
  #:use-module (gnu services)
  #:use-module (gnu services configuration)
  #:use-module (gnu services shepherd)
  #:use-module (gnu services web)
  #:use-module (gnu system shadow)
  #:use-module ((gnu packages version-control) #:select (git gitolite gitile fossil))
  #:use-module (ice-9 match)
  #:use-module (srfi srfi-1)
  #:use-module (srfi srfi-26)
  #:export (git-daemon-service
            git-daemon-service-type
            git-daemon-configuration
            git-daemon-configuration?

            git-http-configuration
            git-http-configuration?
            git-http-nginx-location-configuration

            <gitolite-configuration>
            gitolite-configuration
            gitolite-configuration-package
            gitolite-configuration-user
            gitolite-configuration-rc-file
            gitolite-configuration-admin-pubkey
            gitolite-configuration-admin-name

            <gitolite-rc-file>
            gitolite-rc-file
            gitolite-rc-file-local-code
            gitolite-rc-file-umask
            gitolite-rc-file-unsafe-pattern
            gitolite-rc-file-git-config-keys
            gitolite-rc-file-log-extra
            gitolite-rc-file-host-name
            gitolite-rc-file-roles
            gitolite-rc-file-enable
            gitolite-rc-file-extra-content
            gitolite-rc-file-default-enable

            <gitolite-git-configuration>
            gitolite-git-configuration
            gitolite-git-configuration?
            gitolite-git-configuration-name
            gitolite-git-configuration-email
            gitolite-git-configuration-default-branch
            gitolite-git-configuration-receive-fsck-objects
            gitolite-git-configuration-extra-content

            gitolite-service-type

            gitile-configuration
            gitile-configuration-package
            gitile-configuration-host
            gitile-configuration-port
            gitile-configuration-database
            gitile-configuration-repositories
            gitile-configuration-git-owner-validation?
            gitile-configuration-base-git-url
            gitile-configuration-index-title
            gitile-configuration-intro
            gitile-configuration-footer
            gitile-configuration-nginx

            gitile-service-type

            fossil-configuration
            fossil-configuration-fields
            fossil-configuration?
            fossil-configuration-package
            fossil-configuration-user
            fossil-configuration-group
            fossil-configuration-log-file
            fossil-configuration-repository
            fossil-configuration-acme?
            fossil-configuration-base-url
            fossil-configuration-chroot
            fossil-configuration-ckout-alias
            fossil-configuration-compress?
            fossil-configuration-create?
            fossil-configuration-error-log-file
            fossil-configuration-ext-root
            fossil-configuration-files
            fossil-configuration-from
            fossil-configuration-jail?
            fossil-configuration-js-mode
            fossil-configuration-https?
            fossil-configuration-ip
            fossil-configuration-local-authentication?
            fossil-configuration-main-menu
            fossil-configuration-max-latency
            fossil-configuration-port
            fossil-configuration-list-repositories?
            fossil-configuration-redirect-to-https?
            fossil-configuration-skin
            fossil-configuration-socket-file
            fossil-configuration-socket-mode
            fossil-configuration-th-trace?
            fossil-configuration-tls-certificate
            fossil-configuration-tls-private-key

            fossil-service-type

            gitolite-rc-file-text
            gitolite-git-configuration-text))

;;; git daemon.

(define-record-type* <git-daemon-configuration> git-daemon-configuration
  make-git-daemon-configuration git-daemon-configuration?
  (package       git-daemon-configuration-package (default git))
  (export-all?   git-daemon-configuration-export-all (default #f))
  (base-path     git-daemon-configuration-base-path (default "/srv/git"))
  (user-path     git-daemon-configuration-user-path (default #f))
  (listen        git-daemon-configuration-listen (default '()))
  (port          git-daemon-configuration-port (default #f))
  (whitelist     git-daemon-configuration-whitelist (default '()))
  (extra-options git-daemon-configuration-extra-options (default '())))

(define (git-daemon-shepherd-service config)
  (match-record config <git-daemon-configuration>
    (package base-path user-path listen port whitelist extra-options)
    (let ((command (append (list (file-append package "/bin/git") "daemon" "--syslog" "--reuseaddr")
                           (if (git-daemon-configuration-export-all config) '("--export-all") '())
                           (if base-path (list (string-append "--base-path=" base-path)) '())
                           (if user-path (list (string-append "--user-path=" user-path)) '())
                           (map (cut string-append "--listen=" <>) listen)
                           (if port (list (string-append "--port=" (number->string port))) '())
                           extra-options
                           whitelist)))
      (list (shepherd-service
             (documentation "Run the git-daemon.")
             (requirement '(user-processes networking))
             (provision '(git-daemon))
             (start #~(make-forkexec-constructor (list #$@command)
                                                 #:user "git-daemon" #:group "git-daemon"))
             (stop #~(make-kill-destructor)))))))

(define %git-daemon-accounts
  (list (user-group (name "git-daemon") (system? #t))
        (user-account (name "git-daemon") (system? #t) (group "git-daemon")
                      (comment "Git daemon user") (home-directory "/var/empty")
                      (shell "/sbin/nologin"))))

(define (git-daemon-activation config)
  (let ((base-path (git-daemon-configuration-base-path config)))
    #~(begin
        (use-modules (guix build utils))
        (and=> #$base-path mkdir-p))))

(define git-daemon-service-type
  (service-type
   (name 'git-daemon)
   (extensions
    (list (service-extension shepherd-root-service-type git-daemon-shepherd-service)
          (service-extension account-service-type (const %git-daemon-accounts))
          (service-extension activation-service-type git-daemon-activation)))
   (default-value (git-daemon-configuration))
   (description "Serve Git repositories over the Git protocol, for anonymous access.")))

(define* (git-daemon-service #:key (config (git-daemon-configuration)))
  "Deprecated: (service git-daemon-service-type CONFIG)."
  (format (current-error-port)
          "warning: 'git-daemon-service' is deprecated, use 'git-daemon-service-type' instead~%")
  (service git-daemon-service-type config))

;;; Smart HTTP.

(define-record-type* <git-http-configuration> git-http-configuration
  make-git-http-configuration git-http-configuration?
  (package         git-http-configuration-package (default git))
  (git-root        git-http-configuration-git-root (default "/srv/git"))
  (export-all?     git-http-configuration-export-all? (default #f))
  (uri-path        git-http-configuration-uri-path (default "/git/"))
  (fcgiwrap-socket git-http-configuration-fcgiwrap-socket (default "127.0.0.1:9000")))

(define* (git-http-nginx-location-configuration #:optional (config (git-http-configuration)))
  "An nginx location handing Git's Smart HTTP requests under CONFIG's URI path to
git-http-backend through fcgiwrap."
  (match-record config <git-http-configuration>
    (package git-root export-all? uri-path fcgiwrap-socket)
    (nginx-location-configuration
     (uri (string-append "~ /" (string-trim-both uri-path #\/) "(/.*)"))
     (body
      (list (list "fastcgi_pass " fcgiwrap-socket ";")
            (list "fastcgi_param SCRIPT_FILENAME " package "/libexec/git-core/git-http-backend" ";")
            "fastcgi_param QUERY_STRING $query_string;"
            "fastcgi_param REQUEST_METHOD $request_method;"
            "fastcgi_param CONTENT_TYPE $content_type;"
            "fastcgi_param CONTENT_LENGTH $content_length;"
            (if export-all? "fastcgi_param GIT_HTTP_EXPORT_ALL \"\";" "")
            (list "fastcgi_param GIT_PROJECT_ROOT " git-root ";")
            (list "fastcgi_param GIT_CONFIG_GLOBAL "
                  (plain-file "gitconfig" (string-append "[safe]\n\tdirectory = " git-root "/*\n"))
                  ";")
            "fastcgi_param PATH_INFO $1;")))))

;;; Gitolite.

(define gitolite-rc-file-default-enable
  '("help" "desc" "info" "perms" "writable" "ssh-authkeys" "git-config" "daemon" "gitweb"))

(define-record-type* <gitolite-rc-file> gitolite-rc-file make-gitolite-rc-file
  gitolite-rc-file?
  (umask           gitolite-rc-file-umask (default #o0077))
  (local-code      gitolite-rc-file-local-code (default "$rc{GL_ADMIN_BASE}/local"))
  (unsafe-pattern  gitolite-rc-file-unsafe-pattern (default #f))
  (git-config-keys gitolite-rc-file-git-config-keys (default ""))
  (log-extra       gitolite-rc-file-log-extra (default #f))
  (host-name       gitolite-rc-file-host-name (default #f))
  (roles           gitolite-rc-file-roles (default '(("READERS" . 1) ("WRITERS" . 1))))
  (enable          gitolite-rc-file-enable (default gitolite-rc-file-default-enable))
  (extra-content   gitolite-rc-file-extra-content (default "")))

(define (octal4 n)
  ;; N in octal, zero-padded to four digits (Guix: ~4,'0o).
  (let ((s (number->string n 8)))
    (if (< (string-length s) 4)
        (string-append (make-string (- 4 (string-length s)) #\0) s)
        s)))

(define (gitolite-rc-file-text file)
  "The .gitolite.rc Guix writes for the <gitolite-rc-file> FILE."
  (match-record file <gitolite-rc-file>
    (umask local-code unsafe-pattern git-config-keys log-extra host-name roles enable extra-content)
    (string-append
     "%RC = (\n"
     "    UMASK => " (octal4 umask) ",\n"
     "    GIT_CONFIG_KEYS => '" git-config-keys "',\n"
     (if local-code (format #f "    LOCAL_CODE => \"~a\",\n" local-code) "")
     (if log-extra "    LOG_EXTRA => 1,\n" "")
     (if host-name (format #f "    HOSTNAME => \"~a\",\n" host-name) "")
     "    ROLES => {\n"
     (string-concatenate (map (match-lambda
                                ((role . value) (format #f "        ~a => ~a,\n" role value)))
                              roles))
     "    },\n"
     "\n"
     "    ENABLE => [\n"
     (string-concatenate (map (cut format #f "        '~a',\n" <>) enable))
     "    ],\n"
     extra-content "\n"
     ");\n"
     "\n"
     (if unsafe-pattern (string-append "$UNSAFE_PATT = qr(" unsafe-pattern ");") "")
     "1;\n"
     "# Local variables:\n"
     "# mode: perl\n"
     "# End:\n"
     "# vim: set syn=perl:\n")))

(define-record-type* <gitolite-git-configuration> gitolite-git-configuration
  make-gitolite-git-configuration gitolite-git-configuration?
  (name                 gitolite-git-configuration-name (default "GNU Guix"))
  (email                gitolite-git-configuration-email (default "guix@localhost"))
  (default-branch       gitolite-git-configuration-default-branch (default #f))
  (receive-fsck-objects gitolite-git-configuration-receive-fsck-objects (default #f))
  (extra-content        gitolite-git-configuration-extra-content (default "")))

(define (gitolite-git-configuration-text config)
  "The .gitconfig Guix writes for the gitolite user."
  (match-record config <gitolite-git-configuration>
    (name email default-branch receive-fsck-objects extra-content)
    (string-append "[user]\n"
                   "name  = " name "\n"
                   "email = " email "\n"
                   (if default-branch (string-append "[init]\ndefaultBranch = " default-branch "\n") "")
                   (if receive-fsck-objects "[receive]\nfsckObjects = true\n" "")
                   extra-content "\n")))

(define (as-file name x text)
  ;; Guix lowers these records to files with a gexp compiler; here they become plain files.
  (cond ((string? x) x)
        ((file-like? x) x)
        (else (plain-file name (text x)))))

(define-record-type* <gitolite-configuration> gitolite-configuration
  make-gitolite-configuration gitolite-configuration?
  (package        gitolite-configuration-package (default gitolite))
  (user           gitolite-configuration-user (default "git"))
  (group          gitolite-configuration-group (default "git"))
  (home-directory gitolite-configuration-home-directory (default "/var/lib/gitolite"))
  (rc-file        gitolite-configuration-rc-file (default (gitolite-rc-file)))
  (git-config     gitolite-configuration-git-config (default (gitolite-git-configuration)))
  (admin-pubkey   gitolite-configuration-admin-pubkey)
  (admin-name     gitolite-configuration-admin-name (default #f)))

(define (gitolite-accounts config)
  (match-record config <gitolite-configuration> (user group home-directory)
    (list (user-group (name group) (system? #t))
          (user-account (name user) (group group) (system? #t)
                        (comment "Gitolite user") (home-directory home-directory)))))

(define (gitolite-activation config)
  ;; As Guix: install .gitolite.rc and .gitconfig, then run `gitolite setup' as the user
  ;; with the admin's public key (copied, as it must be writable).
  (match-record config <gitolite-configuration>
    (package user home-directory rc-file admin-pubkey admin-name git-config)
    #~(begin
        (use-modules (ice-9 match) (guix build utils))
        (let* ((user-info (getpwnam #$user))
               (admin-pubkey #$admin-pubkey)
               (pubkey-file (if #$admin-name
                                (string-append #$admin-name ".pub")
                                (string-append #$home-directory "/"
                                               (basename (strip-store-file-name admin-pubkey)))))
               (rc-file #$(string-append home-directory "/.gitolite.rc")))
          (chmod #$home-directory #o750)
          (simple-format #t "guix: gitolite: installing ~A\n"
                         #$(as-file "gitolite.rc" rc-file gitolite-rc-file-text))
          (copy-file #$(as-file "gitolite.rc" rc-file gitolite-rc-file-text) rc-file)
          (chown rc-file (passwd:uid user-info) (passwd:gid user-info))
          (copy-file admin-pubkey pubkey-file)
          (chmod pubkey-file #o500)
          (chown pubkey-file (passwd:uid user-info) (passwd:gid user-info))
          (copy-file #$(as-file "gitconfig" git-config gitolite-git-configuration-text)
                     #$(string-append home-directory "/.gitconfig"))
          (match (primitive-fork)
            (0
             (dynamic-wind
               (const #t)
               (lambda ()
                 (setenv "HOME" (passwd:dir user-info))
                 (setenv "USER" #$user)
                 (setgid (passwd:gid user-info))
                 (setuid (passwd:uid user-info))
                 (primitive-exit
                  (system* #$(file-append package "/bin/gitolite")
                           "setup" "-m" "gitolite setup by GNU Guix" "-pk" pubkey-file)))
               (lambda () (primitive-exit 1))))
            (pid (waitpid pid)))
          (when (file-exists? pubkey-file)
            (delete-file pubkey-file))))))

(define gitolite-service-type
  (service-type
   (name 'gitolite)
   (extensions
    (list (service-extension activation-service-type gitolite-activation)
          (service-extension account-service-type gitolite-accounts)))
   (description "Set up Gitolite, which hosts Git repositories with access control over SSH.")))

;;; Gitile.

(define-record-type* <gitile-configuration> gitile-configuration
  make-gitile-configuration gitile-configuration?
  (package               gitile-configuration-package (default gitile))
  (host                  gitile-configuration-host (default "127.0.0.1"))
  (port                  gitile-configuration-port (default 8080))
  (database              gitile-configuration-database (default "/var/lib/gitile/gitile-db.sql"))
  (repositories          gitile-configuration-repositories (default "/var/lib/gitolite/repositories"))
  (git-owner-validation? gitile-configuration-git-owner-validation? (default #t))
  (base-git-url          gitile-configuration-base-git-url)
  (index-title           gitile-configuration-index-title (default "Index"))
  (intro                 gitile-configuration-intro (default '()))
  (footer                gitile-configuration-footer (default '()))
  (nginx                 gitile-configuration-nginx))

(define (gitile-config-text config)
  ;; The (config ...) form Guix writes with `write'.
  (match-record config <gitile-configuration>
    (host port database repositories git-owner-validation? base-git-url index-title intro footer)
    (object->string
     `(config (port ,port) (host ,host) (database ,database) (repositories ,repositories)
              (git-owner-validation? ,git-owner-validation?) (base-git-url ,base-git-url)
              (index-title ,index-title) (intro ,intro) (footer ,footer)))))

(define (gitile-nginx-server-block config)
  (let ((nginx (gitile-configuration-nginx config))
        (package (gitile-configuration-package config)))
    (list (nginx-server-configuration
           (inherit nginx)
           (locations
            (append
             (list (nginx-location-configuration
                    (uri "/")
                    (body (list (string-append "proxy_pass http://" (gitile-configuration-host config)
                                               ":" (number->string (gitile-configuration-port config))
                                               "/;")))))
             (map (lambda (loc)
                    (nginx-location-configuration
                     (uri loc)
                     (body (list (list "root " package "/share/gitile/assets;")))))
                  '("/css" "/js" "/images"))
             (nginx-server-configuration-locations nginx)))))))

(define (gitile-shepherd-service config)
  (list (shepherd-service
         (provision '(gitile))
         (requirement '(loopback))
         (documentation "gitile")
         (start #~(make-forkexec-constructor
                   (list #$(file-append (gitile-configuration-package config) "/bin/gitile")
                         "-c" #$(plain-file "gitile.conf" (gitile-config-text config)))
                   #:user "gitile" #:group "git"))
         (stop #~(make-kill-destructor)))))

(define %gitile-accounts
  (list (user-group (name "git") (system? #t))
        (user-account (name "gitile") (group "git") (system? #t) (comment "Gitile user")
                      (home-directory "/var/empty") (shell "/sbin/nologin"))))

(define gitile-service-type
  (service-type
   (name 'gitile)
   (extensions
    (list (service-extension account-service-type (const %gitile-accounts))
          (service-extension shepherd-root-service-type gitile-shepherd-service)
          (service-extension nginx-service-type gitile-nginx-server-block)))
   (description "Run Gitile, a small Git forge showing public repositories on the web.")))

;;; Fossil.

(define (port-number? n)
  (and (integer? n) (> n 0) (< n 65536)))

(define (mode-number? n)
  (and (integer? n) (>= n 0) (<= n #o777)))

(define (fossil-js-mode? x)
  (and (memq x '(inline separate bundled)) #t))

(define-maybe/no-serialization number)
(define-maybe/no-serialization string)
(define-maybe/no-serialization list-of-strings)
(define-maybe/no-serialization fossil-js-mode)

(define-configuration/no-serialization fossil-configuration
  (package (package fossil) "The Fossil package.")
  (user (string "fossil") "User running the server.")
  (group (string "fossil") "Group running the server.")
  (log-file (string "/var/log/fossil.log") "The server's log.")
  (repository (string "/var/lib/fossil") "A repository file, or a directory of .fossil files.")
  (acme? (boolean #f) "Serve the .well-known directory.")
  (base-url maybe-string "Base URL (behind a reverse proxy).")
  (chroot maybe-string "chroot directory instead of the repository's.")
  (ckout-alias maybe-string "Alias treated as /doc/ckout/.")
  (compress? (boolean #t) "Compress HTTP responses.")
  (create? (boolean #f) "Create the repository if missing.")
  (error-log-file maybe-string "HTTP error log.")
  (ext-root maybe-string "Document root for /ext.")
  (files maybe-list-of-strings "Glob patterns of static files.")
  (from maybe-string "Diff baseline for /ckout.")
  (jail? (boolean #t) "Enter the chroot jail after dropping privileges.")
  (js-mode maybe-fossil-js-mode "JavaScript delivery: 'inline, 'separate or 'bundled.")
  (https? (boolean #f) "Behind a proxy that terminates HTTPS.")
  (ip maybe-string "Address to listen on.")
  (local-authentication? (boolean #f) "Log in requests from localhost automatically.")
  (localhost? (boolean #f) "Listen on 127.0.0.1 only.")
  (main-menu maybe-string "File overriding the mainmenu setting.")
  (max-latency maybe-number "Longest time for one request, in seconds.")
  (port (port-number 8080) "Port to listen on.")
  (list-repositories? (boolean #f) "List repositories at / when serving a directory.")
  (redirect-to-https? (boolean #t) "Honour the redirect-to-https setting.")
  (scgi? (boolean #f) "Speak SCGI rather than HTTP.")
  (skin maybe-string "Skin label.")
  (socket-file maybe-string "Unix socket instead of TCP.")
  (socket-mode (mode-number #o640) "Permissions of the unix socket.")
  (th-trace? (boolean #f) "Trace TH1 execution.")
  (tls-certificate maybe-string "TLS certificate file.")
  (tls-private-key maybe-string "TLS private key file."))

(define (fossil-accounts config)
  (let ((user (fossil-configuration-user config))
        (group (fossil-configuration-group config)))
    (list (user-group (name group) (system? #t))
          (user-account (name user) (group group) (system? #t) (comment "Fossil server user")
                        (home-directory "/var/empty") (shell "/sbin/nologin")))))

(define (fossil-activation config)
  #~(begin
      (use-modules (guix build utils))
      (let* ((pw (getpwnam #$(fossil-configuration-user config))))
        (unless #$(fossil-configuration-create? config)
          (chown #$(fossil-configuration-repository config) (passwd:uid pw) (passwd:gid pw))))))

(define (fossil-arguments config)
  (match-record config <fossil-configuration>
    (user group repository acme? base-url chroot ckout-alias compress? create? error-log-file
          ext-root files from https? ip jail? js-mode list-repositories? local-authentication?
          localhost? main-menu max-latency port redirect-to-https? scgi? skin socket-file
          socket-mode th-trace? tls-certificate tls-private-key)
    (define (option flag value)
      (if (maybe-value-set? value) (list flag value) '()))
    (append (list "server")
            (if acme? '("--acme") '())
            (option "--baseurl" base-url)
            (option "--chroot" chroot)
            (option "--ckout-alias" ckout-alias)
            (if compress? '() '("--nocompress"))
            (if create? '("--create") '())
            (option "--errorlog" error-log-file)
            (option "--extroot" ext-root)
            (if (maybe-value-set? files) (list "--files" (string-join files ",")) '())
            (option "--from" from)
            (if https? '("--https") '())
            (if jail? '() '("--nojail"))
            (if (maybe-value-set? js-mode) (list "--jsmode" (symbol->string js-mode)) '())
            (if local-authentication? '("--localauth") '())
            (if localhost? '("--localhost") '())
            (option "--mainmenu" main-menu)
            (if (maybe-value-set? max-latency) (list "--max-latency" (number->string max-latency)) '())
            (if redirect-to-https? '() '("--nossl"))
            (if scgi? '("--scgi") '())
            (if list-repositories? '("--repolist") '())
            (option "--skin" skin)
            (if (maybe-value-set? socket-file)
                (list "--socket-name" socket-file "--socket-mode" socket-mode
                      "--socket-owner" (format #f "~a:~a" user group))
                (list "--port" (if (maybe-value-set? ip)
                                   (format #f "~a:~a" ip port)
                                   (number->string port))))
            (if th-trace? '("--th-trace") '())
            (option "--cert" tls-certificate)
            (option "--pkey" tls-private-key)
            (list "--user" user repository))))

(define (fossil-shepherd-service config)
  (shepherd-service
   (provision '(fossil))
   (requirement '(user-processes networking))
   (start #~(make-forkexec-constructor
             (list #$(file-append (fossil-configuration-package config) "/bin/fossil")
                   #$@(fossil-arguments config))
             #:user #$(fossil-configuration-user config)
             #:group #$(fossil-configuration-group config)
             #:log-file #$(fossil-configuration-log-file config)))
   (stop #~(make-kill-destructor))
   (documentation "Run the Fossil server.")))

(define fossil-service-type
  (service-type
   (name 'fossil)
   (extensions
    (list (service-extension account-service-type fossil-accounts)
          (service-extension activation-service-type fossil-activation)
          (service-extension shepherd-root-service-type
                             (lambda (config) (list (fossil-shepherd-service config))))))
   (description "Run a Fossil server: version control, tickets, wiki and forum.")))
