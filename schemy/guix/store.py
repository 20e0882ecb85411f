"""The content-addressed store: ``<root>/store/<hash>-<name>``.

An item's name is derived from its content, its references and its name, so
the same input always gives the same path and building twice writes
nothing new.  Items are made read-only once complete; they are written to a
temporary name first and renamed into place, so a crash never leaves a
half-written item under its final name.  A *dry* store computes the same
paths without writing anything (used when evaluating outside a build).
"""

from __future__ import annotations

import base64
import errno
import hashlib
import os
import stat
import sys
from pathlib import Path
from typing import Any

from schemy.lang.errors import scheme_error

_HASH_LEN = 32


def check_item_name(name: str) -> str:
    """Store item names are single path components: no '/', no '..', nothing hidden."""
    if not name or "/" in name or name in (".", "..") or name.startswith(".") or "\0" in name:
        raise scheme_error(f"invalid store item name: {name!r}", kind="store-error",
                           hint="a store item name must be a plain file name, without '/' or '..'")
    return name


def open_dir_nofollow(base: str | Path, rel_dir: str, create: bool = True, mode: int = 0o755) -> int:
    """A descriptor of ``base/rel_dir``, reached one component at a time without following
    any link (openat with O_NOFOLLOW), the missing directories created with ``mode``
    whatever the umask.  So nothing placed in the tree beforehand (a link named like a
    directory) can redirect a write outside it."""
    fd = os.open(base, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        for part in [p for p in rel_dir.split("/") if p]:
            if part in (".", ".."):
                raise scheme_error(f"refusing to write {base}/{rel_dir}: '..' in the name", kind="store-error")
            made = False
            if create:
                try:
                    os.mkdir(part, 0o700, dir_fd=fd)
                    made = True
                except FileExistsError:
                    pass
            try:
                new = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            except OSError as e:
                if e.errno in (errno.ELOOP, errno.ENOTDIR):
                    raise scheme_error(f"refusing to write under {base}/{rel_dir}: {part} is a link or a file, "
                                       "not a directory", kind="store-error") from None
                raise
            os.close(fd)
            fd = new
            if made:
                os.fchmod(fd, mode)
        return fd
    except BaseException:
        os.close(fd)
        raise


def write_new_file(name: str, data: bytes, mode: int, dir_fd: int | None = None, sync: bool = True) -> None:
    """Create ``name`` (which must not exist, not even as a link) with ``data`` and exactly
    ``mode``; with ``sync``, flushed to disk before returning."""
    fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600,
                 dir_fd=dir_fd)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fchmod(fd, mode)
        if sync:
            os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: str | Path) -> None:
    """Make a directory's entries (a rename, a new link) durable."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(len(p).to_bytes(8, "big"))
        h.update(p)
    return base64.b32encode(h.digest()).decode("ascii").lower().rstrip("=")[:_HASH_LEN]


class Store:
    """A store directory (or, with ``directory=None``, a dry store that only names items)."""

    def __init__(self, directory: str | Path | None, dry: bool = False, prefix: str | None = None,
                 python: str | None = None) -> None:
        self.directory = Path(directory) if directory is not None else None
        # Items are named under ``prefix``: the store's directory on the machine that will use
        # them.  It differs from ``directory`` when a system is built here for another machine
        # (``schemy deploy``): written here, they are copied to ``prefix`` there.
        self.prefix = prefix or (str(self.directory) if self.directory is not None else "/schemy/store")
        # The Python that runs schemy on that machine (what ``program-file`` scripts start).
        self.python = python or sys.executable
        self.written: set[str] = set()
        self._dry = dry

    @property
    def elsewhere(self) -> bool:
        """Whether the items are named for another directory than the one they are written to."""
        return self.directory is not None and self.prefix != str(self.directory)

    def local(self, path: str) -> str:
        """Where an item named ``path`` (or a file inside it) is on this machine."""
        if self.elsewhere and (path == self.prefix or path.startswith(self.prefix + "/")):
            return str(self.directory) + path[len(self.prefix):]
        return path

    def builder_store(self) -> Store:
        """The store a builder (a computed-file's code) reads its inputs from: this one, or, for
        items named for another machine, the same directory under its own name here (the
        builder's output is then relocated, see ``relocate``)."""
        return Store(self.directory, python=self.python) if self.elsewhere else self

    @property
    def dry(self) -> bool:
        """Whether items are only named, never written (no builder runs either): a store
        without a directory, or one opened for a dry run (its real paths, nothing written)."""
        return self.directory is None or self._dry

    def item_path(self, digest: str, name: str) -> str:
        return f"{self.prefix}/{digest}-{check_item_name(name)}"

    # ---------------------------------------------------------------- adding items
    def add_text(self, name: str, content: str | bytes, references: tuple[str, ...] = (),
                 executable: bool = False) -> str:
        data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
        digest = _digest(b"text", name.encode(), data, b"x" if executable else b"-",
                         *sorted(r.encode() for r in references))
        path = self.item_path(digest, name)
        if not self.dry and path not in self.written:
            self._write_atomically(path, lambda tmp: _write_file(tmp, data, executable))
            self.written.add(path)
        return path

    def add_path(self, name: str, source: str, recursive: bool = False) -> str:
        """Copy a file (or, with ``recursive``, a directory tree) into the store."""
        src = Path(source)
        if not src.exists():
            raise scheme_error(f"{source}: file not found", kind="system-error")
        if src.is_dir() and not recursive:
            raise scheme_error(f"{source}: is a directory (pass #:recursive? #t)", kind="system-error")
        _check_public(src, source)
        digest = _digest(b"path", name.encode(), _tree_hash(src).encode())
        path = self.item_path(digest, name)
        if not self.dry and path not in self.written:
            def build(tmp: str) -> None:
                import shutil  # where used: a warm build copies and deletes nothing

                if src.is_dir():
                    shutil.copytree(src, tmp, symlinks=True)
                else:
                    shutil.copy2(src, tmp)
            self._write_atomically(path, build)
            self.written.add(path)
        return path

    def add_path_at(self, path: str, source: str) -> str:
        """Copy a build's output (a file or a directory tree) into the store as ``path``, a
        name computed beforehand from what built it (a computed-file's code), so that a dry
        run names the very item a real build makes."""
        src = Path(source)
        if not src.is_symlink() and not src.exists():  # a symbolic link may dangle (symlink-to)
            raise scheme_error(f"{source}: file not found", kind="system-error")
        if not self.dry and path not in self.written:
            def build(tmp: str) -> None:
                import shutil  # where used: a warm build copies and deletes nothing

                if src.is_symlink():
                    os.symlink(os.readlink(src), tmp)
                elif src.is_dir():
                    shutil.copytree(src, tmp, symlinks=True)
                else:
                    shutil.copy2(src, tmp)
            self._write_atomically(path, build)
            self.written.add(path)
        return path

    def add_directory(self, name: str, entries: dict[str, Any]) -> str:
        """A directory of symlinks and small files: ``{relative/path: ("link", target) | ("text", data)}``."""
        parts = []
        for rel in sorted(entries):
            kind, value = entries[rel]
            parts.append(f"{kind}\0{rel}\0{value}".encode())
        digest = _digest(b"dir", name.encode(), *parts)
        path = self.item_path(digest, name)
        if not self.dry and path not in self.written:
            def build(tmp: str) -> None:
                os.mkdir(tmp, 0o700)
                for rel in sorted(entries):
                    kind, value = entries[rel]
                    parent, leaf = os.path.split(rel)
                    dir_fd = open_dir_nofollow(tmp, parent)
                    try:
                        if kind == "link":
                            os.symlink(value, leaf, dir_fd=dir_fd)
                        else:
                            _write_file(leaf, value.encode() if isinstance(value, str) else value, False,
                                        dir_fd=dir_fd)
                    finally:
                        os.close(dir_fd)
            self._write_atomically(path, build)
            self.written.add(path)
        return path

    # ---------------------------------------------------------------- plumbing
    def _write_atomically(self, path: str, build: Any) -> None:
        assert self.directory is not None
        path = self.local(path)
        if os.path.lexists(path):
            if self.verify(path):
                return
        import shutil  # here: a warm build finds its items and copies or deletes nothing

        if os.path.lexists(path):
            _make_writable(path)
            shutil.rmtree(path) if os.path.isdir(path) and not os.path.islink(path) else os.unlink(path)
        self.directory.mkdir(parents=True, exist_ok=True)
        # The item is built under a fresh hidden name in the store, then renamed into
        # place.  (Not inside a temporary directory: that costs a mkdir and an rmdir per
        # item, a third of the time of writing a small one.)
        tmp = os.path.join(self.directory, f".tmp-{os.getpid()}-{os.urandom(8).hex()}")
        try:
            build(tmp)
            _make_read_only(tmp)
            _sync_tree(tmp)
            os.rename(tmp, path)
            fsync_dir(self.directory)  # the item is durable under its final name
            self._record(path)
        finally:
            if os.path.lexists(tmp):  # the build failed: remove what it left
                try:
                    _make_writable(tmp)
                    shutil.rmtree(tmp) if os.path.isdir(tmp) and not os.path.islink(tmp) else os.unlink(tmp)
                except OSError:
                    pass

    def _record(self, path: str, content_hash: str | None = None) -> None:
        """Remember the item's content hash so corruption can be detected later.

        The record's first line is the content hash; the second a fingerprint of the
        tree's metadata (see ``_tree_fingerprint``) that lets ``verify`` skip re-hashing
        an item nobody touched since.
        """
        assert self.directory is not None
        meta = self.directory / ".hashes"
        try:
            os.mkdir(meta, 0o700)
            os.chmod(meta, 0o755)
        except FileExistsError:
            pass
        p = Path(path)
        digest = content_hash if content_hash is not None else _tree_hash(p)
        record = meta / os.path.basename(path)
        tmp = meta / f".tmp-{os.getpid()}-{os.urandom(4).hex()}"
        try:
            write_new_file(str(tmp), f"{digest}\n{_tree_fingerprint(path)}".encode(), 0o644, sync=False)
            os.replace(tmp, record)
        finally:
            if os.path.lexists(tmp):
                os.unlink(tmp)

    def verify(self, path: str) -> bool:
        """True when the item at ``path`` still has the content it was written with.

        An item whose metadata fingerprint is unchanged since it was recorded is taken
        as intact without reading it (writing to or chmod-ing any file of it changes its
        ctime); otherwise its content is hashed again, and the record refreshed when the
        content still matches.
        """
        if self.dry:
            return True
        path = self.local(path)
        record = self.directory / ".hashes" / os.path.basename(path)
        try:
            lines = record.read_text().split("\n")
            if len(lines) > 1 and lines[1] == _tree_fingerprint(path):
                return True
            digest = _tree_hash(Path(path))
            if lines[0] != digest:
                return False
        except OSError:
            return False
        try:
            self._record(path, digest)
        except OSError:
            pass
        return True


def relocate(path: str, old: str, new: str) -> None:
    """Rewrite ``old`` (a store's directory here) as ``new`` (its name on another machine) in
    the files and link targets of the tree at ``path``: what a builder that read its inputs
    here wrote is then what it would have written there."""
    before, after = old.encode() + b"/", new.encode() + b"/"
    entries = [path] if not os.path.isdir(path) or os.path.islink(path) else \
        [os.path.join(d, f) for d, dirs, files in os.walk(path) for f in files + dirs]
    for p in entries:
        if os.path.islink(p):
            target = os.readlink(p)
            if target.startswith(old + "/"):
                os.unlink(p)
                os.symlink(new + target[len(old):], p)
        elif os.path.isfile(p):
            with open(p, "rb") as fh:
                data = fh.read()
            if before in data:
                mode = os.stat(p).st_mode
                os.chmod(p, mode | stat.S_IWUSR)
                with open(p, "wb") as fh:
                    fh.write(data.replace(before, after))
                os.chmod(p, mode)


def _sync_tree(path: str) -> None:
    """fsync every file and directory of a freshly built item (files written by
    ``write_new_file`` are synced already; copies and directories are not)."""
    if os.path.islink(path):
        return
    if not os.path.isdir(path):
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        return
    for dirpath, _dirs, files in os.walk(path):
        for f in files:
            p = os.path.join(dirpath, f)
            if not os.path.islink(p):
                _sync_tree(p)
        fsync_dir(dirpath)


def _check_public(src: Path, source: str) -> None:
    """Refuse to copy into the (world-readable) store a file that not every user may read:
    ``(local-file "/etc/shadow")`` must not publish the host's password hashes."""
    paths = [src]
    if src.is_dir() and not src.is_symlink():
        paths += [p for p in src.rglob("*") if not p.is_symlink()]
    for p in paths:
        mode = p.stat().st_mode
        if not stat.S_ISDIR(mode) and not mode & stat.S_IROTH:
            shown = source if p == src else f"{p} (in {source})"
            raise scheme_error(f"{shown}: not readable by every user: refusing to copy it into the store, "
                               "which every user can read", kind="store-error",
                               hint="keep secrets out of the configuration (the store is public), or make "
                                    "the file readable by all (chmod o+r) if it holds no secret")


def _write_file(path: str, data: bytes, executable: bool, dir_fd: int | None = None) -> None:
    write_new_file(path, data, 0o555 if executable else 0o444, dir_fd=dir_fd, sync=False)  # see _sync_tree


def _tree_hash(path: Path) -> str:
    h = hashlib.sha256()
    if path.is_symlink():
        h.update(b"link:" + os.readlink(path).encode())
    elif path.is_dir():
        for child in sorted(path.iterdir()):
            h.update(child.name.encode() + b"\0" + _tree_hash(child).encode())
    else:
        mode = path.stat().st_mode
        h.update(b"x" if mode & stat.S_IXUSR else b"-")
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 16), b""):
                h.update(chunk)
    return h.hexdigest()


