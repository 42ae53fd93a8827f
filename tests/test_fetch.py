"""Fetching against a real HTTP server on 127.0.0.1."""
from __future__ import annotations

import time

import pytest

from pipeline.config import FetchOptions
from pipeline.fetch import Fetcher, FetchError
from tests import builders as b
from tests.conftest import assert_accounting, last_summary, read_articles, read_rejects, run_cli
from tests.httpserver import LoopbackServer, Route, drip, gzipped, ok, redirect, stall, status


def fetcher(**kw):
    opts = dict(allow_private_addresses=True, respect_robots=False, backoff=0.01, retries=3,
                timeout=2.0, total_timeout=5.0, max_retry_after=1.0)
    opts.update(kw)
    f = Fetcher(FetchOptions(**opts))
    return f


def reason_of(f, url):
    with pytest.raises(FetchError) as e:
        f.get(url)
    return e.value.reason


def test_feed_links_are_fetched_from_a_loopback_server(tmp_path):
    pages = {f"/news/{s['slug']}": Route(ok(b.html_page(s))) for s in b.STORIES}
    pages["/feed.rss"] = Route(ok(b.rss(b.STORIES, full_content=False, link_of=lambda s: "LINK"),
                                  ctype="application/rss+xml"))
    with LoopbackServer(pages) as srv:
        feed = b.rss(b.STORIES, full_content=False, link_of=lambda s: srv.url(f"/news/{s['slug']}"))
        pages["/feed.rss"] = Route(ok(feed, ctype="application/rss+xml"))
        out = tmp_path / "out"
        assert run_cli("--input", srv.url("/feed.rss"), "--output", str(out),
                       "--allow-private-addresses", "--no-entities") == 0
    table = read_articles(out)
    assert table.num_rows == 3
    assert all("127.0.0.1" in u for u in table.column("url").to_pylist())
    assert_accounting(last_summary(out))


def test_loopback_links_are_refused_by_default(tmp_path):
    with LoopbackServer({"/a": Route(ok(b.html_page(b.STORIES[0])))}) as srv:
        feed = b.rss(b.STORIES[:1], full_content=False, link_of=lambda s: srv.url("/a"))
        inp = tmp_path / "feed.rss"
        inp.write_text(feed)
        out = tmp_path / "out"
        assert run_cli("--input", str(inp), "--output", str(out), "--no-entities") == 0
    rejects = read_rejects(out).to_pylist()
    assert [r["reason"] for r in rejects] == ["fetch_blocked_address"]
    assert_accounting(last_summary(out))


def test_a_404_is_rejected_without_retry():
    route = Route(status(404))
    with LoopbackServer({"/gone": route}) as srv:
        assert reason_of(fetcher(), srv.url("/gone")) == "fetch_http_404"
    assert route.hits == 1


def test_a_410_is_rejected():
    with LoopbackServer({"/gone": Route(status(410))}) as srv:
        assert reason_of(fetcher(), srv.url("/gone")) == "fetch_http_410"


def test_503_with_retry_after_is_retried_then_succeeds():
    route = Route(status(503, {"Retry-After": "0"}), ok("<p>fine</p>"))
    with LoopbackServer({"/busy": route}) as srv:
        assert fetcher().get(srv.url("/busy")).body == b"<p>fine</p>"
    assert route.hits == 2


def test_429_forever_gives_up_after_the_retry_budget():
    route = Route(status(429, {"Retry-After": "0"}))
    with LoopbackServer({"/slow-down": route}) as srv:
        assert reason_of(fetcher(retries=2), srv.url("/slow-down")) == "fetch_http_429"
    assert route.hits == 3


def test_500_then_200_is_retried():
    route = Route(status(500), ok("<p>recovered</p>"))
    with LoopbackServer({"/flaky": route}) as srv:
        assert b"recovered" in fetcher().get(srv.url("/flaky")).body


def test_a_redirect_loop_is_rejected():
    with LoopbackServer({"/a": Route(redirect("/b")), "/b": Route(redirect("/a"))}) as srv:
        assert reason_of(fetcher(), srv.url("/a")) == "fetch_redirect_loop"


def test_a_long_redirect_chain_is_cut_off():
    routes = {f"/r{i}": Route(redirect(f"/r{i + 1}")) for i in range(20)}
    with LoopbackServer(routes) as srv:
        assert reason_of(fetcher(max_redirects=5), srv.url("/r0")) == "fetch_too_many_redirects"


def test_a_body_over_the_cap_is_too_large():
    with LoopbackServer({"/big": Route(ok("x" * 200_000))}) as srv:
        assert reason_of(fetcher(max_bytes=50_000), srv.url("/big")) == "too_large"


