"""Small input builders for end-to-end tests: pages, feeds, JSONL and WARC from our own text."""
from __future__ import annotations

import io
import json
from html import escape

STORIES = [
    {
        "slug": "harbor-bridge-vote",
        "title": "Council backs new harbor bridge after long night of debate",
        "date": "2023-10-03",
        "paragraphs": [
            "PORT ELLIS, Maine (AP) — The Port Ellis city council voted 6-3 on Tuesday to build a "
            "lift bridge across the inner harbor, ending a dispute that has split the fishing town "
            "for most of a decade.",
            "Mayor Dana Whitcomb said the vote settled a question that had stalled two earlier plans. "
            "\"We have argued about this crossing since 2014,\" she told a crowded chamber.",
            "The bridge will cost about $48 million, with the Maine Department of Transportation "
            "paying most of the bill. Construction is expected to begin next spring.",
            "Lobster crews had worried that a fixed span would block taller boats. The lift design "
            "answers that concern, said Harbor Master Eli Torres, who plans to meet with crews on Friday.",
        ],
    },
    {
        "slug": "orchard-frost",
        "title": "Late frost threatens apple harvest across the valley",
        "date": "2024-04-18",
        "paragraphs": [
            "WENLOCK, Wash. – Orchard owners in the upper valley spent Wednesday night burning "
            "smudge pots and running wind machines as temperatures fell well below freezing.",
            "The cold arrived just as blossoms opened, the most fragile point of the season, said "
            "Priya Raman, an agronomist with Washington State University.",
            "Growers lost nearly a third of their crop to a similar frost in April 2021, and many "
            "are still repaying loans taken out that year.",
            "Forecasters expect milder nights next week, but the damage may not be clear until "
            "fruit sets in May, Raman said.",
        ],
    },
    {
        "slug": "library-reopens",
        "title": "Restored Carnegie library reopens its doors",
        "date": "2022-06-11",
        "paragraphs": [
            "The Carnegie library on Elm Street reopened Saturday after a two-year restoration "
            "that repaired its copper dome and replaced a leaking roof.",
            "Librarian Marcus Ode said the building had been closed since a storm in 2020 tore "
            "away part of the dome. Volunteers moved more than 40,000 books to a warehouse.",
            "The Friends of the Library raised $2.1 million for the work, and the National Park "
            "Service added a preservation grant last year.",
        ],
    },
]


def url_of(story, host="www.example-news.com"):
    y, m, d = story["date"].split("-")
    return f"https://{host}/{y}/{m}/{d}/{story['slug']}"


def html_page(story, *, host="www.example-news.com", extra_body="") -> str:
    paras = "\n".join(f"<p>{escape(p)}</p>" for p in story["paragraphs"])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(story['title'])} | Example News</title>
<link rel="canonical" href="{url_of(story, host)}">
<meta property="article:published_time" content="{story['date']}T09:30:00-04:00">
</head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav></header>
<main><article><h1>{escape(story['title'])}</h1>
<figure><img src="/img/{story['slug']}.jpg" alt=""><figcaption>A view of the scene on the first day.
<span class="credit">Jo Marsh/Example News</span></figcaption></figure>
{paras}
{extra_body}
</article></main>
<footer><p>Copyright Example News. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>"""


def text_scrape(story) -> str:
    return story["title"] + "\n\n" + "\n\n".join(story["paragraphs"]) + "\n"


def rss(stories, *, full_content=True, link_host="www.example-news.com", link_of=None) -> str:
    items = []
    for s in stories:
        link = link_of(s) if link_of else url_of(s, link_host)
        content = ""
        if full_content:
            body = "".join(f"<p>{escape(p)}</p>" for p in s["paragraphs"])
            content = f"<content:encoded><![CDATA[{body}]]></content:encoded>"
        items.append(f"""<item><title>{escape(s['title'])}</title><link>{escape(link)}</link>
<guid>{escape(link)}</guid><pubDate>Tue, 03 Oct 2023 14:05:00 +0200</pubDate>
<dc:creator>Staff Writer</dc:creator><description>{escape(s['paragraphs'][0][:120])}</description>{content}</item>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Example News</title><link>https://www.example-news.com/</link><description>News</description>
{''.join(items)}
</channel></rss>"""


def jsonl_lines(stories) -> list[str]:
    out = []
    for i, s in enumerate(stories):
        if i % 2 == 0:
            rec = {"url": url_of(s), "html": html_page(s), "source": "example-news"}
        else:
            rec = {"url": url_of(s), "text": "\n\n".join(s["paragraphs"]), "title": s["title"],
                   "published": s["date"]}
        out.append(json.dumps(rec))
    return out


def warc_bytes(stories, *, with_image=True) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for s in stories:
        payload = html_page(s).encode("utf-8")
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                   protocol="HTTP/1.1")
        rec = writer.create_warc_record(url_of(s), "response", payload=io.BytesIO(payload),
                                        http_headers=headers,
                                        warc_headers_dict={"WARC-Date": "2024-05-01T10:00:00Z"})
        writer.write_record(rec)
    if with_image:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        rec = writer.create_warc_record("https://www.example-news.com/logo.png", "response",
                                        payload=io.BytesIO(b"\x89PNG\r\n\x1a\nfake"), http_headers=headers)
        writer.write_record(rec)
    return buf.getvalue()
