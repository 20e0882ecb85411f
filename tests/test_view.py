"""`schemy system view`: the system's graphs as a local web page, checked in headless Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCHEMY = str(Path(sys.executable).with_name("schemy"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="headless checks need chromium: apt-get install chromium")

WEB_CONFIG = """(use-modules (gnu))
(use-service-modules shepherd)
(operating-system
  (host-name "viewed")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (mount-point "/") (device "/dev/sda1") (type "ext4"))
                      %base-file-systems))
  (services (cons (simple-service 'web shepherd-root-service-type
                   (list (shepherd-service
                          (provision '(web))
                          (documentation "A web server for the view test.")
                          (start #~(make-forkexec-constructor
                                    (list "{python}" "-m" "http.server" "0" "--bind" "127.0.0.1")))
                          (stop #~(make-kill-destructor)))))
                  %base-services)))
"""


def page_model(html: str) -> dict:
    m = re.search(r'<script id="model" type="application/json">(.*?)</script>', html, re.S)
    assert m, "the page carries no model"
    return json.loads(m.group(1))


def test_the_page_carries_both_graphs_and_each_services_fields(tmp_path):
    out = tmp_path / "g.html"
    r = subprocess.run([SCHEMY, "system", "view", str(REPO / "examples" / "ganeti-node.scm"), "-o", str(out)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    model = page_model(out.read_text())
    services = {n["id"]: n for n in model["services"]}
    assert services["ganeti"]["edges"] == ["shepherd-root", "mcron", "activate", "profile", "etc"]
    assert services["ganeti"]["instances"][0]["fields"]["file-storage-paths"] == '("/srv/ganeti/file-storage")'
    assert "gnu/services/ganeti.scm:" in services["ganeti"]["location"]
    shepherd = {n["id"]: n for n in model["shepherd"]}
    assert "user-processes" in shepherd["ganeti-noded"]["requirement"]


def test_a_config_error_is_reported_as_usual(tmp_path):
    bad = tmp_path / "bad.scm"
    bad.write_text("(use-modules (gnu))\n(operating-system (host-name 1))\n")
    r = subprocess.run([SCHEMY, "system", "view", str(bad), "-o", str(tmp_path / "g.html")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and r.stderr.startswith(f"{bad}:2:") and "Traceback" not in r.stderr


class Served:
    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen([SCHEMY, "system", "view", *args, "--port", "0"], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert m, line + self.proc.stderr.read()
        self.url = m.group(0)

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=10) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, b""

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def chromium(url: str, tmp_path: Path, *extra: str) -> str:
    profile = tmp_path / "chromium-profile"
    r = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
                        "--virtual-time-budget=3000", "--window-size=1400,900", *extra, url],
                       capture_output=True, text=True, timeout=120)
    return r.stdout


@needs_chromium
def test_the_served_page_lays_out_the_graph_and_shows_a_clicked_service(tmp_path):
    served = Served(str(REPO / "examples" / "ganeti-node.scm"))
    try:
        status, body = served.get("/")
        assert status == 200 and b"ganeti-noded" in body
        assert served.get("/nope")[0] == 404
        assert served.get("/status.json")[0] == 404  # no running manager for the default root
        dom = chromium(served.url + "#services=ganeti", tmp_path, "--dump-dom")
        nodes = re.findall(r'<g class="([^"]*)" data-node="([^"]+)"', dom)
        assert ("node selected", "ganeti") in nodes
        assert len(nodes) == len(page_model(body.decode())["services"])
        edge = r'<path d="M[-\d.]+,[-\d.]+ C[^"]+" class="edge"[^>]*data-edge="ganeti-&gt;shepherd-root"'
        assert re.search(edge, dom)
        fields = re.search(r'<table id="fields">(.*?)</table>', dom, re.S).group(1)
        assert '<td>file-storage-paths</td><td>("/srv/ganeti/file-storage")</td>' in fields
        dom = chromium(served.url + "#shepherd=ganeti-noded", tmp_path, "--dump-dom")
        assert '<g class="node selected" data-node="ganeti-noded"' in dom
        assert "<td>requires</td><td>user-processes networking</td>" in dom
        shot = tmp_path / "view.png"
        chromium(served.url + "#services=ganeti", tmp_path, f"--screenshot={shot}")
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    finally:
        served.stop()


@needs_chromium
def test_with_a_running_root_the_shepherd_graph_shows_status(tmp_path):
    config = tmp_path / "web.scm"
    config.write_text(WEB_CONFIG.format(python=sys.executable))
    root = tmp_path / "root"
    env = dict(os.environ, SCHEMY_ROOT=str(root))
    r = subprocess.run([SCHEMY, "reconfigure", str(config)], env=env, capture_output=True, text=True, timeout=120)
    served = None
    try:
        assert r.returncode == 0, r.stdout + r.stderr
        served = Served(str(config), "--root", str(root))
        status, body = served.get("/status.json")
        web = {s["name"]: s for s in json.loads(body)["services"]}["web"]
        assert status == 200 and web["status"] == "running"
        dom = chromium(served.url + "#shepherd=web", tmp_path, "--dump-dom")
        time.sleep(0)
        assert re.search(r'<g class="node selected running" data-node="web"', dom), dom[:2000]
        assert "<td>status</td><td>running</td>" in dom
    finally:
        if served is not None:
            served.stop()
        subprocess.run([SCHEMY, "herd", "stop", "root"], env=env, capture_output=True, timeout=60)
