"""`newsbeam schema`: the output tables from their one definition (pipeline/schema.py),
as JSON, a Markdown table (embedded in the README), a BigQuery JSON schema or Spark DDL.
"""
from __future__ import annotations

import json

import pyarrow as pa

from pipeline import schema

FORMATS = ("json", "markdown", "bigquery", "spark")
PARTITION_DESCRIPTIONS = {
    "published_date": "Partition (path only): day of published_at in UTC; NULL "
                      "(__HIVE_DEFAULT_PARTITION__) when unknown",
    "published_month": "Partition (path only): YYYY-MM of published_at in UTC; NULL when unknown",
    "ingest_date": "Partition (path only): day of ingested_at in UTC",
}


def add_parser(sub):
    p = sub.add_parser("schema", help="print the output schema (json, markdown, bigquery, spark)",
                       description="Print the article and reject schemas from their one definition in code.")
    p.add_argument("--format", choices=FORMATS, default="json")
    p.add_argument("--table", choices=["articles", "rejects"],
                   help="one table only (default: both; with bigquery, one table prints the plain "
                        "field list `bq` accepts)")
    p.add_argument("--partition-by", action="append", metavar="KEY",
                   help="the output's write.partition_by keys (default: published_date)")
    p.add_argument("--location", default="DIR", help="output folder for the Spark DDL's LOCATION")
    return p


def main(args, extra) -> int:
    from pipeline import cli
    if extra:
        return cli.fail(f"schema: unknown arguments: {' '.join(extra)}")
    keys = args.partition_by or ["published_date"]
    try:
        schema.check_partition_keys(keys)
    except ValueError as e:
        return cli.fail(f"--partition-by: {e}")
    print(render(args.format, table=args.table, partition_by=keys, location=args.location))
    return 0


def render(fmt: str, *, table: str | None = None, partition_by=("published_date",), location: str = "DIR") -> str:
    names = [table] if table else ["articles", "rejects"]
    cols = {name: columns(name, list(partition_by)) for name in names}
    if fmt == "json":
        doc = {"schema_version": schema.SCHEMA_VERSION, "fingerprint": schema.fingerprint(),
               "tables": {name: {"columns": c} for name, c in cols.items()}}
        return json.dumps(doc, indent=2)
    if fmt == "markdown":
        return markdown(cols)
    if fmt == "bigquery":
        bq = {name: [bigquery_field(c) for c in cs if not c.get("partition_key")] for name, cs in cols.items()}
        return json.dumps(bq[table] if table else bq, indent=2)
    if fmt == "spark":
        return "\n\n".join(spark_ddl(name, cs, location) for name, cs in cols.items())
    raise ValueError(f"unknown format {fmt!r}")


# ---- the definition as plain data --------------------------------------------------------

def type_name(t: pa.DataType) -> str:
    """Arrow type in the notation of DESIGN's column table."""
    if pa.types.is_list(t):
        return f"list<{type_name(t.value_type)}>"
    if pa.types.is_struct(t):
        return "struct<" + ", ".join(f"{f.name}: {type_name(f.type)}" for f in t) + ">"
    if pa.types.is_timestamp(t):
        return f"timestamp[{t.unit}, {t.tz}]" if t.tz else f"timestamp[{t.unit}]"
    return str(t)


def _column(field: pa.Field, descriptions: dict, prefix: str = "") -> dict:
    name = prefix + field.name
    col = {"name": field.name, "type": type_name(field.type), "nullable": field.nullable,
           "description": descriptions[name]}
    inner = field.type.value_type if pa.types.is_list(field.type) else field.type
    if pa.types.is_struct(inner):
        col["fields"] = [_column(f, descriptions, name + ".") for f in inner]
    return col


