;;; schemy --- The base tools of a GNU system.

(define-module (gnu packages base)
  #:use-module (guix packages)
  #:export (hello
            coreutils
            coreutils-minimal
            grep
            sed
            tar
            patch
            diffutils
            findutils
            which
            gnu-make
            glibc
            glibc-utf8-locales
            tzdata))

(define hello
  (package
    (name "hello")
    (version "2.12.1")
    (home-page "https://www.gnu.org/software/hello/")
    (synopsis "Example GNU package")
    (description
     "GNU Hello prints a friendly greeting.  It exists to show how a GNU
program is written, documented, translated and packaged.")
    (license 'gpl3+)
    (debian-package "hello")
    (programs '("bin/hello"))))

(define %coreutils-programs
  '("[" "basename" "cat" "chgrp" "chmod" "chown" "chroot" "cksum" "comm" "cp"
    "csplit" "cut" "date" "dd" "df" "dirname" "du" "echo" "env" "expand"
    "expr" "factor" "false" "fmt" "fold" "head" "id" "install" "join" "link"
    "ln" "logname" "ls" "md5sum" "mkdir" "mkfifo" "mknod" "mktemp" "mv"
    "nice" "nl" "nohup" "nproc" "numfmt" "od" "paste" "pathchk" "printenv"
    "printf" "pwd" "readlink" "realpath" "rm" "rmdir" "seq" "sha1sum"
    "sha256sum" "sha512sum" "shred" "shuf" "sleep" "sort" "split" "stat"
    "stty" "sum" "sync" "tac" "tail" "tee" "test" "timeout" "touch" "tr"
    "true" "truncate" "tsort" "tty" "uname" "unexpand" "uniq" "unlink"
    "users" "wc" "who" "whoami" "yes"))

(define coreutils
  (package
    (name "coreutils")
    (version "9.1")
    (home-page "https://www.gnu.org/software/coreutils/")
    (synopsis "Core GNU utilities (file, text, shell)")
    (description
     "The GNU Core Utilities are the basic commands of a GNU system: listing,
copying, moving and removing files (ls, cp, mv, rm), changing their
permissions and owners, printing and transforming text (cat, head, sort,
cut, tr, wc), and the small tools shell scripts rely on (echo, test, env,
date, sleep, mktemp...).")
    (license 'gpl3+)
    (debian-package "coreutils")
    (programs (host-programs "bin" %coreutils-programs))))

(define coreutils-minimal
  (package
    (inherit coreutils)
    (name "coreutils-minimal")))

(define grep
  (package
    (name "grep")
    (version "3.11")
    (home-page "https://www.gnu.org/software/grep/")
    (synopsis "Print lines matching a pattern")
    (description
     "grep searches files for lines that match a regular expression, in
basic, extended or Perl-compatible syntax, and prints them.")
    (license 'gpl3+)
    (debian-package "grep")
    (programs (host-programs "bin" '("grep" "egrep" "fgrep")))))

(define sed
  (package
    (name "sed")
    (version "4.9")
    (home-page "https://www.gnu.org/software/sed/")
    (synopsis "Stream editor")
    (description
     "sed edits text as it streams through: it applies a script of
substitutions, deletions and insertions to each line of its input.")
    (license 'gpl3+)
    (debian-package "sed")
    (programs '("bin/sed"))))

(define tar
  (package
    (name "tar")
    (version "1.35")
    (home-page "https://www.gnu.org/software/tar/")
    (synopsis "Managing tar archives")
    (description
     "GNU tar creates, lists and extracts tar archives, compressing them on
the fly with gzip, bzip2, xz and other compressors.")
    (license 'gpl3+)
    (debian-package "tar")
    (programs '("bin/tar"))))

(define patch
  (package
    (name "patch")
    (version "2.7.6")
    (home-page "https://savannah.gnu.org/projects/patch/")
    (synopsis "Apply differences to originals, with optional backups")
    (description
     "patch applies a diff, as produced by diff, to the original files,
updating them to the new version.")
    (license 'gpl3+)
    (debian-package "patch")
    (programs '("bin/patch"))))

(define diffutils
  (package
    (name "diffutils")
    (version "3.10")
    (home-page "https://www.gnu.org/software/diffutils/")
    (synopsis "Comparing and merging files")
    (description
     "The GNU Diffutils find the differences between files: diff shows them
line by line, cmp byte by byte, diff3 compares three files and sdiff merges
two interactively.")
    (license 'gpl3+)
    (debian-package "diffutils")
    (programs (host-programs "bin" '("diff" "cmp" "diff3" "sdiff")))))

(define findutils
  (package
    (name "findutils")
    (version "4.9.0")
    (home-page "https://www.gnu.org/software/findutils/")
    (synopsis "Operating on files matching given criteria")
    (description
     "find walks directory trees and selects files by name, type, size,
date and other properties; xargs runs a command on the selected files.")
    (license 'gpl3+)
    (debian-package "findutils")
    (programs (host-programs "bin" '("find" "xargs")))))

(define which
  (package
    (name "which")
    (version "2.21")
    (home-page "https://gnu.org/software/which/")
    (synopsis "Find full path of shell commands")
    (description
     "which prints the file name of the program the shell would run for a
command name, by searching the directories of PATH.")
    (license 'gpl3+)
    (debian-package "debianutils")
    (programs '("bin/which"))))

(define gnu-make
  (package
    (name "make")
    (version "4.4.1")
    (home-page "https://www.gnu.org/software/make/")
    (synopsis "Remake files automatically")
    (description
     "Make rebuilds the files of a project that are out of date, following
the rules and dependencies written in a makefile.")
    (license 'gpl3+)
    (debian-package "make")
    (programs '("bin/make"))))

(define glibc
  (package
    (name "glibc")
    (version "2.39")
    (home-page "https://www.gnu.org/software/libc/")
    (outputs '("out" "debug" "static"))
    (synopsis "The GNU C Library")
    (description
     "The GNU C library is the interface between programs and the kernel
Linux: system calls, the standard C functions, name resolution, locales
and the dynamic loader.  It also provides tools such as ldd, locale, iconv
and getent.")
    (license '(lgpl2.0+ gpl2+))
    (debian-package "libc-bin")
    (programs `(,@(host-programs "bin" '("ldd" "locale" "localedef" "iconv"
                                         "getent" "getconf"))
                "sbin/ldconfig"))))

(define glibc-utf8-locales
  (package
    (name "glibc-utf8-locales")
    (version (package-version glibc))
    (home-page (package-home-page glibc))
    (synopsis "Small sample of UTF-8 locales")
    (description
     "A few UTF-8 locales (English, French, German, Spanish...) compiled
for the GNU C Library, enough for most systems without the full set.")
    (license (package-license glibc))
    (debian-package "locales")))

(define tzdata
  (package
    (name "tzdata")
    (version "2024a")
    (home-page "https://www.iana.org/time-zones")
    (synopsis "Database of current and historical time zones")
    (description
     "The Time Zone Database records the rules -- offsets from UTC and
daylight saving changes -- of the world's time zones, past and present.")
    (license 'public-domain)
    (debian-package "tzdata")))
