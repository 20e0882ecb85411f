"""Talking to a machine with the host's own OpenSSH client (``ssh``), nothing in between.

Host keys are always checked (``StrictHostKeyChecking=yes``): against the machine's
``host-key`` field when it is set, otherwise against the user's known_hosts files, as
``ssh`` does.  An unknown or changed key is a refusal, never a prompt.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from typing import IO

from schemy.deploy.machines import SshConfig

CONNECT_TIMEOUT = 10


class DeployError(Exception):
    """One machine's deployment failed; the message is the one line shown for it."""


@dataclass
class Result:
    code: int
    out: str
    err: str


def ssh_program() -> str:
    path = shutil.which("ssh")
    if path is None:
        raise DeployError("the OpenSSH client `ssh` is not installed (Debian package openssh-client)")
    return path


class Connection:
    """How to reach one machine: the ``ssh`` command line for its configuration."""

    def __init__(self, conf: SshConfig, name: str) -> None:
        self.conf = conf
        self.name = name
        self._dir = tempfile.mkdtemp(prefix="schemy-ssh-")
        self.alias = f"schemy-deploy-{re.sub(r'[^A-Za-z0-9._-]', '_', name)}"
        options = ["-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                   "-o", f"ConnectTimeout={CONNECT_TIMEOUT}", "-o", "LogLevel=ERROR",
                   "-o", "ServerAliveInterval=15", "-p", str(conf.port), "-l", conf.user]
        if conf.host_key:
            known = os.path.join(self._dir, "known_hosts")
            with open(known, "w") as fh:
                fh.write(f"{self.alias} {conf.host_key.strip()}\n")
            # The key is checked under an alias, so the machine's own line in known_hosts
            # (whatever its host name and port) neither helps nor hinders.
            options += ["-o", f"UserKnownHostsFile={known}", "-o", "GlobalKnownHostsFile=/dev/null",
                        "-o", f"HostKeyAlias={self.alias}", "-o", "UpdateHostKeys=no"]
        if conf.identity:
            options += ["-i", os.path.expanduser(conf.identity), "-o", "IdentitiesOnly=yes"]
        self.argv = [ssh_program(), *options, conf.host_name]

    def close(self) -> None:
        shutil.rmtree(self._dir, ignore_errors=True)

    def run(self, script: str, stdin: bytes | IO[bytes] | None = None, timeout: float = 600) -> Result:
        """Run the POSIX shell ``script`` on the machine (with ``sh -c``, whatever the login
        shell of the user there)."""
        argv = [*self.argv, "--", "sh -c " + shlex.quote(script)]
        try:
            if stdin is None or isinstance(stdin, bytes):
                p = subprocess.run(argv, input=stdin if stdin is not None else b"", capture_output=True,
                                   timeout=timeout)
            else:
                p = subprocess.run(argv, stdin=stdin, capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise DeployError(f"no answer from {self.where()} within {int(timeout)} s") from None
        result = Result(p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"))
        if result.code == 255:
            raise DeployError(self.explain(result.err))
        return result

    def where(self) -> str:
        return f"{self.conf.user}@{self.conf.host_name}:{self.conf.port}"

    def explain(self, err: str) -> str:
        """One line saying why ssh could not run the command (exit status 255)."""
        text = err.strip()
        where = self.where()
        if "IDENTIFICATION HAS CHANGED" in text:
            return (f"refused: the host key of {where} has CHANGED, it does not match the "
                    + ("host-key field" if self.conf.host_key else "known_hosts file")
                    + " (someone may be impersonating the machine)")
        if "Host key verification failed" in text or "No matching host key" in text or "is not known" in text \
                or "host key is known" in text:
            if self.conf.host_key:
                return f"refused: the host key of {where} does not match its host-key field"
            return (f"refused: the host key of {where} is unknown (not in known_hosts); "
                    "set the machine's host-key field or add the key to ~/.ssh/known_hosts")
        if "Connection refused" in text:
            return f"unreachable: {where}: connection refused"
        if "timed out" in text:
            return f"unreachable: {where}: connection timed out"
        if "Could not resolve" in text or "Name or service not known" in text:
            return f"unreachable: {where}: unknown host name"
        if "No route to host" in text or "Network is unreachable" in text:
            return f"unreachable: {where}: no route to host"
        if "Permission denied" in text:
            return (f"refused: {where} did not accept the login as {self.conf.user}"
                    + (f" with identity {self.conf.identity}" if self.conf.identity else ""))
        last = text.splitlines()[-1] if text else "ssh failed"
        return f"ssh to {where} failed: {last}"
