;;; Record libvirtd.conf and virtlogd.conf as Guix's own serializer writes them.
;;;
;;; Usage (from the repository root, once; the output is committed as test data):
;;;   git -C GUIX show 285f0862d86:gnu/services/virtualization.scm > /tmp/virtualization.scm
;;;   guile tools/record_guix_libvirt_conf.scm /tmp/virtualization.scm tests/data/guix-libvirt
;;;
;;; Guix's module cannot be loaded as a whole outside a Guix tree (it needs
;;; the package graph, G-expressions, images...).  This script reads it as
;;; data and evaluates, unchanged, the forms that make the two files: the
;;; serialize-* procedures and their helpers, the field list of
;;; `libvirt-configuration' and the virtlog record with `virtlogd-conf-file'.
;;; Only the machinery they use from other modules is a shim written here:
;;; `define-configuration' (fields, defaults and the serializer lookup of
;;; serialize-TYPE, file-like fields being left out as Guix's empty
;;; serializer does), `serialize-configuration', `define-record-type*',
;;; `plain-file' and `gethostname' (fixed, so that the files do not depend on
;;; the machine recording them).

(use-modules (ice-9 match) (srfi srfi-1))

(define guix-file (cadr (command-line)))
(define output-directory (caddr (command-line)))

;; Guix's file uses G-expression syntax; read it as plain data.
(read-hash-extend #\~ (lambda (c port) (list 'gexp (read port))))
(for-each (lambda (ch)
            (read-hash-extend ch
                              (lambda (c port)
                                (if (eqv? (peek-char port) #\@)
                                    (begin (read-char port)
                                           (list 'ungexp-splicing (read port)))
                                    (list 'ungexp (read port))))))
          '(#\$ #\+))

(define forms
  (call-with-input-file guix-file
    (lambda (port)
      (let loop ((acc '()))
        (let ((form (read port)))
          (if (eof-object? form) (reverse acc) (loop (cons form acc))))))))

(define (defined-name form)
  (match form
    (((or 'define 'define* 'define-configuration 'define-record-type*) (name . _) . _) name)
    (((or 'define 'define* 'define-configuration 'define-record-type*) name . _) name)
    (_ #f)))

(define wanted
  ;; What Guix's two files are made of, in the order of Guix's source.
  '(uglify-field-name quote-val serialize-field serialize-string serialize-boolean
    serialize-integer build-opt-list optional-list? optional-string? serialize-list
    serialize-optional-list serialize-optional-string libvirt-configuration
    <virtlog-configuration> virtlogd-conf-file))

(define picked
  (filter (lambda (form) (memq (defined-name form) wanted)) forms))

(unless (= (length picked) (length wanted))
  (error "not every form was found" (map defined-name picked)))

;;; The sandbox: a fresh module holding the shims, then Guix's forms.

(define sandbox (make-fresh-user-module))

(eval
 '(begin
    (use-modules (ice-9 match) (srfi srfi-1))

    (define (gethostname) "guix-oracle-host")
    ;; Package variables named by the defaults; never serialized.
    (define libvirt 'libvirt-package)
    (define qemu 'qemu-package)

    (define (plain-file name content) content)

    ;; (gnu services configuration) shim: a configuration is an alist of
    ;; field values; NAME-fields lists (field type default-thunk).
    (define-syntax define-configuration
      (lambda (s)
        (syntax-case s ()
          ((_ stem (field (type default) doc) ...)
           (with-syntax ((fields (datum->syntax
                                  #'stem
                                  (symbol-append (syntax->datum #'stem) '-fields))))
             #'(define fields
                 (list (list 'field 'type (lambda () default)) ...)))))))

    (define (empty-serializer field-name value) "")
    (define serialize-file-like empty-serializer)

    (define (make-configuration fields overrides)
      (map (match-lambda
             ((name type default)
              (cons name (match (assq name overrides)
                           ((_ . value) value)
                           (#f (default))))))
           fields))

    (define (serialize-configuration config fields)
      ;; As Guix: call serialize-TYPE on each field; its output is the file.
      (for-each (match-lambda
                  ((name type _)
                   ((module-ref (current-module)
                                (symbol-append 'serialize- type))
                    name (assq-ref config name))))
                fields))

    ;; (guix records) shim, enough for the virtlog record.
    (define-syntax define-record-type*
      (lambda (s)
        (syntax-case s (default)
          ((_ type constructor make predicate (field getter (default value)) ...)
           #'(begin
               (define (make overrides)
                 (map (lambda (name default)
                        (cons name (match (assq name overrides)
                                     ((_ . v) v)
                                     (#f (default)))))
                      '(field ...)
                      (list (lambda () value) ...)))
               (define (getter config) (assq-ref config 'field)) ...))))))
 sandbox)

(for-each (lambda (form) (eval form sandbox)) picked)

(define (libvirtd.conf overrides)
  (eval `(with-output-to-string
           (lambda ()
             (serialize-configuration
              (make-configuration libvirt-configuration-fields ',overrides)
              libvirt-configuration-fields)))
        sandbox))

(define (virtlogd.conf overrides)
  (eval `(virtlogd-conf-file (make-virtlog-configuration ',overrides)) sandbox))

(define cases
  (call-with-input-file (string-append output-directory "/cases.scm") read))

(for-each
 (match-lambda
   ((name kind overrides)
    (let ((text (match kind
                  ('libvirt (libvirtd.conf overrides))
                  ('virtlog (virtlogd.conf overrides)))))
      (call-with-output-file (string-append output-directory "/" name ".conf")
        (lambda (port) (display text port)))
      (format #t "~a: ~a lines~%" name (length (string-split (string-trim-right text) #\newline))))))
 cases)
