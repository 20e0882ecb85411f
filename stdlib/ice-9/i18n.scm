;;; schemy --- (ice-9 i18n): the C ("POSIX") locale's answers to Guile's locale procedures.
;;; schemy has no other locale: make-locale accepts "C" and "POSIX" and raises system-error
;;; for any other name, as Guile does for a locale the system lacks.  Collation is by code
;;; point, numbers have no digit grouping and "." as decimal point, names are English.
;;; monetary-amount->locale-string is left out (Guile itself crashes on it in the C locale).

(define-module (ice-9 i18n)
  #:use-module (srfi srfi-9)
  #:export (make-locale locale? %global-locale
            string-locale<? string-locale>? string-locale-ci<? string-locale-ci>?
            string-locale-ci=?
            char-locale<? char-locale>? char-locale-ci<? char-locale-ci>? char-locale-ci=?
            char-locale-downcase char-locale-upcase char-locale-titlecase
            string-locale-downcase string-locale-upcase string-locale-titlecase
            locale-string->integer locale-string->inexact number->locale-string
            locale-encoding locale-day locale-day-short locale-month locale-month-short
            locale-am-string locale-pm-string locale-date+time-format locale-date-format
            locale-time-format locale-time+am/pm-format locale-era locale-era-year
            locale-era-date-format locale-era-date+time-format locale-era-time-format
            locale-decimal-point locale-thousands-separator locale-digit-grouping
            locale-yes-regexp locale-no-regexp
            locale-currency-symbol locale-monetary-decimal-point
            locale-monetary-thousands-separator locale-monetary-grouping
            locale-monetary-fractional-digits locale-positive-separated-by-space?
            locale-negative-separated-by-space? locale-monetary-positive-sign
            locale-monetary-negative-sign locale-currency-symbol-precedes-positive?
            locale-currency-symbol-precedes-negative? locale-positive-sign-position
            locale-negative-sign-position))

(define-record-type <locale>
  (%make-locale categories name)
  locale?
  (categories locale-categories)
  (name locale-name))

(define %global-locale (%make-locale LC_ALL "C"))

