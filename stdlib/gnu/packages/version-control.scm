;;; schemy --- Version control systems.

(define-module (gnu packages version-control)
  #:use-module (guix packages)
  #:export (git
            git-minimal
            mercurial
            subversion))

(define git
  (package
    (name "git")
    (version "2.45.2")
    (home-page "https://git-scm.com/")
    (outputs '("out" "send-email" "svn" "credential-netrc" "subtree" "gui"))
    (synopsis "Distributed version control system")
    (description
     "Git records the history of a set of files as a graph of commits and
lets people work on copies of it, branch and merge their work, and exchange
it over the network.")
    (license 'gpl2)
    (debian-package "git")
    (programs '("bin/git" "bin/git-shell" "bin/git-upload-pack"
                "bin/git-receive-pack"))))

(define git-minimal
  (package
    (inherit git)
    (name "git-minimal")
    (outputs '("out"))))

(define mercurial
  (package
    (name "mercurial")
    (version "6.7.3")
    (home-page "https://www.mercurial-scm.org/")
    (synopsis "Decentralized version control system")
    (description "Mercurial is a distributed version control system
written in Python.")
    (license 'gpl2+)
    (debian-package "mercurial")
    (programs '("bin/hg"))))

(define subversion
  (package
    (name "subversion")
    (version "1.14.3")
    (home-page "https://subversion.apache.org/")
    (synopsis "Revision control system")
    (description "Subversion is a centralized version control system.")
    (license 'asl2.0)
    (debian-package "subversion")
    (programs '("bin/svn" "bin/svnadmin"))))
