"""Rebuild samples/warc/crawl.warc.gz, the bundled WARC sample.

    python samples/warc/build_warc.py

The archive holds a warcinfo record, a request/response pair for each of two article
pages of the (fictional) Example Tribune, and one image/png response that is not an
article.  Record ids, dates and HTTP headers are fixed and warcio's gzip members carry
no timestamp, so running the script again writes the same bytes.  All text is invented.
"""
from __future__ import annotations

import hashlib
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

OUT = Path(__file__).resolve().with_name("crawl.warc.gz")
HOST = "www.example-tribune.com"
WARCINFO_ID = "<urn:uuid:6e1a3c52-0b7d-4c1e-9a51-2f0d6c9b0001>"
USER_AGENT = "newsbeam-sample-crawler/1.0 (+https://github.com/newsbeam/newsbeam)"

LIGHTHOUSE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Gull Point lighthouse gets its lens back after 40 years | The Example Tribune</title>
<meta name="description" content="Volunteers reinstalled the restored 1890s Fresnel lens at the Gull Point lighthouse on Wednesday.">
<link rel="canonical" href="https://www.example-tribune.com/2023/11/02/gull-point-lighthouse-lens-returns">
</head>
<body>
<header><a href="/">The Example Tribune</a>
<nav><a href="/local/">Local</a> <a href="/business/">Business</a> <a href="/sports/">Sports</a> <a href="/opinion/">Opinion</a></nav></header>
<main>
<article>
<h1>Gull Point lighthouse gets its lens back after 40 years</h1>
<p class="byline">By Theodora Quist, Tribune staff</p>
<figure>
<img src="/media/gull-point-lens.jpg" alt="Volunteers guide the lens into the lantern room">
<figcaption>Volunteers guide the last glass panel of the restored lens into the lantern room at Gull Point. <span class="credit">Photo: Emil Sandberg/The Example Tribune</span></figcaption>
</figure>
<p>For the first time since 1983, the lantern room at the top of the Gull Point lighthouse is no longer empty. On Wednesday afternoon a team of volunteers, a borrowed crane and one very nervous glass conservator lifted the tower's original lens back into place, four decades after it was taken down and shipped to a warehouse for safekeeping.</p>
<p>The lens, a beehive of brass and hand-ground glass prisms made in the 1890s, stands almost two metres tall and weighs a little over 600 kilograms. It was removed when the light was automated and replaced with a small electric beacon on a pole, and it spent most of the following years in crates, partly forgotten.</p>
<p>"When we opened the first crate, half the prisms were loose and some were wrapped in newspaper from 1984," said Margit Oyelaran, who chairs the Friends of Gull Point, the volunteer group that led the restoration. "Nothing was broken. Somebody had packed it with a lot of care."</p>
<div class="ad"><p>Advertisement</p></div>
<p>Conservator Lionel Achterberg spent eighteen months cleaning each of the 96 prisms, re-setting them in new putty and repairing the brass frame. Two cracked panels were recast by a glassworks using moulds taken from their undamaged neighbours.</p>
<p>The restored lens will not be used as a working navigation light: the coast guard's automated beacon remains in service on its pole beside the tower. Instead, the lens will be lit from inside by a low-power lamp on summer evenings and on a handful of winter holidays, so that it glows without sending a beam out to sea.</p>
<p>The project cost about $410,000, raised over six years from small donations, a county heritage grant and a fish fry that the Friends now hold every August. Oyelaran said the group's next goal is to repair the keeper's cottage at the foot of the tower and open it as a small museum.</p>
<p>The tower will be open for tours on weekends from the spring, when visitors will be able to climb the 114 steps and stand beside the lens.</p>
</article>
<aside class="newsletter"><p>Sign up for the Tribune Daily newsletter.</p></aside>
<aside class="related"><h2>Related stories</h2><ul><li><a href="/2023/08/14/gull-point-fish-fry">Fish fry raises record sum for lighthouse</a></li></ul></aside>
</main>
<footer><p>The Example Tribune is a fictional newspaper used in newsbeam samples.</p></footer>
</body>
</html>
"""

LIBRARY = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Library will lend snowshoes, telescopes and ice skates this winter | The Example Tribune</title>
<meta name="description" content="The Kettle Falls Public Library is adding outdoor gear to its 'library of things' for the winter season.">
<link rel="canonical" href="https://www.example-tribune.com/2023/11/02/library-lends-snowshoes-telescopes">
</head>
<body>
<header><a href="/">The Example Tribune</a>
<nav><a href="/local/">Local</a> <a href="/business/">Business</a> <a href="/sports/">Sports</a> <a href="/opinion/">Opinion</a></nav></header>
<main>
<article>
<h1>Library will lend snowshoes, telescopes and ice skates this winter</h1>
<p class="byline">By Rafferty Nwosu, Tribune staff</p>
<figure>
<img src="/media/library-of-things.jpg" alt="Snowshoes hang on a rack in the library">
<figcaption>Librarian Signe Holloway hangs the first pairs of snowshoes on a rack beside the returns desk. <span class="credit">Photo: Emil Sandberg/The Example Tribune</span></figcaption>
</figure>
<p>Patrons of the Kettle Falls Public Library will soon be able to check out a pair of snowshoes as easily as a paperback. Starting in December, the library will add winter gear to its growing collection of borrowable objects, including 20 pairs of snowshoes, a dozen pairs of ice skates in children's and adult sizes, and four beginner telescopes.</p>
<p>The library began its "library of things" two years ago with a few cake tins and a sewing machine. The collection now includes more than 300 items, from a pressure washer and a karaoke machine to a set of camping chairs, and the tools shelf has a waiting list most weekends in summer.</p>
<p>"People kept asking us what we could offer in the winter, when nobody needs a lawn aerator," said branch manager Signe Holloway. "Snowshoes were the most common request by far. A lot of families want to try it before they spend a couple of hundred dollars on a pair."</p>
<div class="ad"><p>Advertisement</p></div>
<p>The new items were paid for with a $9,000 grant from a local credit union and donations from an outdoor club, which also plans to lead free guided snowshoe walks on the trails behind the high school on Saturday mornings in January and February.</p>
<p>The telescopes come with a laminated star chart and a short guide written by members of the county astronomy society, who will hold a stargazing evening in the library car park on the first clear Friday of each month. Holloway said the telescopes were chosen to be simple enough for a ten-year-old to set up without help.</p>
<p>Items can be borrowed for a week with a regular library card. There are no late fees, but borrowers who return skates without drying the blades will, Holloway said, receive "a polite but firm note."</p>
<p>Reservations open online on November 20.</p>
</article>
<aside class="related"><h2>More local news</h2><ul><li><a href="/2023/10/30/kettle-falls-trail-map">New trail map for Kettle Falls</a></li></ul></aside>
</main>
<footer><p>The Example Tribune is a fictional newspaper used in newsbeam samples.</p></footer>
</body>
</html>
"""