def columns(table: str, partition_by: list[str]) -> list[dict]:
    """Every column of one table: name, type, nullable, description (and nested fields)."""
    descriptions = schema.DESCRIPTIONS[table]
    if table == "rejects":
        return [_column(f, descriptions) for f in schema.REJECT_SCHEMA]
    out = [_column(f, descriptions) for f in schema.file_schema(partition_by)]
    for key in partition_by:              # path-only keys, after the file's columns (Hive order)
        if key in schema.COLUMN_KEYS:
            col = _column(schema.ARTICLE_SCHEMA.field(key), descriptions)
            col["description"] += " (partition key: stored in the path only)"
        else:
            col = {"name": key, "type": schema.PARTITION_TYPES[key], "nullable": True,
                   "description": PARTITION_DESCRIPTIONS[key]}
        col["partition_key"] = True
        out.append(col)
    return out


# ---- renderings ---------------------------------------------------------------------------

def markdown(cols: dict[str, list[dict]]) -> str:
    lines = [f"Schema version {schema.SCHEMA_VERSION} (fingerprint `{schema.fingerprint()}`)."]
    for name, cs in cols.items():
        lines += ["", f"**{name}**", "", "| column | type | nullable | description |", "| --- | --- | --- | --- |"]
        for col in cs:
            lines += _md_rows(col, "")
    return "\n".join(lines)


def _md_rows(col: dict, prefix: str) -> list[str]:
    name = prefix + col["name"]
    rows = [f"| `{name}` | `{col['type']}` | {'yes' if col['nullable'] else 'no'} | {col['description']} |"]
    for sub in col.get("fields", []):
        rows += _md_rows(sub, name + "[]." if col["type"].startswith("list<") else name + ".")
    return rows


_BQ = {"string": "STRING", "int32": "INTEGER", "int64": "INTEGER", "date": "DATE", "bool": "BOOLEAN",
       "double": "FLOAT"}


def bigquery_field(col: dict) -> dict:
    """BigQuery JSON schema field.  Lists are REPEATED: create the table with Parquet list
    inference on (`--parquet_enable_list_inference`), else BigQuery shows list/element."""
    t = col["type"]
    repeated = t.startswith("list<")
    inner = t[5:-1] if repeated else t
    field = {"name": col["name"], "mode": "REPEATED" if repeated else ("NULLABLE" if col["nullable"] else "REQUIRED"),
             "description": col["description"]}
    if inner.startswith("struct<"):
        field["type"] = "RECORD"
        field["fields"] = [bigquery_field(f) for f in col["fields"]]
    elif inner.startswith("timestamp["):
        field["type"] = "TIMESTAMP"
    else:
        field["type"] = _BQ[inner]
    return {k: field[k] for k in ("name", "type", "mode", "description", "fields") if k in field}


_SPARK = {"string": "STRING", "int32": "INT", "int64": "BIGINT", "date": "DATE", "bool": "BOOLEAN",
          "double": "DOUBLE"}


def spark_type(col: dict) -> str:
    t = col["type"]
    if t.startswith("list<"):
        item = dict(col, type=t[5:-1])
        return f"ARRAY<{spark_type(item)}>"
    if t.startswith("struct<"):
        return "STRUCT<" + ", ".join(f"`{f['name']}`: {spark_type(f)}" for f in col["fields"]) + ">"
    if t.startswith("timestamp["):
        return "TIMESTAMP"
    return _SPARK[t]


def spark_columns(cols: list[dict]) -> str:
    """Spark DDL column list (also usable as spark.read.schema(...))."""
    return ", ".join(f"`{c['name']}` {spark_type(c)}" for c in cols)


def spark_ddl(table: str, cols: list[dict], location: str) -> str:
    body = ",\n".join(f"  `{c['name']}` {spark_type(c)} COMMENT '{_sql_str(c['description'])}'" for c in cols)
    parts = [c["name"] for c in cols if c.get("partition_key")]
    lines = [f"CREATE TABLE IF NOT EXISTS newsbeam_{table} (", body, ")", "USING parquet"]
    if parts:
        lines.append("PARTITIONED BY (" + ", ".join(f"`{p}`" for p in parts) + ")")
    lines.append(f"LOCATION '{_sql_str(location.rstrip('/'))}/{table}';")
    return "\n".join(lines)


def _sql_str(text: str) -> str:
    return text.replace("\\", "\\\\").replace("'", "\\'")
