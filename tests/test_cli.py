"""The ``schemy`` command line: verbs, help, exit codes, error reports, graphs, search and
generations, through click's CliRunner and as real subprocesses."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from schemy.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SCHEMY = Path(sys.executable).parent / "schemy"


def cli(*args: str, env: dict[str, str] | None = None):
    """Run the command line in this process; stdout and stderr are kept apart."""
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False, prog_name="schemy")


def proc(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
         stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed ``schemy`` script as a real process."""
    full_env = dict(os.environ)
    full_env.pop("SCHEMY_ROOT", None)
    full_env.update(env or {})
    return subprocess.run([str(SCHEMY), *args], cwd=cwd, env=full_env, input=stdin,
                          capture_output=True, text=True, timeout=60, check=False)


# ---------------------------------------------------------------- version, help, usage


def test_version_prints_the_program_and_its_version():
    from schemy import __version__

    r = proc("--version")
    assert r.returncode == 0
    assert r.stdout.strip() == f"schemy, version {__version__}"


VERBS = [
    [], ["run"], ["eval"], ["repl"], ["reconfigure"], ["gc"], ["herd"],
    ["herd", "status"], ["herd", "start"], ["herd", "stop"], ["herd", "restart"],
    ["system"], ["system", "build"], ["system", "reconfigure"], ["system", "roll-back"],
    ["system", "list-generations"], ["system", "switch-generation"],
    ["system", "delete-generations"], ["system", "describe"], ["system", "diff"],
    ["system", "check"], ["system", "search"], ["system", "extension-graph"],
    ["system", "shepherd-graph"],
]


@pytest.mark.parametrize("verb", VERBS, ids=lambda v: " ".join(v) or "schemy")
def test_every_verb_has_help(verb):
    r = cli(*verb, "--help")
    assert r.exit_code == 0
    assert r.stdout.startswith("Usage: schemy " + " ".join(verb))
    # A sentence describing the verb follows the usage line.
    description = r.stdout.split("\n\n")[1].strip()
    assert len(description) > 20 and not description.startswith("Options")


def test_group_help_lists_verbs_with_untruncated_summaries():
    r = cli("system", "--help")
    summaries = r.stdout.split("Commands:")[1]
    for verb in ("build", "reconfigure", "roll-back", "list-generations", "switch-generation",
                 "delete-generations", "describe", "diff", "search", "extension-graph",
                 "shepherd-graph"):
        line = next(x for x in summaries.splitlines() if x.split()[:1] == [verb])
        assert not line.endswith("..."), line


def test_main_help_documents_exit_codes_and_completion():
    r = cli("--help")
    assert "Exit status: 0" in r.stdout
    assert "_SCHEMY_COMPLETE=bash_source schemy" in r.stdout


def test_unknown_verb_is_a_usage_error():
    r = proc("frobnicate")
    assert r.returncode == 2
    assert "No such command 'frobnicate'" in r.stderr


def test_missing_argument_is_a_usage_error():
    r = proc("system", "build")
    assert r.returncode == 2
    assert "Missing argument 'FILE'" in r.stderr


def test_eval_without_expression_is_a_usage_error():
    r = cli("eval")
    assert r.exit_code == 2
    assert "Missing option '-e'" in r.stderr


def test_bad_option_value_is_a_usage_error():
    r = cli("system", "extension-graph", "--format", "png", str(EXAMPLES / "bare-bones.scm"))
    assert r.exit_code == 2
    assert "'png' is not one of 'dot', 'svg'" in r.stderr


def test_too_many_generations_for_diff_is_a_usage_error(tmp_path):
    r = cli("system", "diff", "--root", str(tmp_path), "1", "2", "3")
    assert r.exit_code == 2


# ---------------------------------------------------------------- eval and run


def test_eval_prints_each_value_with_write():
    r = cli("eval", "-e", '(values 1 "a b")', "-e", "'sym", "-e", "(if #f #f)", "-e", "#\\x")
    assert r.exit_code == 0
    assert r.stdout == '1\n"a b"\nsym\n#\\x\n'


def test_eval_expressions_share_one_environment():
    r = cli("eval", "-e", "(define x 41)", "-e", "(+ x 1)")
    assert r.stdout.splitlines()[-1] == "42"


def test_run_command_line_is_file_then_args(tmp_path):
    script = tmp_path / "args.scm"
    script.write_text("(write (command-line)) (newline)\n")
    r = proc("run", str(script), "a", "--b", "-c")
    assert r.returncode == 0
    assert r.stdout == f'("{script}" "a" "--b" "-c")\n'


