"""Round 7a: general rules found on the kinds the corpus holds least (activities, stage history, products,
headcount, NPS) from systems it had never seen, each on a small frame written here."""

from __future__ import annotations

import duckdb
import pytest

from core.imports.casting import duration_minutes_sql, typed_column
from core.imports.mapping import classify_value
from tests.rawtables import raw_table, recognised


# ---- a stage's outcome said in another language's words -------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "outcome"),
    [
        ("Cerrado Ganado", "won"),  # EspoCRM's Spanish `Closed Won`
        ("Cerrado Perdido", "lost"),
        ("Fechado Perdido", "lost"),
        ("Negociación/Revisión", "open"),
        ("Lost interest", "open"),  # words beside the outcome: a stage name, not the outcome itself
    ],
)
def test_a_stage_translated_word_by_word_says_its_outcome(stage, outcome):
    """A stage is read by the outcome its words say once translated (`cerrado ganado` is `closed won`), not only
    by a list of whole stage names in each language."""
    assert classify_value("opportunities", "outcome", stage) == outcome


# ---- a duration written with its units -------------------------------------------------------------------------


CALLS_HEADER = ["Name", "Status", "Startdatum", "Dauer", "Zugewiesener Benutzer"]
CALLS = [
    ["Erstgespräch", "Durchgeführt", "02.03.2026 09:30", "15m", "Jonas Weber"],
    ["Preisverhandlung", "Durchgeführt", "04.03.2026 10:00", "1h 5m", "Jonas Weber"],
    ["Kaltakquise", "Nicht durchgeführt", "04.03.2026 13:15", "5m", "Timo Schulz"],
    ["Qualifizierung", "Durchgeführt", "03.03.2026 15:30", "30m", "Lena Hoffmann"],
]


def test_durations_written_with_units_are_the_activity_duration():
    """EspoCRM shows a call's duration as `15m` or `1h 5m`: not numbers, but durations, which the activity's
    duration takes (its name, `Dauer`, is German)."""
    recognition = recognised(CALLS_HEADER, CALLS, "Anrufe.csv", "activities")
    assert recognition.choices["duration_minutes"].column == "Dauer"
    assert "durations such as" in recognition.choices["duration_minutes"].reason


def test_durations_written_with_units_load_as_minutes():
    con = duckdb.connect()
    raw = raw_table(con, CALLS_HEADER, CALLS, source="Anrufe.csv")
    typed = typed_column(con, raw.table, "Dauer", "DOUBLE", duration=True)
    minutes = con.execute(f"SELECT {typed.sql} FROM {raw.table}").fetchall()
    assert [m for (m,) in minutes] == [15.0, 65.0, 5.0, 30.0]
    spelled = duckdb.connect().execute(f"SELECT {duration_minutes_sql(chr(39) + '6 min 52 sec' + chr(39))}").fetchone()
    assert spelled[0] == pytest.approx(6 + 52 / 60)


# ---- a time of day is no text field ----------------------------------------------------------------------------


def test_a_time_of_day_is_neither_an_owner_nor_a_key():
    """JustCall gives a call's date and its time of day in two columns. Every time differs, but a time is no key,
    owner or name: the agent's name is the owner."""
    header = ["id", "call_date", "call_user_time", "agent_name", "call_info.disposition"]
    rows = [
        ["481203551", "2026-03-02", "09:05:11", "Marco Alves", "Interested - book demo"],
        ["481203874", "2026-03-02", "09:21:40", "Marco Alves", "No answer"],
        ["481204102", "2026-03-02", "10:02:07", "Jenna Brooks", "Not interested"],
        ["481204560", "2026-03-02", "11:44:52", "Jenna Brooks", "Follow-up scheduled"],
        ["481205019", "2026-03-03", "08:15:00", "Aisha Bello", "Left voicemail"],
    ]
    recognition = recognised(header, rows, "calls.csv", "activities")
    assert all(choice.column != "call_user_time" for choice in recognition.choices.values())
    assert recognition.choices["owner"].column == "agent_name"
