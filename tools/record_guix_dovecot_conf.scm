;;; Record dovecot.conf as Guix's own serializers write it, for the default
;;; configuration and for tests/data/guix-dovecot/custom-expr.scm.
;;;
;;; Usage (from the repository root, once; the output is committed as test data):
;;;   git -C GUIX show HEAD:gnu/services/mail.scm > /tmp/mail.scm
;;;   guile tools/record_guix_dovecot_conf.scm /tmp/mail.scm tests/data/guix-dovecot
;;;
;;; Guix's module cannot be loaded outside a Guix tree.  This script takes the
;;; text of its Dovecot part (from `uglify-field-name' up to `%dovecot-accounts':
;;; the serializers, helpers and configuration records) and evaluates it
;;; unchanged.  Only the machinery it uses from other modules is a shim written
;;; here: `define-configuration' (records as tagged lists, defaults evaluated
;;; when a field is not given, the serializer of a field being serialize-TYPE)
;;; and `serialize-configuration'; the dovecot package is a symbol.

(use-modules (ice-9 match) (ice-9 rdelim) (srfi srfi-1) (srfi srfi-9) (ice-9 format))

(define guix-file (cadr (command-line)))
(define output-directory (caddr (command-line)))

(define (package? x) (eq? x 'dovecot-package))
(define dovecot 'dovecot-package)
(define (file-like? x) #t)
(define (serialize-file-like field value) #f)
(define (configuration-missing-field kind field) (error "missing field" kind field))
(define (configuration-field-error location field value) (error "invalid field" field value))

(define-record-type <field>
  (make-field name getter serializer)
  field?
  (name configuration-field-name)
  (getter configuration-field-getter)
  (serializer configuration-field-serializer))

(define (serialize-configuration config fields)
  (for-each (lambda (f)
              ((configuration-field-serializer f) (configuration-field-name f)
               ((configuration-field-getter f) config)))
            fields))

(define-syntax define-configuration
  (lambda (x)
    (syntax-case x ()
      ((_ name (field (type default ...) doc ...) ...)
       (let* ((n (syntax->datum #'name))
              (id (lambda (fmt . args)
                    (datum->syntax #'name (string->symbol (apply format #f fmt args))))))
         (with-syntax ((pred (id "~a?" n))
                       (fields (id "~a-fields" n))
                       ((getter ...) (map (lambda (f) (id "~a-~a" n (syntax->datum f)))
                                          #'(field ...)))
                       ((serializer ...)
                        (map (lambda (t) (datum->syntax t (symbol-append 'serialize-
                                                                         (syntax->datum t))))
                             #'(type ...))))
           #'(begin
               (define-syntax name
                 (syntax-rules ()
                   ((_ (f v) (... ...))
                    (let ((given (list (cons 'f (lambda () v)) (... ...))))
                      (list 'name
                            (map (lambda (fname default-thunk)
                                   (cons fname ((or (assq-ref given fname) default-thunk))))
                                 '(field ...)
                                 (list (lambda () default ...) ...)))))))
               (define (pred x) (and (pair? x) (eq? (car x) 'name)))
               (define (getter c) (assq-ref (cadr c) 'field)) ...
               (define fields
                 (list (make-field 'field getter (lambda (a b) (serializer a b))) ...)))))))))

(define text (call-with-input-file guix-file read-string))
(define part
  (substring text (string-contains text "(define (uglify-field-name")
             (string-contains text "(define %dovecot-accounts")))

(call-with-input-string part
  (lambda (port)
    (let loop ()
      (let ((form (read port)))
        (unless (eof-object? form)
          (primitive-eval form)
          (loop))))))

(define (record name expression)
  (call-with-output-file (string-append output-directory "/" name)
    (lambda (port)
      (with-output-to-port port
        (lambda ()
          (serialize-configuration (primitive-eval expression)
                                   (primitive-eval 'dovecot-configuration-fields)))))))

(record "default.conf" '(dovecot-configuration))
(record "custom.conf"
        (call-with-input-file (string-append output-directory "/custom-expr.scm") read))
