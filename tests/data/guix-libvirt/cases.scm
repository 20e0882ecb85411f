;; Configurations whose libvirtd.conf / virtlogd.conf were recorded from Guix's
;; own serializer by tools/record_guix_libvirt_conf.scm (one NAME.conf file per
;; case, next to this file).  Each case: (NAME KIND ((FIELD . VALUE) ...)),
;; KIND being libvirt or virtlog.  tests/test_virtualization.py builds the same
;; configurations with schemy and compares the files byte for byte.
;;
;; When recording, the host name is "guix-oracle-host" (mdns-name's default).
;; Every case sets log-outputs: the chapter's default ("3:stderr", for both
;; daemons) differs from the code's ("3:syslog:libvirtd", "3:syslog:virtlogd"),
;; and the chapter wins; everything else is left at Guix's defaults.
(("libvirtd-default" libvirt ((log-outputs . "3:stderr")))
 ("libvirtd-chapter-example" libvirt ((tls-port . "16555") (log-outputs . "3:stderr")))
 ("libvirtd-tcp" libvirt
  ((listen-tls? . #f) (listen-tcp? . #t) (tcp-port . "16600") (listen-addr . "192.0.2.7")
   (auth-tcp . "none") (mdns-adv? . #t) (mdns-name . "Lab host") (log-outputs . "3:stderr")))
 ("libvirtd-lists-and-numbers" libvirt
  ((access-drivers . ("polkit" "nop"))
   (tls-allowed-dn-list . ("C=GB,O=Example,CN=*" "C=FR,O=Example,CN=*"))
   (sasl-allowed-usernames . ("joe@EXAMPLE.COM" "fred@EXAMPLE.COM"))
   (max-clients . 42) (max-workers . 64) (keepalive-interval . -1) (keepalive-count . 0)
   (audit-level . 2) (audit-logging . #t) (log-outputs . "3:stderr")))
 ("libvirtd-tls-files" libvirt
  ((key-file . "/etc/pki/libvirt/private/serverkey.pem")
   (cert-file . "/etc/pki/libvirt/servercert.pem")
   (ca-file . "/etc/pki/CA/cacert.pem") (crl-file . "/etc/pki/CA/crl.pem")
   (tls-no-sanity-cert . #t) (tls-no-verify-cert . #t) (tls-priority . "NORMAL:-VERS-SSL3.0")
   (host-uuid . "00000000-0000-0000-0000-000000000001") (host-uuid-source . "machine-id")
   (unix-sock-dir . "/srv/libvirt") (unix-sock-group . "wheel")
   (log-level . 1) (log-filters . "1:qemu 3:remote") (log-outputs . "1:file:/var/log/libvirtd.log")))
 ("virtlogd-chapter-stderr" virtlog ((log-outputs . "3:stderr")))
 ("virtlogd-chapter-example" virtlog ((log-outputs . "3:stderr") (max-clients . 2048)))
 ("virtlogd-every-field" virtlog
  ((log-level . 1) (log-filters . "1:logging 4:object") (log-outputs . "1:file:/var/log/virtlogd.log")
   (max-clients . 10) (max-size . 1048576) (max-backups . 7))))
