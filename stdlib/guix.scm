;;; schemy --- The (guix) umbrella module: the Guix API a configuration most
;;; often needs, at once.

(define-module (guix)
  #:re-export-modules ((guix gexp) (guix packages) (guix utils) (guix channels)
                       (guix download) (guix git-download)))
