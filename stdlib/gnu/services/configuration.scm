;;; schemy --- Configuration records with typed, documented fields.
;;;
;;; `define-configuration' defines a record type (with `define-record-type*')
;;; whose fields each have a type, a default and documentation.  Values are
;;; checked against `TYPE?' when a record is built; `serialize-configuration'
;;; walks the fields in order and calls each field's serializer, by default
;;; `serialize-TYPE'.

(define-module (gnu services configuration)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:export (define-configuration
            define-configuration/no-serialization
            define-maybe
            define-enumerated-field-type
            define-maybe/no-serialization
            %unset-value
            unset-value?
            maybe-value-set?
            maybe-value

            configuration-field
            configuration-field?
            configuration-field-name
            configuration-field-type
            configuration-field-getter
            configuration-field-default-value-thunk
            configuration-field-documentation
            configuration-field-serializer
            configuration-field-default-value
            configuration-field-maybe?

            serialize-configuration
            validate-configuration
            empty-serializer
            serialize-package
            serialize-file-like
            generic-serialize-alist-entry
            generic-serialize-alist
            configuration-error
            configuration-field-error
            configuration-missing-field
            field-checker
            field-element-checker
            invalid-field-value
            configuration-documentation
            generate-documentation

            interpose
            filter-configuration-fields
            text-config?
            serialize-text-config
            raw-configuration-string?
            serialize-raw-configuration-string
            list-of
            list-of-strings?
            list-of-symbols?
            alist?

            no-serialization
            empty-serializer?
            configuration-field-sanitizer
            configuration->documentation
            define-enumerated-field-type
            list-of-packages?))

;;; Unset values (the `maybe-' types).

