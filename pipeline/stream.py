"""`newsbeam stream`: a Beam streaming pipeline that polls feeds and folders and commits as it goes.

The graph (the same for the local runner and a production runner):

    Ticks (a stoppable PeriodicImpulse) -> Poll (feed URLs, OPML lists expanded, new files
    in watched folders) -> Ingest (compose.graph: the very steps of `run`: read with
    conditional GET, fetch, extract, anatomy, enrich, finalize, skip what is present)
    -> WriteFinished (part files per bundle into DIR/_staging/RUN_ID/, published by rename
    only once complete)

and, beside it, a committer that every commit interval takes the finished part files,
dedups them on small keys against what is already in the output and what this stream
committed, and commits them with pipeline/commit.commit (renames of complete files).

Why no GroupByKey: on Beam 2.77's Python DirectRunner with --streaming, windows and
GroupByKey fire only when the source ends, so a design that groups before it writes
would commit nothing while running.  Bundles, however, finish as elements come, so the
per-bundle staged writer runs continuously, and the commit (which needs one place that
sees everything new) runs on the driver.  The README explains what a production runner
needs for the committer.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sys
import threading
import time
from collections import Counter

from pipeline.config import Config, ConfigError


# ---- the driver -------------------------------------------------------------------------------

def stream_options(beam_args: list[str]):
    """Beam's local runner in streaming mode unless the user names a runner."""
    from apache_beam.options.pipeline_options import PipelineOptions
    args = list(beam_args)
    if not any(a == "--runner" or a.startswith("--runner=") for a in args):
        # The local runner, as `run` uses it: Beam's DirectRunner would first try to download
        # Prism and then pick the FnApiRunner for this graph anyway (no GroupByKey, no
        # TestStream), which runs the stoppable tick source as it comes (see streaming.Ticks).
        args.append("--runner=FnApiRunner")
    if "--streaming" not in args:
        args.append("--streaming")
    return PipelineOptions(args)


def check_inputs(inputs: list[str]):
    from pipeline.sources import InputError
    for raw in inputs:
        item = raw.strip()
        if not item:
            raise InputError("empty --input")
        if item.lower().startswith(("http://", "https://")) or ("://" in item and not item.startswith("file://")):
            continue
        local = item[len("file://"):] if item.startswith("file://") else item
        if not os.path.exists(local):
            raise InputError(f"input {raw}: no such file or directory")
        if not os.access(local, os.R_OK):
            raise InputError(f"input {raw}: not readable")


def stream(config: Config, beam_args: list[str] | None = None, *, duration: float | None = None,
           wait: float = 0.0, use_state: bool = True, log=None, progress: str = "off") -> dict:
    """Validate, take the output's lock (Locked when another writer has it), stream, summarize.

    progress "live": a live line on a terminal (articles, rejects, docs/s, commits) with the
    commit lines above it; "off": only `log`."""
    from pipeline.lock import output_lock
    from pipeline.run import check_model, check_output, new_run_id
    if not config.output:
        raise ConfigError("no output folder: pass --output DIR or set output: in the config")
    if not config.inputs:
        raise ConfigError("no input: pass --input FEED_URL|OPML|DIR (repeatable) or set inputs: in the config")
    config.validate()
    if config.mode != "append":
        raise ConfigError("stream appends: mode must be append")
    if duration is not None and duration <= 0:
        raise ConfigError("--duration must be positive")
    check_model(config)
    check_inputs(config.inputs)
    check_output(config.output)
    options = stream_options(beam_args or [])
    started = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    run_id = new_run_id(started)
    with output_lock(config.output, kind="stream", run_id=run_id, wait=wait,
                     stale_after=config.lock.stale_after):
        try:
            return _stream_locked(config, options, started=started, run_id=run_id, duration=duration,
                                  use_state=use_state, log=log or (lambda msg: None),
                                  progress=progress)
        except BaseException:
            # what was committed stays; the rest is polled again by the next stream or run
            from pipeline.run import remove_tree
            from pipeline.sinks import join
            remove_tree(join(config.output, "_staging", run_id))
            raise


