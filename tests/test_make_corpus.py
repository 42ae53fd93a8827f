"""bench/make_corpus.py: synthetic corpus generator (small n, fast)."""
from __future__ import annotations

import gzip
import hashlib
import html
import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

ROOT = Path(__file__).resolve().parents[1]


def _load():
    name = "make_corpus"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / "make_corpus.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


mc = _load()
N = 20
SHARD = 8


def _run(out: Path, n: int = N, seed: int = 7, shard: int = SHARD, formats="html,jsonl,warc"):
    rc = mc.main(["--out", str(out), "--n", str(n), "--seed", str(seed),
                  "--shard-size", str(shard), "--formats", formats])
    assert rc == 0
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return _run(tmp_path_factory.mktemp("corpus") / "out")


@pytest.fixture(scope="module")
def articles():
    return list(mc.generate_articles(N, seed=7))


def _digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != "manifest.json"}


def _jsonl_rows(root: Path) -> list[dict]:
    rows = []
    for part in sorted((root / "jsonl").glob("part-*.jsonl.gz")):
        with gzip.open(part, "rt", encoding="utf-8") as fh:
            rows.extend(json.loads(line) for line in fh)
    return rows


def _warc_records(root: Path) -> list[tuple[str, str | None, str | None, bytes]]:
    recs = []
    for part in sorted((root / "warc").glob("part-*.warc.gz")):
        with open(part, "rb") as fh:
            for r in ArchiveIterator(fh):
                ctype = r.http_headers.get_header("Content-Type") if r.http_headers else None
                recs.append((r.rec_type, ctype, r.rec_headers.get_header("WARC-Target-URI"),
                             r.content_stream().read()))
    return recs