def test_run_passes_schemy_options_after_file_to_the_script(tmp_path):
    script = tmp_path / "args.scm"
    script.write_text("(write (cdr (command-line)))\n")
    r = cli("run", str(script), "--sandbox", "--help")
    assert r.exit_code == 0
    assert r.stdout == '("--sandbox" "--help")'


@pytest.mark.parametrize("form, code", [("(exit 3)", 3), ("(exit)", 0), ("(exit #t)", 0),
                                        ("(exit #f)", 1), ("(display 1)", 0)])
def test_run_exit_sets_the_exit_status(tmp_path, form, code):
    script = tmp_path / "exit.scm"
    script.write_text(f'(display "before\\n")\n{form}\n(display "after\\n")\n')
    r = cli("run", str(script)) if code != 3 else proc("run", str(script))
    assert (r.exit_code if code != 3 else r.returncode) == code
    assert r.stdout.startswith("before\n")
    assert ("after" in r.stdout) == (form == "(display 1)")


def test_eval_exit_sets_the_exit_status():
    assert proc("eval", "-e", "(exit 7)").returncode == 7


# ---------------------------------------------------------------- errors


BAD_SCRIPT = "(define (g) (car '()))\n(define (f) (+ 1 (g)))\n(f)\n"


def test_user_error_is_located_and_has_no_traceback(tmp_path):
    (tmp_path / "bad.scm").write_text(BAD_SCRIPT)
    r = proc("run", "bad.scm", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr == ("bad.scm:1:12: error: In procedure car: Wrong type argument in position 1 "
                        "(expecting pair): ()\n")
    assert r.stdout == ""


def test_config_error_is_located_in_the_config(tmp_path):
    config = tmp_path / "config.scm"
    config.write_text((EXAMPLES / "bare-bones.scm").read_text().replace(
        '(host-name "komputilo")', '(host-name "komputilo")\n  (hots-name "x")'))
    r = proc("system", "build", "--root", str(tmp_path / "root"), str(config))
    assert r.returncode == 1
    assert re.match(rf"{re.escape(str(config))}:\d+:\d+: error: .*hots-name", r.stderr)
    assert "Traceback" not in r.stderr


def test_debug_shows_scheme_backtrace_and_python_traceback(tmp_path):
    (tmp_path / "bad.scm").write_text(BAD_SCRIPT)
    r = proc("--debug", "run", "bad.scm", cwd=tmp_path)
    assert r.returncode == 1
    frames = r"^Backtrace:\n  bad.scm:3:0: in toplevel\n  bad.scm:2:\d+: in f\n  bad.scm:1:12: in g\n"
    assert re.search(frames, r.stderr, re.M)
    assert "bad.scm:1:12: error: In procedure car" in r.stderr
    assert "Traceback (most recent call last):" in r.stderr


def test_eval_syntax_error_is_a_user_error():
    r = proc("eval", "-e", "(car")
    assert r.returncode == 1
    assert r.stderr.startswith("<expr>:1:0: error: ")
    assert "Traceback" not in r.stderr


def test_missing_script_is_a_user_error(tmp_path):
    r = proc("run", str(tmp_path / "nothing.scm"))
    assert r.returncode == 1
    assert "nothing.scm: no such file" in r.stderr


def test_internal_error_shows_no_traceback_without_debug(monkeypatch):
    import schemy.cli.system

    def broken(_services):
        raise RuntimeError("boom")

    monkeypatch.setattr(schemy.cli.system, "extension_graph_dot", broken)
    r = cli("system", "extension-graph", str(EXAMPLES / "bare-bones.scm"))
    assert r.exit_code == 1
    assert "schemy: internal error: RuntimeError: boom" in r.stderr
    assert "--debug" in r.stderr
    assert "Traceback" not in r.stderr


# ---------------------------------------------------------------- -L


MODULE = """(define-module (my stuff)
  #:use-module (guix gexp)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:export (hello-service-type))

(define hello-service-type
  (service-type
   (name 'hello)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (greeting)
                               (list (shepherd-service
                                      (provision '(hello))
                                      (requirement '(user-processes))
                                      (start #~(make-forkexec-constructor
                                                (list "/bin/echo" #$greeting)))))))))
   (default-value "hi")
   (description "Say hello.")))
"""

CONFIG = """(use-modules (gnu) (my stuff))
(operating-system
  (host-name "h")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (device "/dev/sda1") (mount-point "/") (type "ext4"))
                      %base-file-systems))
  (services (cons (service hello-service-type) %base-services)))
"""


@pytest.fixture
def own_module(tmp_path):
    (tmp_path / "mods" / "my").mkdir(parents=True)
    (tmp_path / "mods" / "my" / "stuff.scm").write_text(MODULE)
    (tmp_path / "config.scm").write_text(CONFIG)
    return tmp_path


def test_load_path_option_lets_a_config_use_a_module(own_module):
    r = proc("-L", "mods", "system", "shepherd-graph", "config.scm", cwd=own_module)
    assert r.returncode == 0, r.stderr
    assert '"hello" -> "user-processes";' in r.stdout


def test_without_load_path_the_module_is_not_found(own_module):
    r = proc("system", "shepherd-graph", "config.scm", cwd=own_module)
    assert r.returncode == 1
    assert r.stderr.startswith("config.scm:1:19: error: no code for module (my stuff)")


def test_load_path_option_is_repeatable_and_used_by_eval(own_module):
    r = cli("-L", str(own_module / "nowhere"), "-L", str(own_module / "mods"),
            "eval", "-e", "(use-modules (gnu services) (my stuff))",
            "-e", "(service-type? hello-service-type)")
    assert r.stdout.splitlines()[-1] == "#t"


# ---------------------------------------------------------------- graphs


def dot_graph(text: str) -> tuple[dict[str, str], set[tuple[str, str]]]:
    """The nodes (id -> label) and edges of a dot text."""
    nodes = dict(re.findall(r'^  "([^"]+)" \[label = "([^"]*)"', text, re.M))
    edges = set(re.findall(r'^  "([^"]+)" -> "([^"]+)";', text, re.M))
    return nodes, edges


@pytest.fixture(scope="module")
def bare_bones_extension_graph():
    r = cli("system", "extension-graph", str(EXAMPLES / "bare-bones.scm"))
    assert r.exit_code == 0, r.stderr
    return r.stdout


@pytest.fixture(scope="module")
def ganeti_shepherd_graph():
    r = cli("system", "shepherd-graph", str(EXAMPLES / "ganeti-node.scm"))
    assert r.exit_code == 0, r.stderr
    return r.stdout


def test_extension_graph_is_a_dot_digraph(bare_bones_extension_graph):
    assert bare_bones_extension_graph.startswith('digraph "Service Type Dependencies" {\n')
    assert bare_bones_extension_graph.endswith("}\n")


def test_extension_graph_nodes_are_the_service_types(bare_bones_extension_graph):
    nodes, _ = dot_graph(bare_bones_extension_graph)
    assert {"system", "shepherd-root", "openssh", "static-networking", "etc", "account",
            "activate", "profile", "pam", "guix", "nscd", "mingetty", "udev"} <= set(nodes)
    assert all(label == name for name, label in nodes.items())


def test_extension_graph_edges_go_from_extender_to_extended(bare_bones_extension_graph):
    _, edges = dot_graph(bare_bones_extension_graph)
    assert {("openssh", "shepherd-root"), ("openssh", "account"), ("openssh", "pam"),
            ("openssh", "activate"), ("static-networking", "shepherd-root"),
            ("shepherd-root", "system"), ("etc", "system"), ("boot", "system"),
            ("activate", "boot"), ("hosts", "etc")} <= edges
    assert not any(a == "system" for a, _ in edges)


def test_extension_graph_edges_join_known_nodes(bare_bones_extension_graph):
    nodes, edges = dot_graph(bare_bones_extension_graph)
    assert {x for edge in edges for x in edge} <= set(nodes)


GANETI_REQUIREMENTS = {
    "ganeti-noded": {"user-processes", "networking"},
    "ganeti-confd": {"user-processes", "networking"},
    "ganeti-wconfd": {"user-processes"},
    "ganeti-luxid": {"user-processes"},
    "ganeti-rapi": {"user-processes", "networking"},
    "ganeti-kvmd": {"user-processes"},
    "ganeti-mond": {"user-processes", "networking"},
    "ganeti-metad": {"user-processes", "networking"},
}


def test_shepherd_graph_shows_every_ganeti_daemon_with_its_requirements(ganeti_shepherd_graph):
    nodes, edges = dot_graph(ganeti_shepherd_graph)
    for daemon, requirements in GANETI_REQUIREMENTS.items():
        assert daemon in nodes
        assert {b for a, b in edges if a == daemon} == requirements


def test_shepherd_graph_labels_nodes_with_their_provisions(ganeti_shepherd_graph):
    nodes, edges = dot_graph(ganeti_shepherd_graph)
    assert ganeti_shepherd_graph.startswith('digraph "Shepherd Service Dependencies" {\n')
    assert nodes["ssh-daemon"] == "ssh-daemon ssh sshd"
    assert nodes["mcron"] == "mcron"
    assert ("user-processes", "file-systems") in edges
    assert {x for edge in edges for x in edge} <= set(nodes)


def test_svg_without_graphviz_says_what_to_install(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda _name, *a, **k: None)
    r = cli("system", "extension-graph", "--format", "svg", str(EXAMPLES / "bare-bones.scm"))
    assert r.exit_code == 1
    assert r.stderr == ("error: --format svg needs Graphviz's `dot` program, which is not installed\n"
                        "hint: install Graphviz (Debian package: graphviz), or leave out --format svg "
                        "to print the dot text\n")
    assert r.stdout == ""


def test_svg_without_graphviz_as_a_process(tmp_path):
    r = proc("system", "shepherd-graph", "--format", "svg", str(EXAMPLES / "bare-bones.scm"),
             env={"PATH": str(tmp_path)})
    assert r.returncode == 1
    assert "needs Graphviz's `dot` program" in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed: apt-get install graphviz")
def test_svg_is_rendered_by_dot():
    r = proc("system", "shepherd-graph", "--format", "svg", str(EXAMPLES / "ganeti-node.scm"))
    assert r.returncode == 0, r.stderr
    assert "<svg" in r.stdout
    assert "<title>ganeti&#45;noded</title>" in r.stdout


# ---------------------------------------------------------------- search


def records(text: str) -> list[dict[str, str]]:
    """Parse recutils records: `field: value` lines, `+ ` continuation lines."""
    out = []
    for block in text.strip("\n").split("\n\n"):
        rec: dict[str, str] = {}
        last = None
        for line in block.splitlines():
            if line.startswith("+ "):
                rec[last] += "\n" + line[2:]
            else:
                last, _, value = line.partition(": ")
                last = last.rstrip(":")
                rec[last] = value
        out.append(rec)
    return out


@pytest.fixture(scope="module")
def libvirt_search():
    r = cli("system", "search", "libvirt")
    assert r.exit_code == 0, r.stderr
    return r.stdout


@pytest.fixture(scope="module")
def ganeti_search():
    r = cli("system", "search", "ganeti")
    assert r.exit_code == 0, r.stderr
    return r.stdout


def test_search_prints_records_with_guix_fields(libvirt_search):
    recs = records(libvirt_search)
    assert [r["name"] for r in recs][:2] == ["libvirt", "virtlogd"]
    for rec in recs:
        assert list(rec) == ["name", "location", "extends", "description", "relevance"]
    # As Guix's, libvirt extends etc too (/etc/qemu/firmware).
    assert recs[0]["extends"].split() == ["shepherd-root", "account", "activate", "polkit", "profile", "etc"]
    assert recs[0]["description"].startswith("Run libvirtd, the server side daemon")


def location_form(location: str) -> str:
    """The source text at FILE:LINE:COL (1-based line, 0-based column)."""
    file, line, col = location.rsplit(":", 2)
    return Path(file).read_text().splitlines()[int(line) - 1][int(col):]


def test_search_location_is_the_service_type_definition(libvirt_search):
    rec = records(libvirt_search)[0]
    assert re.fullmatch(r"/.*/stdlib/gnu/services/virtualization\.scm:\d+:\d+", rec["location"])
    file, line, _ = rec["location"].rsplit(":", 2)
    text = Path(file).read_text().splitlines()
    assert location_form(rec["location"]).startswith("(service-type")
    assert text[int(line) - 2].strip() == "(define libvirt-service-type"


def test_search_locations_of_ganeti_types_point_at_their_definitions(ganeti_search):
    for rec in records(ganeti_search):
        form = location_form(rec["location"])
        assert form.startswith(("(service-type", "(define")), (rec["name"], form)
        if form.startswith("(define"):
            assert f"{rec['name']}-service-type" in form


def test_search_description_is_wrapped_with_plus_continuations(libvirt_search):
    block = libvirt_search.split("\n\n")[0].splitlines()
    start = next(i for i, x in enumerate(block) if x.startswith("description: "))
    continuation = block[start + 1:-1]
    assert continuation and all(x.startswith("+ ") for x in continuation)
    assert all(len(x) <= 80 for x in block if not x.startswith("location:"))
    assert block[-1].startswith("relevance: ")


def test_search_results_are_most_relevant_first(ganeti_search):
    recs = records(ganeti_search)
    scores = [int(r["relevance"]) for r in recs]
    assert scores == sorted(scores, reverse=True)
    assert recs[0]["name"] == "ganeti"
    names = {r["name"] for r in recs}
    assert {f"ganeti-{d}" for d in ("noded", "confd", "wconfd", "luxid", "rapi", "kvmd", "mond",
                                    "metad", "watcher", "cleaner")} <= names
    assert all("ganeti" in (r["name"] + r["description"]).lower() for r in recs)


def test_search_needs_every_regexp_to_match():
    recs = records(cli("system", "search", "ganeti", "^ganeti-r").stdout)
    assert [r["name"] for r in recs] == ["ganeti-rapi"]


def test_search_fields_lists_the_configuration_documentation():
    r = cli("system", "search", "--fields", "^libvirt$")
    lines = r.stdout.splitlines()
    assert "fields:" in lines
    assert any(x.startswith("+ tls-port (string): ") for x in lines)
    assert lines[-1].startswith("relevance: ")


def test_search_without_match_exits_1():
    r = cli("system", "search", "no-such-service-zzz")
    assert r.exit_code == 1
    assert r.stdout == ""


def test_search_with_a_bad_regexp_is_a_user_error():
    r = proc("system", "search", "(")
    assert r.returncode == 1
    assert r.stderr.startswith("error: invalid regular expression '(': ")
    assert "Traceback" not in r.stderr


# ---------------------------------------------------------------- generations


@pytest.fixture(scope="module")
def two_generations(tmp_path_factory):
    """A root switched to bare-bones, then to a variant with another host name and user."""
    tmp = tmp_path_factory.mktemp("gens")
    root = tmp / "root"
    second = tmp / "second.scm"
    second.write_text((EXAMPLES / "bare-bones.scm").read_text()
                      .replace("komputilo", "other-host").replace('(name "alice")', '(name "bob")'))
    first = cli("reconfigure", "--root", str(root), "--no-services", str(EXAMPLES / "bare-bones.scm"))
    assert first.exit_code == 0, first.stderr
    r = proc("system", "reconfigure", "--root", str(root), "--no-services", str(second))
    assert r.returncode == 0, r.stderr
    assert "switched to generation 2" in r.stdout
    return root, second


def test_list_generations_marks_the_current_one(two_generations):
    root, second = two_generations
    r = cli("system", "list-generations", "--root", str(root))
    assert r.exit_code == 0
    blocks = r.stdout.strip().split("\n\n")
    assert [b.split("\t")[0] for b in blocks] == ["Generation 1", "Generation 2"]
    assert "(current)" in blocks[1].splitlines()[0] and "(current)" not in blocks[0]
    assert f"configuration file: {EXAMPLES / 'bare-bones.scm'}" in blocks[0]
    assert f"configuration file: {second}" in blocks[1]
    assert re.search(r"  system: .*/store/[a-z0-9]{32}-system", blocks[1])


def test_describe_shows_config_store_path_and_services(two_generations):
    root, second = two_generations
    r = cli("system", "describe", "--root", str(root))
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0] == "Generation 2"
    assert f"  configuration file: {second}" in lines
    assert any(re.fullmatch(r"  system: .*/store/[a-z0-9]{32}-system", x) for x in lines)
    assert "    ssh-daemon" in lines
    assert "bob" in r.stdout and "alice" not in r.stdout


