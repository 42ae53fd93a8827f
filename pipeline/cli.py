"""`newsbeam run --input ... --output DIR [--config FILE] [Beam options...]`.

Flags newsbeam does not know pass through to Beam (--runner, --direct_num_workers,
--direct_running_mode, any runner's own options).  Bad configuration, a missing input
given explicitly or an unwritable output end with one line on stderr and exit 2.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys

EXIT_USAGE = 2


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="newsbeam", description="News ingestion on Apache Beam.")
    sub = ap.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="ingest inputs into Hive-partitioned Parquet",
                         description="Unknown flags are passed to Apache Beam (e.g. --runner, "
                                     "--direct_num_workers, --direct_running_mode).")
    run.add_argument("--input", action="append", default=[], metavar="PATH_OR_URL",
                     help="file, directory, glob or feed URL; repeatable")
    run.add_argument("--output", help="output folder (articles/, rejects/, _runs/)")
    run.add_argument("--config", help="YAML run configuration (see configs/)")
    run.add_argument("--mode", choices=["append", "reprocess"],
                     help="append (default): skip ids already written; reprocess: replace the "
                          "partitions this run touches")
    run.add_argument("--no-entities", action="store_true", help="skip named-entity recognition")
    run.add_argument("--no-dates", action="store_true", help="skip date-mention resolution")
    run.add_argument("--allow-private-addresses", action="store_true",
                     help="allow fetching from loopback/private hosts (tests, intranets)")
    run.add_argument("--json", action="store_true", help="print the run summary as JSON")
    run.add_argument("-v", "--verbose", action="store_true", help="Beam's INFO logging")
    return ap


def _fail(message: str) -> int:
    print(f"newsbeam: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def main(argv: list[str] | None = None) -> int:
    args, beam_args = _parser().parse_known_args(argv)
    # Importing apache_beam logs import-time warnings (optional GCP clients) on the root
    # logger; keep them out of a user's terminal unless asked for.
    logging.getLogger().setLevel(logging.INFO if args.verbose else logging.ERROR)
    from pipeline import config as cfgmod
    from pipeline.run import OutputError, run
    from pipeline.sources import InputError
    logging.getLogger().setLevel(logging.INFO if args.verbose else logging.WARNING)
    for noisy in ("apache_beam", "trafilatura", "htmldate", "courlan"):
        logging.getLogger(noisy).setLevel(logging.INFO if args.verbose else logging.ERROR)
    try:
        config = cfgmod.load(args.config)
        if args.input:
            config.inputs = args.input
        if args.output:
            config.output = args.output
        if args.mode:
            config.mode = args.mode
        if args.no_entities:
            config.enrich.entities = False
        if args.no_dates:
            config.enrich.dates = False
        if args.allow_private_addresses:
            config.fetch.allow_private_addresses = True
        summary = run(config, beam_args)
    except (cfgmod.ConfigError, InputError, OutputError) as e:
        return _fail(str(e))
    print(format_summary(summary) if not args.json else json.dumps(summary, indent=2, default=str))
    return 0


def format_summary(s: dict) -> str:
    def by_kind(block):
        if not block:
            return "?"
        kinds = ", ".join(f"{k} {v}" for k, v in block["by_kind"].items())
        return f"{block['total']}" + (f" ({kinds})" if kinds else "")
    lines = [
        f"run {s['run_id']}  {s['seconds']} s  ({s['docs_per_second']} docs/s written)",
        f"  seen             {by_kind(s['seen'])}",
        f"  written          {by_kind(s['written'])}",
        f"  duplicates       {by_kind(s['duplicates'])}",
        f"  already present  {by_kind(s['already_present'])}",
        f"  rejected         {by_kind(s['rejected'])}",
    ]
    for reason, n in s["rejected_by_reason"].items():
        lines.append(f"    {reason:<30} {n}")
    ok = s["accounting"]["ok"]
    lines.append(f"  accounting       {'ok' if ok else ('UNKNOWN' if ok is None else 'MISMATCH')}: "
                 f"{s['accounting']['identity']}")
    lines.append(f"  summary          {s['summary_path']}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
