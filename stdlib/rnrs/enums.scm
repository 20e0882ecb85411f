;;; schemy --- (rnrs enums): R6RS enumeration sets (an ordered universe of symbols and the
;;; subset of it a set holds) and define-enumeration, whose names are checked when expanded.

(define-module (rnrs enums)
  #:use-module (srfi srfi-1)
  #:use-module (srfi srfi-9)
  #:export (make-enumeration enum-set-universe enum-set-indexer enum-set-constructor
            enum-set->list enum-set-member? enum-set-subset? enum-set=? enum-set-union
            enum-set-intersection enum-set-difference enum-set-complement
            enum-set-projection define-enumeration))

(define-record-type enum-set
  (%make-enum-set universe members)
  enum-set?
  (universe %universe)      ; the universe's symbols, in order
  (members %members))       ; the members, in the universe's order

(define (in-order universe syms)
  (filter (lambda (s) (memq s syms)) universe))

(define (make-enumeration symbol-list)
  (unless (and (list? symbol-list) (every symbol? symbol-list))
    (error "make-enumeration: expected a list of symbols" symbol-list))
  (%make-enum-set symbol-list symbol-list))

(define (enum-set-universe set)
  (%make-enum-set (%universe set) (%universe set)))

(define (enum-set-indexer set)
  (let ((universe (%universe set)))
    (lambda (sym) (list-index (lambda (s) (eq? s sym)) universe))))

(define (enum-set-constructor set)
  (let ((universe (%universe set)))
    (lambda (syms)
      (for-each (lambda (s)
                  (unless (memq s universe)
                    (error "enum-set-constructor: not in the universe" s)))
                syms)
      (%make-enum-set universe (in-order universe syms)))))

(define (enum-set->list set) (%members set))

(define (enum-set-member? sym set) (and (memq sym (%members set)) #t))

(define (subset? a b) (every (lambda (s) (and (memq s b) #t)) a))

(define (enum-set-subset? a b)
  (and (subset? (%universe a) (%universe b)) (subset? (%members a) (%members b))))

(define (enum-set=? a b)
  (and (enum-set-subset? a b) (enum-set-subset? b a)))

(define (same-universe who a b)
  (unless (equal? (%universe a) (%universe b))
    (error (string-append (symbol->string who) ": the sets have different universes") a b))
  (%universe a))

(define (enum-set-union a b)
  (let ((u (same-universe 'enum-set-union a b)))
    (%make-enum-set u (in-order u (append (%members a) (%members b))))))

(define (enum-set-intersection a b)
  (let ((u (same-universe 'enum-set-intersection a b)))
    (%make-enum-set u (filter (lambda (s) (memq s (%members b))) (%members a)))))

(define (enum-set-difference a b)
  (let ((u (same-universe 'enum-set-difference a b)))
    (%make-enum-set u (remove (lambda (s) (memq s (%members b))) (%members a)))))

(define (enum-set-complement set)
  (%make-enum-set (%universe set) (remove (lambda (s) (memq s (%members set))) (%universe set))))

(define (enum-set-projection a b)
  (let ((u (%universe b)))
    (%make-enum-set u (in-order u (%members a)))))

(define-syntax define-enumeration
  (lambda (x)
    (syntax-case x ()
      ((_ type-name (sym ...) constructor)
       #'(begin
           (define-syntax type-name
             (lambda (y)
               (syntax-case y ()
                 ((_ s)
                  (if (memq (syntax->datum #'s) '(sym ...))
                      #''s
                      (syntax-violation 'type-name "not a member of the enumeration"
                                        (syntax->datum y) (syntax->datum #'s)))))))
           (define-syntax constructor
             (lambda (y)
               (syntax-case y ()
                 ((_ s (... ...))
                  (begin
                    (for-each (lambda (name)
                                (unless (memq name '(sym ...))
                                  (syntax-violation 'constructor "not a member of the enumeration"
                                                    (syntax->datum y) name)))
                              (syntax->datum #'(s (... ...))))
                    #'((enum-set-constructor (make-enumeration '(sym ...)))
                       '(s (... ...)))))))))))))
