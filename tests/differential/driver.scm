;;; Differential harness, Guile side: read (NAME . SOURCE) pairs from the file named on
;;; the command line, load each SOURCE as a script (through a temporary file, so that
;;; define-module and use-modules behave as in a script) in a fresh user module, and write
;;; one line per program: (NAME OUTPUT ERROR?), OUTPUT being what it printed before any error.

(define (run-program source)
  (let* ((port (mkstemp! (string-copy "/tmp/schemy-differential-XXXXXX")))
         (file (port-filename port))
         (out (open-output-string))
         (module (make-fresh-user-module)))
    (display source port)
    (close-port port)
    (let ((failed (catch #t
                    (lambda ()
                      (with-output-to-port out
                        (lambda ()
                          (save-module-excursion
                           (lambda ()
                             (set-current-module module)
                             (primitive-load file)))))
                      #f)
                    (lambda (key . args) #t))))
      (delete-file file)
      (list (get-output-string out) failed))))

(define programs (call-with-input-file (cadr (command-line)) read))

(for-each (lambda (program)
            (write (cons (car program) (run-program (cdr program))))
            (newline))
          programs)
