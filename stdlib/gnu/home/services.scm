;;; schemy --- Guix Home's essential service types (Guix manual, "Home
;;; Services" and "Essential Home Services").
;;;
;;; A home environment is a service graph like an operating system's, whose
;;; root is `home-service-type': every service ends up as named entries of the
;;; home generation directory ("profile", "files", "setup-environment",
;;; "activate", "on-first-login"...).  "files" holds what lands in the home
;;; directory (~/.bashrc, ~/.config/...), as links into the store.

(define-module (gnu home services)
  #:use-module (gnu services)
  #:use-module (guix gexp)
  #:use-module (srfi srfi-1)
  #:use-module (ice-9 match)
  #:export (home-service-type
            home-profile-service-type
            home-environment-variables-service-type
            home-files-service-type
            home-xdg-configuration-files-service-type
            home-xdg-data-files-service-type
            home-run-on-first-login-service-type
            home-activation-service-type
            home-run-on-change-service-type
            home-provenance-service-type
            home-gc-root-service-type

            literal-string
            literal-string?
            literal-string-value

            with-shell-quotation-bindings
            environment-variable-shell-definitions
            shell-variable-definitions
            home-files-directory
            xdg-configuration-files-directory
            xdg-data-files-directory

            define-service-type-mapping
            system->home-service-type
            %initialize-gettext

            home-provenance
            sexp->home-provenance
            fold-home-service-types
            lookup-home-service-types)
  #:re-export (service
               service-type
               service-extension
               simple-service
               for-home
               for-home?))

;;; The root.

(define (home-directory-union initial entries)
  (file-union "home" (append initial entries)))

(define home-service-type
  (service-type
   (name 'home)
   (extensions '())
   (compose concatenate)
   (extend home-directory-union)
   (default-value '())
   (description "The root of the home service graph: the home environment
generation directory, made of the entries every home service contributes.")))

;;; The profile.

(define (home-profile-entry packages)
  `(("profile" ,(%packages-profile "profile" (delete-duplicates packages eq?)))))

