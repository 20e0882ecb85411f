;;; schemy --- Procedures of (nongnu packages linux) that configs call; loaded
;;; into the catalogue module.  schemy builds no kernel: a "corrupted" kernel
;;; is the base kernel package under its new name, with what would configure
;;; it recorded in its properties.

(use-modules ((guix utils) #:select (version>=?)) ((srfi srfi-1) #:select (filter-map)))

(define %extra-linux-options
  ;; nonguix's table, derived from its source (tools/derive_nonguix_linux_options.py).
  (call-with-input-file (search-path %load-path "nongnu/packages/extra-linux-options.sexp")
    read))

(define-public (nonguix-extra-linux-options linux-or-version)
  "The kernel options nonguix adds to a kernel of LINUX-OR-VERSION (a package or
a version string): those whose minimal version it reaches, in nonguix's order."
  (let ((version (if (package? linux-or-version)
                     (package-version linux-or-version)
                     linux-or-version)))
    (filter-map (lambda (entry)
                  (and (version>=? version (car entry)) (cdr entry)))
                %extra-linux-options)))

(define* (corrupt-linux freedo #:key (name "linux") (configs "")
                        (defconfig "nonguix_defconfig")
                        (get-extra-configs nonguix-extra-linux-options)
                        modconfig)
  "FREEDO (a linux-libre package) as nonguix's kernel called NAME, at FREEDO's
version, with the options it would be configured with (DEFCONFIG, CONFIGS and
GET-EXTRA-CONFIGS's for its version) in its properties; nothing is built."
  (package
    (inherit freedo)
    (name name)
    (properties `((corrupted-from . ,(package-name freedo))
                  (defconfig . ,defconfig)
                  (configs . ,(append (if (string? configs)
                                          (if (string-null? configs) '() (list configs))
                                          configs)
                                      (get-extra-configs (package-version freedo))))
                  ,@(if modconfig `((modconfig . ,modconfig)) '())
                  ,@(package-properties freedo)))))

(export corrupt-linux)
