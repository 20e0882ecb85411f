;;; schemy --- Shell home services (Guix manual, "Shells Home Services"):
;;; ~/.profile, and Bash's, Zsh's and Fish's startup files written from their
;;; configurations, plus readline's ~/.inputrc.
;;;
;;; Text fields (bashrc, zshrc, config...) are lists of strings, gexps and
;;; file-like objects; each is one block of the file (a file-like object
;;; stands for its content), as in Guix.

(define-module (gnu home services shells)
  #:use-module (gnu services)
  #:use-module (gnu services configuration)
  #:use-module (gnu home services)
  #:use-module (gnu home services utils)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (guix packages)
  #:use-module ((gnu packages bash) #:select (bash))
  #:use-module ((gnu packages shells) #:select (zsh fish fish-foreign-env))
  #:use-module (srfi srfi-1)
  #:use-module (ice-9 match)
  #:export (home-shell-profile-service-type
            home-shell-profile-configuration

            home-bash-service-type
            home-bash-configuration
            home-bash-extension
            %default-bash-aliases

            home-zsh-service-type
            home-zsh-configuration
            home-zsh-extension

            home-fish-service-type
            home-fish-configuration
            home-fish-extension

            home-inputrc-service-type
            home-inputrc-configuration))

(define (serialize-boolean field value) "")
(define (serialize-posix-env-vars field value)
  (environment-variable-shell-definitions value))
(define (serialize-shell-variables field value)
  (shell-variable-definitions value))

(define (field-text config fields field)
  "The serialization of FIELD of CONFIG alone."
  (serialize-configuration config (filter-configuration-fields fields (list field))))

;;; ~/.profile