# ----------------------------------------------------------------------------- files
def test_files_exist_and_counts_match(corpus, articles):
    html_files = sorted((corpus / "html").glob("*/*.html"))
    assert len(html_files) == N
    assert len({p.parent.name for p in html_files}) == -(-N // SHARD)      # shard folders
    assert all(len(list(d.glob("*.html"))) <= SHARD for d in (corpus / "html").iterdir() if d.is_dir())
    index = (corpus / "html" / "urls.tsv").read_text(encoding="utf-8").splitlines()
    assert [line.split("\t")[1] for line in index] == [a["url"] for a in articles]

    assert len(list((corpus / "jsonl").glob("part-*.jsonl.gz"))) == -(-N // SHARD)
    rows = _jsonl_rows(corpus)
    assert len(rows) == N
    assert all(set(r) == {"url", "html", "source"} for r in rows)

    recs = _warc_records(corpus)
    html_resp = [r for r in recs if r[0] == "response" and r[1] == "text/html; charset=utf-8"]
    assert len(html_resp) == N
    assert sum(r[0] == "request" for r in recs) == N
    # per shard: warcinfo + metadata + robots.txt; some image/jpeg responses overall allowed
    n_shards = -(-N // SHARD)
    assert sum(r[0] == "warcinfo" for r in recs) == n_shards
    assert sum(r[0] == "metadata" for r in recs) == n_shards
    assert sum(r[1] == "text/plain" for r in recs) == n_shards
    assert n_shards <= sum(r[1] == "image/jpeg" for r in recs) <= 3 * n_shards
    assert all(r[3][:2] == b"\xff\xd8" for r in recs if r[1] == "image/jpeg")
    assert all(r[1] in ("text/html; charset=utf-8", "image/jpeg", "text/plain")
               for r in recs if r[0] == "response")

    manifest = json.loads((corpus / "manifest.json").read_text())
    assert manifest["articles"] == N
    assert set(manifest["formats"]) == {"html", "jsonl", "warc"}


def test_same_articles_in_every_format(corpus, articles):
    html_pages = [p.read_text(encoding="utf-8") for p in sorted((corpus / "html").glob("*/*.html"))]
    rows = _jsonl_rows(corpus)
    warc = [r for r in _warc_records(corpus) if r[0] == "response" and r[1].startswith("text/html")]
    for i, a in enumerate(articles):
        assert html_pages[i] == a["html"]
        assert rows[i] == {"url": a["url"], "html": a["html"], "source": a["source"]}
        assert warc[i][2] == a["url"]
        assert warc[i][3].decode("utf-8") == a["html"]


def test_warc_headers(corpus):
    for part in sorted((corpus / "warc").glob("part-*.warc.gz")):
        with open(part, "rb") as fh:
            for r in ArchiveIterator(fh):
                date = r.rec_headers.get_header("WARC-Date")
                assert re.fullmatch(r"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ", date)
                if r.rec_type == "response":
                    assert r.rec_headers.get_header("WARC-Target-URI").startswith("https://")
                    assert r.http_headers.get_statuscode() == "200"


# ----------------------------------------------------------------------------- determinism
def test_deterministic_with_same_seed(corpus, tmp_path):
    again = _run(tmp_path / "again")
    assert _digests(again) == _digests(corpus)


def test_other_seed_differs(articles):
    other = list(mc.generate_articles(3, seed=8))
    assert [a["html"] for a in other] != [a["html"] for a in articles[:3]]


def test_slices_regenerate_identically(articles):
    tail = list(mc.generate_articles(N, seed=7, start=N - 5))
    assert [a["html"] for a in tail] == [a["html"] for a in articles[N - 5:]]
    assert [a["url"] for a in tail] == [a["url"] for a in articles[N - 5:]]


# ----------------------------------------------------------------------------- content
def test_article_shape(articles):
    for a in articles:
        page = a["html"]
        assert mc.MIN_WORDS <= a["words"] <= mc.MAX_WORDS
        assert a["words"] == sum(len(p.split()) for p in a["body"])
        assert mc.MIN_PARAS <= len(a["body"]) <= mc.MAX_PARAS
        assert mc.MIN_BYTES <= len(page.encode("utf-8")) <= mc.MAX_BYTES
        assert "2019" <= a["published"][:4] <= "2024"
        assert a["title"] and f">{html.escape(a['title'], quote=False)}</h1>" in page
        assert a["authors"]
        # every body paragraph is in the page (the town may be wrapped in a tag link)
        text = re.sub(r"<a [^>]*>|</a>", "", page)
        for p in a["body"]:
            assert html.escape(p, quote=False) in text
        if a["dateline_text"]:
            assert html.escape(a["dateline_text"], quote=False) in page
        figs = re.findall(r"<figure\b.*?</figure>", page, re.S)
        assert 1 <= len(figs) == len(a["captions"]) <= 4
        for f in figs:
            assert "<img " in f and "<figcaption>" in f and '<span class="credit">' in f
        for c in a["captions"]:
            assert "/" in c["credit"]
            assert f'{html.escape(c["text"], quote=False)} <span class="credit">{html.escape(c["credit"], quote=False)}</span>' in page
        # chrome
        assert len(re.findall(r'<li class="nav-item">', page)) >= 20
        for marker in ("cookie-consent", "Recommended Videos", "Advertisement",
                       "newsletter-signup", "share-tools", "related-links", "<footer", "<style>",
                       "<script>"):
            assert marker in page, marker
        footer = page[page.index("<footer"):]
        assert footer.count("<a ") >= 40


def test_date_sources(articles):
    for a in articles:
        page, src = a["html"], a["date_sources"]
        assert ('"datePublished":"%s"' % a["published"] in page) == ("jsonld" in src)
        assert (f'<meta property="article:published_time" content="{a["published"]}">' in page) == ("meta" in src)
        if "url" in src:
            y, m, d = a["published"][:10].split("-")
            assert y in a["url"] and (f"/{m}/" in a["url"] or f"-{m}-" in a["url"] or "/20" in a["url"])
        assert src, "every article has at least one date source"


def test_date_mentions_and_datelines():
    arts = list(mc.generate_articles(60, seed=11))
    assert all(a["date_mentions"] for a in arts)
    words = {w for a in arts for w, _ in a["date_mentions"]}
    assert words & set(mc.WEEKDAYS) and words & set(mc.MONTHS)
    assert any("last year" in " ".join(a["body"]) for a in arts)
    styles = {"ap": 0, "reuters": 0, "local": 0, "none": 0}
    for a in arts:
        t = a["dateline_text"]
        styles["none" if not t else "ap" if "(AP)" in t else "reuters" if "(Reuters)" in t else "local"] += 1
    assert all(styles.values()), styles
    assert {a["topic"] for a in arts} == set(mc.TOPICS)
    modes = {tuple(sorted(a["date_sources"])) for a in arts}
    assert ("url",) in modes or ("text", "url") in modes     # URL-only pages exist


def test_duplicates():
    n = 3000
    dup_idx = [i for i in range(n) if mc._is_dup(7, i)]          # cheap: no page rendering
    assert 0.015 * n <= len(dup_idx) <= 0.045 * n
    for i in dup_idx[:4]:
        (d,) = mc.generate_articles(i + 1, seed=7, start=i)
        (src,) = mc.generate_articles(d["duplicate_of"] + 1, seed=7, start=d["duplicate_of"])
        assert src["duplicate_of"] is None and 0 < i - d["duplicate_of"] <= mc.DUP_WINDOW + 5
        assert d["html"] == src["html"] and d["canonical_url"] == src["url"]
        assert d["url"] == src["url"] or d["url"].startswith(src["url"] + "?utm_source=")


def test_every_template_fills():
    from datetime import datetime, timezone
    from random import Random
    for topic in mc.TOPICS:
        st = mc._Story(Random(1), mc.SITES[0], topic, datetime(2022, 5, 4, tzinfo=timezone.utc))
        for key, lines in mc.F.items():
            parts = key.split(".")
            if parts[0] == "topic" and parts[1] != topic:
                continue
            if parts[0] in ("names", "town", "us", "real"):
                continue
            for line in lines:
                for piece in line.split(" || "):
                    out = st.fill(piece.split(" ", 1)[1] if piece.startswith("@") else piece)
                    assert "{" not in out and "}" not in out, (key, line)
