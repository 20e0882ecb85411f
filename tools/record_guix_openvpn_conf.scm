;;; Record openvpn.conf bodies and client-config-dir files as Guix's own
;;; serializers write them, for the records in tests/data/guix-openvpn/*-expr.scm.
;;;
;;; Usage (from the repository root, once; the output is committed as test data):
;;;   git -C GUIX show HEAD:gnu/services/vpn.scm > /tmp/vpn.scm
;;;   guile tools/record_guix_openvpn_conf.scm /tmp/vpn.scm tests/data/guix-openvpn
;;;
;;; Guix's module loads only inside a Guix tree, so this evaluates, unchanged,
;;; the text of its OpenVPN part (from `uglify-field-name' up to
;;; `openvpn-config-file': serializers, predicates and records).  What it uses
;;; from other modules is shimmed here: define-configuration (a record is a
;;; tagged alist, defaults computed for fields not given, each field
;;; serialized by serialize-TYPE), define-maybe, define-enumerated-field-type
;;; and serialize-configuration.  The openvpn package is a symbol.

(use-modules (ice-9 match) (ice-9 rdelim) (ice-9 regex) (srfi srfi-1) (srfi srfi-9)
             (ice-9 format))

(define guix-file (cadr (command-line)))
(define output-directory (caddr (command-line)))

(define openvpn 'openvpn-package)
(define (file-like? x) #t)
(define (serialize-file-like field value) #f)
(define %unset '%unset)

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

(define-syntax define-maybe
  (lambda (x)
    (syntax-case x ()
      ((_ stem)
       (let ((s (symbol->string (syntax->datum #'stem))))
         (with-syntax ((pred (datum->syntax #'stem (string->symbol (string-append "maybe-" s "?"))))
                       (base (datum->syntax #'stem (string->symbol (string-append s "?"))))
                       (ser (datum->syntax #'stem (string->symbol (string-append "serialize-maybe-" s))))
                       (base-ser (datum->syntax #'stem (string->symbol (string-append "serialize-" s)))))
           #'(begin
               (define (pred v) (or (eq? v %unset) (base v)))
               (define (ser f v) (unless (eq? v %unset) (base-ser f v))))))))))

(define-syntax define-enumerated-field-type
  (lambda (x)
    (syntax-case x ()
      ((_ name (option ...))
       (let ((s (symbol->string (syntax->datum #'name))))
         (with-syntax ((pred (datum->syntax #'name (string->symbol (string-append s "?"))))
                       (ser (datum->syntax #'name (string->symbol (string-append "serialize-" s))))
                       (field (datum->syntax #'name 'serialize-field)))
           #'(begin
               (define (pred v) (memq v '(option ...)))
               (define (ser f v) (field f v)))))))))

(define-syntax define-configuration
  (lambda (x)
    (define (spec-type spec)
      (syntax-case spec () ((type default) #'type) (type #'type)))
    (define (spec-default spec)
      (syntax-case spec () ((type default) #'default) (type #''%unset)))
    (syntax-case x ()
      ((_ name (field spec doc ...) ...)
       (let* ((n (syntax->datum #'name))
              (id (lambda (fmt . args)
                    (datum->syntax #'name (string->symbol (apply format #f fmt args))))))
         (with-syntax ((pred (id "~a?" n))
                       (fields (id "~a-fields" n))
                       ((getter ...) (map (lambda (f) (id "~a-~a" n (syntax->datum f)))
                                          #'(field ...)))
                       ((default ...) (map spec-default #'(spec ...)))
                       ((serializer ...)
                        (map (lambda (s)
                               (let ((t (spec-type s)))
                                 (datum->syntax t (symbol-append 'serialize-
                                                                 (syntax->datum t)))))
                             #'(spec ...))))
           #'(begin
               (define-syntax name
                 (syntax-rules ()
                   ((_ (f v) (... ...))
                    (let ((given (list (cons 'f (lambda () v)) (... ...))))
                      (list 'name
                            (map (lambda (fname default-thunk)
                                   (cons fname ((or (assq-ref given fname) default-thunk))))
                                 '(field ...)
                                 (list (lambda () default) ...)))))))
               (define (pred x) (and (pair? x) (eq? (car x) 'name)))
               (define (getter c) (assq-ref (cadr c) 'field)) ...
               (define fields
                 (list (make-field 'field getter (lambda (a b) (serializer a b))) ...)))))))))

;; create-ccd-directory's gexp is never run here: #~ and #$ read as quoted data.
(read-hash-extend #\~ (lambda (chr port) (list 'quote (read port))))
(read-hash-extend #\$ (lambda (chr port) (list 'quote (read port))))

(define text (call-with-input-file guix-file read-string))
(define part
  (substring text (string-contains text "(define (uglify-field-name")
             (string-contains text "(define (openvpn-config-file")))

(call-with-input-string part
  (lambda (port)
    (let loop ()
      (let ((form (read port)))
        (unless (eof-object? form)
          (primitive-eval form)
          (loop))))))

(define (record name fields-name expression)
  (call-with-output-file (string-append output-directory "/" name)
    (lambda (port)
      (with-output-to-port port
        (lambda ()
          (serialize-configuration (primitive-eval expression)
                                   (primitive-eval fields-name)))))))

(define (expression file)
  (call-with-input-file (string-append output-directory "/" file) read))

(record "client-default.conf" 'openvpn-client-configuration-fields '(openvpn-client-configuration))
(record "server-default.conf" 'openvpn-server-configuration-fields '(openvpn-server-configuration))
(record "client-custom.conf" 'openvpn-client-configuration-fields (expression "client-expr.scm"))
(record "server-custom.conf" 'openvpn-server-configuration-fields (expression "server-expr.scm"))
(record "ccd-bob" 'openvpn-ccd-configuration-fields (expression "ccd-expr.scm"))
