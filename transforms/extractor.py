"""Page -> draft article, with a per-document time and memory limit.

trafilatura and lxml can hang or balloon on hostile pages, and a thread cannot be
stopped, so HTML is extracted in one child process per worker: on timeout the child
is killed and replaced, and the page is rejected with `extract_timeout`.  A memory cap
(RLIMIT_AS) in the child turns a memory blow-up into `extract_memory`.
`extract.timeout: 0` extracts in-process instead (no limit, no IPC).

`submit` sends a page to the child and returns at once; `result` waits for it.  The
Extract step keeps up to `extract.prefetch` pages in flight, so the child extracts the
next pages while this process runs the later steps (spaCy) on the ones before: with a
spare core the two overlap instead of taking turns.
"""
from __future__ import annotations

import collections
import concurrent.futures as cf
import multiprocessing as mp
import os

from pipeline.config import ExtractOptions
from pipeline.model import Page

CHILD_MEMORY_BYTES = 3 * 1024 ** 3


_CATALOGUES: dict = {}


def _catalogue(extra: tuple):
    """The anatomy catalogue (packaged + config entries), built once per process."""
    if not extra:
        from transforms.anatomy import Catalogue
        return Catalogue.load()
    if extra not in _CATALOGUES:
        from transforms.anatomy import Catalogue
        _CATALOGUES[extra] = Catalogue.load([dict(e) for e in extra] or None)
    return _CATALOGUES[extra]


def extract_page(html: str, url: str | None, fast: bool, catalogue_extra: tuple = (),
                 fallback: bool = True) -> dict | None:
    """Pure: article fields plus publication-date candidates found in the page."""
    from transforms.dates import date_from_url, published_candidates_from_html
    from transforms.extract import extract_html
    doc = extract_html(html, url, fast=fast, catalogue=_catalogue(catalogue_extra), fallback=fallback)
    if doc is None:
        return None
    candidates = list(published_candidates_from_html(html, url))
    from_url = date_from_url(url) if url else None
    if from_url:
        candidates.append(("url", from_url))
    doc["pub_candidates"] = candidates
    return doc


def _warm() -> bool:
    """Import the extraction stack in the child, so no page pays for it in its time limit."""
    sample = ("<html><head><title>Warm</title><meta property='article:published_time' "
              "content='2020-01-02'></head><body><article>"
              + "<p>Warming up the extraction libraries with a short paragraph of text.</p>" * 5
              + "</article></body></html>")
    extract_page(sample, "https://example.org/2020/01/02/warm", False)
    return True


def _child_init(parent_pid: int | None = None):
    if parent_pid is not None:
        from pipeline.lifetime import die_with_parent
        die_with_parent(parent_pid)
    try:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY_BYTES, CHILD_MEMORY_BYTES))
    except (ImportError, ValueError, OSError):
        pass


def _freeze(entries) -> tuple:
    return tuple(tuple(sorted(e.items())) for e in entries or ())


