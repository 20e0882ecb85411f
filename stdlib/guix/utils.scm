;;; schemy --- (guix utils): the helpers configurations use from it.

(define-module (guix utils)
  #:use-module (srfi srfi-1)
  #:export (%current-system
            %current-target-system
            target-x86-64?
            target-x86-32?
            target-x86?
            target-aarch64?
            target-arm?
            target-riscv64?
            target-linux?
            target-hurd?
            version-major+minor
            version-major+minor+point
            version-major
            version>?
            version>=?
            version-prefix?
            string-replace-substring
            substitute-keyword-arguments
            current-source-directory
            gnu-triplet->nix-system
            nix-system->gnu-triplet))

(define %current-system (make-parameter "x86_64-linux"))
(define %current-target-system (make-parameter #f))

(define* (target-system-prefix? prefix #:optional
                                (target (or (%current-target-system) (%current-system))))
  (string-prefix? prefix target))

(define* (target-x86-64? #:optional (t (or (%current-target-system) (%current-system))))
  (string-prefix? "x86_64-" t))
(define* (target-x86-32? #:optional (t (or (%current-target-system) (%current-system))))
  (or (string-prefix? "i686-" t) (string-prefix? "i586-" t)))
(define* (target-x86? #:optional (t (or (%current-target-system) (%current-system))))
  (or (target-x86-64? t) (target-x86-32? t)))
(define* (target-aarch64? #:optional (t (or (%current-target-system) (%current-system))))
  (string-prefix? "aarch64-" t))
(define* (target-arm? #:optional (t (or (%current-target-system) (%current-system))))
  (or (target-aarch64? t) (string-prefix? "arm" t)))
(define* (target-riscv64? #:optional (t (or (%current-target-system) (%current-system))))
  (string-prefix? "riscv64-" t))
(define* (target-linux? #:optional (t (or (%current-target-system) (%current-system))))
  (string-contains t "linux"))
(define* (target-hurd? #:optional (t (or (%current-target-system) (%current-system))))
  (string-suffix? "-gnu" t))

(define (version-components v)
  (map (lambda (s) (or (string->number s) s)) (string-split v #\.)))

(define (version-major+minor v)
  (string-join (take (string-split v #\.) (min 2 (length (string-split v #\.)))) "."))
(define (version-major+minor+point v)
  (string-join (take (string-split v #\.) (min 3 (length (string-split v #\.)))) "."))
(define (version-major v)
  (car (string-split v #\.)))

(define (version-compare a b)
  (let loop ((a (version-components a)) (b (version-components b)))
    (cond ((and (null? a) (null? b)) '=)
          ((null? a) '<)
          ((null? b) '>)
          ((and (number? (car a)) (number? (car b)))
           (cond ((< (car a) (car b)) '<) ((> (car a) (car b)) '>) (else (loop (cdr a) (cdr b)))))
          (else
           (let ((x (format #f "~a" (car a))) (y (format #f "~a" (car b))))
             (cond ((string<? x y) '<) ((string>? x y) '>) (else (loop (cdr a) (cdr b)))))))))

(define (version>? a b) (eq? (version-compare a b) '>))
(define (version>=? a b) (not (eq? (version-compare a b) '<)))
(define (version-prefix? prefix v)
  (let ((p (string-split prefix #\.)) (w (string-split v #\.)))
    (and (<= (length p) (length w)) (equal? p (take w (length p))))))

(define (string-replace-substring str substr replacement)
  "STR with every occurrence of SUBSTR replaced by REPLACEMENT."
  (let ((n (string-length substr)))
    (let loop ((start 0) (acc '()))
      (let ((i (string-contains str substr start)))
        (if (and i (> n 0))
            (loop (+ i n) (cons* replacement (substring str start i) acc))
            (string-concatenate-reverse (cons (substring str start) acc)))))))

(define (%substitute-keyword-arguments args substitutions)
  "ARGS, a keyword/value list, with the value of each keyword of SUBSTITUTIONS,
a list of (KEYWORD PROCEDURE DEFAULT...), replaced by PROCEDURE applied to it;
a keyword ARGS lacks is added first, with its DEFAULT, when it has one."
  (let* ((args (fold (lambda (sub args)
                       (if (or (memq (car sub) args) (null? (caddr sub)))
                           args
                           (cons* (car sub) (car (caddr sub)) args)))
                     args substitutions)))
    (let loop ((args args) (before '()))
      (cond ((null? args) (reverse before))
            ((and (keyword? (car args)) (pair? (cdr args)) (assq (car args) substitutions))
             => (lambda (sub)
                  (loop (cddr args) (cons* ((cadr sub) (cadr args)) (car args) before))))
            (else (loop (cdr args) (cons (car args) before)))))))

(define-syntax substitute-keyword-arguments
  (syntax-rules ()
    "Guix's form: each clause ((KEYWORD VAR [DEFAULT]) EXP) replaces the value
of KEYWORD by EXP, evaluated with VAR bound to the old value (or DEFAULT when
the keyword is missing; without a default a missing keyword stays missing)."
    ((_ original-args ((kw var dflt ...) exp) ...)
     (%substitute-keyword-arguments
      original-args
      (list (list kw (lambda (var) exp) (list dflt ...)) ...)))))

(define-syntax current-source-directory
  (lambda (s)
    (syntax-case s ()
      ((_)
       (let* ((props (syntax-source s))
              (file (and props (assq-ref props 'filename))))
         (if file (dirname file) #f))))))

(define (gnu-triplet->nix-system triplet)
  "The Nix system type of the GNU TRIPLET: \"x86_64-linux-gnu\" -> \"x86_64-linux\"."
  (let* ((parts (string-split triplet #\-))
         (cpu (car parts)))
    (cond ((string-contains triplet "linux") (string-append cpu "-linux"))
          ((string-contains triplet "gnu") (string-append cpu "-gnu"))
          (else triplet))))

(define* (nix-system->gnu-triplet #:optional (system (%current-system)) (vendor "unknown"))
  "The GNU triplet of the Nix SYSTEM: \"x86_64-linux\" -> \"x86_64-unknown-linux-gnu\"."
  (let* ((dash (string-index system #\-))
         (cpu (substring system 0 dash))
         (kernel (substring system (+ dash 1))))
    (string-append cpu "-" vendor "-" (if (string=? kernel "gnu") "gnu" (string-append kernel "-gnu")))))