def test_diff_shows_files_as_unified_diffs_and_accounts(two_generations):
    root, _ = two_generations
    r = cli("system", "diff", "--root", str(root))
    assert r.exit_code == 0
    out = r.stdout
    assert out.startswith("--- generation 1\n+++ generation 2\n")
    assert "  ~ /etc/hostname\n    --- a/etc/hostname\n    +++ b/etc/hostname\n" in out
    assert "    -komputilo\n    +other-host\n" in out
    assert "  + user bob\n" in out and "  - user alice\n" in out


def test_diff_between_named_generations_goes_their_way(two_generations):
    root, _ = two_generations
    out = cli("system", "diff", "--root", str(root), "2", "1").stdout
    assert out.startswith("--- generation 2\n+++ generation 1\n")
    assert "    -other-host\n    +komputilo\n" in out
    assert "  + user alice\n" in out


def test_diff_of_a_generation_with_itself_is_identical(two_generations):
    root, _ = two_generations
    assert "(identical)" in cli("system", "diff", "--root", str(root), "2", "2").stdout


def test_diff_of_a_missing_generation_is_a_user_error(two_generations):
    root, _ = two_generations
    r = proc("system", "diff", "--root", str(root), "7")
    assert r.returncode == 1
    assert "error: generation 7 does not exist" in r.stderr


