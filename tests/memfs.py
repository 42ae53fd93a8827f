"""A dict-backed Beam FileSystem for the scheme memfs://, standing in for gs:// or s3://.

Registered by being imported (Beam finds FileSystem subclasses).  It has no folders
and no os.* behind it, so a run that writes through it proves the code goes through
Beam's FileSystems for every read, write, list, rename and delete.
"""
from __future__ import annotations

import io
import threading
import time

from apache_beam.io.filesystem import FileMetadata, FileSystem

FILES: dict[str, bytes] = {}
_LOCK = threading.Lock()


class _Writer(io.BytesIO):
    def __init__(self, path):
        super().__init__()
        self._path = path

    def close(self):
        if not self.closed:
            with _LOCK:
                FILES[self._path] = self.getvalue()
        super().close()


class MemFileSystem(FileSystem):
    @classmethod
    def scheme(cls):
        return "memfs"

    def join(self, basepath, *paths):
        return "/".join([basepath.rstrip("/")] + [p.strip("/") for p in paths])

    def split(self, path):
        head, _, tail = path.rpartition("/")
        return head, tail

    def mkdirs(self, path):
        pass

    def has_dirs(self):
        return False

    def _list(self, dir_or_prefix):
        with _LOCK:
            items = [(p, len(b)) for p, b in FILES.items() if p.startswith(dir_or_prefix)]
        for p, size in items:
            yield FileMetadata(p, size, time.time())

    def create(self, path, mime_type="application/octet-stream", compression_type="auto"):
        return _Writer(path)

    def open(self, path, mime_type="application/octet-stream", compression_type="auto"):
        with _LOCK:
            if path not in FILES:
                raise FileNotFoundError(path)
            return io.BytesIO(FILES[path])

    def copy(self, source_file_names, destination_file_names):
        with _LOCK:
            for s, d in zip(source_file_names, destination_file_names):
                FILES[d] = FILES[s]

    def rename(self, source_file_names, destination_file_names):
        with _LOCK:
            for s, d in zip(source_file_names, destination_file_names):
                FILES[d] = FILES.pop(s)

    def exists(self, path):
        with _LOCK:
            return path in FILES or any(p.startswith(path.rstrip("/") + "/") for p in FILES)

    def size(self, path):
        return len(FILES[path])

    def last_updated(self, path):
        return time.time()

    def checksum(self, path):
        return str(hash(FILES[path]))

    def metadata(self, path):
        return FileMetadata(path, len(FILES[path]), time.time())

    def delete(self, paths):
        with _LOCK:
            for path in paths:
                FILES.pop(path, None)
