;;; schemy --- Sound home services (Guix manual, "Sound Home Services"):
;;; PipeWire, WirePlumber and PipeWire's PulseAudio server as user daemons,
;;; with ALSA routed to PipeWire (~/.config/alsa/asoundrc).

(define-module (gnu home services sound)
  #:use-module (gnu services)
  #:use-module (gnu services configuration)
  #:use-module (gnu home services)
  #:use-module (gnu home services shepherd)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module ((gnu packages linux) #:select (pipewire wireplumber))
  #:export (home-pipewire-configuration
            home-pipewire-service-type))

(define-configuration/no-serialization home-pipewire-configuration
  (pipewire (file-like pipewire) "The PipeWire package.")
  (wireplumber (file-like wireplumber) "The WirePlumber package.")
  (enable-pulseaudio? (boolean #t)
                      "Also run PipeWire's PulseAudio server, for PulseAudio clients.")
  (extra-content (string "") "Text added at the end of ~/.config/alsa/asoundrc."))

(define (daemon documentation provision requirement program)
  (shepherd-service
   (documentation documentation)
   (provision provision)
   (requirement requirement)
   (start #~(make-forkexec-constructor (list #$program)))
   (stop #~(make-kill-destructor))))

(define (pipewire-shepherd-services config)
  (let ((pipewire (home-pipewire-configuration-pipewire config)))
    (append
     (list (daemon "PipeWire media processing." '(pipewire) '(dbus)
                   (file-append pipewire "/bin/pipewire"))
           (daemon "WirePlumber session management for PipeWire." '(wireplumber) '(pipewire)
                   (file-append (home-pipewire-configuration-wireplumber config) "/bin/wireplumber")))
     (if (home-pipewire-configuration-enable-pulseaudio? config)
         (list (daemon "Drop-in PulseAudio replacement service for PipeWire."
                       '(pipewire-pulseaudio) '(pipewire)
                       (file-append pipewire "/bin/pipewire-pulse")))
         '()))))

(define (asoundrc config)
  (let ((pipewire (home-pipewire-configuration-pipewire config)))
    (mixed-text-file
     "asoundrc"
     "<" pipewire "/share/alsa/alsa.conf.d/50-pipewire.conf>\n"
     "<" pipewire "/share/alsa/alsa.conf.d/99-pipewire-default.conf>\n"
     "pcm_type.pipewire {\n"
     "  lib \"" pipewire "/lib/alsa-lib/libasound_module_pcm_pipewire.so\"\n"
     "}\n"
     "ctl_type.pipewire {\n"
     "  lib \"" pipewire "/lib/alsa-lib/libasound_module_ctl_pipewire.so\"\n"
     "}\n"
     (home-pipewire-configuration-extra-content config))))

(define (pipewire-xdg-files config)
  (cons `("alsa/asoundrc" ,(asoundrc config))
        (if (home-pipewire-configuration-enable-pulseaudio? config)
            ;; PipeWire serves PulseAudio clients: PulseAudio must not start itself.
            `(("pulse/client.conf" ,(plain-file "client.conf" "autospawn = no")))
            '())))

(define home-pipewire-service-type
  (service-type
   (name 'pipewire)
   (extensions
    (list (service-extension home-shepherd-service-type pipewire-shepherd-services)
          (service-extension home-profile-service-type
                             (lambda (config)
                               (list (home-pipewire-configuration-pipewire config)
                                     (home-pipewire-configuration-wireplumber config))))
          (service-extension home-xdg-configuration-files-service-type pipewire-xdg-files)))
   (default-value (home-pipewire-configuration))
   (description "Run PipeWire and WirePlumber as the user's daemons.")))