def test_roll_back_and_switch_generation(tmp_path):
    root = str(tmp_path / "root")
    for host in ("one", "two"):
        config = tmp_path / f"{host}.scm"
        config.write_text((EXAMPLES / "bare-bones.scm").read_text().replace("komputilo", host))
        assert cli("reconfigure", "--root", root, "--no-services", str(config)).exit_code == 0
    r = cli("system", "roll-back", "--root", root)
    assert r.exit_code == 0
    assert "to generation 1" in r.stdout
    assert cli("system", "describe", "--root", root).stdout.startswith("Generation 1\n")
    r = cli("system", "switch-generation", "--root", root, "2")
    assert r.exit_code == 0
    assert cli("system", "describe", "--root", root).stdout.startswith("Generation 2\n")
    r = cli("system", "switch-generation", "--root", root, "9")
    assert r.exit_code == 1
    assert "generation 9 does not exist" in r.stderr


def test_delete_generations_keeps_the_current_one(tmp_path):
    root = str(tmp_path / "root")
    for host in ("one", "two", "three"):
        config = tmp_path / f"{host}.scm"
        config.write_text((EXAMPLES / "bare-bones.scm").read_text().replace("komputilo", host))
        assert cli("reconfigure", "--root", root, "--no-services", str(config)).exit_code == 0
    r = cli("system", "delete-generations", "--root", root, "1..2")
    assert r.exit_code == 0
    assert r.stdout.startswith("deleted generations: 1 2\nremoved ")
    listing = cli("system", "list-generations", "--root", root).stdout
    assert re.findall(r"^Generation \d+", listing, re.M) == ["Generation 3"]
    assert cli("gc", "--root", root).stdout == "removed 0 store items\n"
    r = cli("system", "delete-generations", "--root", root, "soon")
    assert r.exit_code == 1
    assert "invalid generation pattern: soon" in r.stderr


