;;; schemy --- Dotfiles from a directory of the user's repository (Guix
;;; manual, "Managing Dotfiles"): every file under the configured directories
;;; becomes a file of the home directory, laid out plainly or as GNU Stow does.

(define-module (gnu home services dotfiles)
  #:use-module (gnu services)
  #:use-module (gnu services configuration)
  #:use-module (gnu home services)
  #:use-module (guix gexp)
  #:use-module ((guix build utils) #:select (find-files))
  #:use-module (srfi srfi-1)
  #:use-module (ice-9 match)
  #:use-module (ice-9 regex)
  #:export (home-dotfiles-service-type
            home-dotfiles-configuration->files
            home-dotfiles-configuration
            home-dotfiles-configuration?
            home-dotfiles-configuration-fields
            home-dotfiles-configuration-layout
            home-dotfiles-configuration-source-directory
            home-dotfiles-configuration-packages
            home-dotfiles-configuration-directories
            home-dotfiles-configuration-excluded))

(define %home-dotfiles-excluded
  '(".*~" ".*\\.swp" "/\\.git/.*" "\\.gitignore"))

(define (layout? value)
  (or (memq value '(plain stow))
      (%raise-located (%construction-location)
                      (format #f "layout field of home-dotfiles-configuration should be either 'plain or 'stow, but ~a was found." value))))

(define (construction-directory)
  ;; The directory of the file where the configuration is written.
  (let ((loc (%construction-location)))
    (if loc
        (let* ((text (%location->string loc))
               (end (string-rindex text #\: 0 (or (string-rindex text #\:) 0))))
          (let ((dir (dirname (substring text 0 end))))
            (if (string-prefix? "/" dir) dir (string-append (getcwd) "/" dir))))
        (getcwd))))

(define-maybe/no-serialization list-of-strings)

(define-configuration/no-serialization home-dotfiles-configuration
  (source-directory (string (construction-directory))
                    "The directory the directories are relative to: by default,
that of the file where this configuration is written.")
  (layout (layout 'plain) "How the directories are laid out: 'plain or 'stow.")
  (directories (list-of-strings '()) "The directories holding the dotfiles.")
  (packages maybe-list-of-strings "With 'stow, the applications to take files from.")
  (excluded (list-of-strings %home-dotfiles-excluded) "Regexps of the files to leave out."))

(define (store-name file)
  (string-map (lambda (c)
                (if (and (char-set-contains? char-set:ascii c)
                         (char-set-contains? char-set:graphic c)
                         (not (memv c '(#\. #\/ #\space))))
                    c
                    #\-))
              file))

(define (home-dotfiles-configuration->files config)
  "The (NAME FILE) entries of the dotfiles CONFIG selects."
  (let* ((stow? (eq? (home-dotfiles-configuration-layout config) 'stow))
         (excluded (make-regexp (string-append
                                 "^.*(" (string-join (home-dotfiles-configuration-excluded config) "|")
                                 ")$")))
         (packages (home-dotfiles-configuration-packages config)))
    (define (files-under directory)
      (find-files directory (lambda (file stat) (not (regexp-exec excluded file)))))
    (define (strip directory file)
      (let ((rel (string-drop file (+ 1 (string-length directory)))))
        (if stow?
            (match (string-split rel #\/) ((package parts ...) (string-join parts "/")))
            rel)))
    (append-map
     (lambda (directory)
       (let* ((directory (if (string-prefix? "/" directory)
                             directory
                             (string-append (home-dotfiles-configuration-source-directory config)
                                            "/" directory)))
              (files (if (and stow? (maybe-value-set? packages))
                         (append-map (lambda (p) (files-under (string-append directory "/" p)))
                                     packages)
                         (files-under directory))))
         (map (lambda (file)
                (let ((name (strip directory file)))
                  (list name (local-file file (store-name name) #:recursive? #t))))
              files)))
     (home-dotfiles-configuration-directories config))))

(define home-dotfiles-service-type
  (service-type
   (name 'home-dotfiles)
   (extensions (list (service-extension home-files-service-type
                                        (lambda (config)
                                          (if config
                                              (home-dotfiles-configuration->files config)
                                              '())))))
   (default-value (home-dotfiles-configuration))
   (description "Put the files of directories of the user's repository in the
home directory, as GNU Stow would.")))
