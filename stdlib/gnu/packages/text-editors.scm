;;; schemy --- Assorted text editors.

(define-module (gnu packages text-editors)
  #:use-module (guix packages)
  #:export (mg
            joe
            kakoune))

(define mg
  (package
    (name "mg")
    (version "20230406")
    (home-page "https://homepage.boetes.org/software/mg/")
    (synopsis "Microscopic GNU Emacs clone")
    (description
     "Mg is a small Emacs-like editor: the usual Emacs keys and commands,
without Lisp.")
    (license 'public-domain)
    (debian-package "mg")
    (programs '("bin/mg"))))

(define joe
  (package
    (name "joe")
    (version "4.6")
    (home-page "https://joe-editor.sourceforge.io/")
    (synopsis "Console screen editor")
    (description "JOE is a full-screen terminal text editor with WordStar,
Emacs and Pico key bindings.")
    (license 'gpl3+)
    (debian-package "joe")
    (programs '("bin/joe"))))

(define kakoune
  (package
    (name "kakoune")
    (version "2024.05.18")
    (home-page "https://kakoune.org/")
    (synopsis "Vim-inspired code editor")
    (description "Kakoune is a modal editor that selects first and acts
second, with multiple selections.")
    (license 'unlicense)
    (debian-package "kakoune")
    (programs '("bin/kak"))))
