;;; schemy --- X Window (Guix manual, "X Window"): the X server configuration
;;; and the login managers (GDM, SDDM, SLiM, LightDM).
;;;
;;; The display manager and the X server are the host's: their services are
;;; realized (xorg.conf is written as Guix writes it) and shown as provided by
;;; the host, never started by schemy.

(define-module (gnu services xorg)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (gnu system keyboard)
  #:use-module ((gnu packages xorg) #:select (xorg-server xf86-input-libinput xinit xauth))
  #:use-module ((gnu packages linux) #:select (util-linux))
  #:use-module ((gnu packages gnome) #:select (dconf))
  #:use-module ((gnu services configuration)
                #:select (define-configuration/no-serialization define-maybe/no-serialization
                          text-config? list-of interpose maybe-value-set? unset-value?
                          %unset-value))
  #:use-module ((gnu packages gnome) #:select (gdm))
  #:use-module ((gnu packages display-managers) #:select (sddm slim lightdm))
  #:use-module (srfi srfi-1)
  #:use-module (guix packages)
  #:export (xorg-configuration
            xorg-configuration?
            xorg-configuration-modules
            xorg-configuration-fonts
            xorg-configuration-drivers
            xorg-configuration-resolutions
            xorg-configuration-keyboard-layout
            xorg-configuration-extra-config
            xorg-configuration-server
            xorg-configuration-server-arguments
            %default-xorg-modules
            %default-xorg-fonts
            %default-xorg-server-arguments
            xorg-configuration->file
            xorg-wrapper
            xorg-server-service-type
            xorg-start-command
            xorg-start-command-xinit
            startx-command-service-type
            dconf-keyfile
            dconf-keyfile?
            dconf-keyfile-name
            dconf-keyfile-content
            dconf-profile
            dconf-profile?
            dconf-profile-name
            dconf-profile-content
            dconf-profile-keyfile
            dconf-service-type
            set-xorg-configuration
            xinitrc

            gdm-configuration gdm-configuration? gdm-service-type gdm-service
            sddm-configuration sddm-configuration? sddm-service-type sddm-service
            slim-configuration slim-configuration? slim-service-type slim-service
            slim-configuration-auto-login-session
            lightdm-configuration lightdm-configuration? lightdm-service-type
            lightdm-seat-configuration lightdm-gtk-greeter-configuration
            screen-locker-configuration
            screen-locker-configuration? screen-locker-service-type
            screen-locker-service
            localed-configuration localed-service-type
            handle-xorg-configuration
            %default-slim-theme %default-slim-theme-name))

;;; The X server.

(define %default-xorg-modules
  ;; The X drivers and input modules Guix loads by default (names only: the
  ;; host's X server has them).
  '("xf86-video-vesa" "xf86-video-fbdev" "xf86-video-amdgpu" "xf86-video-ati"
    "xf86-video-cirrus" "xf86-video-intel" "xf86-video-mach64" "xf86-video-nouveau"
    "xf86-video-nv" "xf86-video-sis" "xf86-input-libinput" "xf86-input-evdev"
    "xf86-input-keyboard" "xf86-input-mouse" "xf86-input-synaptics"))

(define %default-xorg-fonts
  '("font-alias/share/fonts/X11/75dpi" "font-alias/share/fonts/X11/100dpi"
    "font-alias/share/fonts/X11/misc" "font-alias/share/fonts/X11/cyrillic"))

