"""`bench/run suite`: the R7RS benchmarks (the peer suite Scheme implementations are compared
on) under `guile --no-auto-compile`, compiled Guile and schemy, in one run.

The programs are not part of schemy: the section reads a local copy of the suite
(``$SCHEMY_R7RS_BENCHMARKS`` or ``--suite-dir DIR``; either a checkout or a bare git
directory, whose files are then extracted to a scratch directory) and fetches nothing.
Each program is assembled as the suite's own `bench` script does for Guile (Guile3 prelude,
the program, common.scm, common-postlude.scm) and reads its input on stdin; the suite's
own check of the result decides correctness.

Inputs are scaled (``INPUTS`` below) so that Guile's interpreter takes about 0.5-3 s of
CPU on this machine; the expected results of the smaller problem sizes were read from
compiled Guile (`bench/run suite --calibrate` prints the timings the table was made from).
Times are CPU times (user + sys of the child, from ``wait4``) because the machine is shared.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_DIR = "/work/.mirror/ecraven+r7rs-benchmarks/repo"
ENV_VAR = "SCHEMY_R7RS_BENCHMARKS"

# name -> the count that replaces the first datum of the suite's input, or a whole input
# (count, problem size, expected result) where the suite's problem size is too big for an
# interpreter.  Results of changed sizes were computed with compiled Guile.
INPUTS: dict[str, int | str] = {
    "array1": 5,
    "browse": 30,
    "bv2string": 6,
    "cat": 7,
    "chudnovsky": 3000,
    "compiler": 24,
    "conform": 5,
    "deriv": 250000,
    "destruc": 40,
    "diviter": 15000,
    "divrec": 15000,
    "dynamic": 12,
    "fft": 3,
    "matrix": 25,
    "maze": 200,
    "mazefun": 120,
    "mbrot": 12,
    "mbrotZ": 10,
    "nucleic": 1,
    "parsing": 35,
    "peval": 30,
    "pi": 800,
    "pnpoly": 15000,
    "primes": 500,
    "puzzle": 7,
    "quicksort": 15,
    "ray": 1,
    "read1": 700,
    "scheme": 1300,
    "simplex": 12000,
    "slatex": 27,
    "string": 97,
    "sum": 1500,
    "sum1": 6,
    "sumfp": 8,
    "tail": 44,
    "triangl": 1,
    "wc": 5,
    "ack": "1 3 9 4093",
    "cpstak": "59 18 12 6 7",
    "ctak": "4 18 12 6 7",
    "tak": "100 18 12 6 7",
    "takl": "23 (18 17 16 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1) (12 11 10 9 8 7 6 5 4 3 2 1) (6 5 4 3 2 1) 7",
    "ntakl": "23 (18 17 16 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1) (12 11 10 9 8 7 6 5 4 3 2 1) (6 5 4 3 2 1) 7",
    "earley": "15 9 1430",
    "equal": "100 9 8 1000 2000 5000 #t",
    "fib": "60 25 75025",
    "fibc": "1 25 75025",
    "fibfp": "16 27.0 196418.0",
    "gcbench": "1 16 0",
    "graphs": "18 5 596",
    "lattice": "1200 33 10",
    "mperm": "11 8 2 1 0",
    "nboyer": "2 1 591777",
    "sboyer": "1 1 591777",
    "nqueens": "9 10 724",
    "paraffins": "25 19 148284",
    "read0": "300 0 #x7f ignored",
}

PROGRAMS = """ack array1 browse bv2string cat chudnovsky compiler conform cpstak ctak deriv destruc
diviter divrec dynamic earley equal fft fib fibc fibfp gcbench graphs lattice matrix maze mazefun
mbrot mbrotZ mperm nboyer nqueens ntakl nucleic paraffins parsing peval pi pnpoly primes puzzle
quicksort ray read0 read1 sboyer scheme simplex slatex string sum sum1 sumfp tail tak takl triangl
wc""".split()


# ---------------------------------------------------------------- the suite's files


def locate(path: str | None) -> Path | None:
    """A directory holding the suite's ``src`` and ``inputs`` (None when there is no copy)."""
    root = Path(path or os.environ.get(ENV_VAR) or DEFAULT_DIR)
    if (root / "src" / "common.scm").is_file():
        return root
    if (root / "objects").is_dir() and (root / "HEAD").is_file():
        return _extract(root)
    return None


