"""Apache Spark (pyspark, local mode) reads the output as one table and agrees with DuckDB:
partition column as DATE, nested lists of structs, published_at as a UTC timestamp,
undated articles as NULL; also after `newsbeam compact`.  One Spark session per module."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.cli import main
from tests import many_runs

pyspark = pytest.importorskip("pyspark", reason="pyspark is in the test extra")
if shutil.which("java") is None:
    pytest.skip("Spark needs a Java runtime (17)", allow_module_level=True)

# One row per article, the same expressions in Spark SQL and DuckDB SQL.
SPARK_ROW = ("id, CAST(published_date AS STRING), unix_micros(published_at), title, content_hash, "
             "size(entities), array_join(transform(entities, e -> concat(e.text, '/', e.label, '/', "
             "CAST(e.start AS STRING))), '|'), size(dates), size(captions), captions[0].text, word_count")
DUCK_ROW = ("id, CAST(published_date AS VARCHAR), epoch_us(published_at), title, content_hash, "
            "len(entities), array_to_string(list_transform(entities, lambda e: concat(e.text, '/', e.label, '/', "
            "CAST(e.start AS VARCHAR))), '|'), len(dates), len(captions), captions[1].text, word_count")


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession
    session = (SparkSession.builder.master("local[1]").appName("newsbeam-tests")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "1").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    """Two real runs with entities: dated and undated articles, two files per partition."""
    work = tmp_path_factory.mktemp("spark")
    return many_runs.build(work / "out", work, runs=2, per_run=3, entities=True)


def _split(expr: str) -> list[str]:
    """Split a select list on top-level commas."""
    parts, depth, cur = [], 0, ""
    for ch in expr:
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
            continue
        depth += ch in "(["
        depth -= ch in ")]"
        cur += ch
    return parts + [cur.strip()]


def _duck_rows(out: Path) -> list[tuple]:
    import duckdb
    pattern = str(out / "articles" / "**" / "*.parquet")
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    return sorted(tuple(r) for r in con.execute(
        f"SELECT {DUCK_ROW} FROM read_parquet('{pattern}', hive_partitioning=true)").fetchall())


def _assert_same_table(spark, out: Path):
    df = spark.read.parquet(str(out / "articles"))
    rows = sorted(tuple(r) for r in df.selectExpr(*_split(SPARK_ROW)).collect())
    duck = _duck_rows(out)
    assert len(rows) == len(duck) == df.count()
    assert rows == duck
    return rows


def test_spark_reads_partition_date_nested_structs_and_utc_timestamps(spark, out):
    from pyspark.sql import types as T
    df = spark.read.parquet(str(out / "articles"))
    fields = {f.name: f.dataType for f in df.schema.fields}
    assert isinstance(fields["published_date"], T.DateType)
    assert isinstance(fields["published_at"], T.TimestampType)          # instant, UTC
    for name, members in [("entities", ["text", "label", "start", "end", "canonical"]),
                          ("dates", ["text", "start", "end", "value", "granularity"]),
                          ("captions", ["text", "credit"])]:
        assert isinstance(fields[name], T.ArrayType), name
        assert isinstance(fields[name].elementType, T.StructType), name
        assert fields[name].elementType.fieldNames() == members
    assert df.selectExpr("sum(size(entities))").first()[0] > 0           # entities really there
    assert df.selectExpr("sum(size(captions))").first()[0] > 0


def test_spark_and_duckdb_read_the_same_rows_and_values(spark, out):
    rows = _assert_same_table(spark, out)
    assert any(r[6] for r in rows)                                       # entity texts compared


def test_undated_articles_are_null_in_spark_duckdb_and_pyarrow(spark, out):
    from tests.conftest import duck, read_articles
    n_spark = spark.read.parquet(str(out / "articles")).where("published_date IS NULL").count()
    n_duck = len(duck(out, "WHERE published_date IS NULL"))
    n_arrow = read_articles(out).column("published_date").null_count
    assert n_spark == n_duck == n_arrow == 2


def test_spark_reads_the_same_table_after_compact(spark, out, tmp_path):
    before = _assert_same_table(spark, out)
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    assert main(["compact", str(copy)]) == 0
    assert all(len(list(p.glob("*.parquet"))) == 1 for p in (copy / "articles").iterdir())
    assert _assert_same_table(spark, copy) == before


def test_the_spark_ddl_newsbeam_schema_prints_creates_a_table_over_the_output(spark, out):
    from pipeline.schema_cmd import render
    spark.sql("DROP TABLE IF EXISTS newsbeam_articles")
    spark.sql(render("spark", table="articles", location=str(out)).rstrip(";"))
    spark.sql("ALTER TABLE newsbeam_articles RECOVER PARTITIONS")
    table = spark.table("newsbeam_articles")
    assert table.count() == spark.read.parquet(str(out / "articles")).count()
    assert table.where("published_date IS NULL").count() == 2
    spark.sql("DROP TABLE newsbeam_articles")