def test_a_gzip_bomb_is_refused_with_bounded_inflation():
    bomb = b"\0" * 50_000_000
    with LoopbackServer({"/bomb": Route(gzipped(bomb))}) as srv:
        assert reason_of(fetcher(max_bytes=1_000_000), srv.url("/bomb")) == "too_large"


def test_a_read_timeout_is_rejected_after_retries():
    route = Route(stall(1.5))
    with LoopbackServer({"/stall": route}) as srv:
        assert reason_of(fetcher(timeout=0.3, total_timeout=3.0, retries=1), srv.url("/stall")) == "fetch_timeout"


def test_a_slow_drip_past_the_total_limit_is_cut_off():
    with LoopbackServer({"/drip": Route(drip("y" * 4000, 0.05))}) as srv:
        t0 = time.monotonic()
        assert reason_of(fetcher(timeout=2.0, total_timeout=1.0, retries=0), srv.url("/drip")) == "fetch_timeout"
        assert time.monotonic() - t0 < 3


def test_a_connection_refused_is_a_reject_reason():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    assert reason_of(fetcher(retries=1), f"http://127.0.0.1:{port}/x") == "fetch_connection_error"


def test_only_http_and_https_are_fetched():
    f = fetcher()
    for url in ("file:///etc/passwd", "ftp://example.com/a", "gopher://example.com/"):
        assert reason_of(f, url) == "fetch_bad_scheme"


def test_private_addresses_are_blocked_also_after_a_redirect():
    with LoopbackServer({"/hop": Route(redirect("http://127.0.0.1:1/secret"))}) as srv:
        f = fetcher(allow_private_addresses=False)
        assert reason_of(f, srv.url("/hop")) == "fetch_blocked_address"


def test_a_public_host_redirecting_to_loopback_is_blocked(monkeypatch):
    import socket as _socket
    real = _socket.getaddrinfo

    def fake(host, *a, **k):
        if host == "public.example":
            return [(_socket.AF_INET, _socket.SOCK_STREAM, 6, "", ("93.184.216.34", 80))]
        return real(host, *a, **k)
    monkeypatch.setattr(_socket, "getaddrinfo", fake)
    f = fetcher(allow_private_addresses=False)
    f._request_orig = f._request
    calls = []

    def scripted(url, deadline, max_bytes):
        calls.append(url)
        if "public.example" in url:
            return 302, {"location": "http://localhost/admin"}, b""
        return f._request_orig(url, deadline, max_bytes)
    f._request = scripted
    assert reason_of(f, "http://public.example/story") == "fetch_blocked_address"


def test_robots_txt_disallow_is_honoured():
    routes = {"/robots.txt": Route(ok("User-agent: *\nDisallow: /private/\n", ctype="text/plain")),
              "/private/a": Route(ok("<p>secret</p>"))}
    with LoopbackServer(routes) as srv:
        f = fetcher(respect_robots=True)
        assert reason_of(f, srv.url("/private/a")) == "fetch_robots_disallowed"
    assert routes["/private/a"].hits == 0


def test_politeness_delay_spaces_requests_to_one_host():
    routes = {"/a": Route(ok("a")), "/b": Route(ok("b"))}
    with LoopbackServer(routes) as srv:
        f = fetcher(per_host_delay=0.3)
        t0 = time.monotonic()
        f.get(srv.url("/a"))
        f.get(srv.url("/b"))
        assert time.monotonic() - t0 >= 0.3


def test_wrong_content_type_for_an_article_link_is_not_html(tmp_path):
    with LoopbackServer({"/img": Route(ok(b"\x89PNG....", ctype="image/png"))}) as srv:
        inp = tmp_path / "feed.rss"
        inp.write_text(b.rss(b.STORIES[:1], full_content=False, link_of=lambda s: srv.url("/img")))
        out = tmp_path / "out"
        assert run_cli("--input", str(inp), "--output", str(out), "--allow-private-addresses",
                       "--no-entities") == 0
    assert [r["reason"] for r in read_rejects(out).to_pylist()] == ["not_html"]


def test_the_same_feed_listed_in_two_opml_files_is_written_once_and_adds_up(tmp_path):
    with LoopbackServer({"/feed.rss": Route(ok(b.rss(b.STORIES[:2]), ctype="application/rss+xml"))}) as srv:
        for name in ("a.opml", "b.opml"):
            (tmp_path / name).write_text(
                f'<opml version="2.0"><body><outline text="x" xmlUrl="{srv.url("/feed.rss")}"/></body></opml>')
        out = tmp_path / "out"
        assert run_cli("--input", str(tmp_path / "a.opml"), "--input", str(tmp_path / "b.opml"),
                       "--output", str(out), "--allow-private-addresses", "--no-entities") == 0
    summary = last_summary(out)
    assert summary["seen"]["total"] == 4
    assert summary["written"]["total"] == 2 == read_articles(out).num_rows
    assert summary["duplicates"]["total"] == 2
    assert_accounting(summary)
