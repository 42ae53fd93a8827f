"""Static SVG charts for the report, drawn with matplotlib's SVG backend (no browser).

Each function takes plain figures and returns one inline `<svg>` string; text stays
text (svg.fonttype none) so the page is small, searchable and styled by its CSS.
"""
from __future__ import annotations

import io
import re

import matplotlib

matplotlib.use("svg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

PALETTE = {"written": "#2f7ed8", "duplicates": "#f2a541", "already_present": "#9aa5b1",
           "rejected": "#d64550", "line": "#1b998b", "accent": "#5b5ea6"}
SERIES = ["#2f7ed8", "#1b998b", "#f2a541", "#d64550", "#5b5ea6", "#9aa5b1", "#8d6a9f", "#c5d86d"]
WIDTH = 11.0                                   # inches at 96 dpi: about the page column

plt.rcParams.update({
    "svg.fonttype": "none", "svg.hashsalt": "newsbeam", "font.size": 9,
    "font.family": ["DejaVu Sans", "sans-serif"],
    "axes.spines.top": False, "axes.spines.right": False, "axes.edgecolor": "#c9ced6",
    "axes.labelcolor": "#3d4451", "xtick.color": "#3d4451", "ytick.color": "#3d4451",
    "axes.grid": True, "grid.color": "#eceff3", "grid.linewidth": 0.8, "axes.axisbelow": True,
    "legend.frameon": False, "figure.dpi": 96,
})


def _svg(fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    # Let the page size the chart: keep the viewBox, drop the fixed width/height.
    return re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1 class="chart"', text, count=1)


def _short(label: str, n: int = 34) -> str:
    return label if len(label) <= n else label[: n - 1] + "…"


def runs_over_time(runs: list[dict]) -> str:
    """Stacked outcome bars per run, docs/s on a second axis, accounting marked."""
    runs = runs[-40:]
    fig, ax = plt.subplots(figsize=(WIDTH, 3.2))
    x = list(range(len(runs)))
    bottom = [0] * len(runs)
    for key in ("written", "duplicates", "already_present", "rejected"):
        values = [r[key] for r in runs]
        ax.bar(x, values, bottom=bottom, color=PALETTE[key], width=0.7, label=key.replace("_", " "))
        bottom = [b + v for b, v in zip(bottom, values)]
    ax.set_ylabel("input units")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    step = -(-len(runs) // 10)                 # at most about ten labels
    ax.set_xticks(x[::step], [_run_label(r) for r in runs][::step], rotation=30 if len(runs) > 4 else 0,
                  ha="right" if len(runs) > 4 else "center")
    top = max(bottom or [1]) or 1
    for i, r in enumerate(runs):
        mark = {"ok": "✓", "mismatch": "✗", "unknown": "?"}[r["accounting"]]
        ax.text(i, bottom[i] + top * 0.02, mark, ha="center", va="bottom", fontsize=10,
                color="#1b998b" if r["accounting"] == "ok" else "#d64550")
    ax.set_ylim(0, top * 1.18)
    pad = max(0.6, (6 - len(runs)) / 2)        # a run or two: narrow bars in the middle
    ax.set_xlim(-pad, len(runs) - 1 + pad)
    rates = [r["docs_per_second"] for r in runs]
    if any(v is not None for v in rates):
        ax2 = ax.twinx()
        ax2.plot(x, [v if v is not None else float("nan") for v in rates], color=PALETTE["line"],
                 marker="o", linewidth=1.6, label="docs/s")
        ax2.set_ylabel("docs/s written", color=PALETTE["line"])
        ax2.grid(False)
        ax2.spines["right"].set_visible(True)
        ax2.set_ylim(0, max(v for v in rates if v is not None) * 1.3 or 1)
        handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
    else:
        handles = ax.get_legend_handles_labels()[0]
    ax.legend(handles=handles, loc="upper left", ncol=5, fontsize=8, bbox_to_anchor=(0, 1.16))
    return _svg(fig)


def _run_label(r: dict) -> str:
    started = (r.get("started_at") or "")[:19].replace("T", " ")
    return started or r["run_id"][:15]


def hbars(pairs: list, *, color: str = PALETTE["written"], xlabel: str = "", narrow: bool = False,
          max_items: int = 20) -> str:
    pairs = list(pairs)[:max_items]
    fig, ax = plt.subplots(figsize=(WIDTH / 2 if narrow else WIDTH, max(1.2, 0.5 + 0.26 * len(pairs))))
    labels = [_short(str(k)) for k, _ in pairs][::-1]
    values = [v for _, v in pairs][::-1]
    bars = ax.barh(range(len(values)), values, color=color, height=0.66)
    ax.set_yticks(range(len(values)), labels)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(xlabel)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4 if narrow else "auto", integer=True))
    top = max(values or [1])
    ax.set_xlim(0, top * 1.15)
    for bar, v in zip(bars, values):
        ax.text(bar.get_width() + top * 0.01, bar.get_y() + bar.get_height() / 2, f"{v:,}",
                va="center", fontsize=8, color="#3d4451")
    return _svg(fig)


def reject_reasons(by_reason: list[dict]) -> str:
    stages = sorted({r["stage"] for r in by_reason})
    colors = {s: SERIES[i % len(SERIES)] for i, s in enumerate(stages)}
    rows = by_reason[:20][::-1]
    fig, ax = plt.subplots(figsize=(WIDTH, max(1.2, 0.5 + 0.28 * len(rows))))
    bars = ax.barh(range(len(rows)), [r["count"] for r in rows], color=[colors[r["stage"]] for r in rows],
                   height=0.66)
    ax.set_yticks(range(len(rows)), [f"{r['stage']}: {_short(r['reason'], 30)}" for r in rows])
    ax.grid(axis="y", visible=False)
    top = max(r["count"] for r in rows)
    ax.set_xlim(0, top * 1.15)
    for bar, r in zip(bars, rows):
        ax.text(bar.get_width() + top * 0.01, bar.get_y() + bar.get_height() / 2, f"{r['count']:,}",
                va="center", fontsize=8)
    ax.set_xlabel("rejected units (colour: stage)")
    return _svg(fig)


def per_day(by_day: list) -> tuple[str, str]:
    """Articles per published day; per week or month when the days span too long.

    Returns (svg, the bucket used: "day", "week" or "month")."""
    import datetime as dt
    from collections import Counter
    days = [dt.date.fromisoformat(d) for d, _ in by_day]
    span = (days[-1] - days[0]).days + 1
    bucket, width = ("day", 0.8) if span <= 120 else (("week", 5.6) if span <= 3 * 365 else ("month", 24))
    counts: Counter = Counter()
    for day, (_, n) in zip(days, by_day):
        if bucket == "week":
            day = day - dt.timedelta(days=day.weekday())
        elif bucket == "month":
            day = day.replace(day=1)
        counts[day] += n
    fig, ax = plt.subplots(figsize=(WIDTH, 2.8))
    xs = sorted(counts)
    ax.bar(xs, [counts[x] for x in xs], width=width, align="edge" if bucket != "day" else "center",
           color=PALETTE["written"])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    locator = mdates.AutoDateLocator(maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_ylabel(f"articles per {bucket}")
    ax.grid(axis="x", visible=False)
    return _svg(fig), bucket


def stage_timing(runs: list[dict]) -> str:
    """ms per article per stage, one stacked bar per run (latest at the top)."""
    runs = [r for r in runs if r["stage_ms"]][-12:]
    stages = []
    for r in runs:
        stages += [s for s in r["stage_ms"] if s not in stages]
    colors = {s: SERIES[i % len(SERIES)] for i, s in enumerate(stages)}
    fig, ax = plt.subplots(figsize=(WIDTH, max(1.3, 0.8 + 0.34 * len(runs))))
    for i, r in enumerate(runs[::-1]):
        left = 0.0
        for s in stages:
            v = r["stage_ms"].get(s) or 0
            ax.barh(i, v, left=left, color=colors[s], height=0.6, label=s if i == 0 else None)
            if v >= 0.08 * sum(r["stage_ms"].values()):
                ax.text(left + v / 2, i, f"{v:.1f}", ha="center", va="center", fontsize=7.5, color="white")
            left += v
    ax.set_yticks(range(len(runs)), [_run_label(r) for r in runs[::-1]])
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("ms per article")
    ax.legend(loc="lower left", ncol=len(stages), fontsize=8, bbox_to_anchor=(0, 1.0))
    return _svg(fig)


def latency(streams: list[dict]) -> str:
    import datetime as dt
    fig, ax = plt.subplots(figsize=(WIDTH, 2.8))
    i = 0
    for s in streams:
        keys = []
        for c in s["commits"]:
            keys += [k for k in c["latency"] if k not in keys]
        for k in keys:
            pts = [(c["at"], c["latency"][k]) for c in s["commits"] if c["at"] and k in c["latency"]]
            if not pts:
                continue
            xs = [dt.datetime.fromisoformat(str(a).replace("Z", "+00:00")) for a, _ in pts]
            ax.plot(xs, [v for _, v in pts], marker="o", markersize=3, linewidth=1.3,
                    color=SERIES[i % len(SERIES)], label=f"{s['run_id'][:22]} {k}")
            i += 1
    locator = mdates.AutoDateLocator(maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_ylabel("seconds")
    ax.legend(fontsize=8, loc="upper left")
    return _svg(fig)
