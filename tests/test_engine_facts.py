"""The derived tables the engine builds once per data version (core.metrics.facts): rebuilt whenever the data changes,
kept out of the canonical tables, and giving the figures the raw tables give."""

from __future__ import annotations

import datetime as dt

import duckdb

from core import explore
from core.ingest import Workspace
from core.metrics import engine, facts
from core.schema import create_table_sql

LEADS = b"Lead ID,Created Date,Lead Source,Lead Status\nL1,2025-01-05,Events,Qualified\nL2,2025-01-06,Events,Open\n"
MORE_LEADS = b"Lead ID,Created Date,Lead Source,Lead Status\nL3,2025-02-05,Web,Qualified\nL4,2025-02-06,Web,Qualified\n"
ACTIVITIES = (
    b"Activity ID,Activity Type,Date,Lead ID\n"
    b"A1,Meeting,2025-01-07,L1\n"  # two days after L1 was created: an appointment
    b"A2,Call,2025-01-07,L2\n"  # a call is no appointment
)


def derived_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        row[0]
        for row in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE starts_with(table_name, ?)", [facts.PREFIX]
        ).fetchall()
    ]


def test_lead_facts_are_rebuilt_after_a_second_upload():
    ws = Workspace(duckdb.connect())
    ws.add("leads.csv", LEADS)
    ws.add("activities.csv", ACTIVITIES)
    first = engine.compute(ws.con, ["qualified_leads", "lead_to_appointment_rate"])
    assert first["qualified_leads"].value == 1
    assert first["lead_to_appointment_rate"].value == 0.5
    built = derived_tables(ws.con)
    assert any(name.endswith("_leads") for name in built)

    ws.add("more_leads.csv", MORE_LEADS)  # appended to the leads table: same table, two more rows
    second = engine.compute(ws.con, ["qualified_leads", "lead_to_appointment_rate"])
    assert second["qualified_leads"].value == 3
    assert second["lead_to_appointment_rate"].value == 0.25
    assert second["qualified_leads"].breakdowns["source"].set_index("key")["value"].to_dict() == {
        "Web": 2.0,
        "Events": 1.0,
    }
    assert not set(built) & set(derived_tables(ws.con))  # the first version's tables are gone

    ws.remove(next(f.file_id for f in ws.files if f.name == "more_leads.csv"))
    assert engine.compute(ws.con, ["qualified_leads"])["qualified_leads"].value == 1


def test_the_as_of_date_is_the_latest_event_of_the_current_data():
    ws = Workspace(duckdb.connect())
    ws.add("leads.csv", LEADS)
    assert engine.as_of_date(ws.con) == dt.date(2025, 1, 6)
    ws.add("activities.csv", ACTIVITIES)  # the meeting and the call on 7 January
    assert engine.as_of_date(ws.con) == dt.date(2025, 1, 7)
    ws.add("more_leads.csv", MORE_LEADS)
    assert engine.as_of_date(ws.con) == dt.date(2025, 2, 6)


def test_expected_close_dates_give_the_as_of_date_only_when_nothing_else_is_dated():
    con = duckdb.connect()
    con.execute(create_table_sql("opportunities"))
    con.execute("INSERT INTO opportunities (opportunity_id, close_date) VALUES ('O1', '2025-03-31')")
    assert engine.as_of_date(con) == dt.date(2025, 3, 31)
    con.execute(
        "INSERT INTO opportunities (opportunity_id, created_at, close_date) VALUES ('O2', '2025-01-10', '2025-06-30')"
    )
    assert engine.as_of_date(con) == dt.date(2025, 1, 10)


def test_a_table_replaced_by_one_of_the_same_size_is_seen():
    con = duckdb.connect()
    con.execute(create_table_sql("leads"))
    con.execute("INSERT INTO leads (lead_id, created_at, status_class) VALUES ('L1', '2025-01-05', 'qualified')")
    assert engine.compute(con, ["qualified_leads"])["qualified_leads"].value == 1
    con.execute("DROP TABLE leads")
    con.execute(create_table_sql("leads"))
    con.execute("INSERT INTO leads (lead_id, created_at, status_class) VALUES ('L9', '2025-03-05', 'open')")
    result = engine.compute(con, ["qualified_leads"])["qualified_leads"]
    assert (result.value, result.rows_used) == (0, 0)


def test_derived_tables_are_temporary_and_never_taken_for_canonical_ones():
    ws = Workspace(duckdb.connect())
    ws.add("leads.csv", LEADS)
    engine.compute(ws.con, ["qualified_leads", "lead_leakage_rate"])
    assert derived_tables(ws.con)
    permanent = ws.con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary").fetchall()
    assert not [name for (name,) in permanent if name.startswith(facts.PREFIX)]
    assert explore.canonical_tables(ws.con) == ["leads"]
    assert set(engine.field_coverage(ws.con)) == {"leads"}


def test_activity_types_with_quotes_are_matched_as_the_pattern_says():
    con = duckdb.connect()
    for kind in ("leads", "activities"):
        con.execute(create_table_sql(kind))
    con.execute("INSERT INTO leads (lead_id, created_at) VALUES ('L1', '2025-01-05'), ('L2', '2025-01-05')")
    con.execute(
        "INSERT INTO activities (activity_id, lead_id, type, occurred_at) VALUES "
        "('A1', 'L1', 'Customer''s Meeting', '2025-01-06'), ('A2', 'L2', 'Email', '2025-01-06')"
    )
    result = engine.compute(con, ["lead_to_appointment_rate"])["lead_to_appointment_rate"]
    assert result.value == 0.5
    assert result.details == {"leads": 2, "leads_with_appointment": 1}