(define %unset-value '%unset-marker%)

(define (unset-value? x) (eq? x %unset-value))

(define (maybe-value-set? x) (not (unset-value? x)))

(define* (maybe-value x #:optional (default #f))
  (if (maybe-value-set? x) x default))

;;; Field descriptors.

(define-record-type* <configuration-field> configuration-field
  make-configuration-field configuration-field?
  (name configuration-field-name)
  (type configuration-field-type)
  (getter configuration-field-getter)
  (predicate configuration-field-predicate (default #f)) ;TYPE? of the field's type, as Guix
  (default-value-thunk configuration-field-default-value-thunk)
  (documentation configuration-field-documentation)
  (serializer configuration-field-serializer (default #f))
  (sanitizer configuration-field-sanitizer (default identity)) ;checks a field's value
  (maybe? configuration-field-maybe? (default #f)))

(define (configuration-field-default-value field)
  ((configuration-field-default-value-thunk field)))

;;; Errors.

(define (configuration-error location message . irritants)
  (%raise-located location (apply format #f message irritants)))

(define (describe-type type)
  (let ((name (symbol->string type)))
    (cond ((string-prefix? "maybe-" name)
           (string-append "an unset value or " (describe-type
                                                 (string->symbol (substring name 6)))))
          ((member name '("integer" "string" "boolean" "symbol" "list"))
           (string-append (if (string=? name "integer") "an " "a ") name))
          (else name))))

(define (configuration-field-error location kind field value type)
  (%raise-located location ((invalid-field-value kind field (describe-type type)) value)))

(define configuration-missing-field
  ;; Guix's is (KIND FIELD), used in field defaults; schemy's own callers also give a location.
  (case-lambda
    ((kind field)
     (configuration-error (%construction-location) "~a: missing value for field '~a'" kind field))
    ((location kind field)
     (configuration-error location "~a: missing value for field '~a'" kind field))))

(define (%check-field kind field type pred value)
  (if (pred value)
      value
      (configuration-field-error (%construction-location) kind field value type)))

(define (%missing-field kind field)
  (configuration-missing-field (%construction-location) kind field))

;;; Field checkers: the `sanitize' procedures of record fields.

(define (field-error-text message value)
  (if (procedure? message)
      (message value)
      (format #f message value)))

(define (field-checker valid? message)
  "A sanitizer for a `define-record-type*' field: it returns the field's value
when VALID? accepts it, and otherwise raises an error located where the record
is constructed.  MESSAGE is the error text: a procedure of the value, or a
format string with one directive, for the value."
  (lambda (value)
    (if (valid? value)
        value
        (%raise-located (%construction-location) (field-error-text message value)))))

(define (field-element-checker valid? message)
  "A sanitizer for a field whose value is a list: it rejects the first element
that VALID? does not accept, MESSAGE (as for `field-checker') describing that
element.  Check that the value is a list first (see `compose')."
  (lambda (value)
    (for-each (lambda (element)
                (unless (valid? element)
                  (%raise-located (%construction-location) (field-error-text message element))))
              value)
    value))

(define (invalid-field-value kind field expected)
  "The usual MESSAGE of `field-checker': \"invalid value V for field 'FIELD' of
KIND (expected EXPECTED)\", as for a `define-configuration' field."
  (lambda (value)
    (format #f "invalid value ~s for field '~a' of ~a (expected ~a)" value field kind expected)))

;;; Serialization.

(define (empty-serializer field-name value) "")

(define (serialize-package field-name value) "")

(define serialize-file-like empty-serializer)  ; as Guix: a package's file is not configuration

(define (generic-serialize-alist-entry serialize-field)
  "A procedure serializing one (KEY . VALUE) pair with SERIALIZE-FIELD."
  (lambda (entry) (serialize-field (car entry) (cdr entry))))

(define (generic-serialize-alist combine serialize-field fields)
  "COMBINE (string-append, append...) of SERIALIZE-FIELD applied to each pair of FIELDS."
  (apply combine (map (generic-serialize-alist-entry serialize-field) fields)))

(define (serialize-configuration config fields)
  "Concatenate the serializations of the FIELDS of CONFIG, in order.  Each
serializer returns a string (or a list of strings and file-like objects,
which are kept as a list for `mixed-text-file')."
  (let ((parts (map (lambda (field)
                      (let ((serialize (configuration-field-serializer field))
                            (value ((configuration-field-getter field) config)))
                        ;; As Guix: a field left unset is not serialized at all, whatever
                        ;; its serializer.
                        (if (and serialize (not (unset-value? value)))
                            (serialize (configuration-field-name field) value)
                            "")))
                    fields)))
    (let ((parts (append-map (lambda (p) (if (list? p) p (list p))) parts)))
      (cond ((every string? parts) (string-concatenate parts))
            ;; A gexp's value is text only once it runs: the whole is then a gexp,
            ;; as in Guix, file-like objects standing for their file names.
            ((any gexp? parts) #~(string-append #$@parts))
            (else parts)))))

(define (validate-configuration config fields)
  "Check every field of CONFIG against its type (fields are also checked when
the record is built)."
  (for-each (lambda (field)
              ((configuration-field-getter field) config))
            fields)
  config)

(define (configuration-documentation fields)
  "A list of (NAME TYPE DEFAULT DOCUMENTATION) describing FIELDS."
  (map (lambda (f)
         (list (configuration-field-name f)
               (configuration-field-type f)
               (false-if-exception (configuration-field-default-value f))
               (configuration-field-documentation f)))
       fields))

(define (generate-documentation fields)
  (string-join
   (map (lambda (f)
          (format #f "~a (type: ~a): ~a" (configuration-field-name f)
                  (configuration-field-type f) (configuration-field-documentation f)))
        fields)
   "\n"))

;;; Helpers for field types.

(define* (interpose ls #:optional (delimiter "\n") (grammar 'infix))
  "LS with DELIMITER between its elements (GRAMMAR 'infix), or after each of
them ('suffix), as string-join's grammars."
  (cond ((null? ls) '())
        ((eq? grammar 'suffix)
         (append-map (lambda (x) (list x delimiter)) ls))
        (else
         (cons (car ls)
               (append-map (lambda (x) (list delimiter x)) (cdr ls))))))

(define (filter-configuration-fields fields keys . negate?)
  "The FIELDS whose name is among KEYS (or, with a true NEGATE?, is not)."
  (let ((negate? (and (pair? negate?) (car negate?))))
    (filter (lambda (field)
              (let ((in? (memq (configuration-field-name field) keys)))
                (if negate? (not in?) in?)))
            fields)))

;; Text fields of configurations (shell startup files, Guix Home): a list of
;; strings, gexps and file-like objects, each one a block of the file.
(define (text-config? value)
  (and (list? value)
       (every (lambda (x) (or (string? x) (file-like? x) (gexp? x))) value)))

(define (serialize-text-config field-name texts)
  "A gexp whose value is the blocks of TEXTS, each followed by a newline.  As in
Guix, a file-like block, or a gexp (whose value is a file name), stands for the
content of that file; a string is its own text (Guix would read a file of that
name)."
  #~(string-append
     #$@(interpose (map (lambda (text)
                          (if (or (file-like? text) (gexp? text))
                              #~(call-with-input-file #$text
                                  (@ (ice-9 textual-ports) get-string-all))
                              text))
                        texts)
                   "\n" 'suffix)))

(define raw-configuration-string? string?)

(define (serialize-raw-configuration-string field-name value) value)

(define (list-of pred?)
  (lambda (x) (and (list? x) (every pred? x))))

(define list-of-strings? (list-of string?))
(define list-of-symbols? (list-of symbol?))

(define (alist? x)
  (and (list? x) (every pair? x)))

;;; define-maybe.

(define-syntax define-maybe
  ;; The clauses are told by their names, whether or not `no-serialization'
  ;; and `prefix' are imported where the form is.
  (lambda (x)
    (syntax-case x ()
      ((_ stem (kw))
       (eq? (syntax->datum #'kw) 'no-serialization)
       #'(define-maybe/no-serialization stem))
      ((_ stem (kw pfx))
       (eq? (syntax->datum #'kw) 'prefix)
       (define-maybe-helper x #'stem #t (syntax->datum #'pfx)))
      ((_ stem)
       (define-maybe-helper x #'stem #t #f)))))

(define-syntax no-serialization
  ;; A keyword of `define-configuration' and `define-maybe' only.
  (lambda (s)
    (syntax-violation 'no-serialization
                      "'no-serialization' used outside of 'define-configuration'" s)))

(define-syntax define-maybe/no-serialization
  (lambda (x)
    (syntax-case x ()
      ((_ stem)
       (define-maybe-helper x #'stem #f #f)))))

(define (define-maybe-helper x stem serialize? prefix)
  (let* ((name (syntax->datum stem))
         (id (lambda (fmt) (datum->syntax stem (string->symbol (format #f fmt name)))))
         (pfx (if prefix (symbol->string prefix) "")))
    (with-syntax ((maybe-pred (id "maybe-~a?"))
                  (pred (id "~a?"))
                  (serialize-maybe (datum->syntax
                                    stem (string->symbol
                                          (string-append pfx "serialize-maybe-"
                                                         (symbol->string name)))))
                  (serialize (datum->syntax
                              stem (string->symbol
                                    (string-append pfx "serialize-" (symbol->string name))))))
      (if serialize?
          #'(begin
              (define (maybe-pred val)
                (or (unset-value? val) (pred val)))
              (define (serialize-maybe field-name val)
                (if (maybe-value-set? val) (serialize field-name val) "")))
          #'(define (maybe-pred val)
              (or (unset-value? val) (pred val)))))))

;;; define-configuration.

(define (config-field-parts spec)
  "Split a field SPEC into (name type default-or-#f has-default? doc serializer-or-#f
sanitizer-or-#f).  A (sanitizer PROC) option replaces the check of the value against the
type's predicate, as in Guix: PROC gets the value and returns the one to store."
  (let* ((name (car spec))
         (type-spec (cadr spec))
         (rest (cddr spec))
         (doc (if (and (pair? rest) (string? (syntax->datum (car rest))))
                  (syntax->datum (car rest))
                  ""))
         (options (if (and (pair? rest) (string? (syntax->datum (car rest)))) (cdr rest) rest))
         (option (lambda (key)
                   (let loop ((o options))
                     (cond ((null? o) #f)
                           ((and (pair? (car o)) (eq? (syntax->datum (caar o)) key))
                            (cadar o))
                           (else (loop (cdr o)))))))
         ;; (field (type default) "doc" serializer): Guix's positional form too.
         (explicit-serializer (or (option 'serializer)
                                  (let loop ((o options))
                                    (cond ((null? o) #f)
                                          ((identifier? (car o)) (car o))
                                          (else (loop (cdr o)))))))
         (sanitizer (option 'sanitizer)))
    (if (identifier? type-spec)
        ;; (field maybe-type "doc"): no default given, unset for maybe types.
        (list name type-spec #f #f doc explicit-serializer sanitizer)
        (let ((items type-spec))
          (list name (car items)
                (and (pair? (cdr items)) (cadr items))
                (pair? (cdr items))
                doc
                (or explicit-serializer
                    (and (pair? (cdr items)) (pair? (cddr items)) (caddr items)))
                sanitizer)))))

(define (maybe-type? type)
  (string-prefix? "maybe-" (symbol->string (syntax->datum type))))

(define (option-clause? c)
  "Whether clause C of define-configuration is an option, (no-serialization), (prefix ID)
or (location ID), not a field: a field may be named prefix or location, as Dovecot's
namespace-configuration has them, but its second element is its (TYPE DEFAULT) list."
  (let ((c (syntax->datum c)))
    (and (pair? c)
         (or (equal? c '(no-serialization))
             (and (memq (car c) '(prefix location))
                  (pair? (cdr c)) (null? (cddr c)) (symbol? (cadr c)))))))

(define (define-configuration-helper x name clauses serialize? prefix)
  (let* ((specs (filter (lambda (c) (and (pair? c) (not (option-clause? c)))) clauses))
         (parts (map config-field-parts specs))
         (kind (syntax->datum name))
         (id (lambda (fmt . args)
               (datum->syntax name (string->symbol (apply format #f fmt args))))))
    (with-syntax ((type-name (id "<~a>" kind))
                  (kind-name name)
                  (constructor (id "make-~a" kind))
                  (record-predicate (id "~a?" kind))
                  (fields-var (id "~a-fields" kind))
                  (this (id "this-~a" kind))
                  ((fname ...) (map car parts))
                  ((faccessor ...) (map (lambda (p) (id "~a-~a" kind (syntax->datum (car p))))
                                        parts))
                  ((ftype ...) (map cadr parts))
                  ((fdefault ...)
                   (map (lambda (p)
                          (cond ((cadddr p) (caddr p))
                                ((maybe-type? (cadr p)) #'%unset-value)
                                (else #`(%missing-field '#,name '#,(car p)))))
                        parts))
                  ((fdoc ...) (map (lambda (p) (list-ref p 4)) parts))
                  ((fpredicate ...)
                   (map (lambda (p)
                          (datum->syntax (cadr p)
                                         (symbol-append (syntax->datum (cadr p)) '?)))
                        parts))
                  ((fsanitize ...)
                   (map (lambda (p)
                          (or (list-ref p 6)
                              #`(lambda (value)
                                  (%check-field '#,name '#,(car p) '#,(cadr p)
                                                #,(datum->syntax
                                                   (cadr p)
                                                   (symbol-append (syntax->datum (cadr p)) '?))
                                                value))))
                        parts))
                  ((fserializer ...)
                   (map (lambda (p)
                          (cond ((list-ref p 5) => (lambda (s) s))
                                ((not serialize?) #f)
                                (else
                                 (let ((s (datum->syntax
                                           (cadr p)
                                           (string->symbol
                                            (string-append
                                             (if prefix (symbol->string prefix) "")
                                             "serialize-"
                                             (symbol->string (syntax->datum (cadr p))))))))
                                   #`(lambda (field value) (#,s field value))))))
                        parts)))
      #'(begin
          (define-record-type* type-name kind-name constructor record-predicate this
            (fname faccessor
                   (default fdefault)
                   (sanitize fsanitize))
            ...)
          (define fields-var
            (list (configuration-field
                   (name 'fname)
                   (type 'ftype)
                   (getter faccessor)
                   (predicate fpredicate)
                   (default-value-thunk (lambda () fdefault))
                   (documentation fdoc)
                   (serializer fserializer)
                   (sanitizer fsanitize)
                   (maybe? (string-prefix? "maybe-" (symbol->string 'ftype))))
                  ...))))))

(define-syntax define-configuration
  (lambda (x)
    (syntax-case x ()
      ((_ name clause ...)
       (let* ((clauses #'(clause ...))
              (no-ser (any (lambda (c) (and (option-clause? c)
                                            (eq? (syntax->datum (car c)) 'no-serialization)))
                           clauses))
              (prefix (any (lambda (c) (and (option-clause? c)
                                            (eq? (syntax->datum (car c)) 'prefix)
                                            (syntax->datum (cadr c))))
                           clauses)))
         (define-configuration-helper x #'name clauses (not no-ser) prefix))))))

(define-syntax define-configuration/no-serialization
  (lambda (x)
    (syntax-case x ()
      ((_ name clause ...)
       (define-configuration-helper x #'name #'(clause ...) #f #f)))))

;;; More of Guix's helpers.

(define (empty-serializer? field)
  "Whether FIELD is left out of the serialization."
  (let ((serializer (configuration-field-serializer field)))
    (or (not serializer) (eq? serializer empty-serializer))))

(define list-of-packages?
  ;; Packages, or (PACKAGE OUTPUT) lists.
  (list-of (lambda (x)
             (let ((package? (@ (guix packages) package?)))
               (or (package? x)
                   (and (list? x) (= 2 (length x)) (package? (car x)) (string? (cadr x))))))))

(define-syntax define-enumerated-field-type
  ;; (define-enumerated-field-type NAME (OPTION ...) [(prefix PREFIX)]): NAME?
  ;; holds for the OPTIONs, and PREFIXserialize-NAME serializes with
  ;; PREFIXserialize-field.
  (lambda (x)
    (define (id ctx . parts)
      (datum->syntax ctx (apply symbol-append (map (lambda (p) (if (symbol? p) p (syntax->datum p)))
                                                   parts))))
    (syntax-case x ()
      ((_ name (option ...) (kw pfx))
       (eq? (syntax->datum #'kw) 'prefix)
       #`(begin
           (define (#,(id #'name #'name '?) x)
             (and (memq x '(option ...)) #t))
           (define (#,(id #'name #'pfx 'serialize- #'name) field-name value)
             (#,(id #'name #'pfx 'serialize-field) field-name value))))
      ((_ name (option ...))
       #`(begin
           (define (#,(id #'name #'name '?) x)
             (and (memq x '(option ...)) #t))
           (define (#,(id #'name 'serialize- #'name) field-name value)
             (#,(id #'name 'serialize-field) field-name value)))))))

(define (configuration->documentation configuration-symbol)
  "Display the documentation of the fields of the configuration record
CONFIGURATION-SYMBOL, defined in the current module."
  (display (generate-documentation
            (module-ref (current-module) (symbol-append configuration-symbol '-fields)))))