def _git(gitdir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", f"--git-dir={gitdir}", *args], capture_output=True, check=False)


def _extract(gitdir: Path) -> Path | None:
    """The files of a bare copy, extracted once into the user's cache (blobs the copy lacks,
    like the 4 MB ``inputs/bib``, are left out; see ``_bib``)."""
    head = _git(gitdir, "rev-parse", "HEAD").stdout.decode().strip()
    if not head:
        return None
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "schemy" / f"r7rs-benchmarks-{head[:12]}"
    if (cache / "src" / "common.scm").is_file():
        return cache
    names = _git(gitdir, "ls-tree", "-r", "--name-only", "HEAD", "src", "inputs").stdout.decode().split("\n")
    tmp = Path(tempfile.mkdtemp(prefix="r7rs-", dir=cache.parent if cache.parent.is_dir() else None))
    for name in filter(None, names):
        blob = _git(gitdir, "cat-file", "-p", f"HEAD:{name}")
        if blob.returncode == 0:
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp / name).write_bytes(blob.stdout)
    cache.parent.mkdir(parents=True, exist_ok=True)
    if cache.exists():
        shutil.rmtree(tmp)
    else:
        tmp.rename(cache)
    return cache


def _bib(work: Path, suite: Path) -> tuple[int, int, int]:
    """``inputs/bib`` for cat, tail and wc: the suite's file when the copy has it, else a
    deterministic text of BibTeX-like lines.  Returns its counts as wc.scm computes them
    (lines, words separated by space/newline only, characters)."""
    src = suite / "inputs" / "bib"
    if src.is_file():
        text = src.read_text(encoding="latin-1")
    else:
        lines = []
        for i in range(6000):
            lines.append(f"@article{{key{i},")
            lines.append(f"  author = {{Author {i % 97} and Other {i % 89}}},")
            lines.append(f"  title = {{On the {i}th property of lists, trees and vectors}},")
            lines.append(f"  year = {1950 + i % 70}, pages = {{{i}--{i + 17}}}}}")
        text = "\n".join(lines) + "\n"
    (work / "inputs" / "bib").write_text(text, encoding="latin-1")
    words, inword = 0, False
    for ch in text:
        if ch == " " or ch == "\n":
            inword = False
        elif not inword:
            words, inword = words + 1, True
    return text.count("\n"), words, len(text)


def prepare(suite: Path, work: Path) -> None:
    """A working directory laid out as the suite expects (``inputs/``, ``outputs/``)."""
    (work / "inputs").mkdir(parents=True, exist_ok=True)
    (work / "outputs").mkdir(exist_ok=True)
    for f in (suite / "inputs").iterdir():
        dest = work / "inputs" / f.name
        if not dest.exists() and f.name != "bib":
            dest.symlink_to(f)
    counts = _bib(work, suite)
    (work / "wc-counts").write_text("({} {} {})".format(*counts))


def assemble(suite: Path, work: Path, name: str) -> Path:
    src = suite / "src"
    text = "".join((src / part).read_text(encoding="utf-8", errors="replace")
                   for part in ("Guile3-prelude.scm", f"{name}.scm", "common.scm", "common-postlude.scm"))
    out = work / f"{name}.scm"
    out.write_text(text)
    return out


_FIRST_DATUM = re.compile(r"\A((?:\s|;[^\n]*\n)*)(\S+)")


def program_input(suite: Path, work: Path, name: str, count: int | None = None) -> str:
    """The input text of ``name``: the table's, with ``count`` (if given) as its first datum."""
    spec = INPUTS.get(name)
    text = spec if isinstance(spec, str) else (suite / "inputs" / f"{name}.input").read_text()
    if name == "wc":  # the expected counts of the bib file actually used
        text = text.replace("(31102 851820 4460056)", (work / "wc-counts").read_text())
    n = count if count is not None else (spec if isinstance(spec, int) else None)
    if n is not None:
        text = _FIRST_DATUM.sub(lambda m: m.group(1) + str(n), text, count=1)
    return text


# ---------------------------------------------------------------- running


class Result:
    def __init__(self, ok: bool, cpu: float, rss_kb: int, note: str = "", output: str = "") -> None:
        self.ok, self.cpu, self.rss_kb, self.note, self.output = ok, cpu, rss_kb, note, output


_FAILED_INPUT = re.compile(r"\*\*\*\*\* test failed \*\*\*\*\*\n(.*)\n")