def test_describe_without_a_system_says_so(tmp_path):
    r = cli("system", "describe", "--root", str(tmp_path))
    assert r.exit_code == 0
    assert r.stdout.startswith("no current system in ")


# ---------------------------------------------------------------- shell completion


def test_completion_script_is_printed_for_bash():
    r = proc(env={"_SCHEMY_COMPLETE": "bash_source"})
    assert r.returncode == 0
    assert "_schemy_completion()" in r.stdout
    assert "complete -o nosort -F _schemy_completion schemy" in r.stdout


@pytest.mark.parametrize("words, cword, expected", [
    ("schemy sys", "1", "plain,system"),
    ("schemy system ext", "2", "plain,extension-graph"),
    ("schemy system search --fi", "3", "plain,--fields"),
])
def test_completion_completes_verbs_and_options(words, cword, expected):
    r = cli(env={"_SCHEMY_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": cword})
    assert r.exit_code == 0
    assert expected in r.stdout.splitlines()


def test_output_into_a_closed_pipe_stops_quietly():
    """`schemy ... | head -1`: no "Broken pipe" error, no traceback; the status a shell reports
    for a Unix tool killed by SIGPIPE."""
    loop = "(let loop ((i 0)) (when (< i 200000) (display i) (newline) (loop (+ i 1))))"
    writer = subprocess.Popen([str(SCHEMY), "eval", "-e", loop], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert writer.stdout.readline() == b"0\n"
    writer.stdout.close()
    _, err = writer.communicate(timeout=60)
    assert err == b""
    assert writer.returncode == 141


def test_a_broken_pipe_the_program_opened_itself_is_still_an_error(tmp_path):
    r = proc("eval", "-e", "(use-modules (ice-9 popen))",
            "-e", "(let ((p (open-output-pipe \"true\"))) (sleep 1) "
                  "(let loop ((i 0)) (when (< i 100000) (display i p) (loop (+ i 1)))))")
    assert r.returncode == 1
    assert "Broken pipe" in r.stderr


@pytest.mark.parametrize("args, expected", [
    (["--root", "r", "herd", "status"], ["--root", "r", "herd", "status"]),
    (["herd", "status", "--root", "r"], ["--root", "r", "herd", "status"]),
    (["system", "--root=r", "list-generations"], ["--root=r", "system", "list-generations"]),
    (["system", "build", "c.scm", "--debug"], ["--debug", "system", "build", "c.scm"]),
    (["run", "s.scm", "--debug", "--root", "x"], ["run", "s.scm", "--debug", "--root", "x"]),
    (["--debug", "run", "s.scm", "--root"], ["--debug", "run", "s.scm", "--root"]),
    (["eval", "-e", "--debug"], ["eval", "-e", "--debug"]),
    (["herd", "status", "--", "--debug"], ["herd", "status", "--", "--debug"]),
])
def test_debug_and_root_are_accepted_anywhere(args, expected):
    from schemy.cli.main import global_options_first

    assert global_options_first(args) == expected


def test_root_before_the_verb_reaches_the_system_verbs(tmp_path):
    r = proc("--root", str(tmp_path / "r"), "system", "list-generations")
    assert r.returncode == 0, r.stderr
    r2 = proc("system", "list-generations", "--root", str(tmp_path / "r"))
    assert r2.returncode == 0 and r2.stdout == r.stdout


def test_debug_after_the_verb_shows_the_backtrace(tmp_path):
    script = tmp_path / "bad.scm"
    script.write_text("(define (f x) (car x))\n(f 1)\n")
    r = proc("eval", "-e", "(car 1)", "--debug")
    assert r.returncode == 1
    assert "Traceback" in r.stderr and "error: In procedure car" in r.stderr


MISSPELLED = """(use-modules (gnu))
(use-service-modules virtualization)
(operating-system
  (host-name "h")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems %base-file-systems)
  (services (cons (service {type}) %base-services)))
"""


def test_a_misspelled_service_type_gets_a_suggestion(tmp_path):
    config = tmp_path / "c.scm"
    config.write_text(MISSPELLED.format(type="virtlogd-service-type"))
    r = proc("system", "check", str(config))
    assert r.returncode == 1
    assert r.stderr == f"{config}:7:27: error: virtlogd-service-type: unbound variable\n" \
                       "hint: Did you mean virtlog-service-type?\n" \
                       f"{config}: 1 error found\n"


def test_a_misspelling_of_a_name_from_a_module_not_imported_names_the_module(tmp_path):
    config = tmp_path / "c.scm"
    config.write_text(MISSPELLED.replace("(use-service-modules virtualization)\n", "")
                      .format(type="libvirt-service-typ"))
    r = proc("system", "check", str(config))
    assert "hint: Did you mean libvirt-service-type? It is in (gnu services virtualization): " \
           "(use-service-modules virtualization)" in r.stderr


def test_a_misspelled_core_procedure_gets_a_suggestion():
    r = proc("eval", "-e", "(lenght (list 1))")
    assert r.stderr == "<expr>:1:0: error: lenght: unbound variable\nhint: Did you mean length?\n"


def test_reconfigure_and_diff_name_the_configuration_fields_that_changed(tmp_path):
    root = str(tmp_path / "root")
    first = (EXAMPLES / "libvirt.scm").read_text()
    assert '(tls-port "16555")' in first
    (tmp_path / "a.scm").write_text(first)
    (tmp_path / "b.scm").write_text(first.replace('(tls-port "16555")', '(tls-port "16556") (max-clients 42)'))
    assert cli("reconfigure", "--root", root, "--no-services", str(tmp_path / "a.scm")).exit_code == 0
    r = cli("reconfigure", "--root", root, "--no-services", str(tmp_path / "b.scm"))
    assert r.exit_code == 0
    expected = '  ~ libvirt: max-clients 5000 → 42, tls-port "16555" → "16556"'
    assert expected in r.stdout.splitlines()
    assert expected in cli("system", "diff", "--root", root).stdout.splitlines()


def test_an_unchanged_configuration_with_another_file_name_shows_no_field_change(tmp_path):
    root = str(tmp_path / "root")
    text = (EXAMPLES / "libvirt.scm").read_text()
    (tmp_path / "a.scm").write_text(text)
    (tmp_path / "b.scm").write_text(text)
    assert cli("reconfigure", "--root", root, "--no-services", str(tmp_path / "a.scm")).exit_code == 0
    r = cli("reconfigure", "--root", root, "--no-services", str(tmp_path / "b.scm"))
    assert "~ libvirt" not in r.stdout


@pytest.mark.parametrize("name, module_file, definition", [
    ("libvirt", "gnu/services/virtualization.scm", "(service-type"),
    ("libvirt-configuration", "gnu/services/virtualization.scm", "(define-configuration libvirt-configuration"),
    ("%base-services", "gnu/services/base.scm", "(define %base-services"),
    ("operating-system", "gnu/system.scm", "(define-syntax operating-system"),
])
def test_system_edit_opens_the_definition_at_its_line(tmp_path, name, module_file, definition):
    record = tmp_path / "args"
    editor = tmp_path / "editor"
    editor.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$@\" > {record}\n")
    editor.chmod(0o755)
    r = proc("system", "edit", name, env={"EDITOR": str(editor), "VISUAL": ""})
    assert r.returncode == 0, r.stderr
    line, path = record.read_text().splitlines()
    assert path.endswith("stdlib/" + module_file)
    text = Path(path).read_text().splitlines()[int(line.lstrip("+")) - 1]
    assert definition in text


