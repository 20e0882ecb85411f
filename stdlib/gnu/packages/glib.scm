;;; schemy --- GLib and D-Bus.

(define-module (gnu packages glib)
  #:use-module (guix packages)
  #:export (dbus
            glib))

(define dbus
  (package
    (name "dbus")
    (version "1.14.10")
    (home-page "https://www.freedesktop.org/wiki/Software/dbus/")
    (synopsis "Message bus for inter-process communication (IPC)")
    (description
     "D-Bus is a message bus through which programs call each other's
methods and receive signals; the system bus connects system services such
as libvirt, polkit and elogind.")
    (license '(afl2.1 gpl2+))
    (debian-package "dbus-daemon")
    (programs
     `(("bin/dbus-daemon" "dbus-daemon" "dbus-daemon")
       ,@(host-programs "bin" '("dbus-send" "dbus-uuidgen" "dbus-monitor")
                        "dbus-bin")))))

(define glib
  (package
    (name "glib")
    (version "2.78.0")
    (home-page "https://wiki.gnome.org/Projects/GLib")
    (outputs '("out" "bin" "debug"))
    (synopsis "Low-level core library for GNOME projects")
    (description "GLib provides data structures, an event loop, threads,
D-Bus bindings and other portable building blocks for C programs.")
    (license 'lgpl2.1+)
    (debian-package "libglib2.0-bin")
    (programs '("bin/gdbus" "bin/gio"))))
