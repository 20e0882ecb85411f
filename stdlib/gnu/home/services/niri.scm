;;; schemy --- Niri as the user's desktop session (Guix manual, "Niri Home
;;; Service"): the compositor run by the user's shepherd in a D-Bus session.

(define-module (gnu home services niri)
  #:use-module (gnu services)
  #:use-module (gnu home services)
  #:use-module (gnu home services shepherd)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module ((gnu packages bash) #:select (bash))
  #:use-module ((gnu packages freedesktop) #:select (xdg-desktop-portal xdg-desktop-portal-gtk))
  #:use-module ((gnu packages glib) #:select (dbus))
  #:use-module ((gnu packages gnome) #:select (xdg-desktop-portal-gnome))
  #:use-module ((gnu packages wm) #:select (niri))
  #:use-module ((gnu packages xorg) #:select (xwayland-satellite))
  #:export (niri-configuration
            home-niri-service-type))

(define-record-type* <niri-configuration> niri-configuration
  make-niri-configuration niri-configuration?
  ;; "NAME=VALUE" strings added to the session's environment.
  (environment-variables niri-configuration-environment-variables (default '())))

(define (niri-shepherd-services config)
  (list (shepherd-service
         (documentation "Run Niri scrollable tiling Wayland compositor.")
         (provision '(niri))
         (start #~(make-forkexec-constructor
                   (list #$(file-append bash "/bin/bash") "-l"
                         "-c" "exec dbus-run-session niri --session")
                   #:environment-variables
                   (append (list #$@(niri-configuration-environment-variables config))
                           '("DESKTOP_SESSION=niri" "XDG_CURRENT_DESKTOP=niri"
                             "XDG_SESSION_DESKTOP=niri" "XDG_SESSION_TYPE=wayland")
                           (filter (lambda (binding)
                                     (not (string-prefix? "WAYLAND_DISPLAY=" binding)))
                                   (environ)))))
         (stop #~(make-kill-destructor)))))

(define home-niri-service-type
  (service-type
   (name 'home-niri)
   (extensions
    (list (service-extension home-shepherd-service-type niri-shepherd-services)
          (service-extension home-profile-service-type
                             (const (list dbus niri xdg-desktop-portal xdg-desktop-portal-gnome
                                          xdg-desktop-portal-gtk xwayland-satellite)))))
   (default-value (niri-configuration))
   (description "Run Niri, a scrollable tiling Wayland compositor, as the
user's desktop session.")))
