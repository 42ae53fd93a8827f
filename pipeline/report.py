"""`newsbeam report DIR [--run RUN_ID] [--out FILE]`: one self-contained HTML page.

Inline CSS and inline SVG charts only (no script, font or image from the network), so
the page opens from a file, from object storage or as an e-mail attachment.  Figures
come from pipeline/figures.py (shared with `newsbeam stats`); every number shown in a
table carries `data-figure="NAME"` so tools and tests can read it back.
"""
from __future__ import annotations

import html
import os
import sys
import time

from pipeline import cli
from pipeline.figures import FiguresError, gather


def add_parser(sub):
    p = sub.add_parser("report", help="write an HTML page with charts across the runs of an output",
                       description="Writes DIR/_report/index.html (or --out FILE) and prints its path.")
    p.add_argument("dir", metavar="DIR", help="output folder of newsbeam run/stream")
    p.add_argument("--run", metavar="RUN_ID", help="only this run's articles, rejects and summary")
    p.add_argument("--out", metavar="FILE", help="where to write the page (default DIR/_report/index.html)")
    p.add_argument("-v", "--verbose", action="store_true", help="print timing to stderr")
    return p


def main(args, extra) -> int:
    if extra:
        return cli.fail(f"report: unknown arguments: {' '.join(extra)}")
    t0 = time.monotonic()
    try:
        figures = gather(args.dir, args.run)
    except FiguresError as e:
        return cli.fail(str(e))
    out = args.out or os.path.join(args.dir, "_report", "index.html")
    page = render(figures)
    try:
        os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
        tmp = out + ".tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(page)
        os.replace(tmp, out)
    except OSError as e:
        return cli.fail(f"cannot write {out}: {e.strerror or e}")
    if args.verbose:
        print(f"report: {time.monotonic() - t0:.1f} s, {len(page) / 1024:.0f} KB", file=sys.stderr)
    print(out)
    return 0


# ---- page ------------------------------------------------------------------------------

CSS = """
:root { --ink:#1f2430; --muted:#667085; --line:#e4e7ec; --bg:#f6f7f9; --card:#fff;
        --blue:#2f7ed8; --green:#1b998b; --red:#d64550; --amber:#f2a541; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
       font:14px/1.45 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; }
header { background:#1f2a44; color:#fff; padding:22px 32px 18px; }
header h1 { margin:0; font-size:22px; font-weight:600; letter-spacing:.2px; }
header p { margin:4px 0 0; color:#c4cbe0; font-size:12.5px; }
main { max-width:1120px; margin:0 auto; padding:20px 24px 40px; }
.kpis { display:grid; grid-template-columns:repeat(auto-fit, minmax(150px, 1fr)); gap:12px; margin-bottom:18px; }
.kpi { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:12px 14px; }
.kpi b { display:block; font-size:22px; font-weight:600; }
.kpi span { color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.5px; }
.kpi.ok b { color:var(--green); } .kpi.bad b { color:var(--red); }
section { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:16px 20px 18px;
          margin-bottom:18px; }
section h2 { margin:0 0 2px; font-size:16px; font-weight:600; }
section h3 { font-size:13px; font-weight:600; margin:14px 0 0; }
section > p.note { margin:0 0 10px; color:var(--muted); font-size:12.5px; }
.grid2 { display:grid; grid-template-columns:1fr 1fr; gap:18px; }
@media (max-width: 900px) { .grid2 { grid-template-columns:1fr; } }
svg.chart { width:100%; height:auto; display:block; margin:6px 0 10px; }
table { border-collapse:collapse; width:100%; font-size:12.5px; margin-top:4px; }
th, td { text-align:left; padding:5px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
th { color:var(--muted); font-weight:600; font-size:11.5px; text-transform:uppercase; letter-spacing:.4px; }
td.n { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
td code, li code { font-size:11.5px; color:#3d4451; word-break:break-all; }
ul.ex { margin:2px 0 0; padding-left:16px; color:var(--muted); }
.tag { display:inline-block; padding:1px 7px; border-radius:9px; font-size:11px; font-weight:600; }
.tag.ok { background:#e3f4f1; color:var(--green); } .tag.mismatch { background:#fbe7e9; color:var(--red); }
.tag.unknown { background:#eef0f3; color:var(--muted); }
.empty { color:var(--muted); font-style:italic; margin:6px 0; }
details summary { cursor:pointer; color:var(--muted); font-size:12.5px; margin-top:6px; }
footer { color:var(--muted); font-size:12px; text-align:center; margin-top:10px; }
"""


def _e(value) -> str:
    return html.escape(str(value), quote=True)


def _n(value, name: str | None = None) -> str:
    attr = f' data-figure="{_e(name)}"' if name else ""
    text = f"{value:,}" if isinstance(value, int) else ("–" if value is None else _e(value))
    return f'<td class="n"{attr}>{text}</td>'


