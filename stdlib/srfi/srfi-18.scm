;;; schemy --- (srfi srfi-18): SRFI 18's threads API on schemy, which runs Scheme on a single
;;; thread.  The primordial thread, mutexes, condition variables and time work; anything that
;;; needs a second thread (thread-start!, blocking on a mutex this thread holds, waiting on a
;;; condition variable) raises an error saying so rather than pretending.

(define-module (srfi srfi-18)
  #:use-module (srfi srfi-9)
  #:export (current-thread thread? make-thread thread-name thread-specific
            thread-specific-set! thread-start! thread-yield! thread-sleep! thread-terminate!
            thread-join! mutex? make-mutex mutex-name mutex-specific mutex-specific-set!
            mutex-state mutex-lock! mutex-unlock! condition-variable? make-condition-variable
            condition-variable-name condition-variable-specific
            condition-variable-specific-set! condition-variable-signal!
            condition-variable-broadcast! current-time time? time->seconds seconds->time
            current-exception-handler
            join-timeout-exception? abandoned-mutex-exception? terminated-thread-exception?
            uncaught-exception? uncaught-exception-reason)
  #:re-export (with-exception-handler raise))

(define (no-threads who)
  (error (string-append (symbol->string who)
                        ": schemy runs Scheme on a single thread; it cannot start or wait for another")))

;;; ------------------------------------------------------------ threads

(define-record-type <thread>
  (%make-thread thunk name specific)
  thread?
  (thunk thread-thunk)
  (name thread-name)
  (specific thread-specific thread-specific-set!))

(define primordial (%make-thread #f #f #f))

(define (current-thread) primordial)

(define* (make-thread thunk #:optional name)
  (%make-thread thunk name #f))

(define (thread-start! thread) (no-threads 'thread-start!))
(define* (thread-join! thread #:optional timeout timeout-val) (no-threads 'thread-join!))

(define (thread-terminate! thread)
  (if (eq? thread primordial) (exit 0) (no-threads 'thread-terminate!)))

(define (thread-yield!) *unspecified*)

(define (thread-sleep! timeout)
  (let ((seconds (if (time? timeout) (- (time->seconds timeout) (time->seconds (current-time)))
                     timeout)))
    (when (> seconds 0) (usleep (inexact->exact (round (* seconds 1000000)))))))

;;; ------------------------------------------------------------ mutexes

(define-record-type <mutex>
  (%make-mutex name specific owner)
  mutex?
  (name mutex-name)
  (specific mutex-specific mutex-specific-set!)
  (owner mutex-owner set-mutex-owner!))

(define* (make-mutex #:optional name)
  (%make-mutex name #f #f))

(define (mutex-state mutex)
  (or (mutex-owner mutex) 'not-abandoned))

(define* (mutex-lock! mutex #:optional timeout (thread (current-thread)))
  (when (mutex-owner mutex) (no-threads 'mutex-lock!))
  (set-mutex-owner! mutex thread)
  #t)

(define* (mutex-unlock! mutex #:optional condition-variable timeout)
  (set-mutex-owner! mutex #f)
  (if condition-variable (no-threads 'mutex-unlock!) #t))

;;; ------------------------------------------------------------ condition variables

(define-record-type <condition-variable>
  (%make-condition-variable name specific)
  condition-variable?
  (name condition-variable-name)
  (specific condition-variable-specific condition-variable-specific-set!))

(define* (make-condition-variable #:optional name)
  (%make-condition-variable name #f))

;; No other thread can be waiting: signalling wakes nobody.
(define (condition-variable-signal! cv) *unspecified*)
(define (condition-variable-broadcast! cv) *unspecified*)

;;; ------------------------------------------------------------ time

(define-record-type <time>
  (%make-time seconds)
  time?
  (seconds time->seconds))

(define (current-time)
  (let ((now (gettimeofday)))
    (%make-time (+ (car now) (/ (cdr now) 1000000)))))

(define (seconds->time seconds)
  (%make-time seconds))

;;; ------------------------------------------------------------ exceptions

(define (current-exception-handler)
  (lambda (obj) (raise obj)))

;; No thread is ever joined or abandoned, so none of these conditions arises.
(define (join-timeout-exception? obj) #f)
(define (abandoned-mutex-exception? obj) #f)
(define (terminated-thread-exception? obj) #f)
(define (uncaught-exception? obj) #f)
(define (uncaught-exception-reason obj)
  (error "uncaught-exception-reason: not an uncaught-exception" obj))
