;;; Differential harness, Guile side: read (NAME . SOURCE) pairs from the file named on
;;; the command line, run each SOURCE form by form in a fresh user module, and write one
;;; line per program: (NAME OUTPUT ERROR?), OUTPUT being what it printed before any error.

(define (run-program source)
  (let ((in (open-input-string source))
        (out (open-output-string))
        (module (make-fresh-user-module)))
    (let ((failed (catch #t
                    (lambda ()
                      (with-output-to-port out
                        (lambda ()
                          (save-module-excursion
                           (lambda ()
                             (set-current-module module)
                             (let loop ()
                               (let ((form (read in)))
                                 (unless (eof-object? form)
                                   (eval form module)
                                   (loop))))))))
                      #f)
                    (lambda (key . args) #t))))
      (list (get-output-string out) failed))))

(define programs (call-with-input-file (cadr (command-line)) read))

(for-each (lambda (program)
            (write (cons (car program) (run-program (cdr program))))
            (newline))
          programs)
