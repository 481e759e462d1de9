"""Rules found on published sample and demo files (fake people, real layouts: Datablist's samples, demo CRMs, a
data room's billing tables), each on a small frame written here: the values read, the field or the kind chosen."""

from __future__ import annotations

import duckdb

from core.imports.casting import date_column
from core.imports.profile import profile_table
from core.imports.recognise import recognise
from tests.rawtables import raw_table


def _recognised(header: list[str], rows: list[list[str]], source: str, kind: str | None = None):
    con = duckdb.connect()
    return recognise(profile_table(con, raw_table(con, header, rows, source=source)), kind)


def _columns(recognition) -> dict[str, str]:
    return {name: choice.column for name, choice in recognition.choices.items()}


# ---- values ----------------------------------------------------------------------------------------------------


def test_a_timestamp_that_names_its_zone_utc_is_read():
    """BigQuery writes timestamps into CSV as `2023-09-06 15:23:12.000000 UTC` (a mock Salesforce export)."""
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE t AS SELECT * FROM (VALUES ('2023-09-06 15:23:12.000000 UTC'), ('2023-09-10 09:13:29 UTC')) v(d)"
    )
    read = date_column(con, "t", "d", '"d"')
    got = con.execute(f"SELECT strftime({read.sql}, '%Y-%m-%d %H:%M:%S') FROM t").fetchall()
    assert [row[0] for row in got] == ["2023-09-06 15:23:12", "2023-09-10 09:13:29"]
