;;; schemy --- The GNU Bourne-Again Shell.

(define-module (gnu packages bash)
  #:use-module (guix packages)
  #:export (bash
            bash-minimal
            bash-completion))

(define bash
  (package
    (name "bash")
    (version "5.2.21")
    (home-page "https://www.gnu.org/software/bash/")
    (synopsis "The GNU Bourne-Again SHell")
    (description
     "Bash is the shell of the GNU system: it reads commands interactively
or from scripts, with job control, command-line editing and history, and it
runs the Bourne shell's scripts.  Bash also answers to the name sh.")
    (license 'gpl3+)
    (debian-package "bash")
    ;; bin/sh is bash itself, as in the original (Debian's sh is dash).
    (programs '("bin/bash" ("bin/sh" . "bash")))))

(define bash-minimal
  (package
    (inherit bash)
    (name "bash-minimal")
    (synopsis "The GNU Bourne-Again SHell, minimal build")
    (description
     "This is Bash without interactive extras such as readline support;
enough to run scripts.")))

(define bash-completion
  (package
    (name "bash-completion")
    (version "2.11")
    (home-page "https://github.com/scop/bash-completion")
    (synopsis "Bash completions for common commands")
    (description
     "A collection of completion functions that let Bash complete the
options and arguments of many commands.")
    (license 'gpl2+)
    (debian-package "bash-completion")))
