;;; schemy --- Audio services (Guix manual, "Audio Services"): the Music
;;; Player Daemon with the mpd.conf Guix writes, run by schemy as its user.

(define-module (gnu services audio)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (gnu system shadow)
  #:use-module ((gnu packages mpd) #:select (mpd))
  #:use-module (srfi srfi-1)
  #:export (mpd-output
            mpd-output?
            mpd-plugin
            mpd-plugin?
            mpd-partition
            mpd-partition?
            mpd-configuration
            mpd-configuration?
            mpd-service-type
            mpd-configuration-text
            %mpd-user
            %mpd-group))

(define %mpd-group
  (user-group (name "mpd") (system? #t)))

(define %mpd-user
  (user-account
   (name "mpd")
   (group "mpd")
   (system? #t)
   (comment "Music Player Daemon (MPD) user")
   (home-directory "/var/lib/mpd")
   (shell "/sbin/nologin")))

(define-record-type* <mpd-plugin> mpd-plugin make-mpd-plugin mpd-plugin?
  (plugin        mpd-plugin-plugin (default #f))
  (name          mpd-plugin-name (default #f))
  (enabled?      mpd-plugin-enabled? (default 'unset))
  (extra-options mpd-plugin-extra-options (default '())))

(define-record-type* <mpd-partition> mpd-partition make-mpd-partition mpd-partition?
  (name          mpd-partition-name)
  (extra-options mpd-partition-extra-options (default '())))

(define-record-type* <mpd-output> mpd-output make-mpd-output mpd-output?
  (name                mpd-output-name (default "MPD"))
  (type                mpd-output-type (default "pulse"))
  (enabled?            mpd-output-enabled? (default #t))
  (format              mpd-output-format (default #f))
  (tags?               mpd-output-tags? (default #t))
  (always-on?          mpd-output-always-on? (default #f))
  (mixer-type          mpd-output-mixer-type (default #f))
  (replay-gain-handler mpd-output-replay-gain-handler (default #f))
  (extra-options       mpd-output-extra-options (default '())))

(define-record-type* <mpd-configuration> mpd-configuration
  make-mpd-configuration mpd-configuration?
  (package               mpd-configuration-package (default mpd))
  (user                  mpd-configuration-user (default %mpd-user))
  (group                 mpd-configuration-group (default %mpd-group))
  (shepherd-requirement  mpd-configuration-shepherd-requirement (default '()))
  (environment-variables mpd-configuration-environment-variables
                         (default '("PULSE_CLIENTCONFIG=/etc/pulse/client.conf"
                                    "PULSE_CONFIG=/etc/pulse/daemon.conf")))
  (log-file              mpd-configuration-log-file (default #f))
  (log-level             mpd-configuration-log-level (default #f))
  (music-directory       mpd-configuration-music-directory (default #f))
  (music-dir             mpd-configuration-music-dir (default #f))
  (playlist-directory    mpd-configuration-playlist-directory (default #f))
  (playlist-dir          mpd-configuration-playlist-dir (default #f))
  (db-file               mpd-configuration-db-file (default #f))
  (state-file            mpd-configuration-state-file (default #f))
  (sticker-file          mpd-configuration-sticker-file (default #f))
  (default-port          mpd-configuration-default-port (default 6600))
  (endpoints             mpd-configuration-endpoints (default #f))
  (address               mpd-configuration-address (default #f))
  (database              mpd-configuration-database (default #f))
  (partitions            mpd-configuration-partitions (default '()))
  (neighbors             mpd-configuration-neighbors (default '()))
  (inputs                mpd-configuration-inputs (default '()))
  (archive-plugins       mpd-configuration-archive-plugins (default '()))
  (auto-update?          mpd-configuration-auto-update? (default 'unset))
  (input-cache-size      mpd-configuration-input-cache-size (default #f))
  (decoders              mpd-configuration-decoders (default '()))
  (resampler             mpd-configuration-resampler (default #f))
  (filters               mpd-configuration-filters (default '()))
  (outputs               mpd-configuration-outputs (default (list (mpd-output))))
  (playlist-plugins      mpd-configuration-playlist-plugins (default '()))
  (extra-options         mpd-configuration-extra-options (default '())))

(define (value->string v)
  (cond ((string? v) v) ((number? v) (number->string v)) ((symbol? v) (symbol->string v))
        ((eq? v #t) "yes") (else "no")))

(define (line indent key value)
  (if (or (not value) (eq? value 'unset))
      ""
      (string-append indent key " \"" (value->string value) "\"\n")))

(define (extra-lines indent alist)
  (string-concatenate
   (map (lambda (kv) (line indent (value->string (car kv)) (cdr kv))) alist)))

(define (output-text out)
  (string-append
   "audio_output {\n"
   (line "  " "name" (mpd-output-name out))
   (line "  " "type" (mpd-output-type out))
   (line "  " "enabled" (if (mpd-output-enabled? out) "yes" "no"))
   (line "  " "format" (mpd-output-format out))
   (line "  " "tags" (if (mpd-output-tags? out) "yes" "no"))
   (line "  " "always_on" (if (mpd-output-always-on? out) "yes" "no"))
   (line "  " "mixer_type" (mpd-output-mixer-type out))
   (line "  " "replay_gain_handler" (mpd-output-replay-gain-handler out))
   (extra-lines "  " (mpd-output-extra-options out))
   "}\n"))

(define (plugin-text block plugin)
  (string-append
   block " {\n"
   (line "  " "plugin" (mpd-plugin-plugin plugin))
   (line "  " "name" (mpd-plugin-name plugin))
   (let ((e (mpd-plugin-enabled? plugin)))
     (if (boolean? e) (line "  " "enabled" (if e "yes" "no")) ""))
   (extra-lines "  " (mpd-plugin-extra-options plugin))
   "}\n"))

(define (mpd-configuration-text config)
  "mpd.conf for CONFIG: the settings that are set, then the blocks."
  (let ((user (mpd-configuration-user config)))
    (string-append
     (line "" "user" (if (user-account? user) (user-account-name user) user))
     (line "" "log_file" (mpd-configuration-log-file config))
     (line "" "log_level" (mpd-configuration-log-level config))
     (line "" "music_directory" (or (mpd-configuration-music-directory config)
                                    (mpd-configuration-music-dir config)))
     (line "" "playlist_directory" (or (mpd-configuration-playlist-directory config)
                                       (mpd-configuration-playlist-dir config)))
     (line "" "db_file" (mpd-configuration-db-file config))
     (line "" "state_file" (mpd-configuration-state-file config))
     (line "" "sticker_file" (mpd-configuration-sticker-file config))
     (line "" "port" (mpd-configuration-default-port config))
     (string-concatenate
      (map (lambda (e) (line "" "bind_to_address" e))
           (or (mpd-configuration-endpoints config)
               (let ((a (mpd-configuration-address config))) (if a (list a) '())))))
     (let ((u (mpd-configuration-auto-update? config)))
       (if (boolean? u) (line "" "auto_update" (if u "yes" "no")) ""))
     (extra-lines "" (mpd-configuration-extra-options config))
     (let ((db (mpd-configuration-database config))) (if db (plugin-text "database" db) ""))
     (string-concatenate (map (lambda (p) (plugin-text "neighbors" p)) (mpd-configuration-neighbors config)))
     (string-concatenate (map (lambda (p) (plugin-text "input" p)) (mpd-configuration-inputs config)))
     (string-concatenate (map (lambda (p) (plugin-text "archive_plugin" p))
                              (mpd-configuration-archive-plugins config)))
     (string-concatenate (map (lambda (p) (plugin-text "decoder" p)) (mpd-configuration-decoders config)))
     (string-concatenate (map (lambda (p) (plugin-text "playlist_plugin" p))
                              (mpd-configuration-playlist-plugins config)))
     (string-concatenate (map output-text (mpd-configuration-outputs config))))))

(define (mpd-accounts config)
  (let ((user (mpd-configuration-user config))
        (group (mpd-configuration-group config)))
    (filter (lambda (x) (or (user-account? x) (user-group? x)))
            (list group user))))

(define mpd-service-type
  (service-type
   (name 'mpd)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (list (shepherd-service
                                      (provision '(mpd))
                                      (requirement (cons 'user-processes
                                                         (mpd-configuration-shepherd-requirement config)))
                                      (documentation "Run the Music Player Daemon.")
                                      (start #~(make-forkexec-constructor
                                                (list #$(file-append (mpd-configuration-package config) "/bin/mpd")
                                                      "--no-daemon"
                                                      #$(plain-file "mpd.conf" (mpd-configuration-text config)))
                                                #:environment-variables
                                                '#$(mpd-configuration-environment-variables config)))
                                      (stop #~(make-kill-destructor))))))
          (service-extension account-service-type mpd-accounts)))
   (default-value (mpd-configuration))
   (description "Run the Music Player Daemon (MPD).")))

;; Names Guix's module exports too.
(export mpd-configuration-address mpd-configuration-archive-plugins
        mpd-configuration-database mpd-configuration-db-file mpd-configuration-decoders
        mpd-configuration-default-port mpd-configuration-endpoints
        mpd-configuration-extra-options mpd-configuration-filters
        mpd-configuration-group mpd-configuration-input-cache-size
        mpd-configuration-inputs mpd-configuration-log-file mpd-configuration-log-level
        mpd-configuration-music-dir mpd-configuration-music-directory
        mpd-configuration-neighbors mpd-configuration-outputs mpd-configuration-package
        mpd-configuration-partitions mpd-configuration-playlist-dir
        mpd-configuration-playlist-directory mpd-configuration-playlist-plugins
        mpd-configuration-resampler mpd-configuration-shepherd-requirement
        mpd-configuration-state-file mpd-configuration-sticker-file
        mpd-configuration-user mpd-output-always-on? mpd-output-enabled?
        mpd-output-extra-options mpd-output-format mpd-output-mixer-type mpd-output-name
        mpd-output-replay-gain-handler mpd-output-tags? mpd-output-type
        mpd-partition-extra-options mpd-partition-name mpd-plugin-enabled?
        mpd-plugin-extra-options mpd-plugin-name mpd-plugin-plugin)
