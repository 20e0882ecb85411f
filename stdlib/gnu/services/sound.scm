;;; schemy --- Sound services (Guix manual, "Sound Services"): /etc/asound.conf and PulseAudio's files.

(define-module (gnu services sound)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module ((gnu services base) #:select (session-environment-service-type))
  #:use-module ((gnu packages pulseaudio) #:select (pulseaudio))
  #:use-module ((gnu packages linux) #:select (alsa-plugins))
  #:export (pulseaudio-configuration
            pulseaudio-configuration?
            pulseaudio-service-type
            alsa-configuration
            alsa-configuration?
            alsa-service-type
            ladspa-configuration
            ladspa-configuration?
            ladspa-configuration-plugins
            ladspa-service-type))

(define-record-type* <pulseaudio-configuration> pulseaudio-configuration
  make-pulseaudio-configuration pulseaudio-configuration?
  (client-conf pulseaudio-configuration-client-conf (default '()))
  (daemon-conf pulseaudio-configuration-daemon-conf (default '((flat-volumes . no))))
  (script-file pulseaudio-configuration-script-file (default #f))
  (extra-script-files pulseaudio-configuration-extra-script-files (default '()))
  (system-script-file pulseaudio-configuration-system-script-file (default #f))
  (package pulseaudio-configuration-package (default pulseaudio)))

(define-record-type* <alsa-configuration> alsa-configuration
  make-alsa-configuration alsa-configuration?
  (alsa-plugins alsa-configuration-alsa-plugins (default alsa-plugins))
  (pulseaudio? alsa-configuration-pulseaudio? (default #t))
  (extra-options alsa-configuration-extra-options (default "")))

(define (pulseaudio-conf alist)
  (string-concatenate
   (map (lambda (pair)
          (let ((v (cdr pair)))
            (string-append (symbol->string (car pair)) " = "
                           (cond ((string? v) v) ((number? v) (number->string v))
                                 ((symbol? v) (symbol->string v)) ((eq? v #t) "yes") (else "no"))
                           "\n")))
        alist)))

(define pulseaudio-service-type
  (service-type
   (name 'pulseaudio)
   (extensions
    (list (service-extension etc-service-type
                             (lambda (config)
                               (list (list "pulse/client.conf"
                                           (plain-file "client.conf" (pulseaudio-conf (pulseaudio-configuration-client-conf config))))
                                     (list "pulse/daemon.conf"
                                           (plain-file "daemon.conf" (pulseaudio-conf (pulseaudio-configuration-daemon-conf config)))))))))
   (default-value (pulseaudio-configuration))
   (description "Configure PulseAudio sound support (client.conf and daemon.conf).")))

(define (alsa-conf config)
  (string-append
   (if (alsa-configuration-pulseaudio? config)
       "pcm.!default {\n  type pulse\n}\n\nctl.!default {\n  type pulse\n}\n"
       "")
   (alsa-configuration-extra-options config)))

(define alsa-service-type
  (service-type
   (name 'alsa)
   (extensions
    (list (service-extension etc-service-type
                             (lambda (config) (list (list "asound.conf" (plain-file "asound.conf" (alsa-conf config))))))))
   (default-value (alsa-configuration))
   (description "Configure the ALSA sound system (/etc/asound.conf).")))

(define-record-type* <ladspa-configuration> ladspa-configuration
  make-ladspa-configuration ladspa-configuration?
  (plugins ladspa-configuration-plugins (default '())))   ;list of packages

(define (ladspa-environment config)
  ;; LADSPA_PATH: each plugin package's lib/ladspa, joined with colons.
  (list (cons "LADSPA_PATH"
              #~(string-join
                 (list #$@(map (lambda (package) (file-append package "/lib/ladspa"))
                               (ladspa-configuration-plugins config)))
                 ":"))))

(define ladspa-service-type
  (service-type
   (name 'ladspa)
   (extensions (list (service-extension session-environment-service-type
                                        ladspa-environment)))
   (default-value (ladspa-configuration))
   (description "Set LADSPA_PATH for the LADSPA plugins, so that programs that honour
it (PulseAudio...) load them.")))
