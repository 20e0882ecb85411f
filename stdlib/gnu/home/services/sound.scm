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
            home-pipewire-service-type
            home-pulseaudio-rtp-sink-service-type
            home-pulseaudio-rtp-source-service-type
            %pulseaudio-rtp-multicast-address))

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

;;; PulseAudio over RTP: commands sent to the user's PulseAudio through its
;;; command-line interface socket (created on SIGUSR2 when missing).

(define (with-pulseaudio-connection sock exp)
  ;; EXP, a gexp, with SOCK bound to a socket connected to PulseAudio's CLI.
  #~(let* ((#$sock (socket AF_UNIX SOCK_STREAM 0))
           (pulse-file (lambda (name)
                         (string-append "/run/user/" (number->string (getuid))
                                        "/pulse/" name))))
      (let loop ((tries 0))
        (catch #t
          (lambda ()
            (connect #$sock AF_UNIX (pulse-file "cli"))
            (let ((result #$exp))
              (close-port #$sock)
              result))
          (lambda (key . args)
            (if (and (eq? key 'system-error)
                     (= ENOENT (system-error-errno (cons key args)))
                     (< tries 3))
                (let ((pid (call-with-input-file (pulse-file "pid") read)))
                  (when (and (integer? pid) (> pid 1))
                    (kill pid SIGUSR2))
                  (sleep 1)
                  (loop (+ tries 1)))
                (begin
                  (close-port #$sock)
                  (apply throw key args))))))))

(define %pulseaudio-rtp-multicast-address
  ;; The multicast address of the Session Announcement Protocol, the default
  ;; of PulseAudio's module-rtp-send and module-rtp-recv.
  "224.0.0.56")

(define (pulseaudio-rtp-sink-shepherd-services destination-ip)
  (list (shepherd-service
         (provision '(pulseaudio-rtp-sink))
         (start #~(lambda* (#:optional (destination-ip #$destination-ip))
                    #$(with-pulseaudio-connection
                       #~sock
                       #~(begin
                           (display "load-module module-null-sink sink_name=rtp sink_properties=\"device.description='RTP network output'\"\n"
                                    sock)
                           (display (string-append "load-module module-rtp-send source=rtp.monitor"
                                                   (if destination-ip
                                                       (string-append " destination_ip="
                                                                      destination-ip)
                                                       "")
                                                   "\n")
                                    sock)
                           #t))))
         (stop #~(lambda (_)
                   #$(with-pulseaudio-connection
                      #~sock
                      #~(begin
                          (display "unload-module module-rtp-send\n" sock)
                          (display "unload-module module-null-sink\n" sock)
                          #f))))
         (auto-start? #f))))

(define home-pulseaudio-rtp-sink-service-type
  (service-type
   (name 'pulseaudio-rtp-sink)
   (extensions (list (service-extension home-shepherd-service-type
                                        pulseaudio-rtp-sink-shepherd-services)))
   (default-value %pulseaudio-rtp-multicast-address)
   (description "A PulseAudio sink broadcasting the audio output over RTP, for
another PulseAudio to play.")))

(define (pulseaudio-rtp-source-shepherd-services source-ip)
  (list (shepherd-service
         (provision '(pulseaudio-rtp-source))
         (start #~(lambda* (#:optional (source-ip #$source-ip))
                    #$(with-pulseaudio-connection
                       #~sock
                       #~(begin
                           (format sock "load-module module-rtp-recv sap_address=~a\n" source-ip)
                           #t))))
         (stop #~(lambda (_)
                   #$(with-pulseaudio-connection
                      #~sock
                      #~(begin
                          (display "unload-module module-rtp-recv\n" sock)
                          #f))))
         (auto-start? #f))))

(define home-pulseaudio-rtp-source-service-type
  (service-type
   (name 'pulseaudio-rtp-source)
   (extensions (list (service-extension home-shepherd-service-type
                                        pulseaudio-rtp-source-shepherd-services)))
   (default-value %pulseaudio-rtp-multicast-address)
   (description "A PulseAudio source receiving the audio another PulseAudio
broadcasts over RTP.")))
