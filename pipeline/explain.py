"""`newsbeam explain FILE_OR_URL [--config FILE]`: what the pipeline does to one input.

Prints each line of the input's text with the class it was given (body, caption,
credit, byline, dateline, boilerplate) and why: the catalogue entry that matched (its
number, class and note), the general classifier's rule and score, a repeat of the
headline or of a page caption, a repeat of a line the output's repetition memory knows
from many articles of the source (with --output DIR). Lines the extractor already left out of an HTML page
("furniture") are listed too. With that, a catalogue extension for a publisher
(`anatomy.catalogue` in a config) takes minutes: copy the line, write the pattern, run
explain again.

A file goes through the same reader as `run` (a JSONL or WARC file: its first units,
see --max); an http(s) URL is fetched as an article page. Nothing is written.
"""
from __future__ import annotations

import json
import sys

from pipeline import cli

WIDTH = 72


def add_parser(sub):
    p = sub.add_parser("explain", help="print each line of one input with its class and why",
                       description=__doc__.split("\n\n")[1])
    p.add_argument("input", metavar="FILE_OR_URL")
    p.add_argument("--config", help="YAML run configuration (catalogue extensions, switches)")
    p.add_argument("--output", metavar="DIR",
                   help="an output folder whose repetition memory (DIR/_state/) to apply: "
                        "lines it knows show as `repeat (N articles)`")
    p.add_argument("--max", type=int, default=1, help="units of a container file to explain (default 1)")
    p.add_argument("--allow-private-addresses", action="store_true",
                   help="allow fetching from loopback/private hosts")
    p.add_argument("--json", action="store_true", help="one JSON object per unit")
    p.add_argument("-v", "--verbose", action="store_true")
    return p


def main(args, extra) -> int:
    from pipeline import config as cfgmod
    cli.quiet_logging(args.verbose)
    if extra:
        return cli.fail(f"unrecognized arguments: {' '.join(extra)}")
    try:
        config = cfgmod.load(args.config)
        from transforms.anatomy import Catalogue, CatalogueError
        catalogue = Catalogue.load(config.anatomy.catalogue or None)
    except (cfgmod.ConfigError, CatalogueError) as e:
        return cli.fail(str(e))
    if args.allow_private_addresses:
        config.fetch.allow_private_addresses = True
    config.extract.timeout = 0                       # in-process: one page, no child
    try:
        pages = list(_pages(args.input, config, max(1, args.max)))
    except _InputFailed as e:
        return cli.fail(str(e))
    known = None
    if args.output and config.anatomy.memory:
        from pipeline.state import load_known
        known = load_known(args.output, config.anatomy.min_repeats)
    for page in pages:
        result = explain_page(page, config, catalogue, known=known)
        if args.json:
            print(json.dumps(result, ensure_ascii=False, default=str))
        else:
            print(format_explanation(result))
    return 0


class _InputFailed(Exception):
    pass


def _pages(ref: str, config, limit: int):
    """The first `limit` units of a file, or the page at a URL."""
    from pipeline.model import Page, Reject
    if ref.startswith(("http://", "https://")):
        from pipeline import decode as dec
        from pipeline.fetch import Fetcher, FetchError
        try:
            resp = Fetcher(config.fetch).get(ref)
            html, _ = dec.decode(resp.body, resp.charset)
        except FetchError as e:
            raise _InputFailed(f"cannot fetch {ref}: {e.reason} {e.detail}".strip()) from None
        except dec.DecodeError as e:
            raise _InputFailed(f"cannot decode {ref}: {e}") from None
        yield Page(input_ref=ref, source_kind="html", url=resp.url or ref, html=html)
        return
    import os
    from pipeline.sources import InputError, expand_inputs, read_input
    if not os.path.exists(ref) and "://" not in ref:
        raise _InputFailed(f"input not found: {ref}")
    try:
        specs = expand_inputs([ref])
    except InputError as e:
        raise _InputFailed(str(e)) from None
    n = 0
    for spec in specs:
        for unit in read_input(spec, config, None):
            if isinstance(unit, Reject):
                yield unit
            else:
                yield unit
            n += 1
            if n >= limit:
                return


