;;; schemy --- nonguix's initial RAM disk with CPU microcode: (nongnu system
;;; linux-initrd).  Like base-initrd, it is only described, never built, on a
;;; foreign host; the microcode packages are recorded in the description.

(define-module (nongnu system linux-initrd)
  #:use-module (gnu system linux-initrd)
  #:use-module ((nongnu packages linux) #:select (amd-microcode intel-microcode))
  #:export (microcode-initrd
            combined-initrd))

(define* (microcode-initrd file-systems
                           #:key
                           (initrd base-initrd)
                           (microcode-packages (list amd-microcode intel-microcode))
                           #:allow-other-keys
                           #:rest rest)
  "An initrd that loads MICROCODE-PACKAGES (CPU microcode updates) before
INITRD, itself called with FILE-SYSTEMS and the other keyword arguments."
  (let loop ((args rest) (kept '()))
    (cond ((null? args)
           (list 'microcode-initrd
                 (cons 'microcode microcode-packages)
                 (cons 'initrd (apply initrd file-systems (reverse kept)))))
          ((and (memq (car args) '(#:initrd #:microcode-packages)) (pair? (cdr args)))
           (loop (cddr args) kept))
          ((pair? (cdr args))
           (loop (cddr args) (cons (cadr args) (cons (car args) kept))))
          (else (loop (cdr args) kept)))))

(define (combined-initrd . initrds)
  "An initrd made of INITRDS, one after the other."
  (cons 'combined-initrd initrds))
