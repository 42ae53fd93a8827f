"""The staged Parquet writer: every row written is read back, in the file its key names."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

import apache_beam as beam
import pyarrow.parquet as pq
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from pipeline.sinks import WriteStaged, list_files, partition_path


def _row(i: int) -> dict:
    day = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(days=i % 37)
    return {"id": f"id{i}", "url": None, "canonical_url": None, "source": "s", "source_kind": "jsonl",
            "input_ref": f"ref{i}", "title": "t", "authors": [], "language": "en", "published_at": day,
            "published_at_source": "feed", "dateline": None, "body": f"body {i}", "captions": [],
            "credits": [], "boilerplate": [], "entities": [], "dates": [], "word_count": 2,
            "content_hash": f"h{i}", "ingested_at": day, "pipeline_version": "test"}


def test_every_row_is_in_the_file_its_key_names_with_few_open_writers(tmp_path):
    rows = [_row(i) for i in range(500)]
    with TestPipeline(options=beam.options.pipeline_options.PipelineOptions(["--runner=FnApiRunner"])) as p:
        keys = (p | beam.Create(rows)
                  | beam.ParDo(WriteStaged(str(tmp_path), "articles", ["published_date"], rows_per_file=7,
                                           codec="zstd", buffer_rows=20, max_open=4)))
        assert_that(keys | beam.Map(lambda kv: kv[0]), equal_to([r["id"] for r in rows]))
        keys | beam.Map(lambda kv: (kv[1][2], kv[0])) | beam.io.WriteToText(str(tmp_path / "keys"))
    by_file = defaultdict(set)
    for path in (tmp_path).glob("keys*"):
        for line in path.read_text().splitlines():
            f, i = eval(line)                      # ('path', 'id') tuples written as text
            by_file[f].add(i)
    files = list_files(str(tmp_path / "articles"))
    seen = set()
    for f in files:
        ids = set(pq.read_table(f, columns=["id"]).column("id").to_pylist())
        assert ids == by_file[f]
        assert len(ids) <= 7
        seen |= ids
    assert seen == {r["id"] for r in rows}
    for f in files:
        assert f"/{partition_path(_row(int(next(iter(by_file[f]))[2:])), ['published_date'])}/" in f
