"""`newsbeam COMMAND ...`: one entry point, one module per command.

`run` lives here; every other command (stream, compact, schema, report, stats,
explain) is a module listed in COMMANDS that provides `add_parser(sub)` and
`main(args, extra) -> int`, so commands grow without touching each other.

Flags a command does not know pass through to Beam (--runner, --direct_num_workers,
--direct_running_mode, any runner's own options) for commands that run a pipeline;
the others refuse them.  Bad configuration, a missing input given explicitly or an
unwritable output end with one line on stderr and exit 2.
"""
from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys

EXIT_USAGE = 2
EXIT_LOCKED = 3

# Modules of the other commands: each has add_parser(sub) -> the command's parser, and
# main(args, extra) -> exit status.
COMMANDS: list[str] = ["pipeline.stream", "pipeline.compact", "pipeline.schema_cmd",
                       "pipeline.report", "pipeline.stats", "pipeline.explain"]


def add_run_options(p: argparse.ArgumentParser):
    """Options `run` and `stream` share: what to read, where to write, how."""
    p.add_argument("--input", action="append", default=[], metavar="PATH_OR_URL",
                   help="file, directory, glob or feed URL; repeatable")
    p.add_argument("--output", help="output folder (articles/, rejects/, _runs/)")
    p.add_argument("--config", help="YAML run configuration (see configs/)")
    p.add_argument("--no-entities", action="store_true", help="skip named-entity recognition")
    p.add_argument("--no-dates", action="store_true", help="skip date-mention resolution")
    p.add_argument("--allow-private-addresses", action="store_true",
                   help="allow fetching from loopback/private hosts (tests, intranets)")
    p.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                   help="when another writer holds the output, wait up to SECONDS for it "
                        "(default: exit 3 at once)")
    p.add_argument("--no-state", action="store_true",
                   help="ignore and keep no state in DIR/_state/: feed validators (ETag/Last-"
                        "Modified), the repetition memory")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("-v", "--verbose", action="store_true", help="Beam's INFO logging")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="no progress line: only errors and the summary")


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="newsbeam", description="News ingestion on Apache Beam.")
    sub = ap.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="ingest inputs into Hive-partitioned Parquet",
                         description="Unknown flags are passed to Apache Beam (e.g. --runner, "
                                     "--direct_num_workers, --direct_running_mode).")
    add_run_options(run)
    run.add_argument("--mode", choices=["append", "reprocess"],
                     help="append (default): skip ids already written; reprocess: replace the "
                          "partitions this run touches")
    run.set_defaults(handler=_main_run)
    for name in COMMANDS:
        module = importlib.import_module(name)
        module.add_parser(sub).set_defaults(handler=module.main)
    return ap


def fail(message: str, status: int = EXIT_USAGE) -> int:
    print(f"newsbeam: error: {message}", file=sys.stderr)
    return status


_fail = fail


def quiet_logging(verbose: bool):
    """Importing apache_beam logs import-time warnings (optional GCP clients) on the root
    logger; keep them and the libraries' chatter out of a user's terminal unless asked."""
    logging.getLogger().setLevel(logging.INFO if verbose else logging.ERROR)
    for noisy in ("apache_beam", "trafilatura", "htmldate", "courlan"):
        logging.getLogger(noisy).setLevel(logging.INFO if verbose else logging.ERROR)


def load_config(args):
    """YAML config overlaid by the shared run/stream flags."""
    from pipeline import config as cfgmod
    config = cfgmod.load(args.config)
    if args.input:
        config.inputs = args.input
    if args.output:
        config.output = args.output
    if getattr(args, "mode", None):
        config.mode = args.mode
    if args.no_entities:
        config.enrich.entities = False
    if args.no_dates:
        config.enrich.dates = False
    if args.allow_private_addresses:
        config.fetch.allow_private_addresses = True
    return config


def main(argv: list[str] | None = None) -> int:
    args, extra = _parser().parse_known_args(argv)
    logging.getLogger().setLevel(logging.INFO if getattr(args, "verbose", False) else logging.ERROR)
    try:
        return args.handler(args, extra)
    except BrokenPipeError:
        # `newsbeam stats DIR | head`: the reader left; not an error of ours. Point stdout at
        # devnull so the interpreter's final flush does not raise again (Python docs recipe).
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _main_run(args, beam_args) -> int:
    from pipeline import config as cfgmod
    from pipeline.lock import Locked
    from pipeline.run import OutputError, run
    from pipeline.sources import InputError
    quiet_logging(args.verbose)
    try:
        summary = run(load_config(args), beam_args, wait=args.wait, use_state=not args.no_state,
                      progress="off" if args.quiet else "auto", verbose=args.verbose)
    except (cfgmod.ConfigError, InputError, OutputError) as e:
        return fail(str(e))
    except Locked as e:
        return fail(str(e), EXIT_LOCKED)
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
    if (s.get("feeds") or {}).get("not_modified"):
        lines.append(f"  not modified     {s['feeds']['not_modified']} feed(s) answered 304: no new entries")
    for reason, n in s["rejected_by_reason"].items():
        lines.append(f"    {reason:<30} {n}")
    ok = s["accounting"]["ok"]
    lines.append(f"  accounting       {'ok' if ok else ('UNKNOWN' if ok is None else 'MISMATCH')}: "
                 f"{s['accounting']['identity']}")
    lines.append(f"  summary          {s['summary_path']}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
