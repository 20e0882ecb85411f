;;; schemy --- (guix utils): the helpers configurations use from it.

(define-module (guix utils)
  #:use-module (srfi srfi-1)
  #:export (%current-system
            %current-target-system
            target-x86-64?
            target-x86-32?
            target-x86?
            target-aarch64?
            target-arm?
            target-riscv64?
            target-linux?
            target-hurd?
            version-major+minor
            version-major+minor+point
            version-major
            version>?
            version>=?
            version-prefix?
            string-replace-substring
            substitute-keyword-arguments
            current-source-directory
            gnu-triplet->nix-system
            nix-system->gnu-triplet))

(define %current-system (make-parameter "x86_64-linux"))
(define %current-target-system (make-parameter #f))

(define* (target-system-prefix? prefix #:optional
                                (target (or (%current-target-system) (%current-system))))
  (string-prefix? prefix target))

(define* (target-x86-64? #:optional (t (or (%current-target-system) (%current-system))))
  (string-prefix? "x86_64-" t))
(define* (target-x86-32? #:optional (t (or (%current-target-system) (%current-system))))
  (or (string-prefix? "i686-" t) (string-prefix? "i586-" t)))
(define* (target-x86? #:optional (t (or (%current-target-system) (%current-system))))
  (or (target-x86-64? t) (target-x86-32? t)))
(define* (target-aarch64? #:optional (t (or (%current-target-system) (%current-system))))
  (string-prefix? "aarch64-" t))
(define* (target-arm? #:optional (t (or (%current-target-system) (%current-system))))
  (or (target-aarch64? t) (string-prefix? "arm" t)))
(define* (target-riscv64? #:optional (t (or (%current-target-system) (%current-system))))
  (string-prefix? "riscv64-" t))
(define* (target-linux? #:optional (t (or (%current-target-system) (%current-system))))
  (string-contains t "linux"))
(define* (target-hurd? #:optional (t (or (%current-target-system) (%current-system))))
  ;; GNU/Hurd: "-gnu" systems whose kernel is not Linux (x86_64-linux-gnu is not one).
  (and (string-suffix? "-gnu" t) (not (string-contains t "linux"))))

(define (version-components v)
  (map (lambda (s) (or (string->number s) s)) (string-split v #\.)))

(define (version-major+minor v)
  (string-join (take (string-split v #\.) (min 2 (length (string-split v #\.)))) "."))
(define (version-major+minor+point v)
  (string-join (take (string-split v #\.) (min 3 (length (string-split v #\.)))) "."))
(define (version-major v)
  (car (string-split v #\.)))

(define (version-compare a b)
  (let loop ((a (version-components a)) (b (version-components b)))
    (cond ((and (null? a) (null? b)) '=)
          ((null? a) '<)
          ((null? b) '>)
          ((and (number? (car a)) (number? (car b)))
           (cond ((< (car a) (car b)) '<) ((> (car a) (car b)) '>) (else (loop (cdr a) (cdr b)))))
          (else
           (let ((x (format #f "~a" (car a))) (y (format #f "~a" (car b))))
             (cond ((string<? x y) '<) ((string>? x y) '>) (else (loop (cdr a) (cdr b)))))))))

(define (version>? a b) (eq? (version-compare a b) '>))
(define (version>=? a b) (not (eq? (version-compare a b) '<)))
(define (version-prefix? prefix v)
  (let ((p (string-split prefix #\.)) (w (string-split v #\.)))
    (and (<= (length p) (length w)) (equal? p (take w (length p))))))

(define (string-replace-substring str substr replacement)
  "STR with every occurrence of SUBSTR replaced by REPLACEMENT."
  (let ((n (string-length substr)))
    (let loop ((start 0) (acc '()))
      (let ((i (string-contains str substr start)))
        (if (and i (> n 0))
            (loop (+ i n) (cons* replacement (substring str start i) acc))
            (string-concatenate-reverse (cons (substring str start) acc)))))))

(define (%keyword-arguments-with-defaults args defaults)
  ;; ARGS with each keyword/value pair of DEFAULTS that ARGS lacks put in front.
  (let loop ((defaults defaults) (args args))
    (if (and (pair? defaults) (pair? (cdr defaults)))
        (loop (cddr defaults)
              (if (memq (car defaults) args)
                  args
                  (cons* (car defaults) (cadr defaults) args)))
        args)))

(define-syntax %keyword-default
  ;; (kw var) gives no default, (kw var dflt) the pair kw dflt.
  (syntax-rules ()
    ((_ kw var) '())
    ((_ kw var dflt) (list kw dflt))))

(define-syntax substitute-keyword-arguments
  (syntax-rules ()
    "Return ORIGINAL-ARGS, a keyword/value list, where the value of each
((KW VAR [DEFAULT]) EXP) clause's keyword is EXP, evaluated with VAR bound to
the keyword's previous value (or DEFAULT, when given and KW is absent; with no
DEFAULT an absent KW stays absent)."
    ((_ original-args ((kw var dflt ...) exp) ...)
     (let loop ((args (%keyword-arguments-with-defaults
                       original-args
                       (append (%keyword-default kw var dflt ...) ...)))
                (before '()))
       (cond ((null? args) (reverse before))
             ((and (eq? (car args) kw) (pair? (cdr args)))
              (let ((var (cadr args)))
                (loop (cddr args) (cons* exp kw before))))
             ...
             (else (loop (cdr args) (cons (car args) before))))))))

(define-syntax current-source-directory
  (lambda (s)
    (syntax-case s ()
      ((_)
       (let* ((props (syntax-source s))
              (file (and props (assq-ref props 'filename))))
         (if file (dirname file) #f))))))

(define (gnu-triplet->nix-system triplet)
  "The Nix system type of the GNU TRIPLET: \"x86_64-linux-gnu\" -> \"x86_64-linux\"."
  (let* ((parts (string-split triplet #\-))
         (cpu (car parts)))
    (cond ((string-contains triplet "linux") (string-append cpu "-linux"))
          ((string-contains triplet "gnu") (string-append cpu "-gnu"))
          (else triplet))))

(define* (nix-system->gnu-triplet #:optional (system (%current-system)) (vendor "unknown"))
  "The GNU triplet of the Nix SYSTEM: \"x86_64-linux\" -> \"x86_64-unknown-linux-gnu\"."
  (let* ((dash (string-index system #\-))
         (cpu (substring system 0 dash))
         (kernel (substring system (+ dash 1))))
    (string-append cpu "-" vendor "-" (if (string=? kernel "gnu") "gnu" (string-append kernel "-gnu")))))

;;; The other system predicates of Guix's (guix utils): by the prefix or suffix
;;; of a system or GNU triplet, as Guix tells them apart.

(define (%system) (or (%current-target-system) (%current-system)))

(define* (target-x32? #:optional (t (%system)))
  (and (target-x86-64? t) (string-suffix? "gnux32" t)))
(define* (target-arm32? #:optional (t (%system))) (string-prefix? "arm" t))
(define* (target-avr? #:optional (t (%current-target-system)))
  (and t (or (string=? t "avr") (string-prefix? "avr-" t))))
(define* (target-bpf? #:optional (t (%current-target-system)))
  (and t (or (string=? t "bpf") (string-prefix? "bpf-" t))))
(define* (target-loongarch64? #:optional (t (%system))) (string-prefix? "loongarch64-" t))
(define* (target-ppc32? #:optional (t (%system))) (string-prefix? "powerpc-" t))
(define* (target-ppc64le? #:optional (t (%system))) (string-prefix? "powerpc64le-" t))
(define* (target-powerpc? #:optional (t (%system))) (string-prefix? "powerpc" t))
(define* (target-mips64el? #:optional (t (%system))) (string-prefix? "mips64el-" t))
(define* (target-mingw? #:optional (t (%current-target-system)))
  (and t (string-suffix? "-mingw32" t)))
(define* (target-64bit? #:optional (t (%system)))
  (any (lambda (prefix) (string-prefix? prefix t))
       '("x86_64" "aarch64" "mips64" "powerpc64" "riscv64" "loongarch64")))
(define* (target-32bit? #:optional (t (%system))) (not (target-64bit? t)))
(define* (target-little-endian? #:optional (t (%system))) (not (target-ppc32? t)))
(define* (target-hurd32? #:optional (t (%system))) (and (target-hurd? t) (target-32bit? t)))
(define* (target-hurd64? #:optional (t (%system))) (and (target-hurd? t) (target-64bit? t)))
(define (system-hurd?) (and=> (%current-system) target-hurd?))
(define (system-hurd64?) (and (system-hurd?) (target-64bit? (%current-system))))
(define (host-hurd?) (equal? (utsname:sysname (uname)) "GNU"))
(define (host-x86-64?) (equal? (utsname:machine (uname)) "x86_64"))
(define (host-hurd64?) (and (host-hurd?) (host-x86-64?)))

(export target-x32? target-arm32? target-avr? target-bpf? target-loongarch64? target-ppc32?
        target-ppc64le? target-powerpc? target-mips64el? target-mingw? target-64bit? target-32bit?
        target-little-endian? target-hurd32? target-hurd64? system-hurd? system-hurd64?
        host-hurd? host-x86-64? host-hurd64?)

;;; File names, versions and keyword argument lists, as Guix's (guix utils)
;;; computes them.

(define (file-extension file)
  "The part of FILE after its last dot, or #f."
  (let ((dot (string-rindex file #\.)))
    (and dot (substring file (+ dot 1)))))

(define (file-sans-extension file)
  "FILE without the part from its last dot."
  (let ((dot (string-rindex file #\.)))
    (if dot (substring file 0 dot) file)))

(define (tarball-sans-extension tarball)
  "TARBALL up to its .tar, .tgz or .zip extension."
  (substring tarball 0 (or (string-contains tarball ".tar")
                           (string-contains tarball ".tgz")
                           (string-contains tarball ".zip"))))

(define (compressed-file? file)
  (and (member (file-extension file)
               '("gz" "bz2" "xz" "lz" "lzma" "tgz" "tbz2" "tzst" "zip" "zst"))
       #t))

(define (version-prefix version count)
  "The first COUNT dot-separated parts of VERSION."
  (string-join (take (string-split version #\.) count) "."))

(define (version-unique-prefix version versions)
  "The shortest prefix of VERSION, in whole parts, that no other of VERSIONS has."
  (let ((parts (string-split version #\.))
        (others (delete version versions)))
    (let loop ((n 0))
      (let ((prefix (string-join (take parts n) ".")))
        (if (or (= n (length parts))
                (not (any (lambda (v)
                            (let ((vparts (string-split v #\.)))
                              (and (>= (length vparts) n)
                                   (equal? (take vparts n) (take parts n)))))
                          others)))
            prefix
            (loop (+ n 1)))))))

(define* (package-name->name+version spec #:optional (delimiter #\@))
  "The name and the version (#f when none) of SPEC, \"name@version\"."
  (let ((at (string-rindex spec delimiter)))
    (if at
        (values (substring spec 0 at) (substring spec (+ at 1)))
        (values spec #f))))

(define (strip-keyword-arguments keywords args)
  "ARGS without the keyword arguments whose keyword is in KEYWORDS."
  (let loop ((args args) (out '()))
    (cond ((null? args) (reverse out))
          ((and (keyword? (car args)) (pair? (cdr args)))
           (loop (cddr args)
                 (if (memq (car args) keywords) out (cons* (cadr args) (car args) out))))
          (else (loop (cdr args) (cons (car args) out))))))

(define (default-keyword-arguments args defaults)
  "ARGS plus each keyword/value of DEFAULTS whose keyword ARGS lacks (in front)."
  (let loop ((defaults defaults) (args args))
    (if (and (pair? defaults) (pair? (cdr defaults)))
        (loop (cddr defaults)
              (if (memq (car defaults) args) args (cons* (car defaults) (cadr defaults) args)))
        args)))

(define (ensure-keyword-arguments args kw/values)
  "ARGS with each keyword of KW/VALUES set to its value there (replaced in place,
else added at the end)."
  (let loop ((args args) (kw/values kw/values) (out '()))
    (cond ((and (pair? args) (keyword? (car args)) (pair? (cdr args)))
           (let ((given (memq (car args) kw/values)))
             (loop (cddr args)
                   (if given (strip-keyword-arguments (list (car args)) kw/values) kw/values)
                   (cons* (if given (cadr given) (cadr args)) (car args) out))))
          ((pair? args) (loop (cdr args) kw/values (cons (car args) out)))
          (else (append (reverse out) kw/values)))))

(define (cache-directory)
  "The user's cache directory for Guix: $XDG_CACHE_HOME/guix."
  (string-append (or (getenv "XDG_CACHE_HOME") (string-append (getenv "HOME") "/.cache"))
                 "/guix"))

(define* (config-directory #:key (ensure? #t))
  "The user's configuration directory for Guix, $XDG_CONFIG_HOME/guix (made when ENSURE?)."
  (let ((dir (string-append (or (getenv "XDG_CONFIG_HOME")
                                (string-append (getenv "HOME") "/.config"))
                            "/guix")))
    (when ensure? (mkdir-p* dir))
    dir))

(define (mkdir-p* dir)
  (unless (or (string-null? dir) (file-exists? dir))
    (mkdir-p* (dirname dir))
    (mkdir dir)))

(define (readlink* file)
  "FILE with its symbolic links followed, up to 50 of them."
  (let loop ((file file) (depth 0))
    (if (and (< depth 50) (false-if-exception (eq? 'symlink (stat:type (lstat file)))))
        (let ((target (readlink file)))
          (loop (if (absolute-file-name? target) target (string-append (dirname file) "/" target))
                (+ depth 1)))
        file)))

(define (call-with-temporary-directory proc)
  "Call PROC with a new temporary directory, deleted when PROC returns or exits."
  (let ((dir (mkdtemp (string-append (or (getenv "TMPDIR") "/tmp") "/guix-directory.XXXXXX"))))
    (dynamic-wind
      (const #t)
      (lambda () (proc dir))
      (lambda () (false-if-exception (delete-tree dir))))))

(define (delete-tree dir)
  (if (eq? 'directory (stat:type (lstat dir)))
      (begin
        (for-each (lambda (f) (unless (member f '("." "..")) (delete-tree (string-append dir "/" f))))
                  (or (scandir* dir) '()))
        (rmdir dir))
      (delete-file dir)))

(define (scandir* dir)
  (let ((d (opendir dir)))
    (let loop ((out '()))
      (let ((f (readdir d)))
        (if (eof-object? f)
            (begin (closedir d) out)
            (loop (cons f out)))))))

(define-syntax-rule (with-environment-variables variables exp ...)
  "Evaluate EXP with the environment VARIABLES, ((NAME VALUE) ...), set (VALUE #f
unsets NAME), and the previous values back afterwards."
  (let ((saved (map (lambda (v) (cons (car v) (getenv (car v)))) variables)))
    (dynamic-wind
      (lambda ()
        (for-each (lambda (v) (if (cadr v) (setenv (car v) (cadr v)) (unsetenv (car v)))) variables))
      (lambda () exp ...)
      (lambda ()
        (for-each (lambda (v) (if (cdr v) (setenv (car v) (cdr v)) (unsetenv (car v)))) saved)))))

(export file-extension file-sans-extension tarball-sans-extension compressed-file?
        version-prefix version-unique-prefix package-name->name+version
        strip-keyword-arguments default-keyword-arguments ensure-keyword-arguments
        cache-directory config-directory readlink* call-with-temporary-directory
        with-environment-variables)

;; Names Guix's module exports too.
(export version-compare)
