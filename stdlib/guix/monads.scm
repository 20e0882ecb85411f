;;; schemy --- Monads as Guix defines them, (guix monads): the identity
;;; monad, the state monad and the store monad (a state monad whose state is
;;; the store), with `mlet', `mlet*', `mbegin', `>>=' and `return'.  A
;;; state-monad value is a procedure of the state returning two values, the
;;; result and the new state.  schemy's store operations are direct, so the
;;; store monad threads the store through without doing anything itself.

(define-module (guix monads)
  #:use-module (srfi srfi-1)
  #:export (monad?
            monad-bind
            monad-return
            with-monad
            mlet
            mlet*
            mbegin
            mwhen
            munless
            >>=
            return
            lift0 lift1 lift2 lift
            listm
            foldm
            mapm
            sequence
            anym

            %identity-monad
            %state-monad
            %store-monad
            run-with-state
            run-with-store
            current-state
            set-current-state
            state-push
            state-pop))

(define-record-type <monad>
  (make-monad bind return)
  monad?
  (bind   monad-bind)
  (return monad-return))

(define %identity-monad
  (make-monad (lambda (mvalue mproc) (mproc mvalue))
              (lambda results (apply values results))))

(define (state-bind mvalue mproc)
  (lambda (state)
    (call-with-values (lambda () (mvalue state))
      (lambda (value state) ((mproc value) state)))))

(define (state-return . results)
  (lambda (state) (apply values (append results (list state)))))

(define %state-monad (make-monad state-bind state-return))

;; The store is the state: schemy's store operations take effect at once, so
;; the store monad only threads it through.
(define %store-monad %state-monad)

;; The monad of the innermost `with-monad' (the store monad outside any): what
;; `return' and `>>=' use.
(define %current-monad (make-parameter %store-monad))

(define (return . results)
  (apply (monad-return (%current-monad)) results))

(define >>=
  (case-lambda
    ((mvalue mproc) ((monad-bind (%current-monad)) mvalue mproc))
    ((mvalue mproc . rest) (apply >>= (>>= mvalue mproc) rest))))

(define-syntax with-monad
  (syntax-rules ()
    "Evaluate BODY with MONAD as the monad of return and >>=."
    ((_ monad body ...)
     (parameterize ((%current-monad monad)) body ...))))

(define-syntax mlet*
  (syntax-rules (->)
    "Bind each VAR to the result of its monadic MVAL in turn, then run BODY;
(VAR -> VAL) binds VAR to the plain value VAL."
    ((_ monad () body ...)
     (with-monad monad body ...))
    ((_ monad ((var -> val) rest ...) body ...)
     (let ((var val)) (mlet* monad (rest ...) body ...)))
    ((_ monad ((var mval) rest ...) body ...)
     (let ((m monad))
       ((monad-bind m) (with-monad m mval)
        (lambda (var) (mlet* m (rest ...) body ...)))))))

(define-syntax mlet
  (syntax-rules ()
    "Like mlet*: schemy evaluates the MVALs in order either way."
    ((_ monad bindings body ...)
     (mlet* monad bindings body ...))))

(define-syntax mbegin
  (syntax-rules ()
    "Run each monadic expression in turn; the value is the last one's."
    ((_ monad mexp) (with-monad monad mexp))
    ((_ monad mexp rest ...)
     (let ((m monad))
       ((monad-bind m) (with-monad m mexp) (lambda _ (mbegin m rest ...)))))))

(define-syntax mwhen
  (syntax-rules ()
    ((_ condition mexp0 mexp ...)
     (if condition (mbegin (%current-monad) mexp0 mexp ...) (return *unspecified*)))))

(define-syntax munless
  (syntax-rules ()
    ((_ condition mexp0 mexp ...)
     (if condition (return *unspecified*) (mbegin (%current-monad) mexp0 mexp ...)))))

(define (lift proc monad)
  "PROC made to return its result in MONAD."
  (lambda args (with-monad monad (return (apply proc args)))))
(define (lift0 proc monad) (lift proc monad))
(define (lift1 proc monad) (lift proc monad))
(define (lift2 proc monad) (lift proc monad))

(define (foldm monad mproc init lst)
  "Fold MPROC, a procedure returning a monadic value, over LST from INIT."
  (with-monad monad
    (let loop ((lst lst) (result init))
      (if (null? lst)
          (return result)
          ((monad-bind monad) (mproc (car lst) result)
           (lambda (result) (loop (cdr lst) result)))))))

(define (mapm monad mproc lst)
  "The list of the results of MPROC on each element of LST, in MONAD."
  (with-monad monad
    ((monad-bind monad)
     (foldm monad (lambda (x acc) ((monad-bind monad) (mproc x) (lambda (v) (return (cons v acc)))))
            '() lst)
     (lambda (acc) (return (reverse acc))))))

(define (sequence monad lst)
  "The list of the results of the monadic values of LST, in MONAD."
  (mapm monad (lambda (mv) mv) lst))

(define (listm monad . mvalues)
  (sequence monad mvalues))

(define (anym monad mproc lst)
  "The first true result of MPROC on the elements of LST, in MONAD."
  (with-monad monad
    (let loop ((lst lst))
      (if (null? lst)
          (return #f)
          ((monad-bind monad) (mproc (car lst))
           (lambda (result) (if result (return result) (loop (cdr lst)))))))))

(define* (run-with-state mval #:optional (state '()))
  "Run MVAL, a state-monad value, from STATE: its result and the final state."
  (mval state))

(define* (run-with-store store mval #:key guile-for-build system target)
  "Run MVAL, a store-monad value, against STORE: its result."
  (call-with-values (lambda () (run-with-state mval store))
    (lambda (result store) result)))

(define (current-state)
  (lambda (state) (values state state)))

(define (set-current-state value)
  (lambda (state) (values state value)))

(define (state-push value)
  (lambda (state) (values state (cons value state))))

(define (state-pop)
  (lambda (state) (values (car state) (cdr state))))

;; Names Guix's module exports too.
(export state-bind state-return)
