;;; schemy --- (guix build-system glib-or-gtk): the build system that GLib/GTK programs.
;;; schemy never builds packages: the build system only names how Guix would.

(define-module (guix build-system glib-or-gtk)
  #:use-module (guix build-system)
  #:export (glib-or-gtk-build-system))

(define glib-or-gtk-build-system
  (build-system
   (name 'glib-or-gtk)
   (description "The build system that GLib/GTK programs.")))
