"""Reader throughput on ~1 MB of Guix-style configuration text.

Run: ``.venv/bin/python bench/reader_bench.py [megabytes]``.  Prints the time
to import lark and build the parser, then the best of three full reads in
MB/s.  The text is generated in memory (operating-system forms, services,
strings, numbers, keywords, gexps, nested lists and comments) so the numbers
are repeatable without any files.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from schemy.lang import reader  # noqa: E402

_SERVICE_TEMPLATE = """\
;; Service {n}: a {kind} instance.
(service {kind}-service-type
         ({kind}-configuration
          (name "{kind}-{n}")
          (port {port})
          (enabled? #t)
          (tls? #f)
          (ratio {ratio})
          (listen '("127.0.0.1" "::1" "10.0.{a}.{b}"))
          (options (list #:timeout {timeout} #:retries 3 #:log-file "/var/log/{kind}-{n}.log"))
          (environment `(("HOME" . "/var/lib/{kind}") ("LANG" . "C.UTF-8") ("N" . ,(number->string {n}))))
          (start #~(make-forkexec-constructor
                    (list #$(file-append {kind} "/bin/{kind}d") "--foreground" "-p" #$(number->string {port}))
                    #:pid-file "/run/{kind}-{n}.pid"))
          (stop #~(make-kill-destructor))
          (extra-content "line one\\nline two\\t\\"quoted\\"")))
"""

_OS_HEADER = """\
#| Generated configuration for the reader benchmark.
   #| Nested block comments are allowed. |#
|#
(use-modules (gnu) (gnu services) (srfi srfi-1))
(use-service-modules base networking ssh virtualization)
(use-package-modules admin virtualization)

(define %my-users
  (list (user-account
          (name "alice")
          (comment "Alice")
          (group "users")
          (supplementary-groups '("wheel" "netdev" "audio" "video" "kvm" "libvirt"))
          (home-directory "/home/alice"))))

(operating-system
  (host-name "bench-host")
  (timezone "Europe/Paris")
  (locale "en_US.utf8")
  (bootloader (bootloader-configuration
                (bootloader grub-efi-bootloader)
                (targets '("/boot/efi"))
                (timeout 5)))
  (file-systems (cons* (file-system
                         (device (file-system-label "root"))
                         (mount-point "/")
                         (type "ext4"))
                       %base-file-systems))
  (users (append %my-users %base-user-accounts))
  (packages (cons* qemu libvirt %base-packages))
  (services
   (cons*
"""

_OS_FOOTER = """\
    %base-services)))
"""

_KINDS = ["libvirt", "virtlog", "openssh", "nginx", "postgresql", "mcron", "dhcp-client", "ntp"]


def make_config(size: int = 1_000_000, seed: int = 1) -> str:
    """A deterministic configuration text of about ``size`` characters."""
    rng = random.Random(seed)
    parts = [_OS_HEADER]
    total = len(_OS_HEADER)
    n = 0
    while total < size:
        n += 1
        block = _SERVICE_TEMPLATE.format(
            n=n, kind=rng.choice(_KINDS), port=rng.randrange(1024, 65536),
            ratio=round(rng.random() * 100, 3), a=rng.randrange(256), b=rng.randrange(256),
            timeout=rng.randrange(1, 600))
        parts.append(block)
        total += len(block)
    parts.append(_OS_FOOTER)
    return "".join(parts)


def main() -> None:
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    text = make_config(int(megabytes * 1_000_000))
    size_mb = len(text.encode("utf-8")) / 1e6

    t0 = time.perf_counter()
    import lark  # noqa: F401

    t1 = time.perf_counter()
    reader._get_parser()
    t2 = time.perf_counter()
    print(f"import lark:          {1000 * (t1 - t0):7.1f} ms")
    print(f"build parser:         {1000 * (t2 - t1):7.1f} ms")

    best = float("inf")
    data = None
    for _ in range(3):
        start = time.perf_counter()
        data = reader.read(text, "bench.scm")
        best = min(best, time.perf_counter() - start)
    assert data is not None and len(data) > 0
    print(f"text:                 {size_mb:7.2f} MB, {text.count(chr(10))} lines")
    print(f"read (best of 3):     {1000 * best:7.1f} ms")
    print(f"throughput:           {size_mb / best:7.2f} MB/s")


if __name__ == "__main__":
    main()
