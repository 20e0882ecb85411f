;;; schemy --- (guix platform): the systems and cross-compilation targets
;;; Guix knows, each a `platform' record defined in a (guix platforms NAME)
;;; module (derived from Guix by tools/derive_platforms.py).

(define-module (guix platform)
  #:use-module (guix records)
  #:use-module (srfi srfi-1)
  #:use-module (srfi srfi-34)
  #:use-module (srfi srfi-35)
  #:export (platform
            platform?
            platform-target
            platform-system
            platform-linux-architecture
            platform-rust-target
            platform-glibc-dynamic-linker

            &platform-not-found-error
            platform-not-found-error?
            false-if-platform-not-found

            platform-modules
            platforms
            lookup-platform-by-system
            lookup-platform-by-target
            lookup-platform-by-target-or-system
            platform-system->target
            platform-target->system

            systems
            targets))

(define-record-type* <platform> platform make-platform
  platform?
  (target               platform-target)
  (system               platform-system)
  (linux-architecture   platform-linux-architecture (default #f))
  (rust-target          platform-rust-target (default #f))
  (glibc-dynamic-linker platform-glibc-dynamic-linker))

(define-condition-type &platform-not-found-error &error
  platform-not-found-error?
  (target-or-system platform-not-found-error-target-or-system))

(define (not-found target-or-system)
  (raise (make-condition &platform-not-found-error 'target-or-system target-or-system)))

(define-syntax-rule (false-if-platform-not-found exp)
  (guard (c ((platform-not-found-error? c) #f))
    exp))

;;; BEGIN derived platform modules
(define %platform-module-names
  '((guix platforms arm)
    (guix platforms avr)
    (guix platforms loongarch)
    (guix platforms mips)
    (guix platforms or1k)
    (guix platforms powerpc)
    (guix platforms riscv)
    (guix platforms x86)
    (guix platforms xtensa)))
;;; END derived platform modules

(define (platform-modules)
  "The modules that define platforms."
  (map resolve-interface %platform-module-names))

(define %platforms #f)

(define (platforms)
  "Every platform the platform modules export."
  (unless %platforms
    (set! %platforms
      (append-map (lambda (module)
                    (filter platform?
                            (map (lambda (name) (module-ref module name))
                                 (module-map (lambda (name var) name) module))))
                  (platform-modules))))
  %platforms)

(define (lookup-platform-by-system system)
  "The platform of SYSTEM (\"x86_64-linux\"); a &platform-not-found-error if none."
  (or (find (lambda (p) (equal? (platform-system p) system)) (platforms))
      (not-found system)))

(define (lookup-platform-by-target target)
  "The platform of TARGET (\"aarch64-linux-gnu\"); a &platform-not-found-error if none."
  (or (find (lambda (p) (equal? (platform-target p) target)) (platforms))
      (not-found target)))

(define (lookup-platform-by-target-or-system target-or-system)
  (or (false-if-platform-not-found (lookup-platform-by-target target-or-system))
      (false-if-platform-not-found (lookup-platform-by-system target-or-system))
      (not-found target-or-system)))

(define (platform-system->target system)
  (platform-target (lookup-platform-by-system system)))

(define (platform-target->system target)
  (platform-system (lookup-platform-by-target target)))

(define (systems)
  "The systems Guix supports."
  (delete-duplicates (filter-map platform-system (platforms))))

(define (targets)
  "The cross-compilation targets Guix supports."
  (map platform-target (platforms)))
