;;; schemy --- GNU Dico's DICT server (Guix manual, "Dictionary Service"):
;;; dicod with the dicod.conf Guix writes (listen, load-module and database
;;; blocks), GCIDE and FreeDict databases.

(define-module (gnu services dict)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (gnu system shadow)
  #:use-module ((gnu packages dictionaries) #:select (dico gcide freedict-dictionaries))
  #:use-module (srfi srfi-1)
  #:use-module (ice-9 match)
  #:export (dicod-service
            dicod-service-type
            dicod-configuration
            dicod-configuration?
            dicod-handler
            dicod-handler?
            dicod-database
            dicod-database?
            %dicod-database:gcide
            dicod-freedict-database
            %dicod-databases:freedict
            dicod-configuration-file))

(define-record-type* <dicod-configuration> dicod-configuration
  make-dicod-configuration dicod-configuration?
  (dico          dicod-configuration-dico (default dico))
  (interfaces    dicod-configuration-interfaces (default '("localhost")))
  (handlers      dicod-configuration-handlers (default '()))
  (databases     dicod-configuration-databases (default (list %dicod-database:gcide)))
  ;; Whether this is the user's own dicod (see `for-home').
  (home-service? dicod-configuration-home-service? (default (for-home?)) (innate)))

(define-record-type* <dicod-handler> dicod-handler
  make-dicod-handler dicod-handler?
  (name    dicod-handler-name)
  (module  dicod-handler-module (default #f))
  (options dicod-handler-options (default '())))

(define-record-type* <dicod-database> dicod-database
  make-dicod-database dicod-database?
  (name     dicod-database-name)
  (handler  dicod-database-handler)
  (complex? dicod-database-complex? (default #f))
  (options  dicod-database-options (default '())))

;; Guix builds the GCIDE index ahead of time with dico's idxgcide; here the
;; index directory is the dictionary's own (dicod's gcide module indexes it).
(define %dicod-database:gcide
  (dicod-database
   (name "gcide")
   (handler "gcide")
   (options (list #~(string-append "dbdir=" #$gcide "/share/gcide")
                  #~(string-append "idxdir=" #$gcide "/share/gcide")))))

(define (dicod-freedict-database dictionary)
  "The dicod database of the FreeDict dictionary DICTIONARY (such as \"eng-fra\")."
  (dicod-database
   (name (string-append "freedict-" dictionary))
   (handler "dictorg")
   (options (list #~(string-append "database=" #$freedict-dictionaries
                                   "/share/dictd/" #$dictionary)))))

(define %dicod-databases:freedict
  (map dicod-freedict-database
       '("afr-deu" "afr-eng" "ara-eng" "bre-fra" "ces-eng" "ckb-kmr" "cym-eng"
         "dan-eng" "deu-ita" "deu-kur" "deu-nld" "deu-por" "deu-tur" "eng-afr"
         "eng-ara" "eng-ces" "eng-cym" "eng-dan" "eng-ell" "eng-fra" "eng-gle"
         "eng-hin" "eng-hrv" "eng-hun" "eng-ita" "eng-lat" "eng-lit" "eng-nld"
         "eng-pol" "eng-por" "eng-rom" "eng-rus" "eng-spa" "eng-srp" "eng-swh"
         "eng-tur" "fra-bre" "fra-eng" "fra-nld" "gla-deu" "gle-eng" "gle-pol"
         "hrv-eng" "hun-eng" "isl-eng" "ita-deu" "ita-eng" "jpn-deu" "jpn-eng"
         "jpn-fra" "jpn-rus" "kha-deu" "kha-eng" "kur-deu" "kur-eng" "kur-tur"
         "lat-deu" "lat-eng" "lit-eng" "mkd-bul" "nld-deu" "nld-eng" "nld-fra"
         "nno-nob" "oci-cat" "pol-gle" "por-deu" "por-eng" "san-deu" "slk-eng"
         "slv-eng" "spa-ast" "spa-eng" "spa-por" "srp-eng" "swe-eng" "swh-eng"
         "swh-pol" "tur-deu" "tur-eng" "wol-fra")))

;;; dicod.conf, as Guix writes it: the listen line, then a load-module per
;;; handler (a block with its command when it has a module or options), then
;;; per database its handler's load-module (unless complex?) and its block.

(define (options-text options)
  ;; Each option preceded by a space (string-join ... 'prefix of Guix).
  (append-map (lambda (o) (list " " o)) options))

(define (handler->text handler)
  (let ((name (dicod-handler-name handler))
        (module (dicod-handler-module handler))
        (options (dicod-handler-options handler)))
    (cond ((and (not module) (null? options))
           (list "\nload-module " name ";"))
          (else
           (append (list "\nload-module " name " {\n   command \"" (or module name))
                   (options-text options)
                   (list "\";\n}\n"))))))

(define (database->text db)
  (append (if (dicod-database-complex? db)
              '()
              (handler->text (dicod-handler (name (dicod-database-handler db)))))
          (list "\ndatabase {\n   name \"" (dicod-database-name db)
                "\";\n   handler \"" (dicod-database-handler db))
          (options-text (dicod-database-options db))
          (list "\";\n}\n")))

(define (dicod-configuration-file config)
  "The dicod.conf of CONFIG, a file-like object."
  (apply mixed-text-file "dicod.conf"
         (append (list "listen (" (string-join (dicod-configuration-interfaces config) ", ")
                       ");\n")
                 (append-map handler->text (dicod-configuration-handlers config))
                 (append-map database->text (dicod-configuration-databases config)))))

(define %dicod-accounts
  (list (user-group (name "dicod") (system? #t))
        (user-account (name "dicod") (group "dicod") (system? #t)
                      (home-directory "/var/empty")
                      (shell "/sbin/nologin"))))

(define (dicod-shepherd-service config)
  ;; Guix starts dicod from shepherd's inetd constructor in a least-authority
  ;; container; here dicod listens itself, in the foreground, on the same
  ;; interfaces (its listen statement), as the dicod user on a system.
  (let ((conf (dicod-configuration-file config))
        (home? (dicod-configuration-home-service? config)))
    (list (shepherd-service
           (provision '(dicod))
           (requirement (if home? '() '(user-processes)))
           (documentation "Run the dicod daemon.")
           (start #~(make-forkexec-constructor
                     (list #$(file-append (dicod-configuration-dico config) "/bin/dicod")
                           "--foreground" "--stderr"
                           (string-append "--config=" #$conf))
                     #:user #$(and (not home?) "dicod")
                     #:group #$(and (not home?) "dicod")))
           (stop #~(make-kill-destructor))))))

(define dicod-service-type
  (service-type
   (name 'dict)
   (extensions
    (list (service-extension account-service-type (const %dicod-accounts))
          (service-extension shepherd-root-service-type dicod-shepherd-service)))
   (default-value (dicod-configuration))
   (description "Run dicod, the DICT dictionary server of GNU Dico.")))

(define* (dicod-service #:key (config (dicod-configuration)))
  "Deprecated: a dicod-service-type service with CONFIG."
  (service dicod-service-type config))
