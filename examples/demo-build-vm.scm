;; The demo system plus the chapter's build virtual machine, which is not started until asked
;; (`schemy herd start build-vm`).  README's tour reconfigures the demo root to it and back.
(include "demo.scm")
(use-service-modules virtualization)

(operating-system
  (inherit demo-operating-system)
  (services (cons (service virtual-build-machine-service-type)
                  (operating-system-user-services demo-operating-system))))