def _kpi(label: str, value, name: str, cls: str = "") -> str:
    text = f"{value:,}" if isinstance(value, int) else _e(value)
    return f'<div class="kpi {cls}"><b data-figure="{_e(name)}">{text}</b><span>{_e(label)}</span></div>'


def _section(title: str, note: str, body: str, sid: str) -> str:
    return f'<section id="{sid}"><h2>{_e(title)}</h2><p class="note">{_e(note)}</p>{body}</section>'


def _empty(text: str) -> str:
    return f'<p class="empty">{_e(text)}</p>'


def render(f: dict) -> str:
    from pipeline import charts
    t, a = f["totals"], f["articles"]
    scope = f"run {f['run']}" if f["run"] else f"{t['runs']} run(s)"
    kpis = "".join([
        _kpi("articles in output" if not f["run"] else "articles of this run", a["total"], "articles"),
        _kpi("runs", t["runs"], "runs"),
        _kpi("units seen", t["seen"], "seen"),
        _kpi("written", t["written"], "written"),
        _kpi("duplicates", t["duplicates"], "duplicates"),
        _kpi("already present", t["already_present"], "already_present"),
        _kpi("rejected", t["rejected"], "rejected"),
        _kpi("sources", a["sources"], "sources"),
        _kpi("accounting", "ok" if not t["accounting_mismatches"] else f"{t['accounting_mismatches']} mismatch",
             "accounting", "ok" if not t["accounting_mismatches"] else "bad"),
    ])
    parts = [f'<div class="kpis">{kpis}</div>',
             _runs_section(f, charts), _rejects_section(f, charts), _articles_section(f, charts),
             _timing_section(f, charts), _entities_section(f, charts), _streams_section(f, charts)]
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>newsbeam report · {_e(os.path.basename(f['output']) or f['output'])}</title>
<style>{CSS}</style></head>
<body><header><h1>newsbeam report</h1>
<p>{_e(f['output'])} · {_e(scope)} · generated {_e(f['generated_at'])}</p></header>
<main>{''.join(parts)}
<footer>newsbeam · figures from _runs/*.json and Parquet aggregates · <code>newsbeam stats DIR --json</code> prints the same figures</footer>
</main></body></html>
"""


def _runs_section(f, charts) -> str:
    runs = f["runs"]
    if not runs:
        return _section("Runs over time", "", _empty("No run summaries in _runs/."), "runs")
    rows = "".join(
        f"<tr><td><code>{_e(r['run_id'])}</code></td><td>{_e(r['kind'])}</td>"
        f"<td>{_e((r['started_at'] or '')[:19].replace('T', ' '))}</td>"
        + _n(r["seen"], f"run.{r['run_id']}.seen") + _n(r["written"], f"run.{r['run_id']}.written")
        + _n(r["duplicates"], f"run.{r['run_id']}.duplicates")
        + _n(r["already_present"], f"run.{r['run_id']}.already_present")
        + _n(r["rejected"], f"run.{r['run_id']}.rejected") + _n(r["docs_per_second"])
        + f"<td><span class=\"tag {r['accounting']}\">{_e(r['accounting'])}</span></td></tr>"
        for r in reversed(runs))
    table = ("<details><summary>All runs as a table</summary><table><tr><th>run</th><th>kind</th><th>started (UTC)</th>"
             "<th>seen</th><th>written</th><th>dupl.</th><th>present</th><th>rejected</th><th>docs/s</th>"
             f"<th>accounting</th></tr>{rows}</table></details>")
    return _section("Runs over time", "What became of every input unit, per run; docs/s written on the right "
                    "axis; ✓ marks runs whose accounting adds up (seen = written + duplicates + rejected + "
                    "already present).",
                    charts.runs_over_time([r for r in runs if r["kind"] != "compact"] or runs) + table, "runs")


def _rejects_section(f, charts) -> str:
    rej = f["rejects"]
    if not rej["by_reason"]:
        return _section("Rejects", "", _empty("No rejected units."), "rejects")
    rows = []
    for r in rej["by_reason"]:
        ex = "".join(f"<li><code>{_e(x['input_ref'])}</code>{(' — ' + _e(x['detail'])) if x['detail'] else ''}</li>"
                     for x in r["examples"])
        rows.append(f"<tr><td>{_e(r['stage'])}</td><td><b>{_e(r['reason'])}</b><ul class=\"ex\">{ex}</ul></td>"
                    + _n(r["count"], f"reject.{r['stage']}.{r['reason']}") + "</tr>")
    table = f"<table><tr><th>stage</th><th>reason and examples</th><th>units</th></tr>{''.join(rows)}</table>"
    return _section("Rejects by stage and reason", f"{rej['total']:,} rows in rejects/ (duplicates found "
                    "within a run included), with the latest examples of each reason.",
                    charts.reject_reasons(rej["by_reason"]) + table, "rejects")


def _articles_section(f, charts) -> str:
    a = f["articles"]
    if not a["total"]:
        return _section("Articles", "", _empty("No articles in articles/."), "articles")
    undated = a["total"] - a["dated"]
    if a["by_day"]:
        day_svg, bucket = charts.per_day(a["by_day"])
        day = f"<h3>Articles per published {bucket}</h3>{day_svg}"
    else:
        day = _empty("No article has a publication date.")
    note = (f"{a['total']:,} articles, {a['dated']:,} with a publication date ({undated:,} undated), "
            f"{a['words']:,} words, {a['sources']:,} sources.")
    src_rows = "".join(f"<tr><td>{_e(s)}</td>{_n(n, 'source.' + str(s))}</tr>" for s, n in a["top_sources"])
    small = "".join(
        f"<div><h3>{_e(title)}</h3>"
        f"{charts.hbars(pairs, narrow=True, color=color)}"
        f"<details><summary>as a table</summary><table>"
        f"{''.join(f'<tr><td>{_e(k)}</td>{_n(n, prefix + str(k))}</tr>' for k, n in pairs)}</table></details></div>"
        for title, pairs, prefix, color in (
            ("Languages", a["languages"], "language.", "#1b998b"),
            ("Input kinds", a["kinds"], "kind.", "#5b5ea6"),
            ("Where the publication date came from", a["date_sources"], "date_source.", "#f2a541")))
    body = (f"{day}"
            f"<h3>Top sources</h3>"
            f"{charts.hbars(a['top_sources'])}"
            f"<details><summary>Top sources as a table</summary><table>{src_rows}</table></details>"
            f"<div class=\"grid2\">{small}</div>")
    return _section("Articles", note, body, "articles")


def _timing_section(f, charts) -> str:
    runs = [r for r in f["runs"] if r["stage_ms"]]
    if not runs:
        return _section("Stage timings", "", _empty("No stage timings in the run summaries."), "timing")
    last = runs[-1]
    total_s = sum(last["stage_seconds"].values()) or 1
    rows = "".join(f"<tr><td>{_e(s)}</td>{_n(ms, 'ms.' + s)}{_n(last['stage_seconds'].get(s))}"
                   f"<td class=\"n\">{100 * (last['stage_seconds'].get(s) or 0) / total_s:.0f}%</td></tr>"
                   for s, ms in sorted(last["stage_ms"].items(), key=lambda kv: -kv[1]))
    table = (f"<table><tr><th>stage (run {_e(last['run_id'])})</th><th>ms / article</th><th>seconds</th>"
             f"<th>share</th></tr>{rows}</table>")
    return _section("Stage timings", "Mean milliseconds per article in each timed stage, per run (Beam "
                    "distribution metrics from the run summaries); the table shows where the latest run's "
                    "time went.", charts.stage_timing(runs) + table, "timing")


def _entities_section(f, charts) -> str:
    e, d = f["entities"], f["dates"]
    parts = []
    if e["by_label"]:
        parts.append(charts.hbars(e["by_label"], color="#8d6a9f", xlabel="mentions"))
        cells = "".join(
            f"<tr><td><b>{_e(label)}</b></td><td>"
            + ", ".join(f"{_e(name)} <span style=\"color:#667085\">({n:,})</span>" for name, n in e["top"].get(label, []))
            + f"</td>{_n(total, 'entities.' + label)}</tr>"
            for label, total in e["by_label"])
        parts.append(f"<table><tr><th>label</th><th>most mentioned</th><th>mentions</th></tr>{cells}</table>")
    else:
        parts.append(_empty("No entity mentions (entities switched off, or no articles)."))
    if d["mentions"]:
        rate = f"{100 * d['rate']:.1f}%"
        parts.append(f"<h3>Date mentions: <span data-figure=\"dates.rate\">"
                     f"{rate}</span> resolved to a calendar value ({d['resolved']:,} of {d['mentions']:,})</h3>")
        parts.append(charts.hbars(d["granularity"], color="#f2a541", xlabel="date mentions by granularity"))
    else:
        parts.append(_empty("No date mentions."))
    note = f"{e['mentions']:,} entity mentions; {d['mentions']:,} date mentions."
    return _section("Entities and dates", note, "".join(parts), "entities")


def _streams_section(f, charts) -> str:
    streams = [s for s in f["streams"] if any(c["latency"] for c in s["commits"])]
    if not streams:
        note = ("No stream runs in _runs/." if not f["streams"]
                else "Stream runs without commit latency figures.")
        return _section("Stream commit latency", "", _empty(note), "streams")
    n = sum(len(s["commits"]) for s in streams)
    return _section("Stream commit latency", f"{len(streams)} stream run(s), {n} commits: seconds from an "
                    "entry being seen to its commit.", charts.latency(streams), "streams")
