;;; schemy --- XDG home services (Guix manual, "Essential Home Services" and
;;; "XDG Home Services"): the XDG base directory variables, the user
;;; directories (~/.config/user-dirs.dirs) and MIME applications
;;; (~/.config/mimeapps.list and desktop entries).

(define-module (gnu home services xdg)
  #:use-module (gnu services)
  #:use-module (gnu services configuration)
  #:use-module (gnu home services)
  #:use-module (gnu home services utils)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (srfi srfi-1)
  #:use-module (ice-9 match)
  #:export (home-xdg-base-directories-service-type
            home-xdg-base-directories-configuration
            home-xdg-base-directories-configuration?
            home-xdg-base-directories-configuration-cache-home
            home-xdg-base-directories-configuration-config-home
            home-xdg-base-directories-configuration-data-home
            home-xdg-base-directories-configuration-state-home
            home-xdg-base-directories-configuration-log-home
            home-xdg-base-directories-configuration-runtime-dir

            home-xdg-user-directories-service-type
            home-xdg-user-directories-configuration
            home-xdg-user-directories-configuration?
            home-xdg-user-directories-configuration-desktop
            home-xdg-user-directories-configuration-documents
            home-xdg-user-directories-configuration-download
            home-xdg-user-directories-configuration-music
            home-xdg-user-directories-configuration-pictures
            home-xdg-user-directories-configuration-publicshare
            home-xdg-user-directories-configuration-templates
            home-xdg-user-directories-configuration-videos

            xdg-desktop-action
            xdg-desktop-entry
            home-xdg-mime-applications-service-type
            home-xdg-mime-applications-configuration))

;;; Base directories.

(define path? string?)
(define (serialize-path field value) value)
(define-maybe path)

(define-configuration home-xdg-base-directories-configuration
  (cache-home (path "$HOME/.cache") "XDG_CACHE_HOME: non-essential, cached data.")
  (config-home (path "$HOME/.config") "XDG_CONFIG_HOME: configuration files.")
  (data-home (path "$HOME/.local/share") "XDG_DATA_HOME: data files.")
  (runtime-dir (path "${XDG_RUNTIME_DIR:-/run/user/$UID}")
               "XDG_RUNTIME_DIR: sockets and other runtime files.")
  (log-home maybe-path "Deprecated: use state-home.")
  (state-home (path "$HOME/.local/state")
              "XDG_STATE_HOME: state that should persist between restarts."))