def _tree_fingerprint(path: str) -> str:
    """A hash of the metadata (type, mode, size, mtime, ctime, inode) of every entry of a tree."""
    h = hashlib.sha256()

    def add(p: str, rel: str) -> None:
        st = os.lstat(p)
        h.update(f"{rel}\0{st.st_mode}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}\n".encode())
        if stat.S_ISDIR(st.st_mode):
            for name in sorted(os.listdir(p)):
                add(os.path.join(p, name), f"{rel}/{name}")

    add(path, ".")
    return h.hexdigest()


def _make_read_only(path: str) -> None:
    if os.path.islink(path):
        return
    if os.path.isdir(path):
        for dirpath, _dirnames, filenames in os.walk(path):
            for f in filenames:
                p = os.path.join(dirpath, f)
                if not os.path.islink(p):
                    mode = os.stat(p).st_mode
                    os.chmod(p, 0o555 if mode & stat.S_IXUSR else 0o444)
        for dirpath, _dirnames, _ in sorted(os.walk(path), key=lambda t: -len(t[0])):
            os.chmod(dirpath, 0o555)
    else:
        mode = os.stat(path).st_mode
        os.chmod(path, 0o555 if mode & stat.S_IXUSR else 0o444)


def _make_writable(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        for dirpath, _d, _f in os.walk(path):
            os.chmod(dirpath, 0o755)
    elif not os.path.islink(path):
        os.chmod(path, 0o644)


DRY_STORE = Store(None)


# ---------------------------------------------------------------- moving items between machines
# ``schemy deploy`` builds a system here for another machine's store (``Store(prefix=...)``) and
# copies the items that machine lacks as one tar stream: a ``manifest.json`` (the store they were
# named for, and each item's content hash) followed by the items.  The receiving side checks every
# item against its hash before it enters the store, as ``guix archive --import`` does.

MANIFEST = "manifest.json"


def closure(store: Store, path: str) -> list[str]:
    """The names of the items ``path`` needs (itself included): those its files and links name,
    found by the hash that starts every item name, and theirs in turn."""
    import re

    hash_re = re.compile(re.escape(store.prefix + "/") + r"([a-z0-9]{32})-")
    assert store.directory is not None
    names = {entry.name[:32]: entry.name for entry in store.directory.iterdir() if not entry.name.startswith(".")}
    found: list[str] = []
    todo = [os.path.basename(store.local(path).rstrip("/"))]
    while todo:
        name = todo.pop()
        if name in found:
            continue
        found.append(name)
        for ref in _references(store.directory / name, hash_re):
            full = names.get(ref[:32])
            if full is None:
                raise scheme_error(f"{store.prefix}/{name} refers to the item {ref}-..., which is not in "
                                   f"{store.directory}", kind="store-error")
            todo.append(full)
    return sorted(found)


def _references(path: Path, hash_re: Any) -> list[str]:
    if path.is_symlink():
        return hash_re.findall(os.readlink(path))
    if path.is_dir():
        return [r for child in sorted(path.iterdir()) for r in _references(child, hash_re)]
    return hash_re.findall(path.read_bytes().decode("utf-8", "replace"))


def export_items(store: Store, names: list[str]) -> bytes:
    """A tar stream of the items ``names`` (and their manifest), for ``import_items`` elsewhere."""
    import io
    import json
    import tarfile

    assert store.directory is not None
    manifest = {"prefix": store.prefix,
                "items": {name: _tree_hash(store.directory / name) for name in names}}
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w") as tar:
        text = json.dumps(manifest, indent=1, sort_keys=True).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(text)
        info.mode = 0o444
        tar.addfile(info, io.BytesIO(text))
        for name in names:
            tar.add(store.directory / name, arcname=name, recursive=True)
    return data.getvalue()


def import_items(store: Store, stream: Any) -> list[str]:
    """Add the items of an ``export_items`` stream to ``store``; each one is checked against the
    content hash its manifest gives before it enters the store (a corrupted or tampered item is
    refused, and nothing of it is kept).  The names of the items added."""
    import json
    import shutil  # where used: a warm build copies and deletes nothing
    import tarfile

    assert store.directory is not None
    store.directory.mkdir(parents=True, exist_ok=True)
    staging = store.directory / f".tmp-import-{os.getpid()}-{os.urandom(6).hex()}"
    os.mkdir(staging, 0o700)
    try:
        with tarfile.open(fileobj=stream, mode="r|") as tar:
            manifest: dict | None = None
            for member in tar:
                if manifest is None:
                    if member.name != MANIFEST or not member.isfile():
                        raise scheme_error("not a schemy item archive (no manifest first)", kind="store-error")
                    manifest = json.loads(tar.extractfile(member).read())  # type: ignore[union-attr]
                    if manifest.get("prefix") != store.prefix:
                        raise scheme_error(f"the items were built for the store {manifest.get('prefix')}, "
                                           f"not for this one ({store.prefix})", kind="store-error",
                                           hint="deploy with the --root the items were built for")
                    continue
                _extract_member(tar, member, staging, manifest["items"])
        if manifest is None:
            raise scheme_error("not a schemy item archive (empty)", kind="store-error")
        added = []
        for name, digest in sorted(manifest["items"].items()):
            check_item_name(name)
            got = staging / name
            if not os.path.lexists(got):
                raise scheme_error(f"item {name} is missing from the archive", kind="store-error")
            if _tree_hash(got) != digest:
                raise scheme_error(f"item {name} arrived corrupted (its content does not match its hash)",
                                   kind="store-error")
            final = store.directory / name
            if os.path.lexists(final) and store.verify(str(final)):
                continue
            if os.path.lexists(final):  # a damaged copy: replaced by the verified one
                _make_writable(str(final))
                shutil.rmtree(final) if final.is_dir() and not final.is_symlink() else final.unlink()
            _make_read_only(str(got))
            _sync_tree(str(got))
            os.rename(got, final)
            store._record(str(final), digest)
            added.append(name)
        fsync_dir(store.directory)
        return added
    except (tarfile.TarError, ValueError, KeyError, TypeError) as e:
        raise scheme_error(f"the item archive is damaged: {e}", kind="store-error") from None
    finally:
        _make_writable(str(staging))
        shutil.rmtree(staging, ignore_errors=True)


def _extract_member(tar: Any, member: Any, staging: Path, items: dict[str, str]) -> None:
    """Write one member under ``staging``: files, directories and links only, inside an item the
    manifest names, reached without following any link (a link cannot redirect a write)."""
    parts = member.name.split("/")
    if parts[0] not in items or any(p in ("", ".", "..") for p in parts):
        raise scheme_error(f"the item archive holds {member.name!r}, which is not inside one of its items",
                           kind="store-error")
    check_item_name(parts[0])
    parent, leaf = "/".join(parts[:-1]), parts[-1]
    fd = open_dir_nofollow(staging, parent)
    try:
        if member.isdir():
            try:
                os.mkdir(leaf, 0o755, dir_fd=fd)
            except FileExistsError:
                pass
        elif member.issym():
            os.symlink(member.linkname, leaf, dir_fd=fd)
        elif member.isfile():
            data = tar.extractfile(member).read()
            write_new_file(leaf, data, 0o555 if member.mode & stat.S_IXUSR else 0o444, dir_fd=fd, sync=False)
        else:
            raise scheme_error(f"the item archive holds {member.name!r}, neither a file, a directory nor a link",
                               kind="store-error")
    finally:
        os.close(fd)