def test_system_edit_of_an_unknown_name_is_a_clear_error():
    r = proc("system", "edit", "no-such-service", env={"EDITOR": "true"})
    assert r.returncode == 1
    assert r.stderr.startswith("error: no-such-service: no service type or library variable of that name")


def _run_with_terminal_stderr(args: list[str], cwd: Path) -> tuple[str, bytes, int]:
    """Run schemy with stderr on a pseudo-terminal (stdout piped): (stdout, terminal bytes, status)."""
    import select

    master, slave = os.openpty()
    env = dict(os.environ)
    env.pop("SCHEMY_ROOT", None)
    p = subprocess.Popen([str(SCHEMY), *args], cwd=cwd, stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        elif p.poll() is not None:
            break
    out = p.stdout.read().decode()
    p.wait(60)
    os.close(master)
    return out, seen, p.returncode


def test_reconfigure_shows_progress_on_a_terminal_and_keeps_output_clean(tmp_path):
    root = tmp_path / "root"
    out, terminal, code = _run_with_terminal_stderr(
        ["reconfigure", "--no-services", "--root", str(root), str(EXAMPLES / "libvirt.scm")], tmp_path)
    assert code == 0
    assert b"\r\x1b[Kfolding services" in terminal
    assert b"\r\x1b[Kbuilding: " in terminal and terminal.endswith(b"\r\x1b[K")
    assert "\x1b" not in out and out.splitlines()[-1] == "switched to generation 1"


def test_progress_stays_off_when_stderr_is_not_a_terminal(tmp_path):
    r = proc("reconfigure", "--no-services", "--root", str(tmp_path / "root"), str(EXAMPLES / "libvirt.scm"))
    assert r.returncode == 0 and r.stderr == ""


def test_a_private_configurations_field_values_stay_out_of_the_systems_records(tmp_path):
    """services.json (what diffs compare) holds digests, not values, for a configuration only
    its owner may read (the files its services read are another matter, as in Guix)."""
    root = tmp_path / "root"
    text = (EXAMPLES / "libvirt.scm").read_text()
    config = tmp_path / "a.scm"
    config.write_text(text.replace('(tls-port "16555")', '(tls-port "16555") (mdns-name "secret-name-123")'))
    config.chmod(0o600)
    assert cli("reconfigure", "--root", str(root), "--no-services", str(config)).exit_code == 0
    config.write_text(text.replace('(tls-port "16555")', '(tls-port "16555") (mdns-name "other-name-456")'))
    r = cli("reconfigure", "--root", str(root), "--no-services", str(config))
    assert "~ libvirt: mdns-name #<hidden " in r.stdout
    records = [i for i in (root / "store").iterdir() if i.name.endswith(("-services.json", "-configuration.scm"))]
    assert records
    for item in records:
        data = item.read_bytes()
        assert b"secret-name-123" not in data and b"other-name-456" not in data, item


def test_a_dry_run_after_a_build_names_the_same_items_and_sees_no_change(tmp_path):
    """Computed files are named from the code that builds them, so a dry run (which runs no
    builder) names the very items the real build made."""
    root = str(tmp_path / "root")
    assert cli("reconfigure", "--root", root, "--no-services", str(EXAMPLES / "bare-bones.scm")).exit_code == 0
    r = cli("reconfigure", "--root", root, "--dry-run", str(EXAMPLES / "bare-bones.scm"))
    assert r.exit_code == 0
    assert "no changes to files, accounts or services" in r.stdout
