;;; schemy --- (gnu build accounts): the subordinate id databases.
;;;
;;; /etc/subuid and /etc/subgid hold NAME:START:COUNT lines.  Allocation keeps
;;; the ranges already on disk, then places the configured ones in the unused
;;; ids: ranges with a start where they ask, the others in the first unused
;;; interval that holds them, as Guix's allocator does (a tree of unused
;;; intervals, visited node first, then its left and right children).

(define-module (gnu build accounts)
  #:use-module (schemy subid-ranges)
  #:use-module (ice-9 match)
  #:use-module (ice-9 rdelim)
  #:use-module (srfi srfi-1)
  #:export (%subordinate-id-min
            %subordinate-id-max
            %subordinate-id-count
            subid-entry subid-entry? subid-entry-name subid-entry-start subid-entry-count
            subid-entry->string string->subid-entry
            read-subuid read-subgid write-subuid write-subgid
            allocate-subids
            subuid+subgid-databases))

;; shadow's libmisc/find_new_sub_uids.c limits.
(define %subordinate-id-min 100000)
(define %subordinate-id-max 600100000)
(define %subordinate-id-count 65536)

(define (subordinate-id? id)
  (and (>= id %subordinate-id-min) (< id %subordinate-id-max)))

(define-record-type <subid-entry>
  (make-subid-entry name start count)
  subid-entry?
  (name  subid-entry-name)
  (start subid-entry-start)
  (count subid-entry-count))

