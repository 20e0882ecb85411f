;;; schemy --- A client of the HTTP interface of Cuirass, the continuous
;;; integration server of Guix (Guix's (guix ci)).
;;;
;;; Its records (builds, evaluations, checkouts, jobs, histories, build
;;; products) are read from the server's JSON; the queries fetch it when they
;;; are called.  `channel-with-substitutes-available' asks the server for the
;;; latest commit of Guix that it built for the current system; when the
;;; server cannot be reached (no network; `schemy system check' never
;;; touches it) it warns and leaves the commit unset, as Guix does.

(define-module (guix ci)
  #:use-module (srfi srfi-1)
  #:use-module (srfi srfi-19)
  #:use-module (ice-9 match)
  #:use-module (guix channels)
  #:use-module ((guix utils) #:select (%current-system))
  #:use-module (schemy http)
  #:export (build-product?
            build-product-id
            build-product-type
            build-product-file-size
            build-product-path

            build?
            build-id
            build-derivation
            build-evaluation
            build-system
            build-status
            build-timestamp
            build-start-time
            build-stop-time
            build-duration
            build-products

            checkout?
            checkout-commit
            checkout-channel

            evaluation?
            evaluation-id
            evaluation-spec
            evaluation-complete?
            evaluation-checkouts
            evaluation-start-time
            evaluation-checkout-time
            evaluation-completion-time

            job?
            job-build-id
            job-status
            job-name

            history?
            history-evaluation
            history-checkouts
            history-jobs

            %query-limit
            queued-builds
            latest-builds
            evaluation
            evaluation-jobs
            build
            job-build
            jobs-history
            latest-evaluations
            evaluations-for-commit

            channel-with-substitutes-available))

