"""Warehouse conventions checked in the files themselves, not assumed: Parquet metadata of
articles, rejects and compacted files; Hive partition names; NULL for undated articles."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import schema
from pipeline.cli import main
from tests import many_runs
from tests.conftest import duck, read_articles


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    """Two runs (one input rejected) and a compacted copy's files side by side."""
    work = tmp_path_factory.mktemp("wh")
    out = many_runs.build(work / "out", work, runs=2, per_run=2)
    (work / "bad").mkdir()
    (work / "bad" / "empty.html").write_bytes(b"")
    from tests.conftest import run_cli
    assert run_cli("--input", str(work / "bad"), "--output", str(out), "--no-entities") == 0
    assert main(["compact", str(out)]) == 0
    return out


def _parquet_files(out: Path) -> list[Path]:
    return sorted(out.glob("articles/**/*.parquet")) + sorted(out.glob("rejects/**/*.parquet"))


def test_the_output_holds_articles_rejects_and_compacted_files(out):
    names = [p.name for p in _parquet_files(out)]
    assert any("-c0" in n for n in names) and list(out.glob("rejects/run_id=*/*.parquet"))


def test_every_file_carries_the_schema_version_and_the_run_that_wrote_it(out):
    for path in _parquet_files(out):
        meta = pq.read_metadata(path).metadata
        assert meta[b"newsbeam.schema_version"].decode() == schema.SCHEMA_VERSION, path
        run_id = meta[b"newsbeam.run_id"].decode()
        if path.parts[-3] == "rejects":
            assert path.parent.name == f"run_id={run_id}"
        else:
            assert path.name.startswith(f"part-{run_id}-")


def test_timestamps_are_int64_microseconds_utc_never_int96_or_nanoseconds(out):
    seen = 0
    for path in _parquet_files(out):
        md = pq.read_metadata(path)
        for i in range(len(md.schema)):
            col = md.schema.column(i)
            assert col.physical_type != "INT96", (path, col.path)
            if "Timestamp" in str(col.logical_type):
                assert col.physical_type == "INT64"
                assert "isAdjustedToUTC=true" in str(col.logical_type)
                assert "timeUnit=microseconds" in str(col.logical_type)
                seen += 1
    n_articles, n_rejects = len(list(out.glob("articles/**/*.parquet"))), len(list(out.glob("rejects/**/*.parquet")))
    assert seen == 2 * n_articles + 1 * n_rejects       # published_at, ingested_at; rejected_at


def test_no_unsigned_or_dictionary_types_only_types_warehouses_map(out):
    for path in _parquet_files(out):
        md = pq.read_metadata(path)
        assert md.format_version == "2.6"
        for i in range(len(md.schema)):
            col = md.schema.column(i)
            assert col.physical_type in ("BYTE_ARRAY", "INT32", "INT64"), (path, col.path)
            assert "isSigned=false" not in str(col.logical_type), (path, col.path)
            assert col.physical_type != "BYTE_ARRAY" or str(col.logical_type) == "String", (path, col.path)
        for rg in range(md.num_row_groups):
            for c in range(md.num_columns):
                chunk = md.row_group(rg).column(c)
                assert chunk.compression == "ZSTD"
                assert set(chunk.encodings) <= {"PLAIN", "RLE", "RLE_DICTIONARY"}, chunk.encodings
        arrow = md.schema.to_arrow_schema()

        def leaves(t):
            if pa.types.is_list(t):
                yield from leaves(t.value_type)
            elif pa.types.is_struct(t):
                for f in t:
                    yield from leaves(f.type)
            else:
                yield t
        for field in arrow:
            for t in leaves(field.type):
                assert not pa.types.is_dictionary(t) and not pa.types.is_unsigned_integer(t), (path, field)
                assert not pa.types.is_timestamp(t) or (t.unit, t.tz) == ("us", "UTC")


def test_partition_folders_are_hive_names_warehouses_detect_and_keys_are_not_file_columns(out):
    for part in (out / "articles").iterdir():
        assert re.fullmatch(r"published_date=(\d{4}-\d{2}-\d{2}|__HIVE_DEFAULT_PARTITION__)", part.name), part
        for path in part.glob("*.parquet"):
            assert "published_date" not in pq.read_schema(path).names


def test_undated_articles_read_as_null_in_pyarrow_and_duckdb(out):
    t = read_articles(out)
    assert t.schema.field("published_date").type in (pa.date32(), pa.string())
    nulls = t.column("published_date").null_count
    assert nulls == 2                                               # one undated page per run
    assert duck(out, "WHERE published_date IS NULL") and len(duck(out, "WHERE published_date IS NULL")) == nulls
    only_undated = out.parent / "undated-only"
    shutil.copytree(out / "articles" / "published_date=__HIVE_DEFAULT_PARTITION__",
                    only_undated / "articles" / "published_date=__HIVE_DEFAULT_PARTITION__")
    assert read_articles(only_undated).column("published_date").to_pylist() == [None] * nulls