def build(options, config: Config, *, staging, run_id, present_path, feed_state, duration, repeats=None):
    """The streaming pipeline: ticks -> poll -> the graph `run` uses, with a finished-files writer."""
    import apache_beam as beam
    from pipeline import __version__
    from pipeline.compose import graph
    from pipeline.streaming import _YEARS, Poll, Ticks, WriteFinished
    s = config.stream
    now = time.time()
    end = now + (duration if duration else _YEARS)
    pipeline = beam.Pipeline(options=options)
    specs = (pipeline
             | "Start" >> beam.Create([(now, end, s.poll_interval)])
             | "Ticks" >> beam.ParDo(Ticks())
             | "Poll" >> beam.ParDo(Poll(config.inputs, s.settle)))
    graph(specs, config, staging=staging, run_id=run_id, ingested_at=None, version=__version__,
          present_snapshot=present_path, feed_state=feed_state, writer=WriteFinished, dedup=False,
          spread=False, repeats=repeats)
    return pipeline


def _stream_locked(config: Config, options, *, started, run_id, duration, use_state, log,
                   progress="off") -> dict:
    """The stream proper, while this process holds the output: poll, commit as it goes, summarize."""
    from pipeline.sinks import ensure_dir, join, snapshot_present
    from pipeline.streaming import _STOP, Committer, keep_metrics_flat
    from pipeline.run import _counters, make_summary, remove_tree, repeat_memory_for, write_summary
    from pipeline.sinks import load_present_ids
    from pipeline.state import FeedStateSpec, load_validators, save_validators, staged_validators
    from pipeline.progress import Watch
    output, s = config.output, config.stream
    staging = join(output, "_staging", run_id)
    ensure_dir(staging)
    present_path = join(staging, "present.parquet")
    snapshot_present(join(output, "articles"), present_path)
    # the workers look for lines learned by a commit at most every few seconds
    memory = repeat_memory_for(config, staging, use_state=use_state,
                               reload_every=min(5.0, s.commit_interval))
    watch = Watch(join(staging, "_progress"), [], mode=progress,
                  status=lambda: f"{len(committer.commits)} commits")
    if progress != "off":
        log = lambda msg: watch.write(f"newsbeam stream: {msg}")      # noqa: E731 above the live line
    committer = Committer(output=output, staging=staging, run_id=run_id, config=config,
                          present_path=present_path, present_ids=load_present_ids(present_path), log=log,
                          on_commit=memory.after_commit if memory else None)
    feed_state = FeedStateSpec(validators=load_validators(output) if use_state else {},
                               staging=staging if use_state else None, backoff=True,
                               poll_interval=s.poll_interval, max_backoff=s.max_backoff)

    t0 = time.monotonic()
    pipeline = build(options, config, staging=staging, run_id=run_id, present_path=present_path,
                     feed_state=feed_state, duration=duration,
                     repeats=memory.spec() if memory else None)
    keep_metrics_flat()
    _STOP.clear()
    stopped_by = {"why": "duration" if duration else None}
    previous = _on_signals(stopped_by)
    with watch:
        committer.start(s.commit_interval)
        try:
            result = pipeline.run()      # the local runner returns when the stream has drained
            result.wait_until_finish()
        finally:
            _restore_signals(previous)
            committer.stop()
        job_seconds = time.monotonic() - t0
        while committer.commit_once():   # what the last bundles staged
            pass
    if committer.error is not None:
        raise committer.error
    if memory is not None:               # fingerprints staged after their articles' last commit
        memory.after_commit({})
    if use_state:
        save_validators(output, staged_validators(staging))
    counters, dists = _counters(result)
    summary = _summary(committer, counters, dists, config=config, run_id=run_id, started=started,
                       seconds=time.monotonic() - t0, job_seconds=job_seconds, options=options,
                       make_summary=make_summary, stopped_by=stopped_by["why"] or "source ended",
                       duration=duration)
    write_summary(output, run_id, summary)
    remove_tree(staging)
    if "://" not in output:
        try:
            os.rmdir(join(output, "_staging"))
        except OSError:
            pass
    summary["summary_path"] = join(output, "_runs", f"{run_id}.json")
    return summary


