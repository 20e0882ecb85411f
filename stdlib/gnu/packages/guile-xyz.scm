;;; schemy --- Programs written in Guile.

(define-module (gnu packages guile-xyz)
  #:use-module (guix packages)
  #:export (mcron))

(define mcron
  (package
    (name "mcron")
    (version "1.2.3")
    (home-page "https://www.gnu.org/software/mcron/")
    (synopsis "Run jobs at scheduled times")
    (description
     "GNU Mcron is a cron replacement: it runs jobs at times described
either in Vixie cron's crontab format or as Guile Scheme expressions.  In
schemy, jobs are run by schemy's own scheduler.")
    (license 'gpl3+)
    (programs '("bin/mcron" "bin/crontab"))))
