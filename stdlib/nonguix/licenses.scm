;;; schemy --- (nonguix licenses): the licenses nonguix's packages name that
;;; are not free software.

(define-module (nonguix licenses)
  #:use-module (guix licenses)
  #:export (nonfree
            undistributable))

(define make-license (@@ (guix licenses) license))

(define* (nonfree uri #:optional (comment ""))
  "A license that is not free; its text is at URI."
  (make-license "Nonfree" uri comment))

(define* (undistributable uri #:optional (comment ""))
  "A license that is not free and forbids redistributing what was built; its
text is at URI."
  (make-license "Nonfree Undistributable" uri comment))