def _on_signals(stopped_by: dict):
    from pipeline.streaming import request_stop

    def handler(signum, _frame):
        stopped_by["why"] = signal.Signals(signum).name
        request_stop()
    if threading.current_thread() is not threading.main_thread():
        return None
    return {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}


def _restore_signals(previous):
    for sig, old in (previous or {}).items():
        signal.signal(sig, old)


def _summary(committer, counters, dists, *, config, run_id, started, seconds, job_seconds,
             options, make_summary, stopped_by, duration) -> dict:
    written, dups, rejected, reasons, present = Counter(), Counter(), Counter(), Counter(), Counter()
    for c in committer.commits:
        done, here = c.pop("_counts")
        written.update(done["written"])
        dups.update(done["duplicates"])
        rejected.update(done["rejected"])
        reasons.update(done["rejected_by_reason"])
        present.update(here)
    if counters is not None:
        for kind, n in present.items():
            counters[f"already_present.{kind}"] += n
    done = {"written": written, "duplicates": dups, "rejected": rejected, "rejected_by_reason": reasons,
            "replaced": 0, "committed_at": committer.commits[-1].get("committed_at") if committer.commits else None,
            "files_added": [f for c in committer.commits for f in c["files_added"]],
            "files_removed": [f for c in committer.commits for f in c["files_removed"]]}
    summary = make_summary(run_id=run_id, started=started, seconds=seconds, job_seconds=job_seconds,
                           config=config, specs=config.inputs, counters=counters, dists=dists, done=done,
                           runner=options.get_all_options().get("runner"))
    from pipeline.streaming import _pct
    lat = committer.latencies
    summary.update({
        "kind": "stream",
        "stream": {"poll_interval": config.stream.poll_interval,
                   "commit_interval": config.stream.commit_interval,
                   "duration": duration, "stopped_by": stopped_by,
                   "polls": counters.get("poll.ticks") if counters else None},
        "commits": committer.commits,
        "latency_s": {"what": "row finalized -> readable", "median": _pct(lat, 0.5),
                      "p95": _pct(lat, 0.95), "max": _pct(lat, 1.0)},
    })
    return summary


# ---- the command ----------------------------------------------------------------------------

def add_parser(sub):
    from pipeline.cli import add_run_options
    p = sub.add_parser("stream", help="poll feeds and folders, commit new articles as they come",
                       description="A Beam streaming pipeline (--streaming, local runner by default). "
                                   "Unknown flags are passed to Apache Beam.")
    add_run_options(p)
    p.add_argument("--poll-interval", type=float, metavar="S",
                   help="seconds between polls of each feed and watched folder (default 300)")
    p.add_argument("--commit-interval", type=float, metavar="S",
                   help="seconds between commits of what is new (default 30)")
    p.add_argument("--duration", type=float, metavar="S",
                   help="stop polling after S seconds, commit and exit (default: until SIGINT/SIGTERM)")
    return p


def main(args, beam_args) -> int:
    from pipeline import config as cfgmod
    from pipeline.cli import EXIT_LOCKED, fail, format_summary, load_config, quiet_logging
    from pipeline.lock import Locked
    from pipeline.run import OutputError
    from pipeline.sources import InputError
    quiet_logging(args.verbose)
    quiet = getattr(args, "quiet", False)
    try:
        config = load_config(args)
        if args.poll_interval is not None:
            config.stream.poll_interval = args.poll_interval
        if args.commit_interval is not None:
            config.stream.commit_interval = args.commit_interval
        summary = stream(config, beam_args, duration=args.duration, wait=args.wait,
                         use_state=not args.no_state, progress="off" if quiet else "live",
                         log=None if quiet else (lambda msg: print(f"newsbeam stream: {msg}",
                                                                   file=sys.stderr, flush=True)))
    except (cfgmod.ConfigError, InputError, OutputError) as e:
        return fail(str(e))
    except Locked as e:
        return fail(str(e), EXIT_LOCKED)
    if args.json:
        print(json.dumps(summary, indent=2, default=str))
    else:
        lat = summary["latency_s"]
        print(format_summary(summary))
        print(f"  stream           {len(summary['commits'])} commits, stopped by {summary['stream']['stopped_by']}; "
              f"latency finalized -> readable median {lat['median']} s, p95 {lat['p95']} s")
    return 0
