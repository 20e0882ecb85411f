;;; schemy --- Network time.

(define-module (gnu packages ntp)
  #:use-module (guix packages)
  #:export (ntp
            openntpd
            chrony))

(define ntp
  (package
    (name "ntp")
    (version "4.2.8p18")
    (home-page "https://www.ntp.org")
    (synopsis "Real time clock synchronization system")
    (description
     "NTP keeps the system clock synchronized with time servers over the
network; ntpd is the daemon, ntpq queries it.")
    (license 'ntp)
    (debian-package "ntpsec")
    (programs '("bin/ntpd" "bin/ntpq" ("bin/ntpdate" "ntpdate" "ntpsec-ntpdate")))))

(define openntpd
  (package
    (name "openntpd")
    (version "6.8p1")
    (home-page "https://www.openntpd.org/")
    (synopsis "NTP client and server by the OpenBSD Project")
    (description "OpenNTPD is a simple NTP daemon that sets the local clock
from remote servers and can serve time itself.")
    (license 'isc)
    (debian-package "openntpd")
    (programs '(("sbin/ntpd" "ntpd") ("sbin/ntpctl" "ntpctl")))))

(define chrony
  (package
    (name "chrony")
    (version "4.5")
    (home-page "https://chrony-project.org/")
    (synopsis "System clock synchronization tool")
    (description "chrony synchronizes the system clock with NTP servers,
reference clocks or manual input, and copes well with intermittent
networks.")
    (license 'gpl2)
    (debian-package "chrony")
    (programs '("sbin/chronyd" "bin/chronyc"))))
