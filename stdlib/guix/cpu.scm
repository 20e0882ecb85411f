;;; schemy --- The host's CPU, as Guix's (guix cpu) describes it.
;;;
;;; current-cpu reads /proc/cpuinfo once: the architecture (uname's machine),
;;; the vendor, family and model (x86) or implementer and part (ARM), and the
;;; CPU's flags.  Guix's mapping of a CPU to GCC's -march names is not here
;;; (schemy compiles nothing): a config calling it gets an unbound-variable
;;; error naming this module.

(define-module (guix cpu)
  #:use-module (srfi srfi-1)
  #:use-module (srfi srfi-9)
  #:use-module (ice-9 rdelim)
  #:export (current-cpu
            cpu?
            cpu-architecture
            cpu-vendor
            cpu-family
            cpu-model
            cpu-flags))

(define-record-type <cpu>
  (cpu architecture vendor family model flags)
  cpu?
  (architecture cpu-architecture)      ;string, from uname
  (vendor       cpu-vendor)            ;string or #f
  (family       cpu-family)            ;integer or #f
  (model        cpu-model)             ;integer or #f
  (flags        cpu-flags))            ;list of strings

(define (field line)
  ;; The value after the first colon of a /proc/cpuinfo line, as tokens.
  (let ((colon (string-index line #\:)))
    (if colon (string-tokenize (substring line (+ colon 1))) '())))

(define (read-cpu port)
  (let loop ((vendor #f) (family #f) (model #f) (flags '()))
    (let ((line (read-line port)))
      (define (starts? prefix) (string-prefix? prefix line))
      (cond ((eof-object? line)
             (cpu (utsname:machine (uname)) vendor family model flags))
            ((or (starts? "vendor_id") (starts? "CPU implementer"))
             (loop (if (pair? (field line)) (car (field line)) vendor) family model flags))
            ((starts? "cpu family")
             (loop vendor (and (pair? (field line)) (string->number (car (field line)))) model flags))
            ((and (starts? "model") (not (starts? "model name")))
             (loop vendor family (and (pair? (field line)) (string->number (car (field line)))) flags))
            ((starts? "CPU part")
             (let ((part (and (pair? (field line)) (car (field line)))))
               (loop vendor family
                     (and part (string-prefix? "0x" part) (string->number (string-drop part 2) 16))
                     flags)))
            ((or (starts? "flags") (starts? "Features"))
             (loop vendor family model (delete-duplicates (field line))))
            (else (loop vendor family model flags))))))

(define %current-cpu #f)

(define (current-cpu)
  "The host's CPU, read from /proc/cpuinfo (once)."
  (or %current-cpu
      (begin
        (set! %current-cpu (call-with-input-file "/proc/cpuinfo" read-cpu))
        %current-cpu)))
