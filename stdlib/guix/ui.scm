;;; schemy --- (guix ui): the parts of Guix's user interface module that
;;; configurations and their helpers use: messages, hints, number parsing.

(define-module (guix ui)
  #:use-module (guix i18n)
  #:use-module (guix diagnostics)
  #:re-export (G_ N_ P_
               warning info report-error leave
               location location? location-file location-line location-column
               source-properties->location location->string
               formatted-message formatted-message? error-location? fix-hint?
               guix-warning-port program-name)
  #:export (display-hint
            string->number*
            size->number
            number->size
            indented-string
            fill-paragraph
            %text-width
            with-error-handling
            call-with-error-handling
            leave-on-EPIPE
            %default-message-language
            current-message-language))

(define %text-width (make-parameter 80))
(define %default-message-language "en")
(define (current-message-language) %default-message-language)

(define* (display-hint message #:optional (port (current-error-port)))
  "Show MESSAGE as a hint."
  (format port "hint: ~a~%" message))

(define (string->number* str)
  "STR as a number; leave with an error when it is not one."
  (or (string->number str)
      (leave (G_ "~a: invalid number~%") str)))

(define (size->number str)
  "The number of bytes that STR (\"10\", \"1.5GiB\", \"2MB\", \"3K\"...) says."
  (let* ((unit-start (let loop ((i 0))
                       (if (and (< i (string-length str))
                                (or (char-numeric? (string-ref str i))
                                    (memv (string-ref str i) '(#\. #\-))))
                           (loop (+ i 1))
                           i)))
         (number (string->number (substring str 0 unit-start)))
         (unit (substring str unit-start))
         (factor (assoc-ref '(("" . 1) ("B" . 1)
                              ("K" . 1024) ("KiB" . 1024) ("KB" . 1000) ("kB" . 1000)
                              ("M" . 1048576) ("MiB" . 1048576) ("MB" . 1000000)
                              ("G" . 1073741824) ("GiB" . 1073741824) ("GB" . 1000000000)
                              ("T" . 1099511627776) ("TiB" . 1099511627776) ("TB" . 1000000000000))
                            unit)))
    (if (and number factor)
        (inexact->exact (round (* number factor)))
        (leave (G_ "invalid number: ~a~%") str))))

(define (number->size size)
  "SIZE, a number of bytes, as a human-readable string."
  (let loop ((size (exact->inexact size)) (units '("B" "KiB" "MiB" "GiB" "TiB")))
    (if (and (>= size 1024) (pair? (cdr units)))
        (loop (/ size 1024) (cdr units))
        (format #f "~,1f ~a" size (car units)))))

(define* (indented-string str indent #:key (initial-indent? #t))
  "STR with each line indented by INDENT spaces."
  (let ((pad (make-string indent #\space)))
    (string-append (if initial-indent? pad "")
                   (string-join (string-split str #\newline) (string-append "\n" pad)))))

(define* (fill-paragraph str width #:optional (column 0))
  "STR with its words wrapped so that no line is wider than WIDTH."
  (let loop ((words (filter (lambda (w) (not (string-null? w)))
                            (string-split str #\space)))
             (line-length column) (out '()))
    (cond ((null? words) (string-concatenate-reverse out))
          ((and (> line-length 0) (> (+ line-length 1 (string-length (car words))) width))
           (loop (cdr words) (string-length (car words)) (cons* (car words) "\n" out)))
          (else
           (loop (cdr words)
                 (+ line-length (if (null? out) 0 1) (string-length (car words)))
                 (if (null? out) (list (car words)) (cons* (car words) " " out)))))))

(define (call-with-error-handling thunk)
  "Call THUNK; schemy reports its errors itself."
  (thunk))

(define-syntax-rule (with-error-handling body ...)
  (call-with-error-handling (lambda () body ...)))

(define (leave-on-EPIPE thunk)
  (thunk))
