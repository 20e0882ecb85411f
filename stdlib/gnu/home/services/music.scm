;;; schemy --- Beets, the music library manager, for a user (Guix manual,
;;; "Music Home Services"): beets and its helper programs in the profile and
;;; ~/.config/beets/config.yaml as Guix writes it.

(define-module (gnu home services music)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu home services)
  #:use-module ((gnu packages music) #:select (beets))
  #:use-module ((gnu packages video) #:select (ffmpeg))
  #:export (home-beets-configuration
            home-beets-configuration?
            home-beets-service-type))

(define-record-type* <home-beets-configuration> home-beets-configuration
  make-home-beets-configuration home-beets-configuration?
  (package        home-beets-package (default beets))
  (directory      home-beets-directory (default #f))
  (extra-options  home-beets-extra-options (default '()))
  (extra-packages home-beets-extra-packages (default (list ffmpeg))))

(define (home-beets-config-text config)
  ;; The library directory line, then each extra option on a line of its own.
  (let ((directory (home-beets-directory config)))
    (unless (string? directory)
      (error "home-beets-configuration: the directory field (the music library) is required"))
    (string-append "directory: " directory "\n"
                   (string-concatenate
                    (map (lambda (o) (string-append o "\n"))
                         (home-beets-extra-options config))))))

(define home-beets-service-type
  (service-type
   (name 'home-beets)
   (extensions
    (list (service-extension home-profile-service-type
                             (lambda (config)
                               (cons (home-beets-package config)
                                     (home-beets-extra-packages config))))
          (service-extension home-xdg-configuration-files-service-type
                             (lambda (config)
                               (list (list "beets/config.yaml"
                                           (plain-file "beets.yaml"
                                                       (home-beets-config-text config))))))))
   (description "Configure Beets, a music file and metadata manager.")))