(define-configuration home-shell-profile-configuration
  (profile (text-config '())
           "Blocks added to ~/.profile after the lines that set up the home
environment; extend the service rather than instantiating it."))

(define (shell-profile-file config)
  `((".profile"
     ,(mixed-text-file
       "shell-profile"
       "HOME_ENVIRONMENT=$HOME/.guix-home
. $HOME_ENVIRONMENT/setup-environment
$HOME_ENVIRONMENT/on-first-login
unset HOME_ENVIRONMENT\n"
       (field-text config home-shell-profile-configuration-fields 'profile)))))

(define home-shell-profile-service-type
  (service-type
   (name 'home-shell-profile)
   (extensions (list (service-extension home-files-service-type shell-profile-file)))
   (compose concatenate)
   (extend (lambda (config blocks)
             (home-shell-profile-configuration
              (inherit config)
              (profile (append (home-shell-profile-configuration-profile config) blocks)))))
   (default-value (home-shell-profile-configuration))
   (description "Write ~/.profile, which POSIX login shells read to set up
the home environment; extended with blocks of text.")))

;;; Bash

(define %default-bash-aliases
  '(("ls" . "ls -p --color=auto")
    ("ll" . "ls -l")
    ("grep" . "grep --color=auto")
    ("ip" . "ip -color=auto")))

;; The defaults of .bashrc with guix-defaults?: prompt, SHELL, the
;; non-interactive SSH case, /etc/bashrc.d and the history size.
(define %home-default-bashrc
  "# Bash-specific initialization, including for non-login and remote
# shells (info \"(bash) Bash Startup Files\").

# Provide a default prompt.
PS1='\\u@\\h \\w${GUIX_ENVIRONMENT:+ [env]}\\$ '

# Export 'SHELL' to child processes.  Programs such as 'screen'
# honor it and otherwise use /bin/sh.
export SHELL

if [[ $- != *i* ]]
then
    # We are being invoked from a non-interactive shell.  If this
    # is an SSH session (as in \"ssh host command\"), source
    # /etc/profile so we get PATH and other essential variables.
    [[ -n \"$SSH_CLIENT\" ]] && source /etc/profile

    # Don't do anything else, returning a successful return code.
    return 0
fi

for i in /etc/bashrc.d/*.sh; do
    [[ -r $i ]] && source \"$i\"
done
unset i

# Increase the history size (default is 500 entries).
HISTSIZE=10000
")

(define (bash-serialize-aliases field aliases)
  (with-shell-quotation-bindings
   #~(string-append
      #$@(map (match-lambda
                ((name . #f) "")
                ((name . #t) (string-append "alias " name "\n"))
                ((name . (? literal-string? value))
                 #~(string-append "alias " #$name "="
                                  (shell-single-quote #$(literal-string-value value)) "\n"))
                ((name . value)
                 #~(string-append "alias " #$name "=" (shell-double-quote #$value) "\n")))
              aliases))))

(define-configuration home-bash-configuration
  (package (package bash) "The Bash package to use.")
  (guix-defaults? (boolean #t)
                  "Start .bashrc with sane defaults (prompt, SHELL, /etc/profile
for non-interactive SSH shells).")
  (environment-variables (alist '())
                         "Environment variables exported by .bash_profile."
                         (serializer serialize-posix-env-vars))
  (variables (alist '()) "Shell variables set in .bashrc, such as HISTSIZE."
             (serializer serialize-shell-variables))
  (aliases (alist %default-bash-aliases) "Aliases defined at the end of .bashrc."
           (serializer bash-serialize-aliases))
  (bash-profile (text-config '()) "Blocks of .bash_profile (login shells).")
  (bashrc (text-config '()) "Blocks of .bashrc (interactive shells).")
  (bash-logout (text-config '()) "Blocks of .bash_logout."))

(define (bash-files config)
  (define (text field)
    (field-text config home-bash-configuration-fields field))
  (append
   `((".bash_profile"
      ,(mixed-text-file
        "bash_profile"
        "# Set up the system, user profile, and related variables.
# /etc/profile will be sourced by bash automatically
# Set up the home environment profile.
if [ -f ~/.profile ]; then source ~/.profile; fi

# Honor per-interactive-shell startup file
if [ -f ~/.bashrc ]; then source ~/.bashrc; fi
"
        (text 'bash-profile)
        (text 'environment-variables))))
   ;; .bashrc: the defaults, the variables, the aliases, then the user's blocks.
   `((".bashrc"
      ,(apply mixed-text-file "bashrc"
              (append (if (home-bash-configuration-guix-defaults? config)
                          (list %home-default-bashrc "\n")
                          '())
                      (list (text 'variables) "\n" (text 'aliases) (text 'bashrc))))))
   (if (null? (home-bash-configuration-bash-logout config))
       '()
       `((".bash_logout" ,(mixed-text-file "bash_logout" (text 'bash-logout)))))))

(define-configuration/no-serialization home-bash-extension
  (environment-variables (alist '()) "More environment variables.")
  (variables (alist '()) "More shell variables.")
  (aliases (alist '()) "More aliases.")
  (bash-profile (text-config '()) "More blocks of .bash_profile.")
  (bashrc (text-config '()) "More blocks of .bashrc.")
  (bash-logout (text-config '()) "More blocks of .bash_logout."))

;; For an extend procedure: a field's value in CONFIG (read with GET) followed by
;; its value in each of EXTENSIONS (read with EXT-GET).
(define (extended-field config extensions)
  (lambda (get ext-get)
    (append (get config) (append-map ext-get extensions))))

(define (extend-bash config extensions)
  (define more (extended-field config extensions))
  (home-bash-configuration
   (inherit config)
   (environment-variables (more home-bash-configuration-environment-variables
                                home-bash-extension-environment-variables))
   (variables (more home-bash-configuration-variables home-bash-extension-variables))
   (aliases (more home-bash-configuration-aliases home-bash-extension-aliases))
   (bash-profile (more home-bash-configuration-bash-profile home-bash-extension-bash-profile))
   (bashrc (more home-bash-configuration-bashrc home-bash-extension-bashrc))
   (bash-logout (more home-bash-configuration-bash-logout home-bash-extension-bash-logout))))

(define home-bash-service-type
  (service-type
   (name 'home-bash)
   (extensions (list (service-extension home-files-service-type bash-files)
                     (service-extension home-profile-service-type
                                        (lambda (config)
                                          (list (home-bash-configuration-package config))))))
   (compose identity)
   (extend extend-bash)
   (default-value (home-bash-configuration))
   (description "Install GNU Bash and write ~/.bash_profile, ~/.bashrc and
~/.bash_logout; extended with home-bash-extension records.")))

;;; Zsh

(define-configuration home-zsh-configuration
  (package (package zsh) "The Zsh package to use.")
  (xdg-flavor? (boolean #t)
               "Put the startup files in $XDG_CONFIG_HOME/zsh, with a ~/.zshenv
that sets ZDOTDIR to it.")
  (environment-variables (alist '()) "Environment variables exported by .zshenv."
                         (serializer serialize-posix-env-vars))
  (zshenv (text-config '()) "Blocks of .zshenv, read by every zsh.")
  (zprofile (text-config '()) "Blocks of .zprofile (login shells).")
  (zshrc (text-config '()) "Blocks of .zshrc (interactive shells).")
  (zlogin (text-config '()) "Blocks of .zlogin.")
  (zlogout (text-config '()) "Blocks of .zlogout."))

(define (zsh-files config)
  (define (text field)
    (field-text config home-zsh-configuration-fields field))
  (define (optional field getter)
    (if (null? (getter config))
        '()
        (let ((name (symbol->string field)))
          `((,(string-append "." name) ,(mixed-text-file name (text field)))))))
  `((".zprofile"
     ,(mixed-text-file
       "zprofile"
       "# Set up the system, user profile, and related variables.
source /etc/profile
# Set up the home environment profile.
source ~/.profile
"
       "# It's only necessary if zsh is a login shell, otherwise profiles will
# be already sourced by bash
"
       (text 'zprofile)))
    (".zshenv"
     ,(mixed-text-file "zshenv"
                       (text 'zshenv)
                       (text 'environment-variables)
                       "[ -n \"$SSH_CLIENT\" ] && source /etc/profile"))
    ,@(optional 'zshrc home-zsh-configuration-zshrc)
    ,@(optional 'zlogin home-zsh-configuration-zlogin)
    ,@(optional 'zlogout home-zsh-configuration-zlogout)))

(define (zsh-home-files config)
  (if (home-zsh-configuration-xdg-flavor? config)
      `((".zshenv"
         ,(mixed-text-file "zshenv-auxiliary"
                           "export ZDOTDIR=${XDG_CONFIG_HOME:-$HOME/.config}/zsh\n"
                           "[[ -f $ZDOTDIR/.zshenv ]] && source $ZDOTDIR/.zshenv\n")))
      (zsh-files config)))

(define (zsh-xdg-files config)
  (if (home-zsh-configuration-xdg-flavor? config)
      (map (match-lambda ((name . rest) (cons (string-append "zsh/" name) rest)))
           (zsh-files config))
      '()))

(define-configuration/no-serialization home-zsh-extension
  (environment-variables (alist '()) "More environment variables.")
  (zshrc (text-config '()) "More blocks of .zshrc.")
  (zshenv (text-config '()) "More blocks of .zshenv.")
  (zprofile (text-config '()) "More blocks of .zprofile.")
  (zlogin (text-config '()) "More blocks of .zlogin.")
  (zlogout (text-config '()) "More blocks of .zlogout."))

(define (extend-zsh config extensions)
  (define more (extended-field config extensions))
  (home-zsh-configuration
   (inherit config)
   (environment-variables (more home-zsh-configuration-environment-variables
                                home-zsh-extension-environment-variables))
   (zshrc (more home-zsh-configuration-zshrc home-zsh-extension-zshrc))
   (zshenv (more home-zsh-configuration-zshenv home-zsh-extension-zshenv))
   (zprofile (more home-zsh-configuration-zprofile home-zsh-extension-zprofile))
   (zlogin (more home-zsh-configuration-zlogin home-zsh-extension-zlogin))
   (zlogout (more home-zsh-configuration-zlogout home-zsh-extension-zlogout))))

(define home-zsh-service-type
  (service-type
   (name 'home-zsh)
   (extensions (list (service-extension home-files-service-type zsh-home-files)
                     (service-extension home-xdg-configuration-files-service-type zsh-xdg-files)
                     (service-extension home-profile-service-type
                                        (lambda (config)
                                          (list (home-zsh-configuration-package config))))))
   (compose identity)
   (extend extend-zsh)
   (default-value (home-zsh-configuration))
   (description "Install Zsh and write its startup files.")))

;;; Fish

(define (serialize-fish-aliases field aliases)
  #~(string-append
     #$@(map (match-lambda
               ((name . value) #~(string-append "alias " #$name " \"" #$value "\"\n"))
               (_ ""))
             aliases)))

(define (serialize-fish-abbreviations field abbreviations)
  #~(string-append
     #$@(map (match-lambda
               ((name . value) #~(string-append "abbr --add " #$name " " #$value "\n"))
               (_ ""))
             abbreviations)))

(define (serialize-fish-env-vars field variables)
  #~(string-append
     #$@(map (match-lambda
               ((name . #f) "")
               ((name . #t) #~(string-append "set -x " #$name "\n"))
               ((name . value) #~(string-append "set -x " #$name " " #$value "\n")))
             variables)))

(define-configuration home-fish-configuration
  (package (package fish) "The Fish package to use.")
  (config (text-config '()) "Blocks of $XDG_CONFIG_HOME/fish/config.fish.")
  (environment-variables (alist '()) "Environment variables set with set -x."
                         (serializer serialize-fish-env-vars))
  (aliases (alist '()) "Aliases (functions wrapping a command)."
           (serializer serialize-fish-aliases))
  (abbreviations (alist '()) "Abbreviations, expanded as they are typed."
                 (serializer serialize-fish-abbreviations)))

(define (fish-files config)
  `(("fish/config.fish"
     ,(mixed-text-file
       "fish-config.fish"
       #~(string-append "\
# if we haven't sourced the login config, do it
status --is-login; and not set -q __fish_login_config_sourced
and begin

  set --prepend fish_function_path "
                        #$fish-foreign-env
                        "/share/fish/functions
  fenv source $HOME/.profile
  set -e fish_function_path[1]

  set -g __fish_login_config_sourced 1

end\n\n")
       (serialize-configuration config home-fish-configuration-fields)))))

(define-configuration/no-serialization home-fish-extension
  (config (text-config '()) "More blocks of config.fish.")
  (environment-variables (alist '()) "More environment variables.")
  (aliases (alist '()) "More aliases.")
  (abbreviations (alist '()) "More abbreviations."))

(define (extend-fish config extensions)
  (define more (extended-field config extensions))
  (home-fish-configuration
   (inherit config)
   (config (more home-fish-configuration-config home-fish-extension-config))
   (environment-variables (more home-fish-configuration-environment-variables
                                home-fish-extension-environment-variables))
   (aliases (more home-fish-configuration-aliases home-fish-extension-aliases))
   (abbreviations (more home-fish-configuration-abbreviations
                        home-fish-extension-abbreviations))))

(define home-fish-service-type
  (service-type
   (name 'home-fish)
   (extensions (list (service-extension home-xdg-configuration-files-service-type fish-files)
                     (service-extension home-profile-service-type
                                        (lambda (config)
                                          (list (home-fish-configuration-package config))))))
   (compose identity)
   (extend extend-fish)
   (default-value (home-fish-configuration))
   (description "Install Fish and write $XDG_CONFIG_HOME/fish/config.fish.")))

;;; Readline

(define (serialize-inputrc-key-bindings field bindings)
  #~(string-append
     #$@(map (match-lambda ((key . value) #~(string-append #$key ": " #$value "\n")))
             bindings)))

(define (serialize-inputrc-variables field variables)
  #~(string-append
     #$@(map (match-lambda
               ((name . #f) #~(string-append "set " #$name " off\n"))
               ((name . #t) #~(string-append "set " #$name " on\n"))
               ((name . value) #~(string-append "set " #$name " " #$value "\n")))
             variables)))

(define (serialize-inputrc-conditional-constructs field constructs)
  #~(string-append
     #$@(map (match-lambda
               (("$endif" . _) "$endif\n")
               (("$include" . value) #~(string-append "$include " #$value "\n"))
               ((key . value)
                #~(string-append #$key "\n"
                                 #$(serialize-configuration value
                                                            home-inputrc-configuration-fields))))
             constructs)))

(define (serialize-inputrc-extra-content field value)
  (if (string=? value "") "" (string-append value "\n")))

(define-configuration home-inputrc-configuration
  (key-bindings (alist '()) "Key bindings, such as (\"Control-l\" . \"clear-screen\")."
                (serializer serialize-inputrc-key-bindings))
  (variables (alist '()) "Readline variables; #t is on, #f off."
             (serializer serialize-inputrc-variables))
  (conditional-constructs (alist '()) "$if/$else/$endif/$include constructs."
                          (serializer serialize-inputrc-conditional-constructs))
  (extra-content (string "") "Text added at the end."
                 (serializer serialize-inputrc-extra-content)))

(define home-inputrc-service-type
  (service-type
   (name 'inputrc)
   (extensions (list (service-extension
                      home-files-service-type
                      (lambda (config)
                        `((".inputrc"
                           ,(mixed-text-file "inputrc"
                                             (serialize-configuration
                                              config home-inputrc-configuration-fields))))))))
   (default-value (home-inputrc-configuration))
   (description "Write readline's ~/.inputrc.")))