class Extractor:
    def __init__(self, options: ExtractOptions, catalogue_extra: list | None = None):
        self.o = options
        self._extra = _freeze(catalogue_extra)
        self._pool = None
        self._starting = None             # a pool being started in the background (start())
        self._inflight: collections.deque = collections.deque()   # Pending, oldest first

    def _new_pool(self):
        # The child is started by the first submit; do that from the process's long-lived
        # spawner thread, so the child's parent-death signal is tied to the process.
        from pipeline.lifetime import spawner
        pool = cf.ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn"),
                                      initializer=_child_init, initargs=(os.getpid(),))
        spawner().submit(pool.submit, _warm).result().result(timeout=300)
        return pool

    def start(self):
        """Start and warm the extraction child in the background, so that its imports
        overlap whatever the caller loads next (the Enrich step's spaCy model)."""
        if self.o.timeout > 0 and self._pool is None and self._starting is None:
            starter = cf.ThreadPoolExecutor(max_workers=1)
            self._starting = starter.submit(self._new_pool)
            starter.shutdown(wait=False)

    def _started(self):
        starting, self._starting = self._starting, None
        if starting is not None:
            try:
                self._pool = starting.result()
            except Exception:  # the child failed to start: try again in the foreground
                self._pool = None

    def close(self):
        self._inflight.clear()
        self._started()
        if self._pool is not None:
            self._kill()

    def _kill(self):
        pool, self._pool = self._pool, None
        for proc in list(getattr(pool, "_processes", {}).values()):
            proc.kill()
        pool.shutdown(wait=False, cancel_futures=True)

    def _pool_now(self):
        if self._pool is None:
            self._started()
        if self._pool is None:
            self._pool = self._new_pool()
        return self._pool

    def _send(self, pending: "Pending"):
        try:
            pool = self._pool_now()
        except Exception as e:  # the child does not start: this page is an extract_error
            pending.outcome = self._finish(pending.page, e)
            return
        try:
            pending.future = pool.submit(extract_page, pending.page.html, pending.page.url,
                                         self.o.fast, self._extra, self.o.fallback)
        except cf.process.BrokenProcessPool:
            pending.future = None         # the child died on a page before: sent again then
        self._inflight.append(pending)

    def _restart(self):
        """A new child for the pages in flight (the old one died or hangs)."""
        behind = list(self._inflight)
        self._inflight.clear()
        if self._pool is not None:
            self._kill()
        for p in behind:
            self._send(p)

    def _wait(self, pending: "Pending"):
        """The child's answer for `pending`, the oldest page in flight (a dict, None or an
        exception).

        The child works in order, so the oldest page is the one running: on a timeout or a
        dead child it alone is rejected; the pages behind it go to a new child."""
        try:
            got = pending.future.result(timeout=self.o.timeout)
            self._inflight.popleft()
            return got
        except cf.TimeoutError:
            failure = TimeoutError(f"no result within {self.o.timeout:g} s")
        except cf.process.BrokenProcessPool:
            failure = MemoryError("extraction process died (memory limit or crash)")
        except Exception as e:  # raised by extract_page in the child: this page only
            self._inflight.popleft()
            return e
        self._inflight.popleft()
        self._restart()
        return failure

    def submit(self, page: Page) -> "Pending":
        """Start extracting one page; `result` gives (draft, reason, detail)."""
        pending = Pending(page)
        if page.html is None or self.o.timeout <= 0:
            pending.outcome = self._run_here(page)
        else:
            self._send(pending)
        return pending

    def result(self, pending: "Pending"):
        """(draft, None, None) or (None, reason, detail) of a submitted page; pages are
        answered in the order they were submitted."""
        while pending.outcome is None:
            head = self._inflight[0]      # the child answers in order: older pages first
            if head.future is None:       # its child died before it was sent
                self._restart()
                continue
            head.outcome = self._finish(head.page, self._wait(head))
        return pending.outcome

    def run(self, page: Page):
        """(draft, None, None) or (None, reason, detail)."""
        return self.result(self.submit(page))

    def _run_here(self, page: Page):
        if page.html is None:
            return self._finish(page, None)
        try:
            got = extract_page(page.html, page.url, self.o.fast, self._extra, self.o.fallback)
        except Exception as e:
            got = e
        return self._finish(page, got)

    def _finish(self, page: Page, got):
        draft = {"input_ref": page.input_ref, "source_kind": page.source_kind, "url": page.url,
                 "source": page.source, "title": page.title, "authors": list(page.authors or []),
                 "figures": [], "furniture": [], "language_hint": None, "pub_candidates": []}
        if page.published:
            draft["pub_candidates"].append((page.published_source or "feed", page.published))
        if page.html is None:
            text = (page.text or "").replace("\r\n", "\n")
            if not text.strip():
                return None, "extract_empty", "no text"
            draft["text"] = text
            if page.url:
                from transforms.dates import date_from_url
                d = date_from_url(page.url)
                if d:
                    draft["pub_candidates"].append(("url", d))
            return draft, None, None
        if isinstance(got, BaseException):
            return _failure(got)
        doc = got
        if doc is None or not (doc.get("text") or "").strip():
            return None, "extract_empty", "no article text found"
        draft["text"] = doc["text"]
        draft["title"] = draft["title"] or doc.get("title")
        draft["authors"] = draft["authors"] or list(doc.get("authors") or [])
        draft["figures"] = list(doc.get("figures") or [])
        draft["furniture"] = list(doc.get("furniture") or [])
        draft["language_hint"] = doc.get("language")
        draft["extraction"] = doc.get("extraction")
        draft["links"] = list(doc.get("links") or [])
        draft["title_candidates"] = list(doc.get("title_candidates") or [])
        if not draft["source"] and doc.get("sitename"):
            draft["source"] = doc["sitename"]
        draft["pub_candidates"].extend(doc.get("pub_candidates") or [])
        return draft, None, None


class Pending:
    """A page sent to the extraction child (or already done in-process)."""
    __slots__ = ("page", "future", "outcome")

    def __init__(self, page: Page):
        self.page, self.future, self.outcome = page, None, None

    def done(self) -> bool:
        return self.outcome is not None or (self.future is not None and self.future.done())


def _failure(e: BaseException):
    if isinstance(e, TimeoutError):
        return None, "extract_timeout", str(e)
    if isinstance(e, MemoryError):
        return None, "extract_memory", str(e)
    if isinstance(e, RecursionError):
        return None, "extract_error", "document nested too deeply"
    # a library failure on one page must not stop the run
    return None, "extract_error", f"{type(e).__name__}: {e}"[:300]
