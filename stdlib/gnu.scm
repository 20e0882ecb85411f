;;; schemy --- The (gnu) umbrella module.
;;;
;;; `(use-modules (gnu))' gives a configuration file the whole system
;;; vocabulary at once: operating-system, user accounts, file systems,
;;; bootloaders, name services, services and the base services, packages
;;; and gexps.  It also provides the shorthands
;;;   (use-service-modules base networking ssh)
;;;   (use-package-modules admin screen)
;;;   (use-system-modules nss)
;;; which import (gnu services base), (gnu packages admin), (gnu system nss)...

(define-module (gnu)
  #:use-module (gnu system)
  #:use-module (gnu system mapped-devices)
  #:use-module (gnu system file-systems)
  #:use-module (gnu system uuid)
  #:use-module (gnu bootloader)
  #:use-module (gnu bootloader grub)
  #:use-module (gnu system keyboard)
  #:use-module (gnu system pam)
  #:use-module (gnu system shadow)
  #:use-module (gnu system linux-initrd)
  #:use-module (gnu system nss)
  #:use-module (gnu services)
  #:use-module (gnu services base)
  #:use-module (gnu services shepherd)
  #:use-module (gnu packages)
  #:use-module (gnu packages base)
  #:use-module (schemy packages)
  #:re-export-modules ((guix gexp))
  #:export (use-package-modules
            use-service-modules
            use-system-modules
            %public-modules))

;;; Re-exporting the public modules.

(define %public-modules
  ;; The modules whose bindings (gnu) makes visible (besides (guix gexp),
  ;; re-exported whole above).
  '((gnu system)
    (gnu system mapped-devices)
    (gnu system file-systems)
    (gnu system uuid)
    (gnu bootloader)
    (gnu bootloader grub)
    (gnu system keyboard)
    (gnu system pam)
    (gnu system shadow)
    (gnu system linux-initrd)
    (gnu system nss)
    (gnu services)
    (gnu services base)
    (gnu services shepherd)
    (gnu packages)
    (gnu packages base)))

(define (module-file module-name)
  (search-path %load-path
               (string-append (string-join (map symbol->string module-name) "/")
                              ".scm")))

(define (declared-exports module-name)
  "The names MODULE-NAME's define-module form exports or re-exports."
  (let* ((file (module-file module-name))
         ;; (call-with-input-file file read), through the parse cache
         (form (and file (%read-first-cached file))))
    (if (and (pair? form) (eq? (car form) 'define-module))
        (let loop ((options (cddr form)) (names '()))
          (cond ((or (null? options) (null? (cdr options))) (reverse names))
                ((memq (car options) '(#:export #:re-export #:export-syntax #:replace))
                 (loop (cddr options)
                       (append (reverse (map (lambda (spec)
                                               (if (pair? spec) (cdr spec) spec))
                                             (cadr options)))
                               names)))
                (else (loop (cddr options) names))))
        ;; A module of the package catalogue has no file: its index says.
        (%catalogue-module-variables module-name))))

;; The names are computed when this form is expanded, so that `re-export'
;; acts on the module being defined here.
(define-syntax re-export-public-modules
  (lambda (x)
    (syntax-case x ()
      ((_)
       #`(re-export
          #,@(map (lambda (name) (datum->syntax x name))
                  (delete-duplicates (append-map declared-exports %public-modules))))))))

(re-export-public-modules)

;;; Module shorthands.

(define-syntax use-package-modules
  (syntax-rules ()
    "Import the (gnu packages NAME) module of each NAME."
    ((_ name ...)
     (use-modules (gnu packages name) ...))))

(define-syntax use-service-modules
  (syntax-rules ()
    "Import the (gnu services NAME) module of each NAME."
    ((_ name ...)
     (use-modules (gnu services name) ...))))

(define-syntax use-system-modules
  (syntax-rules ()
    "Import the (gnu system NAME) module of each NAME."
    ((_ name ...)
     (use-modules (gnu system name) ...))))
