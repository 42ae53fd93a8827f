"""Beam's SDK worker processes for `--direct_running_mode=multi_processing`, kept quiet.

Beam starts each worker as `python -m apache_beam.runners.worker.sdk_worker_main` with
the driver's stderr; an import-time `logging.warning` there gives the root logger a
stderr handler before any option is read, and the harness then sets the root level to
INFO, so every worker prints its start-up and shut-down chatter ("Python sdk harness
exiting") into the user's terminal.  Unless `-v`, newsbeam starts the same harness
through this module instead: a stderr handler that lets only errors through is in place
first.  The INFO records still go to the driver over Beam's logging channel, where the
driver's own log levels (cli.quiet_logging) decide.

    python -m pipeline.worker        (what the local runner runs; not for people)
"""
from __future__ import annotations

import logging
import shlex
import sys


def local_runner(options, *, verbose: bool):
    """A FnApiRunner whose subprocess workers are quiet, or None to let Beam choose.

    Only for Beam's local runner in multi_processing mode; `-v` keeps Beam's own workers.
    """
    from apache_beam.options.pipeline_options import DirectOptions, StandardOptions
    direct = options.view_as(DirectOptions)
    if verbose or direct.direct_running_mode != "multi_processing":
        return None
    if options.view_as(StandardOptions).runner not in ("FnApiRunner", None):
        return None
    from apache_beam.runners.portability.fn_api_runner import FnApiRunner
    from apache_beam.transforms.environments import SubprocessSDKEnvironment
    command = f"{shlex.quote(sys.executable)} -m pipeline.worker"
    # FnApiRunner replaces its environment with Beam's worker command when it sees
    # multi_processing; with ours given, the workers are the same processes, started here.
    direct.direct_running_mode = "in_memory"
    return FnApiRunner(default_environment=SubprocessSDKEnvironment.from_command_string(command))


def main():
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.ERROR)
    handler.setFormatter(logging.Formatter("newsbeam worker: %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    from apache_beam.runners.worker import sdk_worker_main
    sdk_worker_main.main(sys.argv)


if __name__ == "__main__":
    main()