(define %default-xorg-server-arguments
  '("-nolisten" "tcp"))

(define-record-type* <xorg-configuration> xorg-configuration
  make-xorg-configuration xorg-configuration?
  (modules          xorg-configuration-modules (default %default-xorg-modules))
  (fonts            xorg-configuration-fonts (default %default-xorg-fonts))
  (drivers          xorg-configuration-drivers (default '()))
  (resolutions      xorg-configuration-resolutions (default '()))
  (keyboard-layout  xorg-configuration-keyboard-layout (default #f))
  (extra-config     xorg-configuration-extra-config (default '()))
  (server           xorg-configuration-server (default xorg-server))
  (server-arguments xorg-configuration-server-arguments
                    (default %default-xorg-server-arguments)))

(define (xorg-configuration-text config)
  "The text of xorg.conf for CONFIG, section by section as Guix writes it."
  (define (device-section driver)
    (string-append "Section \"Device\"\n  Identifier \"device-" driver "\"\n"
                   "  Driver \"" driver "\"\nEndSection\n"))
  (define (screen-section driver resolutions)
    (string-append
     "Section \"Screen\"\n  Identifier \"screen-" driver "\"\n"
     "  Device \"device-" driver "\"\n"
     (if (null? resolutions)
         ""
         (string-append
          "  SubSection \"Display\"\n    Modes "
          (string-join (map (lambda (r)
                              (format #f "\"~ax~a\"" (car r) (cadr r)))
                            resolutions)
                       " ")
          "\n  EndSubSection\n"))
     "EndSection\n"))
  (define (input-class layout)
    (string-append
     "Section \"InputClass\"\n  Identifier \"evdev keyboard catchall\"\n"
     "  MatchIsKeyboard \"on\"\n"
     "  Option \"XkbLayout\" \"" (keyboard-layout-name layout) "\"\n"
     (let ((variant (keyboard-layout-variant layout)))
       (if variant (string-append "  Option \"XkbVariant\" \"" variant "\"\n") ""))
     (let ((model (keyboard-layout-model layout)))
       (if model (string-append "  Option \"XkbModel\" \"" model "\"\n") ""))
     (let ((options (keyboard-layout-options layout)))
       (if (null? options)
           ""
           (string-append "  Option \"XkbOptions\" \""
                          (string-join options ",") "\"\n")))
     "EndSection\n"))
  (string-append
   "Section \"Files\"\n"
   (string-concatenate
    (map (lambda (font) (string-append "  FontPath \"" font "\"\n"))
         (xorg-configuration-fonts config)))
   "EndSection\n\n"
   "Section \"ServerFlags\"\n  Option \"AllowMouseOpenFail\" \"on\"\nEndSection\n\n"
   (string-join (map device-section (xorg-configuration-drivers config)) "\n")
   (string-join (map (lambda (d)
                       (screen-section d (xorg-configuration-resolutions config)))
                     (xorg-configuration-drivers config))
                "\n")
   (let ((layout (xorg-configuration-keyboard-layout config)))
     (if layout (string-append "\n" (input-class layout)) ""))
   "\n"
   (string-join (map (lambda (x) (if (string? x) x ""))
                     (xorg-configuration-extra-config config))
                "\n")))

(define (xorg-configuration->file config)
  "The xorg.conf file of CONFIG."
  (plain-file "xserver.conf" (xorg-configuration-text config)))

(define* (xorg-wrapper #:optional (config (xorg-configuration)))
  "A program that starts the X server with CONFIG."
  (program-file "X-wrapper"
                #~(apply execl #$(file-append (xorg-configuration-server config) "/bin/X")
                         "X" "-config" #$(xorg-configuration->file config)
                         (append '#$(xorg-configuration-server-arguments config)
                                 (cdr (command-line))))))

(define* (xorg-start-command #:optional (config (xorg-configuration)))
  "The command that starts X with CONFIG."
  (program-file "startx"
                #~(apply execl #$(xorg-wrapper config) "X" ":0" "vt7"
                         (cdr (command-line)))))

(define* (xinitrc #:key fallback-session)
  (program-file "xinitrc" #~(execl #$(or fallback-session "/bin/sh") "xinitrc")))

;;; X in the system profile, for sx or xinit: Guix installs a package
;;; "xorg-wrapper" whose X runs the configured server with CONFIG's xorg.conf.
;;; On a foreign host X is the host's server, so the package is the server's
;;; under Guix's name, with the wrapper program in its properties.

(define (xorg-server-profile-packages config)
  (let ((server (xorg-configuration-server config)))
    (list (package
            (inherit server)
            (name "xorg-wrapper")
            (properties `((wrapper . ,(xorg-wrapper config)) ,@(package-properties server)))))))

(define xorg-server-service-type
  (service-type
   (name 'xorg-server)
   (extensions
    (list (service-extension profile-service-type xorg-server-profile-packages)))
   (default-value (xorg-configuration))
   (description "Add X to the system profile, to be used with sx or xinit.")))

;;; Login managers.  Each one's service is the host's display manager.

(define* (login-manager-shepherd-service name package documentation #:optional (arguments '()))
  (list (shepherd-service
         (provision (list name 'xorg-server))
         (requirement '(user-processes host-name udev elogind))
         (documentation documentation)
         (start #~(make-forkexec-constructor
                   (list #$(file-append package "/sbin/" (symbol->string name)) #$@arguments)))
         (stop #~(make-kill-destructor)))))

(define (login-manager-etc name file text)
  (list (list file (plain-file (string-append (symbol->string name) ".conf") text))))

(define (handle-xorg-configuration config-type service-type-to-extend)
  (service-type
   (name 'handle-xorg-configuration)
   (extensions (list (service-extension service-type-to-extend identity)))
   (description "Set the Xorg configuration.")))

(define-record-type* <gdm-configuration> gdm-configuration
  make-gdm-configuration gdm-configuration?
  (gdm                gdm-configuration-gdm (default gdm))
  (allow-empty-passwords? gdm-configuration-allow-empty-passwords? (default #t))
  (auto-login?        gdm-configuration-auto-login? (default #f))
  (auto-suspend?      gdm-configuration-auto-suspend? (default #t))
  (dbus-daemon        gdm-configuration-dbus-daemon (default #f))
  (debug?             gdm-configuration-debug? (default #f))
  (default-user       gdm-configuration-default-user (default #f))
  (gnome-shell-assets gdm-configuration-gnome-shell-assets (default '()))
  (xorg-configuration gdm-configuration-xorg (default (xorg-configuration)))
  (x-session          gdm-configuration-x-session (default #f))
  (xdmcp?             gdm-configuration-xdmcp? (default #f))
  (wayland?           gdm-configuration-wayland? (default #t))
  (wayland-session    gdm-configuration-wayland-session (default #f)))

(define (gdm-custom-conf config)
  (string-append
   "# Written by schemy for GDM.\n[daemon]\n"
   "WaylandEnable=" (if (gdm-configuration-wayland? config) "true" "false") "\n"
   (if (gdm-configuration-auto-login? config)
       (string-append "AutomaticLoginEnable=true\nAutomaticLogin="
                      (or (gdm-configuration-default-user config) "") "\n")
       "")
   "[debug]\nEnable=" (if (gdm-configuration-debug? config) "true" "false") "\n"
   ;; As Guix: XDMCP, off unless xdmcp? says so.
   "\n[xdmcp]\nEnable=" (if (gdm-configuration-xdmcp? config) "true" "false") "\n"))

(define (xorg-extend config-field setter)
  (lambda (config xorg-configs)
    (if (null? xorg-configs) config (setter config (last xorg-configs)))))

(define gdm-service-type
  (service-type
   (name 'gdm)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (login-manager-shepherd-service
                                'gdm (gdm-configuration-gdm config)
                                "The GNOME display manager (the host's).")))
          (service-extension etc-service-type
                             (lambda (config)
                               (login-manager-etc 'gdm "gdm/custom.conf"
                                                  (gdm-custom-conf config))))))
   (compose identity)
   (extend (lambda (config xorg-configs)
             (if (null? xorg-configs)
                 config
                 (gdm-configuration (inherit config)
                                    (xorg-configuration (last xorg-configs))))))
   (default-value (gdm-configuration))
   (description "Run the GNOME Desktop Manager (GDM), a program that allows
you to log in in a graphical session, whether or not you use GNOME.")))

(define* (gdm-service #:optional (config (gdm-configuration)))
  (service gdm-service-type config))

(define-record-type* <sddm-configuration> sddm-configuration
  make-sddm-configuration sddm-configuration?
  (sddm                 sddm-configuration-sddm (default sddm))
  (display-server       sddm-configuration-display-server (default "x11"))
  (numlock              sddm-configuration-numlock (default "on"))
  (halt-command         sddm-configuration-halt-command (default "shepherd halt"))
  (reboot-command       sddm-configuration-reboot-command (default "shepherd reboot"))
  (theme                sddm-configuration-theme (default "maldives"))
  (themes-directory     sddm-configuration-themes-directory
                        (default "/run/current-system/profile/share/sddm/themes"))
  (faces-directory      sddm-configuration-faces-directory
                        (default "/run/current-system/profile/share/sddm/faces"))
  (default-path         sddm-configuration-default-path (default "/run/current-system/profile/bin"))
  (remember-last-user?  sddm-configuration-remember-last-user? (default #t))
  (remember-last-session? sddm-configuration-remember-last-session? (default #t))
  (minimum-uid          sddm-configuration-minimum-uid (default 1000))
  (maximum-uid          sddm-configuration-maximum-uid (default 2000))
  (hide-users           sddm-configuration-hide-users (default ""))
  (hide-shells          sddm-configuration-hide-shells (default ""))
  (session-command      sddm-configuration-session-command (default #f))
  (sessions-directory   sddm-configuration-sessions-directory   ;as Guix: Wayland's
                        (default "/run/current-system/profile/share/wayland-sessions"))
  (xauth-path           sddm-configuration-xauth-path (default "/run/current-system/profile/bin/xauth"))
  (xephyr-path          sddm-configuration-xephyr-path (default "/run/current-system/profile/bin/Xephyr"))
  (xdisplay-start       sddm-configuration-xdisplay-start (default #f))
  (xdisplay-stop        sddm-configuration-xdisplay-stop (default #f))
  (xrandr-path          sddm-configuration-xrandr-path (default "/run/current-system/profile/bin/xrandr"))
  (xsession-command     sddm-configuration-xsession-command (default #f))
  (xsessions-directory  sddm-configuration-xsessions-directory
                        (default "/run/current-system/profile/share/xsessions"))
  (minimum-vt           sddm-configuration-minimum-vt (default 7))
  (auto-login-user      sddm-configuration-auto-login-user (default ""))
  (auto-login-session   sddm-configuration-auto-login-session (default ""))
  (relogin?             sddm-configuration-relogin? (default #f))
  (xorg-configuration   sddm-configuration-xorg (default (xorg-configuration))))

(define (sddm-conf config)
  (define (bool b) (if b "true" "false"))
  (string-append
   "[General]\n"
   "HaltCommand=" (sddm-configuration-halt-command config) "\n"
   "RebootCommand=" (sddm-configuration-reboot-command config) "\n"
   "Numlock=" (sddm-configuration-numlock config) "\n"
   "DisplayServer=" (sddm-configuration-display-server config) "\n\n"
   "[Theme]\nCurrent=" (sddm-configuration-theme config) "\n"
   "ThemeDir=" (sddm-configuration-themes-directory config) "\n"
   "FacesDir=" (sddm-configuration-faces-directory config) "\n\n"
   "[Users]\n"
   "DefaultPath=" (sddm-configuration-default-path config) "\n"
   "MinimumUid=" (number->string (sddm-configuration-minimum-uid config)) "\n"
   "MaximumUid=" (number->string (sddm-configuration-maximum-uid config)) "\n"
   "HideUsers=" (sddm-configuration-hide-users config) "\n"
   "HideShells=" (sddm-configuration-hide-shells config) "\n"
   "RememberLastUser=" (bool (sddm-configuration-remember-last-user? config)) "\n"
   "RememberLastSession=" (bool (sddm-configuration-remember-last-session? config)) "\n\n"
   "[Wayland]\n"
   "SessionDir=" (sddm-configuration-sessions-directory config) "\n\n"
   "[X11]\n"
   "SessionDir=" (sddm-configuration-xsessions-directory config) "\n"
   "MinimumVT=" (number->string (sddm-configuration-minimum-vt config)) "\n\n"
   "[Autologin]\n"
   "User=" (sddm-configuration-auto-login-user config) "\n"
   "Session=" (sddm-configuration-auto-login-session config) "\n"
   "Relogin=" (bool (sddm-configuration-relogin? config)) "\n"))

(define sddm-service-type
  (service-type
   (name 'sddm)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (login-manager-shepherd-service
                                'sddm (sddm-configuration-sddm config)
                                "SDDM, the Simple Desktop Display Manager (the host's).")))
          (service-extension etc-service-type
                             (lambda (config)
                               (login-manager-etc 'sddm "sddm.conf" (sddm-conf config))))))
   (compose identity)
   (extend (lambda (config xorg-configs)
             (if (null? xorg-configs)
                 config
                 (sddm-configuration (inherit config)
                                     (xorg-configuration (last xorg-configs))))))
   (default-value (sddm-configuration))
   (description "Run SDDM, a display and log-in manager for X11 and Wayland.")))

(define* (sddm-service #:optional (config (sddm-configuration)))
  (service sddm-service-type config))

(define %default-slim-theme #f)
(define %default-slim-theme-name "0.x")

(define-record-type* <slim-configuration> slim-configuration
  make-slim-configuration slim-configuration?
  (slim                   slim-configuration-slim (default slim))
  (allow-empty-passwords? slim-configuration-allow-empty-passwords? (default #t))
  (gnupg?                 slim-configuration-gnupg? (default #f))
  (auto-login?            slim-configuration-auto-login? (default #f))
  (default-user           slim-configuration-default-user (default ""))
  (theme                  slim-configuration-theme (default %default-slim-theme))
  (theme-name             slim-configuration-theme-name (default %default-slim-theme-name))
  (xorg-configuration     slim-configuration-xorg (default (xorg-configuration)))
  (display                slim-configuration-display (default ":0"))
  (vt                     slim-configuration-vt (default "vt7"))
  (xauth                  slim-configuration-xauth (default #f))
  (shepherd               slim-configuration-shepherd (default #f))
  ;; The session started by xinitrc when none is chosen (auto-login).
  (auto-login-session     slim-configuration-auto-login-session (default #f))
  (sessreg                slim-configuration-sessreg (default #f)))

(define (slim-conf config)
  (string-append
   "default_path /run/current-system/profile/bin\n"
   "default_xserver /run/current-system/profile/bin/X\n"
   "xserver_arguments " (slim-configuration-vt config) "\n"
   "halt_cmd shepherd halt\nreboot_cmd shepherd reboot\n"
   "login_cmd exec $HOME/.xsession %session\n"
   "default_user " (slim-configuration-default-user config) "\n"
   "current_theme " (slim-configuration-theme-name config) "\n"
   (if (slim-configuration-auto-login? config) "auto_login yes\n" "")))

(define slim-service-type
  (service-type
   (name 'slim)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (list (shepherd-service
                                      (provision (list (string->symbol
                                                        (string-append
                                                         "xorg-server"
                                                         (substring (slim-configuration-display config) 1)))))
                                      (requirement '(user-processes host-name udev))
                                      (documentation "SLiM, the Simple Login Manager (the host's).")
                                      (start #~(make-forkexec-constructor
                                                (list #$(file-append (slim-configuration-slim config)
                                                                     "/bin/slim") "-nodaemon")))
                                      (stop #~(make-kill-destructor))))))
          (service-extension etc-service-type
                             (lambda (config)
                               (login-manager-etc 'slim "slim.cfg" (slim-conf config))))))
   (compose identity)
   (extend (lambda (config xorg-configs)
             (if (null? xorg-configs)
                 config
                 (slim-configuration (inherit config)
                                     (xorg-configuration (last xorg-configs))))))
   (default-value (slim-configuration))
   (description "Run the SLiM graphical login manager for X11.")))

(define* (slim-service #:optional (config (slim-configuration)))
  (service slim-service-type config))

(define-record-type* <lightdm-gtk-greeter-configuration> lightdm-gtk-greeter-configuration
  make-lightdm-gtk-greeter-configuration lightdm-gtk-greeter-configuration?
  (lightdm-gtk-greeter lightdm-gtk-greeter-configuration-package (default #f))
  (assets              lightdm-gtk-greeter-configuration-assets (default '()))
  (theme-name          lightdm-gtk-greeter-configuration-theme-name (default "Adwaita"))
  (icon-theme-name     lightdm-gtk-greeter-configuration-icon-theme-name (default "Adwaita"))
  (cursor-theme-name   lightdm-gtk-greeter-configuration-cursor-theme-name (default "Adwaita"))
  (cursor-theme-size   lightdm-gtk-greeter-configuration-cursor-theme-size (default 16))
  (allow-debugging?    lightdm-gtk-greeter-configuration-allow-debugging? (default #f))
  (background          lightdm-gtk-greeter-configuration-background (default #f))
  (at-spi-enabled?     lightdm-gtk-greeter-configuration-at-spi-enabled? (default #f))
  (a11y-states         lightdm-gtk-greeter-configuration-a11y-states (default '()))
  (reader              lightdm-gtk-greeter-configuration-reader (default #f))
  (extra-config        lightdm-gtk-greeter-configuration-extra-config (default '())))

(define-record-type* <lightdm-seat-configuration> lightdm-seat-configuration
  make-lightdm-seat-configuration lightdm-seat-configuration?
  (name                 lightdm-seat-configuration-name (default "*"))
  (type                 lightdm-seat-configuration-type (default 'local))
  (autologin-user       lightdm-seat-configuration-autologin-user (default #f))
  (greeter-session      lightdm-seat-configuration-greeter-session (default 'lightdm-gtk-greeter))
  (user-session         lightdm-seat-configuration-user-session (default #f))
  (autologin-session    lightdm-seat-configuration-autologin-session (default #f))
  (xserver-command      lightdm-seat-configuration-xserver-command (default #f))
  (session-wrapper      lightdm-seat-configuration-session-wrapper (default #f))
  (extra-config         lightdm-seat-configuration-extra-config (default '())))

(define-record-type* <lightdm-configuration> lightdm-configuration
  make-lightdm-configuration lightdm-configuration?
  (lightdm            lightdm-configuration-lightdm (default lightdm))
  (allow-empty-passwords? lightdm-configuration-allow-empty-passwords? (default #f))
  (debug?             lightdm-configuration-debug? (default #f))
  (xorg-configuration lightdm-configuration-xorg (default (xorg-configuration)))
  (greeters           lightdm-configuration-greeters
                      (default (list (lightdm-gtk-greeter-configuration))))
  (seats              lightdm-configuration-seats
                      (default (list (lightdm-seat-configuration))))
  (xdmcp?             lightdm-configuration-xdmcp? (default #f))
  (xdmcp-listen-address lightdm-configuration-xdmcp-listen-address (default #f))
  (vnc-server?        lightdm-configuration-vnc-server? (default #f))
  (vnc-server-command lightdm-configuration-vnc-server-command (default #f))
  (vnc-server-listen-address lightdm-configuration-vnc-server-listen-address (default #f))
  (vnc-server-port    lightdm-configuration-vnc-server-port (default 5900))
  (extra-config       lightdm-configuration-extra-config (default '())))

(define (lightdm-conf config)
  ;; A list of strings and file-likes (each seat's X server command), for mixed-text-file.
  (append
   (list "[LightDM]\n")
   (append-map
    (lambda (seat)
      (list
       "\n[Seat:" (lightdm-seat-configuration-name seat) "]\n"
       "type=" (symbol->string (lightdm-seat-configuration-type seat)) "\n"
       "greeter-session=" (symbol->string (lightdm-seat-configuration-greeter-session seat)) "\n"
       (let ((user (lightdm-seat-configuration-autologin-user seat)))
         (if user (string-append "autologin-user=" user "\n") ""))
       (let ((s (lightdm-seat-configuration-user-session seat)))
         (if s (string-append "user-session=" s "\n") ""))
       ;; As Guix: a seat without its own X server command runs the one of the
       ;; lightdm-configuration's xorg-configuration.
       "xserver-command="
       (or (lightdm-seat-configuration-xserver-command seat)
           (xorg-start-command (lightdm-configuration-xorg config)))
       "\n"))
    (lightdm-configuration-seats config))
   (list
   (if (lightdm-configuration-xdmcp? config) "\n[XDMCPServer]\nenabled=true\n" "")
   (if (lightdm-configuration-vnc-server? config)
       (string-append "\n[VNCServer]\nenabled=true\nport="
                      (number->string (lightdm-configuration-vnc-server-port config)) "\n")
       ""))))

(define lightdm-service-type
  (service-type
   (name 'lightdm)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (login-manager-shepherd-service
                                'lightdm (lightdm-configuration-lightdm config)
                                "LightDM, the Light Display Manager (the host's)."
                                (if (lightdm-configuration-debug? config) '("--debug") '()))))
          (service-extension etc-service-type
                             (lambda (config)
                               (list (list "lightdm/lightdm.conf"
                                           (apply mixed-text-file "lightdm.conf"
                                                  (lightdm-conf config))))))))
   (compose identity)
   (extend (lambda (config xorg-configs)
             (if (null? xorg-configs)
                 config
                 (lightdm-configuration (inherit config)
                                        (xorg-configuration (last xorg-configs))))))
   (default-value (lightdm-configuration))
   (description "Run LightDM, a cross-desktop display manager.")))

(define* (set-xorg-configuration config
                                 #:optional (login-manager-service-type gdm-service-type))
  "A service that makes CONFIG the Xorg configuration of LOGIN-MANAGER-SERVICE-TYPE."
  (simple-service 'set-xorg-configuration login-manager-service-type config))

;;; Screen lockers.

(define-record-type* <screen-locker-configuration> screen-locker-configuration
  make-screen-locker-configuration screen-locker-configuration?
  (name          screen-locker-configuration-name)
  (program       screen-locker-configuration-program)
  (allow-empty-password? screen-locker-configuration-allow-empty-password? (default #f))
  (using-pam?    screen-locker-configuration-using-pam? (default #t))
  (using-setuid? screen-locker-configuration-using-setuid? (default #t)))


(define screen-locker-service-type
  (service-type
   (name 'screen-locker)
   (extensions
    (list (service-extension profile-service-type (const '()))))
   (description "Allow the given program to be used as a screen locker for
the graphical server by making it setuid-root, so it can authenticate users,
and by creating a PAM service for it.")))

(define* (screen-locker-service package #:optional (program (package-name package))
                                #:key allow-empty-passwords?)
  (service screen-locker-service-type
           (screen-locker-configuration
            (name program)
            (program (file-append package "/bin/" program))
            (allow-empty-password? allow-empty-passwords?))))

;;; localed (keyboard layouts for the desktop).

(define-record-type* <localed-configuration> localed-configuration
  make-localed-configuration localed-configuration?
  (localed          localed-configuration-localed (default #f))
  (keyboard-layout  localed-configuration-keyboard-layout (default #f)))

(define localed-service-type
  (service-type
   (name 'localed)
   (extensions (list (service-extension profile-service-type (const '()))))
   (default-value (localed-configuration))
   (description "Run the localed daemon, which lets desktop users change the
keyboard layout.")))

;;; startx: xinit running the configured X server on the first free display
;;; and the current virtual terminal, with a fresh X authority cookie.

(define* (xorg-start-command-xinit #:optional (config (xorg-configuration)))
  "A startx program running X with CONFIG through xinit, for use from a tty."
  (program-file
   "startx"
   #~(begin
       (use-modules (guix build utils) (ice-9 popen) (ice-9 textual-ports))
       (define (output-of . command)
         (let* ((port (apply open-pipe* OPEN_READ command))
                (text (get-string-all port)))
           (if (zero? (status:exit-val (close-pipe port)))
               (string-trim-right text #\newline)
               (error "command failed:" command))))
       (define (free-display n)
         (if (or (file-exists? (format #f "/tmp/.X~a-lock" n))
                 (false-if-exception
                  (eq? 'socket (stat:type (stat (format #f "/tmp/.X11-unix/X~a" n))))))
             (free-display (+ n 1))
             (format #f ":~a" n)))
       (define (virtual-terminal)
         (string-append
          "vt"
          (or (getenv "XDG_VTNR")
              (let ((tty (readlink "/proc/self/fd/0")))
                (if (string-prefix? "/dev/tty" tty)
                    (substring tty (string-length "/dev/tty"))
                    (error "cannot tell the virtual terminal of" tty))))))
       (let* ((xinit #$(file-append xinit "/bin/xinit"))
              (display (free-display 0))
              (vt (virtual-terminal))
              (auth-port (mkstemp "/tmp/serverauth.XXXXXX"))
              (auth-file (port-filename auth-port))
              (xauth #$(file-append xauth "/bin/xauth")))
         (close-port auth-port)
         (unless (getenv "XAUTHORITY")
           (setenv "XAUTHORITY" (string-append (getenv "HOME") "/.Xauthority")))
         (let ((cookie (output-of #$(file-append util-linux "/bin/mcookie"))))
           (invoke xauth "-qf" auth-file "add" display "." cookie)
           (invoke xauth "-q" "add" display "." cookie))
         (apply execl xinit xinit "--" #$(xorg-wrapper config) display vt "-keeptty"
                "-auth" auth-file "-logverbose" "-verbose" "-terminate"
                (append '#$(xorg-configuration-server-arguments config)
                        (cdr (command-line))))))))

(define (startx-command-profile-item config)
  ;; A profile entry whose bin/startx is that program.
  (computed-file "startx-profile-package"
                 #~(begin
                     (mkdir #$output)
                     (mkdir (string-append #$output "/bin"))
                     (symlink #$(xorg-start-command-xinit config)
                              (string-append #$output "/bin/startx")))))

(define startx-command-service-type
  (service-type
   (name 'startx-command)
   (extensions
    (list (service-extension profile-service-type
                             (lambda (config) (list (startx-command-profile-item config))))))
   (default-value (xorg-configuration))
   (description "Add startx, which starts X with xinit, to the system profile.")))

;;; dconf: per-profile files in /etc/dconf: the profile, its keyfile and the
;;; database compiled from it.

(define-maybe/no-serialization text-config)

(define-configuration/no-serialization dconf-keyfile
  (name string "The keyfile's file name, such as \"00-login-screen\".")
  (content text-config "The keyfile's text."))

(define-configuration/no-serialization dconf-profile
  (name string "The profile's file name, usually that of the user it is for.")
  (content maybe-text-config "The profile's text; unset: the user and system databases NAME.")
  (keyfile dconf-keyfile "The profile's keyfile."))

(define (dconf-profile->profile-file profile)
  (let ((name (dconf-profile-name profile))
        (content (dconf-profile-content profile)))
    (apply mixed-text-file name
           (interpose (if (maybe-value-set? content)
                          content
                          (list (string-append "user-db:" name) (string-append "system-db:" name)))
                      "\n" 'suffix))))

(define (dconf-profile->db-keyfile profile)
  (let ((keyfile (dconf-profile-keyfile profile)))
    (apply mixed-text-file (dconf-keyfile-name keyfile)
           (interpose (dconf-keyfile-content keyfile) "\n" 'suffix))))

(define (dconf-profile->db profile)
  ;; "dconf compile" of a directory holding the keyfile.
  (let* ((name (dconf-profile-name profile))
         (keyfile-name (dconf-keyfile-name (dconf-profile-keyfile profile)))
         (directory (computed-file name
                                   #~(begin
                                       (mkdir #$output)
                                       (symlink #$(dconf-profile->db-keyfile profile)
                                                (string-append #$output "/" #$keyfile-name))))))
    (computed-file name
                   #~(begin
                       (use-modules (guix build utils))
                       (setenv "DCONF_PROFILE" #$(dconf-profile->profile-file profile))
                       (invoke #$(file-append dconf "/bin/dconf") "compile" #$output #$directory)))))

(define (dconf-profile->files profile)
  (let ((name (dconf-profile-name profile))
        (keyfile-name (dconf-keyfile-name (dconf-profile-keyfile profile))))
    (list (list (string-append "dconf/profile/" name) (dconf-profile->profile-file profile))
          (list (string-append "dconf/db/" name ".d/" keyfile-name) (dconf-profile->db-keyfile profile))
          (list (string-append "dconf/db/" name) (dconf-profile->db profile)))))

(define dconf-service-type
  (service-type
   (name 'dconf-profile)
   (extensions
    (list (service-extension etc-service-type
                             (lambda (profiles) (append-map dconf-profile->files profiles)))))
   (compose concatenate)
   (extend append)
   (default-value '())
   (description "Populate /etc/dconf with the given dconf profiles, their
keyfiles and compiled databases.")))

;; Names Guix's module exports too.
(export localed-configuration? screen-locker-configuration-allow-empty-password?
        screen-locker-configuration-name screen-locker-configuration-program
        screen-locker-configuration-using-pam? screen-locker-configuration-using-setuid?
        slim-configuration-allow-empty-passwords? slim-configuration-auto-login?
        slim-configuration-default-user slim-configuration-display
        slim-configuration-sessreg slim-configuration-shepherd slim-configuration-slim
        slim-configuration-theme slim-configuration-theme-name slim-configuration-vt
        slim-configuration-xauth slim-configuration-xorg)
