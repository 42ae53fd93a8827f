"""The one schema definition: versioned, described, printed in four formats, in the README."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow as pa
import pytest

from pipeline import schema
from pipeline.cli import main
from pipeline.schema_cmd import columns, render

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_columns_have_not_changed_without_a_schema_version_bump():
    # Changed a column?  Bump SCHEMA_VERSION, add {new version: new fingerprint} to
    # SCHEMA_HISTORY and a line to the README's schema changelog.
    assert schema.SCHEMA_HISTORY.get(schema.SCHEMA_VERSION) == schema.fingerprint(), \
        f"columns changed: fingerprint is now {schema.fingerprint()}; bump SCHEMA_VERSION"
    assert list(schema.SCHEMA_HISTORY)[-1] == schema.SCHEMA_VERSION
    assert len(set(schema.SCHEMA_HISTORY.values())) == len(schema.SCHEMA_HISTORY)


def test_the_fingerprint_sees_a_changed_type_but_not_a_changed_description(monkeypatch):
    before = schema.fingerprint()
    monkeypatch.setitem(schema.DESCRIPTIONS["articles"], "id", "something else")
    assert schema.fingerprint() == before
    fields = [f.with_type(pa.int64()) if f.name == "word_count" else f for f in schema.ARTICLE_SCHEMA]
    monkeypatch.setattr(schema, "ARTICLE_SCHEMA", pa.schema(fields))
    assert schema.fingerprint() != before


def test_every_schema_version_is_in_the_readme_changelog():
    text = README.read_text()
    changelog = text[text.index("### Schema changelog"):]
    for version in schema.SCHEMA_HISTORY:
        assert re.search(rf"^- \*\*{version}\*\*", changelog, re.M), f"version {version} missing"


def test_every_column_and_nested_field_has_a_description_and_none_is_stale():
    for table, sch in schema.tables().items():
        names = set()

        def walk(fields, prefix=""):
            for f in fields:
                names.add(prefix + f.name)
                inner = f.type.value_type if pa.types.is_list(f.type) else f.type
                if pa.types.is_struct(inner):
                    walk(inner, prefix + f.name + ".")
        walk(sch)
        assert names == set(schema.DESCRIPTIONS[table]), table


def test_the_readme_embeds_the_markdown_schema_exactly():
    text = README.read_text()
    block = re.search(r"<!-- newsbeam schema --format markdown -->\n(.*?)\n<!-- end -->", text, re.S)
    assert block, "README lacks the schema block"
    assert block.group(1).strip() == render("markdown").strip(), \
        "README schema table is stale: paste `newsbeam schema --format markdown`"


@pytest.mark.parametrize("fmt", ["json", "markdown", "bigquery", "spark"])
def test_schema_prints_each_format(fmt, capsys):
    assert main(["schema", "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert "content_hash" in out and "rejected_at" in out


def test_the_json_schema_names_type_nullability_and_description_of_every_column(capsys):
    assert main(["schema", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["schema_version"] == schema.SCHEMA_VERSION
    arts = doc["tables"]["articles"]["columns"]
    assert [c["name"] for c in arts] == schema.ARTICLE_SCHEMA.names + ["published_date"]
    for col in arts + doc["tables"]["rejects"]["columns"]:
        assert set(col) >= {"name", "type", "nullable", "description"} and col["description"]
    by_name = {c["name"]: c for c in arts}
    assert by_name["published_at"]["type"] == "timestamp[us, UTC]"
    assert by_name["captions"]["type"] == "list<struct<text: string, credit: string>>"
    assert [f["name"] for f in by_name["entities"]["fields"]] == ["text", "label", "start", "end", "canonical"]
    assert by_name["published_date"] == {**by_name["published_date"], "type": "date", "partition_key": True}


def test_the_bigquery_schema_uses_repeated_records_and_leaves_partition_keys_to_hive(capsys):
    assert main(["schema", "--format", "bigquery", "--table", "articles"]) == 0
    fields = {f["name"]: f for f in json.loads(capsys.readouterr().out)}
    assert "published_date" not in fields                 # a Hive key may not be a file column
    assert fields["published_at"]["type"] == "TIMESTAMP"
    assert fields["word_count"]["type"] == "INTEGER"
    assert fields["authors"] == {**fields["authors"], "type": "STRING", "mode": "REPEATED"}
    ents = fields["entities"]
    assert (ents["type"], ents["mode"]) == ("RECORD", "REPEATED")
    assert [f["type"] for f in ents["fields"]] == ["STRING", "STRING", "INTEGER", "INTEGER", "STRING"]


def test_a_column_partition_key_moves_to_the_end_as_a_path_key():
    cols = columns("articles", ["source", "published_date"])
    assert [c["name"] for c in cols][-2:] == ["source", "published_date"]
    assert all(c.get("partition_key") for c in cols[-2:])
    assert sum(c["name"] == "source" for c in cols) == 1


def test_an_unknown_partition_key_is_one_line_and_exit_2(capsys):
    assert main(["schema", "--partition-by", "colour"]) == 2
    assert capsys.readouterr().err.startswith("newsbeam: error: ")
