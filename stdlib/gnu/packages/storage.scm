;;; schemy --- Distributed storage.

(define-module (gnu packages storage)
  #:use-module (guix packages)
  #:export (ceph))

(define ceph
  (package
    (name "ceph")
    (version "17.2.7")
    (home-page "https://ceph.io/")
    (outputs '("out" "lib"))
    (synopsis "Distributed object store and file system")
    (description
     "Ceph spreads objects over a cluster of machines with replication and
self-healing, and builds block devices (RBD), a POSIX file system (CephFS)
and an S3-compatible gateway on top.  Ganeti uses RBD volumes for the
\"rbd\" disk template.")
    (license '(lgpl2.1 gpl2 bsd-3 expat))
    (debian-package "ceph-common")
    (programs
     `(,@(host-programs "bin" '("ceph" "rbd" "rados" "ceph-authtool"
                                "ceph-conf" "ceph-syn" "rbdmap")
                        "ceph-common")
       ("sbin/mount.ceph" "mount.ceph" "ceph-common")
       ("bin/ceph-mon" "ceph-mon" "ceph-mon")
       ("bin/ceph-osd" "ceph-osd" "ceph-osd")
       ("bin/ceph-mgr" "ceph-mgr" "ceph-mgr")
       ("bin/ceph-mds" "ceph-mds" "ceph-mds")
       ("bin/radosgw" "radosgw" "radosgw")))))
