"""Shared helpers: run the real CLI in-process, read the output back as users do."""
from __future__ import annotations

import glob
import json
import os
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLES = FIXTURES / "articles"


def run_cli(*args: str) -> int:
    from pipeline.cli import main
    return main(["run", *args])


def last_summary(out: Path) -> dict:
    runs = sorted((out / "_runs").glob("*.json"), key=os.path.getmtime)
    assert runs, f"no run summary under {out}/_runs"
    return json.loads(runs[-1].read_text())


def read_articles(out: Path):
    """As a user reads it: pyarrow's Hive discovery; explicit types when it cannot infer."""
    import pyarrow as pa
    import pyarrow.dataset as ds
    try:
        return ds.dataset(str(out / "articles"), format="parquet", partitioning="hive").to_table()
    except pa.ArrowInvalid as e:            # every partition __HIVE_DEFAULT_PARTITION__
        assert "No non-null segments" in str(e)
        from pipeline.schema import partitioning
        keys = sorted({p.name.split("=")[0] for p in (out / "articles").iterdir()})
        return ds.dataset(str(out / "articles"), format="parquet", partitioning=partitioning(keys)).to_table()


def read_rejects(out: Path):
    import pyarrow.dataset as ds
    if not (out / "rejects").exists():
        import pyarrow as pa
        from pipeline.schema import REJECT_SCHEMA
        return pa.Table.from_pylist([], schema=REJECT_SCHEMA)
    return ds.dataset(str(out / "rejects"), format="parquet", partitioning="hive").to_table()


def duck(out: Path, sql_tail: str = "") -> list[tuple]:
    import duckdb
    con = duckdb.connect()
    pattern = str(out / "articles" / "**" / "*.parquet")
    return con.execute(f"SELECT * FROM read_parquet('{pattern}', hive_partitioning=true) {sql_tail}").fetchall()


def duck_count(out: Path) -> int:
    import duckdb
    pattern = str(out / "articles" / "**" / "*.parquet")
    return duckdb.connect().execute(
        f"SELECT count(*) FROM read_parquet('{pattern}', hive_partitioning=true)").fetchone()[0]


def assert_accounting(summary: dict):
    acc = summary["accounting"]
    assert acc["ok"] is True, acc
    seen = summary["seen"]["total"]
    assert seen == (summary["written"]["total"] + summary["duplicates"]["total"]
                    + summary["rejected"]["total"] + summary["already_present"]["total"])


def no_hidden_leftovers(out: Path):
    """Nothing staged or temporary is left anywhere in the output."""
    leftovers = [p for p in glob.glob(str(out / "**" / "*"), recursive=True)
                 if "_staging" in p or p.endswith(".tmp")]
    hidden = [p for p in glob.glob(str(out / "articles" / "**" / ".*"), recursive=True)]
    assert not leftovers and not hidden, leftovers + hidden


@pytest.fixture
def fixture_copy(tmp_path):
    """Copy named fixture files into a fresh input folder."""
    def copy(*names: str, folder: str = "in") -> Path:
        dest = tmp_path / folder
        dest.mkdir(exist_ok=True)
        for name in names:
            shutil.copy(ARTICLES / name if (ARTICLES / name).exists() else FIXTURES / name, dest / Path(name).name)
        return dest
    return copy


@pytest.fixture(scope="session")
def tagger():
    """The default entity tagger (model + gazetteer + place list), loaded once for the run."""
    from transforms.entities import EntityTagger
    return EntityTagger().load()


def labels(tagger, text: str) -> dict:
    """{canonical name: label} of the entities the tagger finds in one text."""
    out = {}
    for e in tagger.tag([text])[0]["entities"]:
        out.setdefault(e["canonical"], e["label"])
    return out