(define home-profile-service-type
  (service-type
   (name 'home-profile)
   (extensions (list (service-extension home-service-type home-profile-entry)))
   (compose concatenate)
   (extend append)
   (description "The packages of the home profile, ~/.guix-home/profile.")))

;;; Environment variables.

(define-record-type <literal-string>
  (literal-string value)
  literal-string?
  (value literal-string-value))

(define (with-shell-quotation-bindings exp)
  "EXP, a gexp, where `shell-double-quote' and `shell-single-quote' are bound
when it runs."
  #~(let* ((backslash-escape
            (lambda (text specials)
              (list->string
               (string-fold-right (lambda (c rest)
                                    (if (memv c specials) (cons* #\\ c rest) (cons c rest)))
                                  '() text))))
           (shell-double-quote
            (lambda (text)
              (string-append "\"" (backslash-escape text '(#\" #\\)) "\"")))
           (shell-single-quote
            (lambda (text)
              (string-append "'" (backslash-escape text '(#\')) "'"))))
      #$exp))

(define (text-value? value)
  (or (string? value) (file-like? value) (gexp? value)))

(define (environment-variable-shell-definitions variables)
  "A gexp whose value is the shell statements exporting VARIABLES, an alist
of names and values: #f omits the variable, #t only exports it, a literal
string is single-quoted, anything else double-quoted (so that $VAR expands)."
  (with-shell-quotation-bindings
   #~(string-append
      #$@(map (match-lambda
                ((name . #f) "")
                ((name . #t) (string-append "export " name "\n"))
                ((name . (? literal-string? value))
                 #~(string-append "export " #$name "="
                                  (shell-single-quote #$(literal-string-value value)) "\n"))
                ((name . (? text-value? value))
                 #~(string-append "export " #$name "=" (shell-double-quote #$value) "\n"))
                ((name . value)
                 (error "invalid value for environment variable" name value)))
              variables))))

(define (shell-variable-definitions variables)
  "Like `environment-variable-shell-definitions', for shell variables that are
not exported."
  (with-shell-quotation-bindings
   #~(string-append
      #$@(map (match-lambda
                ((name . (? literal-string? value))
                 #~(string-append #$name "=" (shell-single-quote #$(literal-string-value value)) "\n"))
                ((name . (? text-value? value))
                 #~(string-append #$name "=" (shell-double-quote #$value) "\n"))
                ((name . value)
                 (error "invalid value for shell variable" name value)))
              variables))))

(define %setup-environment-prologue
  ;; What setup-environment does before the user's variables: source the home
  ;; profile and put its directories on the search paths, once.
  (string-append
   "# HOME_ENVIRONMENT is set by ~/.profile before it sources this file.\n"
   "GUIX_PROFILE=\"$HOME_ENVIRONMENT/profile\"\n"
   "PROFILE_FILE=\"$GUIX_PROFILE/etc/profile\"\n"
   "[ -f $PROFILE_FILE ] && . $PROFILE_FILE\n\n"
   (string-concatenate
    (map (match-lambda
           ((variable suffix)
            (string-append "case $" variable " in\n"
                           "  *$GUIX_PROFILE" suffix "*) ;;\n"
                           "  *) export " variable "=$GUIX_PROFILE" suffix ":$" variable " ;;\n"
                           "esac\n")))
         '(("GUIX_LOCPATH" "/lib/locale")
           ("XDG_DATA_DIRS" "/share")
           ("MANPATH" "/share/man")
           ("INFOPATH" "/share/info")
           ("XDG_CONFIG_DIRS" "/etc/xdg")
           ("XCURSOR_PATH" "/share/icons"))))
   "\n# Keep the shell environment clean.\n"
   "unset GUIX_PROFILE PROFILE_FILE\n\n"))

(define (warn-about-duplicate-variables variables)
  (let loop ((names (sort (map car variables) string<?)) (previous #f))
    (match names
      (() #t)
      ((name rest ...)
       (when (equal? name previous)
         (format (current-error-port)
                 "warning: duplicate definition for `~a' environment variable~%" name))
       (loop rest name)))))

(define (setup-environment-entry variables)
  (warn-about-duplicate-variables variables)
  `(("setup-environment"
     ,(mixed-text-file "setup-environment"
                       %setup-environment-prologue
                       (environment-variable-shell-definitions variables)))))

(define home-environment-variables-service-type
  (service-type
   (name 'home-environment-variables)
   (extensions (list (service-extension home-service-type setup-environment-entry)))
   (compose concatenate)
   (extend append)
   (default-value '())
   (description "Set environment variables in the setup-environment script
that login shells source.")))

;;; Files of the home directory.

(define home-files-directory "files")
(define xdg-configuration-files-directory ".config")
(define xdg-data-files-directory ".local/share")

(define (assert-no-duplicate-files files)
  (let ((seen (make-hash-table)))
    (for-each (match-lambda
                ((name . _)
                 (when (hash-ref seen name)
                   (error (format #f "duplicate '~a' entry for files/" name)))
                 (hash-set! seen name #t)))
              files)))

(define (files-entry files)
  (assert-no-duplicate-files files)
  `((,home-files-directory ,(file-union "files" files))))

(define home-files-service-type
  (service-type
   (name 'home-files)
   (extensions (list (service-extension home-service-type files-entry)))
   (compose concatenate)
   (extend append)
   (default-value '())
   (description "Files of the home directory, as (NAME FILE-LIKE) lists with
NAME relative to the home directory, such as \".bashrc\".")))

(define (prefixed-files prefix)
  (lambda (files)
    (map (match-lambda
           ((name . rest) (cons (string-append prefix "/" name) rest)))
         files)))

(define home-xdg-configuration-files-service-type
  (service-type
   (name 'home-xdg-configuration)
   (extensions (list (service-extension home-files-service-type
                                        (prefixed-files xdg-configuration-files-directory))))
   (compose concatenate)
   (extend append)
   (default-value '())
   (description "Files of ~/.config, as (NAME FILE-LIKE) lists with NAME
relative to it, such as \"git/config\".")))

(define home-xdg-data-files-service-type
  (service-type
   (name 'home-xdg-data)
   (extensions (list (service-extension home-files-service-type
                                        (prefixed-files xdg-data-files-directory))))
   (compose concatenate)
   (extend append)
   (default-value '())
   (description "Files of ~/.local/share, as (NAME FILE-LIKE) lists with NAME
relative to it.")))

;;; Scripts: on first login, on activation, on change.

(define %initialize-gettext #~#t)

(define (on-first-login-program _ gexps)
  (program-file
   "on-first-login"
   #~(let* ((runtime (or (getenv "XDG_RUNTIME_DIR")
                         (format #f "/run/user/~a" (getuid))))
            (flag (string-append runtime "/on-first-login-executed")))
       (if (file-exists? runtime)
           (unless (file-exists? flag)
             (call-with-output-file flag (const #t))
             (begin *unspecified* #$@gexps))
           (format (current-error-port)
                   "warning: XDG_RUNTIME_DIR does not exist: on-first-login runs nothing~%")))))

(define home-run-on-first-login-service-type
  (service-type
   (name 'home-run-on-first-login)
   (extensions (list (service-extension home-service-type
                                        (lambda (script) `(("on-first-login" ,script))))))
   (compose identity)
   (extend on-first-login-program)
   (default-value #f)
   (description "Gexps run once, at the user's first login (until the
runtime directory goes away).")))

(define (activation-program _ gexps)
  (program-file
   "activate"
   #~(let* ((new-home (or (getenv "GUIX_NEW_HOME")
                          (canonicalize-path (dirname (car (command-line))))))
            (current (string-append (getenv "HOME") "/.guix-home"))
            (old-home (or (getenv "GUIX_OLD_HOME")
                          (and (file-exists? (string-append current "/setup-environment"))
                               (readlink current))))
            (setup (string-append new-home "/setup-environment")))
       ;; The gexps see the environment the new generation sets up (XDG_CONFIG_HOME...).
       (when (file-exists? setup)
         (let* ((port ((@ (ice-9 popen) open-input-pipe)
                       (format #f "HOME_ENVIRONMENT='~a'; . '~a' && env -0" new-home setup)))
                (text ((@ (ice-9 textual-ports) get-string-all) port)))
           ((@ (ice-9 popen) close-pipe) port)
           (for-each (lambda (binding)
                       (let ((equal (string-index binding #\=)))
                         (when equal
                           (setenv (substring binding 0 equal) (substring binding (+ equal 1))))))
                     (string-split text #\nul))))
       (setenv "GUIX_NEW_HOME" new-home)
       (when old-home (setenv "GUIX_OLD_HOME" old-home))
       (begin *unspecified* #$@gexps))))

(define home-activation-service-type
  (service-type
   (name 'home-activation)
   (extensions (list (service-extension home-service-type
                                        (lambda (script) `(("activate" ,script))))))
   (compose identity)
   (extend activation-program)
   (default-value #f)
   (description "Gexps run, in order, each time a home generation is
activated; each must be idempotent.")))

(define (on-change-gexp run? patterns)
  #~(let ((old (getenv "GUIX_OLD_HOME"))
          (new (getenv "GUIX_NEW_HOME")))
      (define (content file)
        (and file (file-exists? file)
             (if (eq? 'directory (stat:type (stat file)))
                 (scandir file)
                 (call-with-input-file file (@ (ice-9 textual-ports) get-string-all)))))
      (when #$run?
        (for-each (lambda (pattern+gexp)
                    (let ((file (car pattern+gexp)))
                      (unless (equal? (content (and old (string-append old "/" file)))
                                      (content (string-append new "/" file)))
                        (primitive-eval (cadr pattern+gexp)))))
                  '#$patterns))))

(define home-run-on-change-service-type
  (service-type
   (name 'home-run-on-change)
   (extensions (list (service-extension home-activation-service-type identity)))
   (compose concatenate)
   (extend on-change-gexp)
   (default-value #t)
   (description "Gexps run on activation when a file of the home generation
changed: extended with (FILE GEXP) lists.")))

;;; Provenance and GC roots.

(define (provenance-entries config-file)
  (if (and (string? config-file) (file-exists? config-file))
      `(("configuration.scm"
         ,(plain-file "configuration.scm"
                      (call-with-input-file config-file
                        (@ (ice-9 textual-ports) get-string-all)))))
      '()))

(define home-provenance-service-type
  (service-type
   (name 'home-provenance)
   (extensions (list (service-extension home-service-type provenance-entries)))
   (default-value #f)
   (description "Keep the home environment's configuration file in the
generation itself.")))

(define home-gc-root-service-type
  (service-type
   (name 'home-gc-root)
   (extensions '())
   (compose concatenate)
   (extend append)
   (default-value '())
   (description "Store items kept from garbage collection as long as the
home generation is.")))

;;; From system service types to home ones.

(define %system->home (make-hash-table))

(define-syntax define-service-type-mapping
  (syntax-rules (=>)
    ((_ system-type => home-type)
     (hashq-set! %system->home system-type home-type))))

(define %home-types (make-hash-table))

(define (system->home-service-type type)
  "TYPE, a system service type, as a home one: named home-NAME, its
extensions of system service types redirected to their home counterparts
(and dropped when there is none)."
  (or (hashq-ref %home-types type)
      (let ((home (service-type
                   (inherit type)
                   (name (symbol-append 'home- (service-type-name type)))
                   (extensions
                    (filter-map (lambda (ext)
                                  (let ((target (hashq-ref %system->home
                                                           (service-extension-target ext))))
                                    (and target
                                         (service-extension target
                                                            (service-extension-compute ext)))))
                                (service-type-extensions type))))))
        (hashq-set! %home-types type home)
        home)))

(define-service-type-mapping system-service-type => home-service-type)
(define-service-type-mapping activation-service-type => home-activation-service-type)
(define-service-type-mapping profile-service-type => home-profile-service-type)

;;; Provenance of a home generation and every home service type.

(define home-provenance system-provenance)
(define sexp->home-provenance sexp->system-provenance)

(define (home-service-modules)
  ;; (gnu home services) and the modules of gnu/home/services/*.scm.
  (let* ((file (search-path %load-path "gnu/home/services.scm"))
         (directory (and file (string-append (dirname file) "/services")))
         (names (if directory
                    (or ((@ (ice-9 ftw) scandir) directory
                         (lambda (f) (string-suffix? ".scm" f)))
                        '())
                    '())))
    (cons (resolve-interface '(gnu home services))
          (filter-map (lambda (f)
                        (false-if-exception
                         (resolve-interface
                          (list 'gnu 'home 'services
                                (string->symbol (string-drop-right f 4))))))
                      names))))

(define (fold-home-service-types proc seed)
  "Call (PROC TYPE RESULT) for each home service type, from SEED."
  (fold-service-types proc seed (home-service-modules)))

(define lookup-home-service-types
  (let ((table (delay (fold-home-service-types
                       (lambda (type result) (cons (cons (service-type-name type) type) result))
                       '()))))
    (lambda (name)
      "The home service types called NAME (a symbol)."
      (delete-duplicates
       (filter-map (lambda (entry) (and (eq? (car entry) name) (cdr entry))) (force table))
       eq?))))
