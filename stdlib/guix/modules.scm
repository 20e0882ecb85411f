;;; schemy --- (guix modules): the closure of a list of modules, as configs
;;; compute it for `with-imported-modules' (Guix's (guix modules)).
;;;
;;; A module's dependencies are read from the `define-module' form of its
;;; source file on the load path.  Modules schemy provides natively (written
;;; in Python, such as (guix build utils)) have no source file: they count as
;;; having no dependencies, where Guix, whose modules are all files, would
;;; read theirs.

(define-module (guix modules)
  #:use-module (ice-9 match)
  #:use-module (srfi srfi-1)
  #:use-module (srfi srfi-34)
  #:use-module (srfi srfi-35)
  #:export (missing-dependency-error?
            missing-dependency-module
            missing-dependency-search-path

            file-name->module-name
            module-name->file-name

            source-module-dependencies
            source-module-closure
            live-module-closure
            guix-module-name?))

(define-condition-type &missing-dependency-error &error
  missing-dependency-error?
  (module      missing-dependency-module)
  (search-path missing-dependency-search-path))

(define (file-name->module-name file)
  "The module name (symbols) of FILE, a name relative to a load-path entry."
  (let* ((stem (if (string-suffix? ".scm" file)
                   (substring file 0 (- (string-length file) 4))
                   file))
         (parts (filter (lambda (part) (not (string-null? part)))
                        (string-split stem #\/))))
    (map string->symbol
         (match parts
           (("." . rest) rest)
           (_ parts)))))

(define (module-name->file-name module)
  "The file name, relative to a load-path entry, of MODULE."
  (string-append (string-join (map symbol->string module) "/") ".scm"))

(define (guix-module-name? name)
  "Whether NAME belongs to Guix: its first symbol is `guix' or `gnu'."
  (match name
    (('guix . _) #t)
    (('gnu . _) #t)
    (_ #f)))

(define (clause-dependencies clauses)
  "The modules named by the #:use-module and #:autoload clauses among CLAUSES."
  (let loop ((clauses clauses) (found '()))
    (match clauses
      (() (reverse found))
      ((#:use-module (? pair? spec) . rest)
       ;; Either a plain name (symbols) or (NAME #:select ...) and the like.
       (loop rest (cons (if (pair? (car spec)) (car spec) spec) found)))
      ((#:autoload name _ . rest)
       (loop rest (cons name found)))
      (((? keyword?) _ . rest)
       (loop rest found))
      ((_ . rest)
       (loop rest found)))))

(define (file-dependencies file)
  (call-with-input-file file
    (lambda (port)
      (match (read port)
        (('define-module _ . clauses) (clause-dependencies clauses))
        (_ '())))))

(define (native-module? module)
  ;; A module schemy implements in Python: it resolves without a source file.
  (false-if-exception (resolve-interface module)))

(define* (source-module-dependencies module #:optional (load-path %load-path))
  "The modules MODULE uses, read from its source file on LOAD-PATH."
  (let ((file (search-path load-path (module-name->file-name module))))
    (cond (file (file-dependencies file))
          ((native-module? module) '())
          (else (raise (condition (&missing-dependency-error
                                   (module module)
                                   (search-path load-path))))))))

(define* (module-closure modules #:key select? dependencies)
  ;; Depth first, each module before the ones it uses, each once.
  (let loop ((pending modules) (result '()) (seen '()))
    (match pending
      (() (reverse result))
      ((module . rest)
       (cond ((member module seen) (loop rest result seen))
             ((select? module)
              (loop (append (dependencies module) rest)
                    (cons module result)
                    (cons module seen)))
             (else (loop rest result seen)))))))

(define* (source-module-closure modules #:optional (load-path %load-path)
                                #:key (select? guix-module-name?))
  "MODULES and every module they use, transitively, as their source files
say; only modules for which SELECT? is true are followed."
  (module-closure modules
                  #:select? select?
                  #:dependencies (lambda (module)
                                   (source-module-dependencies module load-path))))

(define* (live-module-closure modules #:key (select? guix-module-name?))
  "MODULES and every module they use, transitively, as the loaded modules
say; only modules for which SELECT? is true are followed."
  (module-closure modules
                  #:select? select?
                  #:dependencies (lambda (module)
                                   (delete '(guile)
                                           (map module-name
                                                (module-uses (resolve-module module)))))))