def judge_read0(guile: Result, other: Result) -> None:
    """read0's own verdict cannot be used: its ``dotest`` never passes an input whose expected
    outcome is an error (the error branch is disabled by ``(and #f ...)``), so every
    implementation, Guile included, reports 9 failures and "incorrect result"; and 8 more of its
    inputs expect R6RS rather than R7RS or Guile syntax.  The run counts as correct when it ran
    to the end and every input it reports failed is one Guile's interpreter (same run) fails too:
    schemy reads no input worse than the reference.  Guile's own run is the reference."""
    def failed(r: Result) -> set[str] | None:
        if "+!CSVLINE!+" not in r.output:
            return None
        return set(_FAILED_INPUT.findall(r.output))

    ref, mine = failed(guile), failed(other)
    if ref is None:
        return
    guile.ok, guile.note = True, guile.note if not guile.note.startswith("wrong result") else ""
    if mine is None:
        return
    extra = sorted(mine - ref)
    other.ok = not extra
    other.note = "" if not extra else f"{len(extra)} inputs read worse than guile: {' '.join(extra)[:60]}"


def run(cmd: list[str], stdin_text: str, cwd: Path, timeout: float) -> Result:
    """Run ``cmd``; its CPU time (user+sys) and peak RSS come from ``wait4`` on that child."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as inp:
        inp.write(stdin_text.encode())
        inp.seek(0)
        proc = subprocess.Popen(cmd, stdin=inp, stdout=out, stderr=subprocess.STDOUT, cwd=cwd,
                                start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:
            pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                os.killpg(proc.pid, 9)
                pid, status, ru = os.wait4(proc.pid, 0)
                proc.returncode = -9
                return Result(False, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, f"timeout {timeout:.0f}s")
            time.sleep(0.01)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode(errors="replace")
    cpu = ru.ru_utime + ru.ru_stime
    if "ERROR: returned incorrect result" in text:
        m = re.search(r"incorrect result: (.*)", text)
        return Result(False, cpu, ru.ru_maxrss, "wrong result " + (m.group(1)[:60] if m else ""), text)
    if proc.returncode != 0 or "+!CSVLINE!+" not in text:
        last = [line for line in text.strip().splitlines() if line.strip()][-1:] or [f"exit {proc.returncode}"]
        return Result(False, cpu, ru.ru_maxrss, last[0][:80])
    return Result(True, cpu, ru.ru_maxrss, output=text)


def schemy_cmd() -> list[str]:
    venv = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "schemy"
    exe = str(venv) if venv.exists() else shutil.which("schemy", path=str(Path(sys.executable).parent)) \
        or shutil.which("schemy")
    return [exe or "schemy", "run"]


def compile_guile(prog: Path) -> Path | None:
    """Compile with Guile at -O3, once per program text (kept in the user's cache)."""
    import hashlib

    digest = hashlib.sha256(prog.read_bytes()).hexdigest()[:16]
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "schemy" / "r7rs-go"
    go = cache / f"{prog.stem}-{digest}.go"
    if go.exists():
        return go
    cache.mkdir(parents=True, exist_ok=True)
    code = (f'(use-modules (system base compile)) (compile-file "{prog}" #:output-file "{go}"'
            ' #:optimization-level 3)')  # what `guild compile -O3` does
    done = subprocess.run(["guile", "--no-auto-compile", "-c", code], capture_output=True, check=False)
    return go if done.returncode == 0 else None


def _gmean(xs: list[float]) -> float:
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def _mb(kb: int) -> str:
    return f"{kb / 1024:.0f} MB"


def bench_suite(rows: list, args: list[str]) -> None:
    """Run the suite (``args``: program names, ``--suite-dir DIR``, ``--timeout S``, ``--calibrate``)."""
    names, suite_dir, timeout, calibrate, baseline = [], None, 120.0, False, None
    it = iter(args)
    for a in it:
        if a == "--suite-dir":
            suite_dir = next(it)
        elif a == "--baseline":
            baseline = next(it)
        elif a == "--jobs":
            os.environ["SCHEMY_SUITE_JOBS"] = next(it)
        elif a == "--timeout":
            timeout = float(next(it))
        elif a == "--calibrate":
            calibrate = True
        elif a == "--count":
            os.environ["SCHEMY_SUITE_COUNT"] = next(it)
        else:
            names.append(a)
    suite = locate(suite_dir)
    if suite is None:
        print(f"suite: skipped, no copy of the R7RS benchmarks at {suite_dir or os.environ.get(ENV_VAR) or DEFAULT_DIR}"
              f" (set ${ENV_VAR} or pass --suite-dir DIR)", file=sys.stderr)
        return
    if shutil.which("guile") is None:
        print("suite: skipped, guile not installed (Debian package guile-3.0)", file=sys.stderr)
        return
    unknown = [n for n in names if n not in PROGRAMS]
    if unknown:
        raise SystemExit(f"suite: unknown programs {' '.join(unknown)}; known: {' '.join(PROGRAMS)}")
    names = names or PROGRAMS
    # As an installed package is: byte-compiled (with PYTHONDONTWRITEBYTECODE set, as here, every
    # start would otherwise recompile schemy's Python, ~0.1-0.2 s of CPU per program).
    root = Path(__file__).resolve().parent.parent
    py = str(root / ".venv" / "bin" / "python") if (root / ".venv" / "bin" / "python").exists() else sys.executable
    # The byte code is removed afterwards: left in the tree, it would shadow schemy's own
    # byte-code cache (schemy.cli.bytecode stands aside for a byte-compiled tree) and, once a
    # module is edited, be stale: Python, not allowed to rewrite it, would then compile that
    # module from source at every start of every later run.
    made = [d for d in _pycache_dirs(root / "schemy") if not d.exists()]
    try:
        _run_suite(rows, suite, names, timeout, calibrate, baseline, root, py)
    finally:
        for d in made:
            shutil.rmtree(d, ignore_errors=True)


def _pycache_dirs(package: Path) -> list[Path]:
    return [d / "__pycache__" for d in [package, *package.rglob("*")] if d.is_dir() and d.name != "__pycache__"]


def _run_suite(rows: list, suite: Path, names: list[str], timeout: float, calibrate: bool,
               baseline: str | None, root: Path, py: str) -> None:
    subprocess.run([py, "-m", "compileall", "-q", str(root / "schemy")], check=False,
                   stdout=subprocess.DEVNULL, env={k: v for k, v in os.environ.items()
                                                   if k != "PYTHONDONTWRITEBYTECODE"})
    if baseline:
        subprocess.run([py, "-m", "compileall", "-q", str(Path(baseline) / "schemy")], check=False,
                       stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory(prefix="schemy-suite-") as tmp:
        work = Path(tmp)
        prepare(suite, work)
        if calibrate:
            _calibrate(suite, work, names, timeout)
            return
        _measure(rows, suite, work, names, timeout, baseline)


def baseline_cmd(tree: str) -> list[str]:
    """schemy from another source tree (``git archive COMMIT schemy stdlib``), run by this venv's
    Python: a before/after comparison in the same run."""
    return ["env", f"PYTHONPATH={tree}", sys.executable if ".venv" in sys.executable
            else str(Path(__file__).resolve().parent.parent / ".venv" / "bin" / "python"), "-m", "schemy", "run"]


def _measure(rows: list, suite: Path, work: Path, names: list[str], timeout: float,
             baseline: str | None = None) -> None:
    env_note = os.environ.get("GC_INITIAL_HEAP_SIZE")
    befores: dict[str, Result] = {}

    def one(name: str) -> tuple:
        prog = assemble(suite, work, name)
        text = program_input(suite, work, name)
        gi = run(["guile", "--no-auto-compile", str(prog)], text, work, timeout)
        go = compile_guile(prog)
        gc = run(["guile", "--no-auto-compile", "-c", f'(load-compiled "{go}")'], text, work, timeout) \
            if go else Result(False, 0.0, 0, "guile compile failed")
        sc = run([*schemy_cmd(), str(prog)], text, work, timeout)
        if name == "read0":
            judge_read0(gc, sc)  # compiled Guile: the reference for its own column
            judge_read0(gi, sc)
        status = "ok" if sc.ok else f"FAIL ({sc.note})"
        if baseline:
            old = run([*baseline_cmd(baseline), str(prog)], text, work, timeout)
            if name == "read0":
                judge_read0(gi, old)
            befores[name] = old
            status += f"  baseline {old.cpu:6.2f}s {'ok' if old.ok else 'FAIL (' + old.note + ')'}"
        print(f"... suite: {name:<11} guile {gi.cpu:6.2f}s  compiled {gc.cpu:6.2f}s  schemy {sc.cpu:6.2f}s  {status}",
              file=sys.stderr, flush=True)
        return name, gi, gc, sc

    # Programs may run side by side (--jobs N): the figures are CPU times of each child, which
    # other processes on the machine hardly change.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=int(os.environ.get("SCHEMY_SUITE_JOBS", "1"))) as pool:
        results = list(pool.map(one, names))
    good = [(n, gi, gc, sc) for n, gi, gc, sc in results if gi.ok and gc.ok and sc.ok]
    for name, gi, gc, sc in results:
        if sc.ok and gi.ok:
            ratio = f"{sc.cpu / gi.cpu:.2f}x"
            ref = f"guile {gi.cpu:.2f} s, compiled {gc.cpu:.2f} s" + (f" ({sc.cpu / gc.cpu:.0f}x)" if gc.ok else "")
        else:
            ratio = "FAIL" if not sc.ok else "guile failed"
            ref = (sc.note if not sc.ok else gi.note)[:50]
        if name in befores:
            old = befores[name]
            ref += f"; baseline {old.cpu:.2f} s" + (f" ({old.cpu / gi.cpu:.2f}x)" if old.ok and gi.ok else " FAIL")
        rows.append((f"suite: {name}", f"{sc.cpu:.2f} s cpu", ref, ratio))
    vs_interp = [sc.cpu / gi.cpu for _, gi, _, sc in good]
    vs_comp = [sc.cpu / gc.cpu for _, _, gc, sc in good]
    failures = [n for n, _, _, sc in results if not sc.ok]
    worst = sorted(((sc.cpu / gi.cpu, n) for n, gi, _, sc in good), reverse=True)[:5]
    big = sorted(good, key=lambda r: -r[1].rss_kb)[:3]
    # and the program whose peak RSS is largest next to Guile's, and `compiler` (issue 21's
    # memory target names it; it is not among Guile's three largest)
    worst_rss = max(good, key=lambda r: r[3].rss_kb / max(r[1].rss_kb, 1), default=None)
    for r in [worst_rss, *(r for r in good if r[0] == "compiler")]:
        if r is not None and r not in big:
            big.append(r)
    rows.append(("suite: geometric mean vs guile --no-auto-compile", f"{_gmean(vs_interp):.2f}x",
                 f"{len(good)} of {len(results)} programs", ""))
    rows.append(("suite: geometric mean vs compiled guile (-O3)", f"{_gmean(vs_comp):.1f}x", "", ""))
    rows.append(("suite: worst vs guile interpreter", ", ".join(f"{n} {r:.1f}x" for r, n in worst), "", ""))
    for n, gi, _, sc in big:
        before = f"; baseline {_mb(befores[n].rss_kb)} ({befores[n].rss_kb / gi.rss_kb:.1f}x)" if n in befores else ""
        rows.append((f"suite: peak RSS {n}", _mb(sc.rss_kb), f"guile {_mb(gi.rss_kb)}{before}",
                     f"{sc.rss_kb / gi.rss_kb:.1f}x"))
    if befores:
        pairs = [(befores[n].cpu / gi.cpu) for n, gi, _, _ in good if befores[n].ok]
        rows.append(("suite: baseline geometric mean vs guile --no-auto-compile", f"{_gmean(pairs):.2f}x",
                     f"{len(pairs)} programs correct in both; baseline failures: "
                     + (" ".join(n for n, r in befores.items() if not r.ok) or "none"), ""))
    rss = [sc.rss_kb / gi.rss_kb for _, gi, _, sc in good]
    summary = (f"suite summary: {len(results) - len(failures)}/{len(results)} correct"
               f"{' (failed: ' + ' '.join(failures) + ')' if failures else ''}; schemy/guile-interpreter "
               f"geomean {_gmean(vs_interp):.2f}x, worst {worst[0][1] + f' {worst[0][0]:.1f}x' if worst else '-'}, "
               f"programs over 3x: {sum(r > 3 for r in vs_interp)}; vs compiled guile {_gmean(vs_comp):.1f}x; "
               f"peak RSS geomean {_gmean(rss):.1f}x guile's")
    rows.append((summary, "", "", ""))
    if env_note:
        rows.append((f"(GC_INITIAL_HEAP_SIZE={env_note})", "", "", ""))


def _calibrate(suite: Path, work: Path, names: list[str], timeout: float) -> None:
    """Print, per program, Guile's interpreter CPU time at the table's input and the count
    that would bring it to about 1.5 s (and what the program returned when it was wrong)."""
    for name in names:
        prog = assemble(suite, work, name)
        forced = os.environ.get("SCHEMY_SUITE_COUNT")
        text = program_input(suite, work, name, int(forced) if forced else None)
        r = run(["guile", "--no-auto-compile", str(prog)], text, work, timeout)
        m = _FIRST_DATUM.match(text)
        count = int(m.group(2)) if m and m.group(2).isdigit() else None
        hint = ""
        if r.ok and count:
            per = max(r.cpu - 0.03, 0.001) / count
            hint = f"-> count {max(1, round(1.5 / per))}"
        print(f"{name:<11} count {count}  guile {r.cpu:6.2f}s  {'ok' if r.ok else r.note}  {hint}", flush=True)
