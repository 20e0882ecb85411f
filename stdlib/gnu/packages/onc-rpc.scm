;;; schemy --- ONC RPC.

(define-module (gnu packages onc-rpc)
  #:use-module (guix packages)
  #:export (rpcbind))

(define rpcbind
  (package
    (name "rpcbind")
    (version "1.2.6")
    (home-page "https://rpcbind.sourceforge.net/")
    (synopsis "Server to convert RPC program numbers into universal addresses")
    (description "rpcbind tells RPC clients, such as those of NFS, on which
address each RPC service of the machine listens.")
    (license 'bsd-3)
    (debian-package "rpcbind")
    (programs '("sbin/rpcbind" "sbin/rpcinfo"))))
