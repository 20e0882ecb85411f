;;; schemy --- (srfi srfi-38): external representation of shared and cyclic data, over the
;;; core's write-shared and its reader's datum labels.

(define-module (srfi srfi-38)
  #:export (write-with-shared-structure read-with-shared-structure))

(define* (write-with-shared-structure obj #:optional (port (current-output-port)) optarg)
  "Write OBJ to PORT with #N= labels for every part that occurs more than once."
  (write-shared obj port))

(define* (read-with-shared-structure #:optional (port (current-input-port)))
  "Read a datum from PORT, #N= and #N# building shared and cyclic structure."
  (read port))
