"""`newsbeam stats DIR [--run RUN_ID] [--json]`: the report's figures as text or JSON."""
from __future__ import annotations

import json

from pipeline import cli
from pipeline.figures import FiguresError, gather


def add_parser(sub):
    p = sub.add_parser("stats", help="print the figures of an output (runs, rejects, articles) as text or JSON")
    p.add_argument("dir", metavar="DIR", help="output folder of newsbeam run/stream")
    p.add_argument("--run", metavar="RUN_ID", help="only this run's articles, rejects and summary")
    p.add_argument("--json", action="store_true", help="one JSON document (the report's figures)")
    return p


def main(args, extra) -> int:
    if extra:
        return cli.fail(f"stats: unknown arguments: {' '.join(extra)}")
    try:
        figures = gather(args.dir, args.run)
    except FiguresError as e:
        return cli.fail(str(e))
    print(json.dumps(figures, indent=2, default=str) if args.json else format_text(figures))
    return 0


def _pairs(pairs, limit=10) -> str:
    shown = ", ".join(f"{k} {n:,}" for k, n in list(pairs)[:limit])
    more = len(pairs) - limit
    return shown + (f", … {more} more" if more > 0 else "") if pairs else "-"


def format_text(f: dict) -> str:
    t, a, rej, e, d = f["totals"], f["articles"], f["rejects"], f["entities"], f["dates"]
    lines = [f"{f['output']}" + (f"  (run {f['run']})" if f["run"] else ""),
             f"runs             {t['runs']}  (accounting mismatches: {t['accounting_mismatches']})",
             f"units            seen {t['seen']:,} = written {t['written']:,} + duplicates {t['duplicates']:,}"
             f" + rejected {t['rejected']:,} + already present {t['already_present']:,}"]
    for r in f["runs"][-10:]:
        lines.append(f"  {r['run_id']:<28} {r['kind']:<7} written {r['written']:>8,}  dupl {r['duplicates']:>6,}"
                     f"  present {r['already_present']:>7,}  rejected {r['rejected']:>6,}"
                     f"  {r['docs_per_second'] if r['docs_per_second'] is not None else '-':>7} docs/s"
                     f"  {r['accounting']}")
    if len(f["runs"]) > 10:
        lines.append(f"  … {len(f['runs']) - 10} earlier runs (--json lists all)")
    lines.append(f"rejects          {rej['total']:,}")
    for r in rej["by_reason"]:
        ex = r["examples"][0]["input_ref"] if r["examples"] else ""
        lines.append(f"  {r['stage'] + ':' + r['reason']:<34} {r['count']:>8,}  e.g. {ex}")
    lines += [f"articles         {a['total']:,}  ({a['dated']:,} dated, {a['sources']:,} sources, {a['words']:,} words)",
              f"  per day        " + (f"{a['by_day'][0][0]} .. {a['by_day'][-1][0]}, {len(a['by_day'])} days, "
                                     f"busiest {max(a['by_day'], key=lambda p: p[1])[0]}" if a["by_day"] else "-"),
              f"  top sources    {_pairs(a['top_sources'])}",
              f"  languages      {_pairs(a['languages'])}",
              f"  input kinds    {_pairs(a['kinds'])}",
              f"  date from      {_pairs(a['date_sources'])}"]
    runs = [r for r in f["runs"] if r["stage_ms"]]
    if runs:
        lines.append("stage ms/article " + ", ".join(f"{s} {ms}" for s, ms in runs[-1]["stage_ms"].items())
                     + f"  (run {runs[-1]['run_id']})")
    lines.append(f"entities         {e['mentions']:,} mentions: {_pairs(e['by_label'])}")
    for label, _ in e["by_label"][:5]:
        lines.append(f"  {label:<14} {_pairs(e['top'].get(label, []), 5)}")
    rate = f"{100 * d['rate']:.1f}%" if d["rate"] is not None else "-"
    lines.append(f"date mentions    {d['mentions']:,}, resolved {d['resolved']:,} ({rate})")
    for s in f["streams"]:
        lines.append(f"stream {s['run_id']}: {len(s['commits'])} commits")
    return "\n".join(lines)
