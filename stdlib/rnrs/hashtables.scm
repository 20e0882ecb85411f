;;; schemy --- (rnrs hashtables): R6RS hash tables over SRFI-69 tables, as Guile provides them
;;; (eq/eqv tables have no hash function; copies are immutable unless asked otherwise).

(define-module (rnrs hashtables)
  #:use-module (srfi srfi-9)
  #:use-module ((srfi srfi-69) #:prefix srfi69:)
  #:export (make-eq-hashtable make-eqv-hashtable make-hashtable hashtable? hashtable-size
            hashtable-ref hashtable-set! hashtable-delete! hashtable-contains?
            hashtable-update! hashtable-copy hashtable-clear! hashtable-keys hashtable-entries
            hashtable-equivalence-function hashtable-hash-function hashtable-mutable?
            equal-hash string-hash string-ci-hash symbol-hash))

(define-record-type r6rs:hashtable
  (%make-hashtable table equivalence hash mutable?)
  hashtable?
  (table hashtable-table set-hashtable-table!)
  (equivalence hashtable-equivalence-function)
  (hash hashtable-hash-function)
  (mutable? hashtable-mutable?))

(define (new-table equivalence hash)
  (if hash
      (srfi69:make-hash-table equivalence (lambda (obj . size) (hash obj)))
      (srfi69:make-hash-table equivalence)))

(define* (make-eq-hashtable #:optional k)
  (%make-hashtable (new-table eq? #f) eq? #f #t))

(define* (make-eqv-hashtable #:optional k)
  (%make-hashtable (new-table eqv? #f) eqv? #f #t))

(define* (make-hashtable hash-function equiv #:optional k)
  (%make-hashtable (new-table equiv hash-function) equiv hash-function #t))

(define (check-mutable who table)
  (unless (hashtable-mutable? table)
    (error (string-append (symbol->string who) ": Hashtable is immutable.") table)))

(define (hashtable-size table)
  (srfi69:hash-table-size (hashtable-table table)))

(define (hashtable-ref table key default)
  (srfi69:hash-table-ref/default (hashtable-table table) key default))

(define (hashtable-set! table key value)
  (check-mutable 'hashtable-set! table)
  (srfi69:hash-table-set! (hashtable-table table) key value))

(define (hashtable-delete! table key)
  (check-mutable 'hashtable-delete! table)
  (srfi69:hash-table-delete! (hashtable-table table) key))

(define (hashtable-contains? table key)
  (srfi69:hash-table-exists? (hashtable-table table) key))

(define (hashtable-update! table key proc default)
  (check-mutable 'hashtable-update! table)
  (hashtable-set! table key (proc (hashtable-ref table key default))))

(define* (hashtable-copy table #:optional mutable)
  (let ((copy (new-table (hashtable-equivalence-function table) (hashtable-hash-function table))))
    (srfi69:hash-table-walk (hashtable-table table)
                            (lambda (k v) (srfi69:hash-table-set! copy k v)))
    (%make-hashtable copy (hashtable-equivalence-function table)
                     (hashtable-hash-function table) (and mutable #t))))

(define* (hashtable-clear! table #:optional k)
  (check-mutable 'hashtable-clear! table)
  (set-hashtable-table! table (new-table (hashtable-equivalence-function table)
                                         (hashtable-hash-function table))))

(define (hashtable-keys table)
  (list->vector (srfi69:hash-table-keys (hashtable-table table))))

(define (hashtable-entries table)
  (let ((pairs (srfi69:hash-table->alist (hashtable-table table))))
    (values (list->vector (map car pairs)) (list->vector (map cdr pairs)))))

(define (equal-hash obj) (hash obj 4611686018427387903))
(define (string-hash s) (srfi69:string-hash s))
(define (string-ci-hash s) (srfi69:string-ci-hash s))
(define (symbol-hash s) (hash s 4611686018427387903))
