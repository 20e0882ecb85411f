;;; schemy --- (gnu build activation): what activation snippets call: the
;;; subordinate id databases of `subids-service-type', `mkdir-p/perms'.

(define-module (gnu build activation)
  #:use-module (gnu build accounts)
  #:use-module (guix build utils)
  #:export (activate-subuids+subgids
            mkdir-p/perms))

(define (mkdir-p/perms directory owner bits)
  "Make DIRECTORY (and its parents), owned by OWNER (a passwd entry), with
permissions BITS."
  (mkdir-p directory)
  (chown directory (passwd:uid owner) (passwd:gid owner))
  (chmod directory bits))

(define* (activate-subuids+subgids subuids subgids
                                   #:key (subuid-file "/etc/subuid")
                                   (subgid-file "/etc/subgid"))
  "Make sure SUBUIDS and SUBGIDS (lists of subid ranges) are in SUBUID-FILE and
SUBGID-FILE, keeping the ranges those files already give."
  (call-with-values
      (lambda ()
        (subuid+subgid-databases subuids subgids
                                 #:current-subuids (read-subuid subuid-file)
                                 #:current-subgids (read-subgid subgid-file)))
    (lambda (subuid subgid)
      (write-subgid subgid subgid-file)
      (write-subuid subuid subuid-file))))
