;;; schemy --- (ice-9 common-list): Guile's list utilities from SLIB's comlist (sets compared
;;; with eq?, some/every over several lists, pick, uniq...), behaving as Guile's.

(define-module (ice-9 common-list)
  #:export (adjoin union intersection set-difference reduce-init reduce some every notany
            notevery count-if find-if member-if remove-if remove-if-not delete-if!
            delete-if-not! butlast and? or? has-duplicates? pick pick-mappings uniq))

(define (adjoin e l)
  (if (memq e l) l (cons e l)))

(define (union l1 l2)
  (let loop ((l1 l1) (acc l2))
    (if (null? l1) acc (loop (cdr l1) (adjoin (car l1) acc)))))

(define (intersection l1 l2)
  (let loop ((l1 l1) (acc '()))
    (cond ((null? l1) (reverse acc))
          ((memq (car l1) l2) (loop (cdr l1) (cons (car l1) acc)))
          (else (loop (cdr l1) acc)))))

(define (set-difference l1 l2)
  (remove-if (lambda (e) (memq e l2)) l1))

(define (reduce-init p init l)
  (let loop ((acc init) (l l))
    (if (null? l) acc (loop (p acc (car l)) (cdr l)))))

(define (reduce p l)
  (if (null? l) l (reduce-init p (car l) (cdr l))))

(define (some pred l . rest)
  (let loop ((lists (cons l rest)))
    (and (not (or-map null? lists))
         (or (apply pred (map car lists)) (loop (map cdr lists))))))

(define (every pred l . rest)
  (let loop ((lists (cons l rest)) (last #t))
    (if (or-map null? lists)
        last
        (let ((v (apply pred (map car lists))))
          (and v (loop (map cdr lists) v))))))

(define (notany pred . ls) (not (apply some pred ls)))
(define (notevery pred . ls) (not (apply every pred ls)))

(define (count-if pred l)
  (let loop ((l l) (n 0))
    (if (null? l) n (loop (cdr l) (if (pred (car l)) (+ n 1) n)))))

(define (find-if pred l)
  (let ((tail (member-if pred l))) (and tail (car tail))))

(define (member-if pred l)
  (cond ((null? l) #f) ((pred (car l)) l) (else (member-if pred (cdr l)))))

(define (remove-if pred l)
  (let loop ((l l) (acc '()))
    (cond ((null? l) (reverse acc))
          ((pred (car l)) (loop (cdr l) acc))
          (else (loop (cdr l) (cons (car l) acc))))))

(define (remove-if-not pred l)
  (remove-if (lambda (x) (not (pred x))) l))

(define (delete-if! pred l) (remove-if pred l))
(define (delete-if-not! pred l) (remove-if-not pred l))

(define (butlast lst n)
  (let ((keep (- (length lst) n)))
    (if (<= keep 0) '() (list-head lst keep))))

(define (and? . args)
  (or (null? args) (and (car args) (apply and? (cdr args)) #t)))

(define (or? . args)
  (and (pair? args) (if (car args) #t (apply or? (cdr args)))))

(define (has-duplicates? lst)
  (and (pair? lst)
       (if (memq (car lst) (cdr lst)) #t (has-duplicates? (cdr lst)))))

(define (pick p l)
  ;; The elements of L satisfying P, last first.
  (let loop ((l l) (acc '()))
    (cond ((null? l) acc)
          ((p (car l)) (loop (cdr l) (cons (car l) acc)))
          (else (loop (cdr l) acc)))))

(define (pick-mappings p l)
  ;; The true results of P over L, last first.
  (let loop ((l l) (acc '()))
    (if (null? l)
        acc
        (let ((v (p (car l)))) (loop (cdr l) (if v (cons v acc) acc))))))

(define (uniq l)
  (let loop ((l l) (acc '()))
    (cond ((null? l) (reverse acc))
          ((memq (car l) acc) (loop (cdr l) acc))
          (else (loop (cdr l) (cons (car l) acc))))))