(define (field alist key)
  (let ((entry (assoc key alist)))
    (and entry (not (eq? (cdr entry) 'null)) (cdr entry))))

(define (seconds->date seconds)
  (and seconds (time-utc->date (make-time time-utc 0 seconds))))

(define (integer->build-status n)
  ;; Cuirass's build statuses.
  (case n
    ((-3) 'submitted) ((-2) 'scheduled) ((-1) 'started) ((0) 'succeeded)
    ((1) 'failed) ((2) 'failed-dependency) ((3) 'failed-other) ((4) 'canceled)
    (else n)))

(define (items json)
  (if (vector? json) (vector->list json) '()))

(define-record-type <build-product>
  (make-build-product id type file-size path)
  build-product?
  (id        build-product-id)
  (type      build-product-type)
  (file-size build-product-file-size)
  (path      build-product-path))

(define (json->build-product json)
  (make-build-product (field json "id") (field json "type")
                      (field json "file-size") (field json "path")))

(define-record-type <build>
  (make-build id derivation evaluation system status timestamp start-time stop-time products)
  build?
  (id         build-id)
  (derivation build-derivation)
  (evaluation build-evaluation)
  (system     build-system)
  (status     build-status)
  (timestamp  build-timestamp)
  (start-time build-start-time)
  (stop-time  build-stop-time)
  (products   build-products))

(define (json->build json)
  (make-build (field json "id") (field json "derivation") (field json "evaluation")
              (field json "system") (integer->build-status (field json "buildstatus"))
              (field json "timestamp")
              (seconds->date (field json "starttime")) (seconds->date (field json "stoptime"))
              (map json->build-product (items (field json "buildproducts")))))

(define (build-duration build)
  (time-second (time-difference (date->time-utc (build-stop-time build))
                                (date->time-utc (build-start-time build)))))

(define-record-type <job>
  (make-job build-id status name)
  job?
  (build-id job-build-id)
  (status   job-status)
  (name     job-name))

(define (json->job json)
  (make-job (field json "build") (integer->build-status (field json "status")) (field json "name")))

(define-record-type <checkout>
  (make-checkout commit channel)
  checkout?
  (commit  checkout-commit)
  (channel checkout-channel))

(define (json->checkout json)
  (make-checkout (field json "commit") (field json "channel")))

(define-record-type <history>
  (make-history evaluation checkouts jobs)
  history?
  (evaluation history-evaluation)
  (checkouts  history-checkouts)
  (jobs       history-jobs))

(define (json->history json)
  (make-history (field json "evaluation")
                (map json->checkout (items (field json "checkouts")))
                (map json->job (items (field json "jobs")))))

(define-record-type <evaluation>
  (make-evaluation id spec complete? checkouts start-time checkout-time completion-time)
  evaluation?
  (id              evaluation-id)
  (spec            evaluation-spec)
  (complete?       evaluation-complete?)
  (checkouts       evaluation-checkouts)
  (start-time      evaluation-start-time)
  (checkout-time   evaluation-checkout-time)
  (completion-time evaluation-completion-time))

(define (json->evaluation json)
  (make-evaluation (field json "id") (field json "specification")
                   (eqv? (field json "status") 0)
                   (map json->checkout (items (field json "checkouts")))
                   (seconds->date (field json "timestamp"))
                   (seconds->date (field json "checkouttime"))
                   (seconds->date (field json "evaltime"))))

(define %query-limit 1000)

(define (api-url base path query)
  "BASE/PATH?QUERY, QUERY a list of (NAME VALUE) whose #f values are left out."
  (let ((pairs (filter-map (match-lambda
                             ((name #f) #f)
                             ((name value)
                              (string-append name "="
                                             (if (number? value) (number->string value) value))))
                           query)))
    (string-append base path (if (null? pairs) "" (string-append "?" (string-join pairs "&"))))))

(define (api-fetch base path . query)
  (json-fetch (api-url base path query)))

(define* (queued-builds url #:optional (limit %query-limit))
  (map json->build (items (api-fetch url "/api/queue" `("nr" ,limit)))))

(define* (latest-builds url #:optional (limit %query-limit)
                        #:key evaluation system job jobset status)
  (map json->build
       (items (api-fetch url "/api/latestbuilds" `("nr" ,limit) `("evaluation" ,evaluation)
                         `("system" ,system) `("job" ,job) `("jobset" ,jobset) `("status" ,status)))))

(define (evaluation url id)
  (json->evaluation (api-fetch url "/api/evaluation" `("id" ,id))))

(define* (latest-evaluations url #:optional (limit %query-limit) #:key spec)
  (map json->evaluation (items (api-fetch url "/api/evaluations" `("nr" ,limit) `("spec" ,spec)))))

(define* (evaluations-for-commit url commit #:optional (limit %query-limit))
  (filter (lambda (e)
            (any (lambda (c) (equal? (checkout-commit c) commit)) (evaluation-checkouts e)))
          (latest-evaluations url limit)))

(define (evaluation-jobs url id)
  (map json->job (items (api-fetch url "/api/jobs" `("evaluation" ,id)))))

(define (build url id)
  (json->build (json-fetch (string-append url "/build/" (number->string id)))))

(define (job-build url job)
  (build url (job-build-id job)))

(define* (jobs-history url jobs #:key (specification "master") (limit 20))
  (map json->history
       (items (api-fetch url "/api/jobs/history" `("spec" ,specification)
                         `("names" ,(string-join jobs ",")) `("nr" ,limit)))))

(define (latest-commit-with-substitutes url)
  "The commit of the latest successful build of Guix for the current system at
URL, or #f."
  (let* ((builds (latest-builds url 1 #:job (string-append "guix." (%current-system))
                                #:jobset "guix" #:status 0))
         (e (and (pair? builds) (evaluation url (build-evaluation (car builds))))))
    (and e (match (evaluation-checkouts e)
             ((checkout) (checkout-commit checkout))
             (_ #f)))))

(define (channel-with-substitutes-available chan url)
  "CHAN with its commit set to the latest one URL has substitutes for; #f
(with a warning) when URL cannot tell."
  (let ((commit (catch #t
                  (lambda () (latest-commit-with-substitutes url))
                  (lambda _
                    (format (current-error-port)
                            "warning: could not find available substitutes at ~a~%" url)
                    #f))))
    (channel (inherit chan) (commit commit))))
