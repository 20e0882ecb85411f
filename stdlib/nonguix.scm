;;; schemy --- The (nonguix) umbrella module: nonguix's transformations, its
;;; kernel packages and its initrd, at once.

(define-module (nonguix)
  #:re-export-modules ((nonguix transformations)
                       (nongnu packages linux)
                       (nongnu system linux-initrd)))