# A valid 1x1 transparent PNG (68 bytes): an image in the crawl that must not count
# as an article.  Written out as bytes so no compressor version can change them.
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000b4944415478da636000020000050001e9fadcd80000000049454e44ae426082")

PAGES = [
    # (path, html, WARC-Date of the exchange, response record id, request record id)
    ("/2023/11/02/gull-point-lighthouse-lens-returns", LIGHTHOUSE, "2023-11-02T15:04:11Z",
     "<urn:uuid:6e1a3c52-0b7d-4c1e-9a51-2f0d6c9b0011>", "<urn:uuid:6e1a3c52-0b7d-4c1e-9a51-2f0d6c9b0010>"),
    ("/2023/11/02/library-lends-snowshoes-telescopes", LIBRARY, "2023-11-02T15:04:14Z",
     "<urn:uuid:6e1a3c52-0b7d-4c1e-9a51-2f0d6c9b0021>", "<urn:uuid:6e1a3c52-0b7d-4c1e-9a51-2f0d6c9b0020>"),
]
IMAGE = ("/media/gull-point-lens-thumb.png", "2023-11-02T15:04:12Z",
         "<urn:uuid:6e1a3c52-0b7d-4c1e-9a51-2f0d6c9b0031>")

HTTP_DATES = {"2023-11-02T15:04:11Z": "Thu, 02 Nov 2023 15:04:11 GMT",
              "2023-11-02T15:04:12Z": "Thu, 02 Nov 2023 15:04:12 GMT",
              "2023-11-02T15:04:14Z": "Thu, 02 Nov 2023 15:04:14 GMT"}


