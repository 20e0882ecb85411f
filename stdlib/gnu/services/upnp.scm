;;; schemy --- UPnP media server (Guix manual, "Miscellaneous Services",
;;; ReadyMedia): minidlnad with the minidlna.conf Guix writes, its account,
;;; cache and media directories; also the base of the home service.

(define-module (gnu services upnp)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (gnu system shadow)
  #:use-module ((gnu packages upnp) #:select (readymedia))
  #:use-module (ice-9 match)
  #:export (%readymedia-default-cache-directory
            %readymedia-default-log-file
            %readymedia-default-pid-directory
            %readymedia-pid-file
            %readymedia-user-account
            %readymedia-user-group
            readymedia-configuration
            readymedia-configuration?
            readymedia-configuration-readymedia
            readymedia-configuration-port
            readymedia-configuration-cache-directory
            readymedia-configuration-extra-config
            readymedia-configuration-friendly-name
            readymedia-configuration-log-directory
            readymedia-configuration-media-directories
            readymedia-media-directory
            readymedia-media-directory-path
            readymedia-media-directory-types
            readymedia-media-directory?
            readymedia-service-type
            readymedia-activation
            readymedia-shepherd-service
            readymedia-configuration->config-file))

;; The user's own shepherd keeps logs in $XDG_STATE_HOME/log and runtime
;; files in $XDG_RUNTIME_DIR, as shepherd's %user-log-dir and %user-runtime-dir.
(define %user-log-dir
  #~(string-append (or (getenv "XDG_STATE_HOME")
                       (string-append (getenv "HOME") "/.local/state"))
                   "/log"))
(define %user-runtime-dir
  #~(or (getenv "XDG_RUNTIME_DIR")
        (string-append "/run/user/" (number->string (getuid)))))

(define* (%readymedia-default-cache-directory #:key (home-service? #f))
  (if home-service? ".cache/readymedia" "/var/cache/readymedia"))

(define* (%readymedia-default-log-file #:key (home-service? #f))
  (if home-service?
      #~(string-append #$%user-log-dir "/readymedia.log")
      "/var/log/readymedia.log"))

(define %readymedia-default-pid-directory "/var/run/readymedia")

(define* (%readymedia-pid-file #:key (home-service? #f) (name "minidlna.pid"))
  (if home-service?
      #~(string-append #$%user-runtime-dir "/readymedia/" #$name)
      (string-append %readymedia-default-pid-directory "/" name)))

(define %readymedia-user-group "readymedia")
(define %readymedia-user-account "readymedia")

(define-record-type* <readymedia-configuration> readymedia-configuration
  make-readymedia-configuration readymedia-configuration?
  (readymedia        readymedia-configuration-readymedia (default readymedia))
  (port              readymedia-configuration-port (default #f))
  (cache-directory   readymedia-configuration-cache-directory
                     (default (%readymedia-default-cache-directory #:home-service? (for-home?))))
  (log-file          readymedia-configuration-log-directory
                     (default (%readymedia-default-log-file #:home-service? (for-home?))))
  (friendly-name     readymedia-configuration-friendly-name (default #f))
  (media-directories readymedia-configuration-media-directories)
  (extra-config      readymedia-configuration-extra-config (default '()))
  ;; Whether this is the user's own ReadyMedia (see `for-home').
  (home-service?     readymedia-configuration-home-service? (default (for-home?)) (innate)))

;; A media directory and the kinds of media in it: symbols A (audio),
;; V (video), P (pictures), any combination; none means all.
(define-record-type* <readymedia-media-directory> readymedia-media-directory
  make-readymedia-media-directory readymedia-media-directory?
  (path  readymedia-media-directory-path)
  (types readymedia-media-directory-types (default '())))

(define (media-directory-line directory)
  (let ((types (readymedia-media-directory-types directory)))
    (string-append "media_dir="
                   (string-concatenate (map symbol->string types))
                   (if (null? types) "" ",")
                   (readymedia-media-directory-path directory) "\n")))

(define (readymedia-configuration->config-file config)
  "minidlna.conf for CONFIG: db_dir, friendly_name and port when set, one
media_dir line per directory, then the extra key=value pairs."
  (let ((port (readymedia-configuration-port config))
        (name (readymedia-configuration-friendly-name config)))
    (apply mixed-text-file "minidlna.conf"
           "db_dir=" (readymedia-configuration-cache-directory config) "\n"
           (if name (string-append "friendly_name=" name "\n") "")
           (if port (string-append "port=" (number->string port) "\n") "")
           (append (map media-directory-line (readymedia-configuration-media-directories config))
                   (map (match-lambda ((key . value) (string-append key "=" value "\n")))
                        (readymedia-configuration-extra-config config))))))

(define (readymedia-shepherd-service config)
  "The shepherd service running minidlnad in the foreground (-S) with CONFIG."
  (let ((home? (readymedia-configuration-home-service? config))
        (conf (readymedia-configuration->config-file config)))
    (shepherd-service
     (documentation "Run the ReadyMedia/MiniDLNA daemon.")
     (provision '(readymedia))
     (requirement (if home? '() '(networking user-processes)))
     ;; Guix wraps the system daemon in a least-authority container; here it
     ;; runs as the readymedia user on the host.
     (start #~(make-forkexec-constructor
               (list #$(file-append (readymedia-configuration-readymedia config) "/sbin/minidlnad")
                     "-f" #$conf
                     "-P" #$(%readymedia-pid-file #:home-service? home?)
                     "-S")
               #:log-file #$(readymedia-configuration-log-directory config)
               #:user #$(and (not home?) %readymedia-user-account)
               #:group #$(and (not home?) %readymedia-user-group)))
     (stop #~(make-kill-destructor)))))

(define readymedia-accounts
  (list (user-account
         (name %readymedia-user-account)
         (group %readymedia-user-group)
         (system? #t)
         (comment "ReadyMedia/MiniDLNA daemon user")
         (home-directory "/var/empty")
         (shell "/sbin/nologin"))
        (user-group (name %readymedia-user-group) (system? #t))))

(define (readymedia-activation config)
  "Create the media directories (mode 775 on a system, 755 at home), the cache
and PID directories (755), owned by the daemon's user; relative ones are under
the user's home."
  (let ((home? (readymedia-configuration-home-service? config)))
    #~(begin
        (use-modules (guix build utils))
        (let* ((owner (if #$home? (getpwuid (getuid)) (getpwnam #$%readymedia-user-account)))
               (home (or (getenv "HOME") (passwd:dir owner)))
               (absolute (lambda (d) (if (string-prefix? "/" d) d (string-append home "/" d))))
               (make (lambda (d mode)
                       (let ((d (absolute d)))
                         (unless (file-exists? d)
                           (mkdir-p d)
                           (chown d (passwd:uid owner) (passwd:gid owner))
                           (chmod d mode))))))
          (for-each (lambda (d) (make d (if #$home? #o755 #o775)))
                    (list #$@(map readymedia-media-directory-path
                                  (readymedia-configuration-media-directories config))))
          (for-each (lambda (d) (make d #o755))
                    (list #$(readymedia-configuration-cache-directory config)
                          (dirname #$(%readymedia-pid-file #:home-service? home?))))))))

(define readymedia-service-type
  (service-type
   (name 'readymedia)
   (extensions
    (list (service-extension shepherd-root-service-type (compose list readymedia-shepherd-service))
          (service-extension account-service-type (const readymedia-accounts))
          (service-extension activation-service-type readymedia-activation)))
   (description "Run minidlnad, the ReadyMedia/MiniDLNA media server.")))