def explain_page(page, config, catalogue, known: dict | None = None) -> dict:
    """{input_ref, kind, extraction, title, authors, published, lines: [{line, kind, why,
    score}], furniture, captions, credits} for one unit, or {input_ref, reject}.
    `known`: the repetition memory's lines ({source: {fp: Known}}, pipeline.state.load_known)."""
    from pipeline.model import Reject
    if isinstance(page, Reject):
        return {"input_ref": page.input_ref, "reject": f"{page.stage}/{page.reason}: {page.detail}"}
    from transforms.anatomy import split_draft
    from transforms.dates import choose_published, date_from_text
    from transforms.extractor import Extractor
    if page.needs_fetch:
        return {"input_ref": page.input_ref, "reject": "feed entry without content: explain its URL"}
    draft, reason, detail = Extractor(config.extract, config.anatomy.catalogue).run(page)
    if draft is None:
        return {"input_ref": page.input_ref, "reject": f"extract/{reason}: {detail}"}
    trace: list = []
    parts = split_draft(draft, catalogue=catalogue,
                        general=config.anatomy.general if config.anatomy.enabled else False, trace=trace,
                        line_model=config.anatomy.line_model,
                        line_model_threshold=config.anatomy.line_model_threshold)
    if known and config.anatomy.enabled:
        _mark_repeats(draft, parts, trace, known, config.anatomy)
    candidates = list(draft.get("pub_candidates") or [])
    from_text = date_from_text(draft["text"], captions=[c.get("text") or "" for c in parts["captions"]],
                               dateline_prefix=parts.get("dateline_prefix"), url=draft.get("url"))
    if from_text:
        candidates.append(("text", from_text))
    published = choose_published(candidates)
    return {
        "input_ref": page.input_ref, "kind": page.source_kind,
        "extraction": draft.get("extraction") or "text as is",
        "title": parts["title"], "authors": parts["authors"], "dateline": parts["dateline"],
        "published": published["published_at"], "published_source": published["published_at_source"],
        "lines": trace, "furniture": list(draft.get("furniture") or []),
        "captions": parts["captions"], "credits": parts["credits"],
    }


def _mark_repeats(draft: dict, parts: dict, trace: list, known: dict, anatomy):
    """The Repeats step as the pipeline runs it, after anatomy: the body lines it would
    move to boilerplate are marked `repeat (N articles)`."""
    from transforms.anatomy import norm
    from transforms.repeats import RepeatRule, reason, source_key, split_repeats
    rule = RepeatRule(anatomy.min_repeats, anatomy.line_share, anatomy.sentence_repeats, anatomy.sentence_share)
    body = parts["body"].split("\n\n") if parts["body"] else []
    _kept, removed = split_repeats(body, known.get(source_key(draft), {}), rule)
    counts = {norm(p): n for p, n in removed}
    for t in trace:
        n = counts.get(norm(t["line"])) if t["kind"] == "body" else None
        if n is not None:
            t.update(kind="boilerplate", detail="repeat", why=reason(n), score=None)


def format_explanation(r: dict) -> str:
    if "reject" in r:
        return f"{r['input_ref']}\n  rejected: {r['reject']}\n"
    out = [f"{r['input_ref']}  ({r['kind']}; extraction: {r['extraction']})",
           f"  title      {r['title']!r}",
           f"  authors    {', '.join(r['authors']) or '-'}",
           f"  dateline   {r['dateline'] or '-'}",
           f"  published  {r['published'] or '-'}  (from {r['published_source']})",
           ""]
    for t in r["lines"]:
        line = t["line"] if len(t["line"]) <= WIDTH else t["line"][: WIDTH - 1] + "…"
        why = t["why"] or ""
        if t.get("score") is not None:
            why += f" (score {t['score']:.2f})"
        out.append(f"  {t['kind']:<11} | {line}")
        if why:
            out.append(f"  {'':<11} |   ↳ {why}")
    if r["furniture"]:
        out.append("")
        out.append("  left out by the extractor, matched as furniture:")
        out.extend(f"  {'boilerplate':<11} | {f[:WIDTH]}" for f in r["furniture"])
    if r["captions"]:
        out.append("")
        out.append("  captions:")
        out.extend(f"    {c['text'][:WIDTH]!r}  credit {c['credit']!r}" for c in r["captions"])
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.exit(cli.main(["explain"] + sys.argv[1:]))