def _warcinfo(writer):
    fields = (
        "software: newsbeam samples/warc/build_warc.py (warcio)\r\n"
        "format: WARC File Format 1.0\r\n"
        "conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.0/\r\n"
        "isPartOf: newsbeam-sample-crawl\r\n"
        "description: Two invented article pages and one image, for the newsbeam sample run.\r\n"
        f"http-header-user-agent: {USER_AGENT}\r\n"
        "robots: obey\r\n"
    ).encode("utf-8")
    return writer.create_warc_record(
        "", "warcinfo", payload=BytesIO(fields), length=len(fields),
        warc_content_type="application/warc-fields",
        warc_headers_dict={"WARC-Record-ID": WARCINFO_ID, "WARC-Date": "2023-11-02T15:04:10Z",
                           "WARC-Filename": OUT.name})


def _request(writer, path, date, rec_id, concurrent_to):
    http = StatusAndHeaders(f"GET {path} HTTP/1.1", [
        ("Host", HOST),
        ("User-Agent", USER_AGENT),
        ("Accept", "text/html,application/xhtml+xml,*/*;q=0.8"),
        ("Accept-Language", "en"),
        ("Connection", "close"),
    ], is_http_request=True)
    return writer.create_warc_record(
        f"https://{HOST}{path}", "request", http_headers=http,
        warc_headers_dict={"WARC-Record-ID": rec_id, "WARC-Date": date,
                           "WARC-Concurrent-To": concurrent_to, "WARC-Warcinfo-ID": WARCINFO_ID})


def _response(writer, path, body: bytes, content_type, date, rec_id):
    http = StatusAndHeaders("200 OK", [
        ("Date", HTTP_DATES[date]),
        ("Server", "nginx"),
        ("Content-Type", content_type),
        ("Content-Length", str(len(body))),
        ("ETag", '"' + hashlib.sha1(body).hexdigest()[:16] + '"'),
        ("Cache-Control", "max-age=300"),
        ("Connection", "close"),
    ], protocol="HTTP/1.1")
    return writer.create_warc_record(
        f"https://{HOST}{path}", "response", payload=BytesIO(body), length=len(body),
        http_headers=http,
        warc_headers_dict={"WARC-Record-ID": rec_id, "WARC-Date": date,
                           "WARC-IP-Address": "192.0.2.10", "WARC-Warcinfo-ID": WARCINFO_ID})


def build(out: Path = OUT) -> Path:
    with open(out, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(_warcinfo(writer))
        for i, (path, html, date, resp_id, req_id) in enumerate(PAGES):
            writer.write_record(_request(writer, path, date, req_id, resp_id))
            writer.write_record(_response(writer, path, html.encode("utf-8"),
                                          "text/html; charset=utf-8", date, resp_id))
            if i == 0:   # the page's image, fetched between the two articles
                img_path, img_date, img_id = IMAGE
                writer.write_record(_response(writer, img_path, PNG_1X1, "image/png",
                                              img_date, img_id))
    return out


if __name__ == "__main__":
    path = build()
    print(f"wrote {path} ({path.stat().st_size} bytes)")
