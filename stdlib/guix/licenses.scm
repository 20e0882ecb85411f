;;; schemy --- (guix licenses): the license values package definitions name
;;; (conventionally imported with #:prefix license:).

(define-module (guix licenses)
  #:export (license? license-name license-uri license-comment
            agpl1 agpl3 agpl3+ artistic2.0 asl1.1 asl2.0 boost1.0 bsd-0 bsd-1 bsd-2 bsd-3 bsd-4
            cc0 cc-by2.0 cc-by3.0 cc-by4.0 cc-by-sa2.0 cc-by-sa3.0 cc-by-sa4.0 cddl1.0 cecill
            cecill-b cecill-c epl1.0 epl2.0 expat expat-0 fdl1.1+ fdl1.2+ fdl1.3+ freetype gpl1
            gpl1+ gpl2 gpl2+ gpl3 gpl3+ hpnd isc lgpl2.0 lgpl2.0+ lgpl2.1 lgpl2.1+ lgpl3 lgpl3+
            mpl1.0 mpl1.1 mpl2.0 ncsa openssl public-domain psfl qpl silofl1.1 unicode unlicense
            vim wtfpl2 x11 zlib zpl2.1 non-copyleft fsf-free nonfree))

(define-record-type <license>
  (license name uri comment)
  license?
  (name    license-name)
  (uri     license-uri)
  (comment license-comment))

(define-syntax define-licenses
  (syntax-rules ()
    ((_ (var name) ...)
     (begin (define var (license name #f "")) ...))))

(define-licenses
  (agpl1 "AGPL 1") (agpl3 "AGPL 3") (agpl3+ "AGPL 3+") (artistic2.0 "Artistic License 2.0")
  (asl1.1 "ASL 1.1") (asl2.0 "ASL 2.0") (boost1.0 "Boost 1.0") (bsd-0 "Zero-Clause BSD")
  (bsd-1 "BSD 1-Clause") (bsd-2 "FreeBSD") (bsd-3 "Modified BSD") (bsd-4 "Original BSD")
  (cc0 "CC0") (cc-by2.0 "CC-BY 2.0") (cc-by3.0 "CC-BY 3.0") (cc-by4.0 "CC-BY 4.0")
  (cc-by-sa2.0 "CC-BY-SA 2.0") (cc-by-sa3.0 "CC-BY-SA 3.0") (cc-by-sa4.0 "CC-BY-SA 4.0")
  (cddl1.0 "CDDL 1.0") (cecill "CeCILL") (cecill-b "CeCILL-B") (cecill-c "CeCILL-C")
  (epl1.0 "EPL 1.0") (epl2.0 "EPL 2.0") (expat "Expat") (expat-0 "Expat No Attribution")
  (fdl1.1+ "FDL 1.1+") (fdl1.2+ "FDL 1.2+") (fdl1.3+ "FDL 1.3+") (freetype "Freetype")
  (gpl1 "GPL 1") (gpl1+ "GPL 1+") (gpl2 "GPL 2") (gpl2+ "GPL 2+") (gpl3 "GPL 3") (gpl3+ "GPL 3+")
  (hpnd "HPND") (isc "ISC") (lgpl2.0 "LGPL 2.0") (lgpl2.0+ "LGPL 2.0+") (lgpl2.1 "LGPL 2.1")
  (lgpl2.1+ "LGPL 2.1+") (lgpl3 "LGPL 3") (lgpl3+ "LGPL 3+") (mpl1.0 "MPL 1.0") (mpl1.1 "MPL 1.1")
  (mpl2.0 "MPL 2.0") (ncsa "NCSA") (openssl "OpenSSL") (public-domain "Public Domain")
  (psfl "PSFL") (qpl "QPL") (silofl1.1 "SIL OFL 1.1") (unicode "Unicode") (unlicense "Unlicense")
  (vim "Vim") (wtfpl2 "WTFPL 2") (x11 "X11") (zlib "Zlib") (zpl2.1 "ZPL 2.1"))

(define* (non-copyleft uri #:optional (comment ""))
  (license "non-copyleft" uri comment))

(define* (fsf-free uri #:optional (comment ""))
  (license "FSF-free" uri comment))

(define* (nonfree uri #:optional (comment ""))
  (license "Nonfree" uri comment))
