;;; schemy --- Guix-style records.
;;;
;;; `define-record-type*' defines a record type whose instances are built by
;;; field name, with defaults, `inherit', thunked, delayed and innate fields,
;;; like (guix records).  The checks on field names happen when a constructor
;;; use is expanded, so mistakes are reported at the form in the user's file.

(define-module (guix records)
  #:export (define-record-type*
            this-record
            match-record
            record-field-value))

;;; Parsing field specifications (used at expansion time).

(define (field-property props key)
  "Return the property form (KEY ...) in PROPS, or #f when absent."
  (let loop ((props props))
    (cond ((null? props) #f)
          ((and (pair? (car props))
                (eq? (syntax->datum (caar props)) key))
           (car props))
          (else (loop (cdr props))))))

(define (field-property-value props key)
  "The value of property (KEY VALUE) in PROPS; only call when it is present."
  (cadr (field-property props key)))

(define (field-kind spec)
  (cond ((field-property (cddr spec) 'thunked) 'thunked)
        ((field-property (cddr spec) 'delayed) 'delayed)
        (else 'plain)))

(define (skip-record-options specs)
  "Drop leading #:keyword value options (e.g. #:parent) from SPECS."
  (if (and (pair? specs) (keyword? (syntax->datum (car specs))))
      (skip-record-options (cddr specs))
      specs))

(define-syntax define-record-type*
  (lambda (s)
    (syntax-case s ()
      ((_ type ctor-macro ctor pred spec ...)
       (let* ((specs #'(spec ...))
              (this-id (and (pair? specs) (identifier? (car specs)) (car specs)))
              (specs (skip-record-options (if this-id (cdr specs) specs)))
              (self (datum->syntax #'type 'this-record)))
         (with-syntax (((name ...) (map car specs))
                       ((accessor ...) (map cadr specs))
                       ((kind ...) (map field-kind specs))
                       ((innate ...) (map (lambda (sp)
                                            (and (field-property (cddr sp) 'innate) #t))
                                          specs))
                       ((has-default ...) (map (lambda (sp)
                                                 (and (field-property (cddr sp) 'default) #t))
                                               specs))
                       ((default ...)
                        (map (lambda (sp)
                               (if (field-property (cddr sp) 'default)
                                   (let ((d (field-property-value (cddr sp) 'default)))
                                     (if this-id
                                         #`(lambda (#,self)
                                             (let ((#,this-id #,self)) #,d))
                                         #`(lambda (#,self) #,d)))
                                   #f))
                             specs))
                       ((sanitizer ...) (map (lambda (sp)
                                               (if (field-property (cddr sp) 'sanitize)
                                                   (field-property-value (cddr sp) 'sanitize)
                                                   #f))
                                             specs))
                       (this (if this-id #`(quote #,this-id) #f)))
           #'(begin
               (define type (make-record-type 'type '(name ...)))
               (%record-star-setup! type 'ctor-macro '(kind ...) '(innate ...)
                                    (list default ...) (list sanitizer ...))
               (define ctor (record-constructor type))
               (define pred (record-predicate type))
               (define accessor (%record-field-accessor type 'name 'accessor))
               ...
               (define-syntax ctor-macro
                 (lambda (x)
                   (%record-instance-syntax x #'type '(name ...) '(kind ...)
                                            '(has-default ...) this))))))))))

(define-syntax this-record
  (lambda (s)
    (syntax-violation 'this-record
                      "this-record used outside of a record field definition" s)))

(define (record-field-value record field)
  "Return the value of FIELD (a symbol) of RECORD, forcing thunked fields."
  (%record-ref record field))

(define-syntax match-record
  (syntax-rules ()
    "Bind each FIELD of RECORD, of TYPE, to its value and evaluate BODY."
    ((_ record type (field ...) body ...)
     (let* ((r record)
            (field (%record-ref-checked r type 'field)) ...)
       body ...))))