(define* (subid-entry #:key name start count)
  (make-subid-entry name start count))

(define (subid-entry->string entry)
  (string-append (subid-entry-name entry) ":" (number->string (subid-entry-start entry))
                 ":" (number->string (subid-entry-count entry))))

(define (string->subid-entry line)
  (match (string-split line #\:)
    ((name start count) (make-subid-entry name (string->number start) (string->number count)))))

(define (entry->range entry)
  (subid-range (name (subid-entry-name entry)) (start (subid-entry-start entry))
               (count (subid-entry-count entry))))

(define (range->entry range)
  (make-subid-entry (subid-range-name range) (subid-range-start range) (subid-range-count range)))

(define (read-entries file)
  ;; The entries of FILE; none when it does not exist.
  (if (file-exists? file)
      (call-with-input-file file
        (lambda (port)
          (let loop ((acc '()))
            (let ((line (read-line port)))
              (cond ((eof-object? line) (reverse acc))
                    ((string-null? line) (loop acc))
                    (else (loop (cons (string->subid-entry line) acc))))))))
      '()))

(define (write-entries entries file)
  ;; Written atomically, mode 644, each entry once.
  (let ((tmp (string-append file ".tmp")))
    (call-with-output-file tmp
      (lambda (port)
        (for-each (lambda (entry)
                    (display (subid-entry->string entry) port)
                    (newline port))
                  (delete-duplicates entries
                                     (lambda (a b)
                                       (string=? (subid-entry->string a)
                                                 (subid-entry->string b)))))))
    (chmod tmp #o644)
    (rename-file tmp file)))

(define* (read-subuid #:optional (file "/etc/subuid")) (read-entries file))
(define* (read-subgid #:optional (file "/etc/subgid")) (read-entries file))
(define* (write-subuid entries #:optional (file "/etc/subuid")) (write-entries entries file))
(define* (write-subgid entries #:optional (file "/etc/subgid")) (write-entries entries file))

;;; The tree of unused intervals: #(left min max right), left and right #f or
;;; a node.  The first node covers every id.

(define (node left min max right) (vector left min max right))
(define (node-left n) (vector-ref n 0))
(define (node-min n) (vector-ref n 1))
(define (node-max n) (vector-ref n 2))
(define (node-right n) (vector-ref n 3))

(define (overflow range)
  (error (format #f "no unused subordinate ids for the range of ~s (start ~a, count ~a)"
                 (subid-range-name range) (subid-range-start range)
                 (subid-range-count range))))

(define (within? n range)
  (and (<= (node-min n) (subid-range-start range))
       (<= (subid-range-end range) (node-max n))))

(define (take-range n range)
  ;; N without the ids of RANGE (which it holds).  A range at either end
  ;; shrinks the node; one inside splits it, the smaller side becoming a child
  ;; (Guix's allocator gives that child, on the right, the node's left subtree).
  (let ((start (subid-range-start range))
        (end (subid-range-end range)))
    (if (or (= (node-min n) start) (= (node-max n) end))
        (node (node-left n)
              (if (= (node-min n) start) (+ end 1) (node-min n))
              (if (= (node-max n) end) (- start 1) (node-max n))
              (node-right n))
        (let* ((left-child? (<= (- start (node-min n)) (- (node-max n) end)))
               (child (node (and left-child? (node-left n)) (node-min n) (- start 1)
                            (and (not left-child?) (node-left n)) )))
          (node (if left-child? child (node-left n))
                (+ end 1) (node-max n)
                (if left-child? (node-left n) child))))))

(define (place-generic n range)
  ;; Two values: N with RANGE placed, and the range with its start.
  (let ((placed (subid-range (inherit range)
                             (start (max (node-min n) %subordinate-id-min)))))
    (cond ((within? n placed) (values (take-range n placed) placed))
          ((node-left n)
           (call-with-values (lambda () (place-generic (node-left n) range))
             (lambda (left placed)
               (values (node left (node-min n) (node-max n) (node-right n)) placed))))
          ((node-right n)
           ;; Guix's allocator puts the right subtree's result on the left.
           (call-with-values (lambda () (place-generic (node-right n) range))
             (lambda (right placed)
               (values (node right (node-min n) (node-max n) (node-right n)) placed))))
          (else (overflow range)))))

(define (place-specific n range)
  (cond ((within? n range) (values (take-range n range) range))
        ((and (node-left n) (< (subid-range-end range) (node-min n)))
         (call-with-values (lambda () (place-specific (node-left n) range))
           (lambda (left _)
             (values (node left (node-min n) (node-max n) (node-right n)) range))))
        ((and (node-right n) (> (subid-range-start range) (node-max n)))
         (call-with-values (lambda () (place-specific (node-right n) range))
           (lambda (right _)
             (values (node (node-left n) (node-min n) (node-max n) right) range))))
        (else (overflow range))))

(define (reserve tree ranges)
  ;; Two values: TREE with RANGES placed in order, and the placed ranges (last first).
  (let loop ((tree tree) (ranges ranges) (placed '()))
    (match ranges
      (() (values tree placed))
      ((range . rest)
       (call-with-values
           (lambda ()
             ((if (subid-range-has-start? range) place-specific place-generic) tree range))
         (lambda (tree range) (loop tree rest (cons range placed))))))))

(define* (allocate-subids ranges #:optional (current-ranges '()))
  "The entries of RANGES, a list of <subid-range>, placed around CURRENT-RANGES
(the ranges already on disk, kept as they are)."
  (for-each (lambda (range)
              (unless (or (not (subid-range-has-start? range))
                          (and (subordinate-id? (subid-range-start range))
                               (subordinate-id? (subid-range-end range))))
                (error (format #f "invalid subordinate id range for ~s: ~a-~a"
                               (subid-range-name range) (subid-range-start range)
                               (subid-range-end range)))))
            ranges)
  (call-with-values (lambda () (reserve (node #f 0 %subordinate-id-max #f) current-ranges))
    (lambda (tree current)
      (call-with-values (lambda () (reserve tree (stable-sort ranges subid-range-less)))
        (lambda (_ placed)
          (map range->entry
               (stable-sort (append current placed) subid-range-less)))))))

(define* (subuid+subgid-databases subuids subgids
                                  #:key (current-subuids '()) (current-subgids '()))
  "Two values: the subuid entries and the subgid entries of SUBUIDS and SUBGIDS,
keeping the ranges of CURRENT-SUBUIDS and CURRENT-SUBGIDS (entries on disk)."
  (define (same-name? a b)
    (string=? (subid-range-name a) (subid-range-name b)))
  (define (allocate wanted current)
    (let ((current (map entry->range current)))
      (allocate-subids (lset-difference same-name? wanted current) current)))
  (values (allocate subuids current-subuids)
          (allocate subgids current-subgids)))
