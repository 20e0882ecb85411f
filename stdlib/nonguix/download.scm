;;; schemy --- (nonguix download): the origin methods nonguix's packages use.
;;; schemy never fetches sources: a method, like url-fetch, records the call.

(define-module (nonguix download)
  #:export (go-mod-vendor
            nuget-restore
            unredistributable-url-fetch))

(define (unredistributable-url-fetch . args)
  ;; url-fetch for files that must not be substituted.
  (cons 'unredistributable-url-fetch args))

(define* (go-mod-vendor #:key go)
  "An origin method running `go mod vendor' on a source (with GO)."
  (lambda args (cons 'go-mod-vendor args)))

(define* (nuget-restore #:key dotnet (solutions '()))
  "An origin method restoring the NuGet packages of SOLUTIONS (with DOTNET)."
  (lambda args (cons 'nuget-restore args)))