(define* (make-locale category-list locale-name #:optional base-locale)
  "A locale object: only the C locale (\"C\" or \"POSIX\") exists in schemy."
  (unless (member locale-name '("C" "POSIX"))
    (scm-error 'system-error "make-locale" "~A"
               (list (string-append "No such locale: " locale-name)) (list 2)))
  (%make-locale category-list locale-name))

;;; ------------------------------------------------------------ collation and case

(define (string-locale<? a b . locale) (string<? a b))
(define (string-locale>? a b . locale) (string>? a b))
(define (string-locale-ci<? a b . locale) (string-ci<? a b))
(define (string-locale-ci>? a b . locale) (string-ci>? a b))
(define (string-locale-ci=? a b . locale) (string-ci=? a b))
(define (char-locale<? a b . locale) (char<? a b))
(define (char-locale>? a b . locale) (char>? a b))
(define (char-locale-ci<? a b . locale) (char-ci<? a b))
(define (char-locale-ci>? a b . locale) (char-ci>? a b))
(define (char-locale-ci=? a b . locale) (char-ci=? a b))
(define (char-locale-downcase c . locale) (char-downcase c))
(define (char-locale-upcase c . locale) (char-upcase c))
(define (char-locale-titlecase c . locale) (char-titlecase c))
(define (string-locale-downcase s . locale) (string-downcase s))
(define (string-locale-upcase s . locale) (string-upcase s))
(define (string-locale-titlecase s . locale) (string-titlecase s))

;;; ------------------------------------------------------------ numbers

(define (skip-space str i)
  (if (and (< i (string-length str)) (char-whitespace? (string-ref str i))) (skip-space str (+ i 1)) i))

(define (digit-value c base)
  (let ((v (cond ((char<=? #\0 c #\9) (- (char->integer c) 48))
                 ((char<=? #\a (char-downcase c) #\z) (+ 10 (- (char->integer (char-downcase c)) 97)))
                 (else #f))))
    (and v (< v base) v)))

(define* (locale-string->integer str #:optional (base 10) locale)
  "The integer at the start of STR (strtol's syntax) and how many characters it took, else #f 0."
  (let* ((n (string-length str))
         (i (skip-space str 0))
         (sign (and (< i n) (memv (string-ref str i) '(#\+ #\-)) (string-ref str i)))
         (i (if sign (+ i 1) i))
         (i (if (and (= base 16) (< (+ i 1) n) (char=? (string-ref str i) #\0)
                     (memv (string-ref str (+ i 1)) '(#\x #\X))
                     (< (+ i 2) n) (digit-value (string-ref str (+ i 2)) 16))
                (+ i 2) i)))
    (let loop ((j i) (value 0))
      (let ((d (and (< j n) (digit-value (string-ref str j) base))))
        (cond (d (loop (+ j 1) (+ (* value base) d)))
              ((= j i) (values #f 0))
              (else (values (if (eqv? sign #\-) (- value) value) j)))))))

(define* (locale-string->inexact str #:optional locale)
  "The number at the start of STR (strtod's syntax) as an inexact and how many characters it took."
  (let* ((n (string-length str))
         (start (skip-space str 0)))
    (define (digits-end i)
      (if (and (< i n) (char-numeric? (string-ref str i))) (digits-end (+ i 1)) i))
    (define (prefix-ci? word i)
      (and (<= (+ i (string-length word)) n)
           (string-ci=? word (substring str i (+ i (string-length word))))))
    (let* ((i (if (and (< start n) (memv (string-ref str start) '(#\+ #\-))) (+ start 1) start))
           (negative? (and (> i start) (char=? (string-ref str start) #\-))))
      (cond
       ((prefix-ci? "infinity" i) (values (if negative? -inf.0 +inf.0) (+ i 8)))
       ((prefix-ci? "inf" i) (values (if negative? -inf.0 +inf.0) (+ i 3)))
       ((prefix-ci? "nan" i) (values +nan.0 (+ i 3)))
       (else
        (let* ((int-end (digits-end i))
               (frac-end (if (and (< int-end n) (char=? (string-ref str int-end) #\.))
                             (digits-end (+ int-end 1))
                             int-end))
               (mantissa-digits (- frac-end i (if (> frac-end int-end) 1 0))))
          (if (<= mantissa-digits 0)
              (values #f 0)
              (let* ((exp-end (if (and (< frac-end n) (memv (string-ref str frac-end) '(#\e #\E)))
                                  (let* ((k (+ frac-end 1))
                                         (k (if (and (< k n) (memv (string-ref str k) '(#\+ #\-))) (+ k 1) k))
                                         (e (digits-end k)))
                                    (if (> e k) e frac-end))
                                  frac-end))
                     (text (string-append (if (string=? (substring str i int-end) "") "0" "")
                                          (substring str i exp-end)))
                     (text (if (string-suffix? "." text) (string-append text "0") text))
                     (value (exact->inexact (string->number text))))
                (values (if negative? (- value) value) exp-end)))))))))

(define (default-fraction-digits x)
  ;; The fraction digits of X as Scheme writes it, at most 5.
  (let* ((s (number->string (exact->inexact x)))
         (dot (string-index s #\.)))
    (if dot (min 5 (- (string-length s) dot 1)) 0)))

(define* (number->locale-string number #:optional (fraction-digits #t) locale)
  "NUMBER written with the C locale's conventions (no grouping, \".\" as decimal point)."
  (cond
   ((and (eq? fraction-digits #t) (integer? number))
    (number->string (inexact->exact number)))
   (else
    (let* ((x (exact->inexact number))
           (digits (if (eq? fraction-digits #t) (default-fraction-digits x) fraction-digits))
           (whole (truncate x))
           (scale (expt 10 digits))
           (fraction (modulo (inexact->exact (round (* (abs (- x whole)) scale))) scale)))
      (string-append (if (negative? x) "-" "")
                     (number->string (inexact->exact (abs whole)))
                     (if (> digits 0)
                         (string-append "." (string-pad (number->string fraction) digits #\0))
                         ""))))))

;;; ------------------------------------------------------------ names and formats

(define day-names #("Sunday" "Monday" "Tuesday" "Wednesday" "Thursday" "Friday" "Saturday"))
(define month-names #("January" "February" "March" "April" "May" "June" "July" "August"
                      "September" "October" "November" "December"))

(define (locale-day n . locale) (vector-ref day-names (- n 1)))
(define (locale-day-short n . locale) (substring (locale-day n) 0 3))
(define (locale-month n . locale) (vector-ref month-names (- n 1)))
(define (locale-month-short n . locale) (substring (locale-month n) 0 3))
(define (locale-encoding . locale) "ANSI_X3.4-1968")
(define (locale-am-string . locale) "AM")
(define (locale-pm-string . locale) "PM")
(define (locale-date+time-format . locale) "%a %b %e %H:%M:%S %Y")
(define (locale-date-format . locale) "%m/%d/%y")
(define (locale-time-format . locale) "%H:%M:%S")
(define (locale-time+am/pm-format . locale) "%I:%M:%S %p")
(define (locale-era . locale) "")
(define (locale-era-year . locale) "")
(define (locale-era-date-format . locale) "")
(define (locale-era-date+time-format . locale) "")
(define (locale-era-time-format . locale) "")
(define (locale-decimal-point . locale) ".")
(define (locale-thousands-separator . locale) "")
(define (locale-digit-grouping . locale) '())
(define (locale-yes-regexp . locale) "^[yY]")
(define (locale-no-regexp . locale) "^[nN]")

;;; The C locale's monetary conventions, as glibc gives them.
(define (locale-currency-symbol intl? . locale) (if intl? "" "-"))
(define (locale-monetary-decimal-point . locale) "")
(define (locale-monetary-thousands-separator . locale) "")
(define (locale-monetary-grouping . locale) '())
(define (locale-monetary-fractional-digits intl? . locale) -1)
(define (locale-positive-separated-by-space? intl? . locale) #t)
(define (locale-negative-separated-by-space? intl? . locale) #t)
(define (locale-monetary-positive-sign . locale) "")
(define (locale-monetary-negative-sign . locale) "")
(define (locale-currency-symbol-precedes-positive? intl? . locale) #t)
(define (locale-currency-symbol-precedes-negative? intl? . locale) #t)
(define (locale-positive-sign-position intl? . locale) 'unspecified)
(define (locale-negative-sign-position intl? . locale) 'unspecified)
