;;; schemy --- rsync daemon (Guix manual, "Networking Services"): rsyncd
;;; with the rsyncd.conf Guix writes, modules included.

(define-module (gnu services rsync)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (gnu system shadow)
  #:use-module ((gnu packages rsync) #:select (rsync))
  #:export (rsync-configuration
            rsync-configuration?
            rsync-module
            rsync-module?
            rsync-service-type
            rsyncd-conf))

(define-record-type* <rsync-module> rsync-module
  make-rsync-module rsync-module?
  (name       rsync-module-name)
  (file-name  rsync-module-file-name)
  (comment    rsync-module-comment (default ""))
  (read-only? rsync-module-read-only? (default #t))
  (chroot?    rsync-module-chroot? (default #t))
  (timeout    rsync-module-timeout (default 300)))

(define %default-modules
  ;; As Guix (kept for configs written before modules): a writable "files" share.
  (list (rsync-module (name "files") (file-name "/srv/rsyncd") (comment "Rsync share")
                      (read-only? #f))))

(define (warn-share-field-deprecation value)
  ;; As Guix: the single-share fields still work, with a warning at the record.
  (unless (unspecified? value)
    (let ((loc (%construction-location)))
      (format (current-error-port)
              "~a: warning: the 'share-path' and 'share-comment' fields is deprecated, please use 'modules' instead~%"
              (if loc (%location->string loc) "guix"))))
  value)

(define-record-type* <rsync-configuration> rsync-configuration
  make-rsync-configuration rsync-configuration?
  (package     rsync-configuration-package (default rsync))
  (address     rsync-configuration-address (default #f))
  (port-number rsync-configuration-port-number (default 873))
  (pid-file    rsync-configuration-pid-file (default "/var/run/rsyncd/rsyncd.pid"))
  (lock-file   rsync-configuration-lock-file (default "/var/run/rsyncd/rsyncd.lock"))
  (log-file    rsync-configuration-log-file (default "/var/log/rsyncd.log"))
  (user        rsync-configuration-user (default "root"))
  (group       rsync-configuration-group (default "root"))
  (uid         rsync-configuration-uid (default "rsyncd"))
  (gid         rsync-configuration-gid (default "rsyncd"))
  (modules     rsync-configuration-actual-modules (default %default-modules))
  ;; Guix's deprecated single-share fields: when share-path is given, they make
  ;; the one module "files" (see rsync-configuration-modules).
  (use-chroot?   rsync-configuration-use-chroot? (default *unspecified*)
                 (sanitize warn-share-field-deprecation))
  (share-path    rsync-configuration-share-path (default *unspecified*)
                 (sanitize warn-share-field-deprecation))
  (share-comment rsync-configuration-share-comment (default *unspecified*)
                 (sanitize warn-share-field-deprecation))
  (read-only?    rsync-configuration-read-only? (default *unspecified*)
                 (sanitize warn-share-field-deprecation))
  (timeout       rsync-configuration-timeout (default *unspecified*)
                 (sanitize warn-share-field-deprecation)))

(define (rsync-configuration-modules config)
  "CONFIG's modules, or the one the deprecated share-path fields describe (as Guix)."
  (let ((share-path (rsync-configuration-share-path config)))
    (if (unspecified? share-path)
        (rsync-configuration-actual-modules config)
        (let ((use-chroot? (rsync-configuration-use-chroot? config))
              (read-only? (rsync-configuration-read-only? config))
              (timeout (rsync-configuration-timeout config)))
          (list (rsync-module
                 (name "files")
                 (file-name share-path)
                 (comment "Rsync share")
                 (chroot? (if (unspecified? use-chroot?) #t use-chroot?))
                 (read-only? (if (unspecified? read-only?) #f read-only?))
                 (timeout (if (unspecified? timeout) 300 timeout))))))))

(define (rsyncd-conf config)
  "rsyncd.conf: the global settings, then one section per module."
  (string-append
   "pid file = " (rsync-configuration-pid-file config) "\n"
   "lock file = " (rsync-configuration-lock-file config) "\n"
   "log file = " (rsync-configuration-log-file config) "\n"
   (let ((a (rsync-configuration-address config)))
     (if a (string-append "address = " a "\n") ""))
   "port = " (number->string (rsync-configuration-port-number config)) "\n"
   "uid = " (rsync-configuration-uid config) "\n"
   "gid = " (rsync-configuration-gid config) "\n"
   (string-concatenate
    (map (lambda (m)
           (string-append
            "\n[" (rsync-module-name m) "]\n"
            "  path = " (rsync-module-file-name m) "\n"
            "  comment = " (rsync-module-comment m) "\n"
            "  read only = " (if (rsync-module-read-only? m) "true" "false") "\n"
            "  use chroot = " (if (rsync-module-chroot? m) "true" "false") "\n"
            "  timeout = " (number->string (rsync-module-timeout m)) "\n"))
         (rsync-configuration-modules config)))))

(define rsync-service-type
  (service-type
   (name 'rsync)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (list (shepherd-service
                                      (provision '(rsync))
                                      (requirement '(user-processes networking))
                                      (documentation "Run the rsync daemon.")
                                      (start #~(make-forkexec-constructor
                                                (list #$(file-append (rsync-configuration-package config)
                                                                     "/bin/rsync")
                                                      "--daemon" "--no-detach"
                                                      "--config" #$(plain-file "rsyncd.conf"
                                                                               (rsyncd-conf config)))))
                                      (stop #~(make-kill-destructor))))))
          (service-extension account-service-type
                             (lambda (config)
                               (if (string=? (rsync-configuration-uid config) "rsyncd")
                                   (list (user-group (name "rsyncd") (system? #t))
                                         (user-account (name "rsyncd") (group "rsyncd") (system? #t)
                                                       (home-directory "/var/empty")
                                                       (shell "/sbin/nologin")))
                                   '())))))
   (default-value (rsync-configuration))
   (description "Run the rsync daemon, which serves files to rsync clients.")))

;; Names Guix's module exports too.
(export rsync-configuration-modules rsync-module-comment rsync-module-file-name
        rsync-module-name rsync-module-timeout)
