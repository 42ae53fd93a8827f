"""A small on-disk cache for what every worker would otherwise rebuild at start-up.

Each Beam worker (and each run) loads the same derived data: the place list as ORTH
hashes for the spaCy model, the place labels, the town keys, the language-id model
unpacked, the validated anatomy catalogue (~2 s CPU per worker in all, see
bench/startup_profile.py).  `cached` keeps such a value as a
pickle under the user's cache directory, named by a hash of everything it is built from,
so a change to the inputs builds it again and nothing is ever invalidated by hand.  The
cache is only a shortcut: an unreadable, unwritable or damaged cache builds the value.

    NEWSBEAM_CACHE_DIR   where (default $XDG_CACHE_HOME/newsbeam or ~/.cache/newsbeam);
                         "off" switches the cache off.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path


def cache_dir() -> Path | None:
    where = os.environ.get("NEWSBEAM_CACHE_DIR")
    if where == "off":
        return None
    if where:
        return Path(where)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "newsbeam"


def file_digest(*paths) -> str:
    """A hash of source files' bytes: part of a key when the value is built by their code."""
    h = hashlib.sha256()
    for p in paths:
        h.update(Path(p).read_bytes())
    return h.hexdigest()


def dist_version(dist: str) -> str:
    """An installed distribution's version, "" when unknown (a key is then only coarser)."""
    try:
        from importlib.metadata import version
        return version(dist)
    except Exception:       # noqa: BLE001
        return ""


def cached(name: str, key, build):
    """build(), or the value stored for (name, key); `key` is anything with a stable repr."""
    folder = cache_dir()
    if folder is None:
        return build()
    digest = hashlib.sha256(repr(key).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    path = folder / f"{name}-{digest}.pickle"
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except Exception:  # missing, damaged, written by another version: build it
        pass
    value = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}-")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)           # atomic: workers starting together never read half a file
    except Exception:
        try:
            os.unlink(tmp)
        except Exception:
            pass
    return value
