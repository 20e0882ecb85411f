;; A Scheme script: `schemy run examples/args.scm one two` prints its command line,
;; ("examples/args.scm" "one" "two"), and exits with status 0.
(write (command-line))
(newline)