(define (base-directory-fields config)
  (if (maybe-value-set? (home-xdg-base-directories-configuration-log-home config))
      home-xdg-base-directories-configuration-fields
      (filter-configuration-fields home-xdg-base-directories-configuration-fields
                                   '(log-home) #t)))

(define (field-variable field)
  (string-append "XDG_" (object->snake-case-string (configuration-field-name field) 'upper)))

(define (base-directory-variables config)
  (map (lambda (field)
         (cons (field-variable field) ((configuration-field-getter field) config)))
       (base-directory-fields config)))

(define (make-base-directories config)
  #~(for-each (lambda (variable)
                (let ((dir (getenv variable)))
                  (when dir ((@ (guix build utils) mkdir-p) dir))))
              '#$(remove (lambda (v) (string=? v "XDG_RUNTIME_DIR"))
                         (map field-variable (base-directory-fields config)))))

(define (last-extension-or-config config extensions)
  (if (null? extensions) config (last extensions)))

(define home-xdg-base-directories-service-type
  (service-type
   (name 'home-xdg-base-directories)
   (extensions (list (service-extension home-environment-variables-service-type
                                        base-directory-variables)
                     (service-extension home-activation-service-type
                                        make-base-directories)))
   (compose identity)
   (extend last-extension-or-config)
   (default-value (home-xdg-base-directories-configuration))
   (description "Set the XDG base directory variables; extended with a
configuration, the last one wins.")))

;;; User directories.

(define (serialize-user-directory field value)
  (format #f "XDG_~a_DIR=\"~a\"\n" (object->snake-case-string field 'upper) value))

(define-configuration home-xdg-user-directories-configuration
  (desktop (string "$HOME/Desktop") "The desktop directory." (serializer serialize-user-directory))
  (documents (string "$HOME/Documents") "Documents." (serializer serialize-user-directory))
  (download (string "$HOME/Downloads") "Downloaded files." (serializer serialize-user-directory))
  (music (string "$HOME/Music") "Audio files." (serializer serialize-user-directory))
  (pictures (string "$HOME/Pictures") "Pictures." (serializer serialize-user-directory))
  (publicshare (string "$HOME/Public") "Files shared with others." (serializer serialize-user-directory))
  (templates (string "$HOME/Templates") "Templates of new files." (serializer serialize-user-directory))
  (videos (string "$HOME/Videos") "Videos." (serializer serialize-user-directory)))

(define (user-directories-files config)
  `(("user-dirs.conf" ,(plain-file "user-dirs.conf" "enabled=False\n"))
    ("user-dirs.dirs"
     ,(plain-file "user-dirs.dirs"
                  (serialize-configuration config
                                           home-xdg-user-directories-configuration-fields)))))

(define (make-user-directories config)
  #~(for-each (lambda (dir)
                ((@ (guix build utils) mkdir-p)
                 ((@ (ice-9 string-fun) string-replace-substring) dir "$HOME" (getenv "HOME"))))
              '#$(map (lambda (field) ((configuration-field-getter field) config))
                      home-xdg-user-directories-configuration-fields)))

(define home-xdg-user-directories-service-type
  (service-type
   (name 'home-xdg-user-directories)
   (extensions (list (service-extension home-xdg-configuration-files-service-type
                                        user-directories-files)
                     (service-extension home-activation-service-type
                                        make-user-directories)))
   (compose identity)
   (extend last-extension-or-config)
   (default-value (home-xdg-user-directories-configuration))
   (description "Write ~/.config/user-dirs.dirs and create the directories.")))

;;; MIME applications and desktop entries.

(define-record-type* <xdg-desktop-action> xdg-desktop-action
  make-xdg-desktop-action xdg-desktop-action?
  (action xdg-desktop-action-action)
  (name   xdg-desktop-action-name)
  (config xdg-desktop-action-config (default '())))

(define-record-type* <xdg-desktop-entry> xdg-desktop-entry
  make-xdg-desktop-entry xdg-desktop-entry?
  (file    xdg-desktop-entry-file)
  (name    xdg-desktop-entry-name)
  (type    xdg-desktop-entry-type
           (sanitize (lambda (type)
                       (unless (memq type '(application link directory))
                         (error (format #f "XDG desktop type must be one of application, link or directory, was given: ~a" type)))
                       type)))
  (config  xdg-desktop-entry-config (default '()))
  (actions xdg-desktop-entry-actions (default '())))

(define desktop-entries? (list-of xdg-desktop-entry?))
(define (serialize-desktop-entries field value) "")

(define (mime-value value)
  (cond ((list? value) (string-join (map maybe-object->string value) ";"))
        ((or (string? value) (symbol? value)) (maybe-object->string value))
        (else (error (format #f "The value of an XDG MIME entry must be a list, string or symbol, was given ~a" value)))))

(define (merge-duplicate-keys alist)
  ;; One line per MIME type, its applications gathered: as Guix does, the
  ;; lines come out in the reverse order of the first mention of each type,
  ;; the later applications of a type first.
  (fold (lambda (pair acc)
          (let ((seen (assoc (car pair) acc)))
            (if seen
                (cons (cons (car pair)
                            (cons (cdr pair)
                                  (if (list? (cdr seen)) (cdr seen) (list (cdr seen)))))
                      (alist-delete (car pair) acc))
                (cons pair acc))))
        '() alist))

(define (mime-section title)
  (lambda (field alist)
    (string-append "\n[" title "]\n"
                   (string-concatenate
                    (map (lambda (pair)
                           (format #f "~a=~a\n" (car pair) (mime-value (cdr pair))))
                         (merge-duplicate-keys alist))))))

(define-configuration home-xdg-mime-applications-configuration
  (added (alist '()) "MIME types and the applications that can open them."
         (serializer (mime-section "Added Associations")))
  (default (alist '()) "MIME types and their default application."
           (serializer (mime-section "Default Applications")))
  (removed (alist '()) "MIME types and the applications that cannot open them."
           (serializer (mime-section "Removed Associations")))
  (desktop-entries (desktop-entries '()) "Desktop entries to write."))

(define (desktop-value value)
  (cond ((list? value) (string-join (map maybe-object->string value) ";"))
        ((boolean? value) (if value "true" "false"))
        (else (maybe-object->string value))))

(define (desktop-key key)
  (let ((text (string-capitalize (maybe-object->string key))))
    (if (string-suffix? "?" text) (string-drop-right text 1) text)))

(define (desktop-lines alist)
  (map (lambda (pair) (format #f "~a=~a\n" (desktop-key (car pair)) (desktop-value (cdr pair))))
       alist))

(define (desktop-entry-file entry)
  (let ((file (xdg-desktop-entry-file entry)))
    (list (string-append "applications/"
                         (if (string-suffix? ".desktop" file) file (string-append file ".desktop")))
          (plain-file
           (format #f "xdg-desktop-~a-entry" file)
           (string-concatenate
            `("[Desktop Entry]\n"
              ,(format #f "Name=~a\n" (xdg-desktop-entry-name entry))
              ,(format #f "Type=~a\n" (string-capitalize (symbol->string (xdg-desktop-entry-type entry))))
              ,@(desktop-lines (xdg-desktop-entry-config entry))
              ,@(append-map (lambda (action)
                              `(,(format #f "[Desktop Action ~a]\n"
                                         (string-capitalize
                                          (maybe-object->string (xdg-desktop-action-action action))))
                                ,(format #f "Name=~a\n" (xdg-desktop-action-name action))
                                ,@(desktop-lines (xdg-desktop-action-config action))))
                            (xdg-desktop-entry-actions entry))))))))

(define (mimeapps-file config)
  `(("mimeapps.list"
     ,(plain-file "mimeapps.list"
                  (serialize-configuration config
                                           home-xdg-mime-applications-configuration-fields)))))

(define (merge-mime-configurations config extensions)
  (define (all accessor)
    (append-map accessor (cons config extensions)))
  (home-xdg-mime-applications-configuration
   (added (all home-xdg-mime-applications-configuration-added))
   (default (all home-xdg-mime-applications-configuration-default))
   (removed (all home-xdg-mime-applications-configuration-removed))
   (desktop-entries (all home-xdg-mime-applications-configuration-desktop-entries))))

(define home-xdg-mime-applications-service-type
  (service-type
   (name 'home-xdg-mime-applications)
   (extensions (list (service-extension home-xdg-data-files-service-type
                                        (lambda (config)
                                          (map desktop-entry-file
                                               (home-xdg-mime-applications-configuration-desktop-entries
                                                config))))
                     (service-extension home-xdg-configuration-files-service-type
                                        mimeapps-file)))
   (compose identity)
   (extend merge-mime-configurations)
   (default-value (home-xdg-mime-applications-configuration))
   (description "Write ~/.config/mimeapps.list and desktop entries under
~/.local/share/applications.")))
