;;; schemy --- Compression tools.

(define-module (gnu packages compression)
  #:use-module (guix packages)
  #:export (gzip
            bzip2
            xz
            lzip
            zstd
            zip
            unzip))

(define gzip
  (package
    (name "gzip")
    (version "1.13")
    (home-page "https://www.gnu.org/software/gzip/")
    (synopsis "General file (de)compression (using lzw)")
    (description
     "gzip compresses files with the DEFLATE algorithm; gunzip and zcat
decompress them.")
    (license 'gpl3+)
    (debian-package "gzip")
    (programs (host-programs "bin" '("gzip" "gunzip" "zcat")))))

(define bzip2
  (package
    (name "bzip2")
    (version "1.0.8")
    (home-page "https://sourceware.org/bzip2/")
    (synopsis "High-quality data compression program")
    (description
     "bzip2 compresses files with the Burrows-Wheeler block-sorting
algorithm, usually tighter than gzip and more slowly.")
    (license 'bsd-style)
    (debian-package "bzip2")
    (programs (host-programs "bin" '("bzip2" "bunzip2" "bzcat")))))

(define xz
  (package
    (name "xz")
    (version "5.4.5")
    (home-page "https://tukaani.org/xz/")
    (synopsis "General-purpose data compression")
    (description
     "XZ Utils compress data with the LZMA2 algorithm, which reaches high
compression ratios while decompressing fast.")
    (license '(public-domain gpl2+ lgpl2.1+))
    (debian-package "xz-utils")
    (programs (host-programs "bin" '("xz" "unxz" "xzcat")))))

(define lzip
  (package
    (name "lzip")
    (version "1.24")
    (home-page "https://www.nongnu.org/lzip/lzip.html")
    (synopsis "Lossless data compressor based on the LZMA algorithm")
    (description
     "Lzip compresses data with LZMA in a simple container format designed
for long-term archiving, with integrity checks.")
    (license 'gpl2+)
    (debian-package "lzip")
    (programs '("bin/lzip"))))

(define zstd
  (package
    (name "zstd")
    (version "1.5.5")
    (home-page "https://facebook.github.io/zstd/")
    (synopsis "Zstandard real-time compression algorithm")
    (description
     "Zstandard compresses data fast with ratios comparable to xz at its
higher levels, and decompresses very fast.")
    (license '(bsd-3 gpl2))
    (debian-package "zstd")
    (programs (host-programs "bin" '("zstd" "unzstd" "zstdcat")))))

(define zip
  (package
    (name "zip")
    (version "3.0")
    (home-page "https://infozip.sourceforge.net/Zip.html")
    (synopsis "Compressor/archiver for creating and modifying zipfiles")
    (description "zip creates and updates ZIP archives.")
    (license 'bsd-style)
    (debian-package "zip")
    (programs '("bin/zip"))))

(define unzip
  (package
    (name "unzip")
    (version "6.0")
    (home-page "https://infozip.sourceforge.net/UnZip.html")
    (synopsis "Decompression and file extraction utility")
    (description "unzip lists, tests and extracts the files of ZIP archives.")
    (license 'bsd-style)
    (debian-package "unzip")
    (programs '("bin/unzip"))))
