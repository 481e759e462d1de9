"""Round 7a: general rules found on the kinds the corpus holds least (activities, stage history, products,
headcount, NPS) from systems it had never seen, each on a small frame written here."""

from __future__ import annotations

import duckdb
import pytest

from core.imports.casting import duration_minutes_sql, typed_column
from core.imports.mapping import classify_value
from core.ingest import load_paths
from tests.rawtables import raw_table, recognised, write_csv

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


# ---- a person is hired on a day, not at a time of day ----------------------------------------------------------


def test_start_and_end_at_times_of_day_are_no_hire_and_termination_dates():
    """EspoCRM's German calls have a `Startdatum` and an `Enddatum` minutes apart: names a roster's hire and
    termination dates could have, but their times of day say they are moments of events. The calls are
    activities, their assigned user (`Zugewiesener Benutzer`) the owner."""
    header = ["Name", "Startdatum", "Enddatum", "Dauer", "Zugewiesener Benutzer", "Beschreibung"]
    rows = [
        ["Erstgespräch", "02.03.2026 09:30", "02.03.2026 09:45", "15m", "Jonas Weber", "Interesse an Wartung"],
        ["Rückruf Angebot", "02.03.2026 11:00", "02.03.2026 11:20", "20m", "Jonas Weber", ""],
        ["Qualifizierung", "03.03.2026 15:30", "03.03.2026 16:00", "30m", "Lena Hoffmann", "Budget freigegeben"],
        ["Preisverhandlung", "04.03.2026 10:00", "04.03.2026 11:05", "1h 5m", "Jonas Weber", "Rabatt angefragt"],
        ["Kaltakquise", "04.03.2026 13:15", "04.03.2026 13:20", "5m", "Timo Schulz", "Mailbox"],
    ]
    recognition = recognised(header, rows, "Anrufe.csv")
    assert recognition.kind == "activities"
    assert recognition.choices["owner"].column == "Zugewiesener Benutzer"
    as_roster = recognised(header, rows, "Anrufe.csv", "headcount")
    assert as_roster.choices["hire_date"].score < 0.6  # a value fit of 0.5, the name aside
    assert "times of day" in as_roster.choices["hire_date"].reason


def test_hire_dates_written_at_midnight_are_days():
    """Keka's API writes a joining date as `2021-07-01T00:00:00Z`: a day, which the hire date takes in full."""
    header = ["employeeNumber", "displayName", "jobTitle.title", "joiningDate"]
    rows = [
        ["KR0007", "Ananya Iyer", "Head of Marketing", "2021-07-01T00:00:00Z"],
        ["KR0019", "Rohit Sharma", "Account Executive", "2022-03-14T00:00:00Z"],
        ["KR0023", "Vikram Rao", "Sales Director", "2020-11-02T00:00:00Z"],
        ["KR0031", "Meera Nair", "Sales Development Representative", "2023-06-05T00:00:00Z"],
    ]
    recognition = recognised(header, rows, "keka_employees.csv", "headcount")
    assert recognition.choices["hire_date"].column == "joiningDate"
    assert recognition.choices["hire_date"].score > 0.9  # not the 0.5 of moments


# ---- a product list names each product once ---------------------------------------------------------------------


ODOO_HEADER = ["Nom", "Prix de vente", "Catégorie de produit", "Type de produit"]
ODOO_ROWS = [
    ["Abonnement Essentiel (mensuel)", "49.0", "Tous / Vendable / Abonnements", "Service"],
    ["Abonnement Pro (mensuel)", "129.0", "Tous / Vendable / Abonnements", "Service"],
    ["Mise en service sur site", "850.0", "Tous / Vendable / Services", "Service"],
    ["Terminal de caisse T2", "699.0", "Tous / Vendable / Matériel", "Article stockable"],
    ["Imprimante tickets 80 mm", "189.9", "Tous / Vendable / Matériel", "Article stockable"],
    ["Tiroir-caisse", "119.0", "Tous / Vendable / Matériel", "Article stockable"],
    ["Rouleaux thermiques (x50)", "34.5", "Tous / Vendable / Consommables", "Consommable"],
]


def test_a_column_of_a_few_repeated_values_is_no_product():
    """Odoo's French `Type de produit` (Service, Article stockable, Consommable) names the product in its header,
    but repeats three values over the list: a category of product, not the product."""
    recognition = recognised(ODOO_HEADER, ODOO_ROWS, "Article_product.template.csv", "products")
    assert recognition.choices["product"].column == "Nom"
    as_product = recognised(
        ["Type de produit", "Prix de vente"], [[r[3], r[1]] for r in ODOO_ROWS], "x.csv", "products"
    )
    assert "product" not in as_product.choices or as_product.choices["product"].score < 0.5


def test_a_header_of_the_kind_and_another_field_names_that_field():
    """`Catégorie de produit` is the product's category (`category` once the kind's word is set aside), and an
    ERP's `Item Group` is too: neither is the product."""
    recognition = recognised(ODOO_HEADER, ODOO_ROWS, "Article_product.template.csv", "products")
    assert recognition.choices["category"].column == "Catégorie de produit"
    header = ["ID", "Item Name", "Item Group"]
    rows = [
        ["SKU-CHAIR-ERG", "Ergonomic Chair Model E", "Furniture"],
        ["SKU-DESK-SIT", "Sit-Stand Desk 140", "Furniture"],
        ["SKU-MON-27", "27in Monitor QHD", "Electronics"],
        ["SKU-CABLE-HDMI", "HDMI Cable 2m", "Accessories"],
    ]
    assert recognised(header, rows, "Item.csv", "products").choices["category"].column == "Item Group"


# ---- a file named for its rows in the plural -------------------------------------------------------------------


def test_a_file_named_employees_is_a_roster():
    """`employees` is kept plural in headers (a company's size), but a file called `employees.csv` names its rows:
    Employment Hero's people, with their job title and start date, are a roster, not leads."""
    header = ["id", "code", "first_name", "last_name", "job_title", "start_date", "company_email", "country"]
    rows = [
        [
            "0f3a9c2e-1b4d-4e7f-9a8b-2c3d4e5f6a71",
            "EMP001",
            "Olivia",
            "Grant",
            "Chief Revenue Officer",
            "2019-02-04T00:00:00+11:00",
            "olivia.grant@ourco.example",
            "AU",
        ],
        [
            "1a4b0d3f-2c5e-4f80-8b9c-3d4e5f6a7b82",
            "EMP014",
            "Liam",
            "Nguyen",
            "Account Executive",
            "2022-07-11T00:00:00+10:00",
            "liam.nguyen@ourco.example",
            "AU",
        ],
        [
            "2b5c1e4a-3d6f-4091-9cad-4e5f6a7b8c93",
            "EMP019",
            "Chloe",
            "Walsh",
            "Marketing Manager",
            "2021-03-29T00:00:00+11:00",
            "chloe.walsh@ourco.example",
            "AU",
        ],
        [
            "5e8f4b7d-6092-43c4-8fd0-7b8c9daebfc6",
            "EMP031",
            "Aroha",
            "Parata",
            "Account Manager",
            "2024-02-19T00:00:00+13:00",
            "aroha.parata@ourco.example",
            "NZ",
        ],
    ]
    recognition = recognised(header, rows, "employees.csv")
    assert recognition.kind == "headcount"
    assert "its name 'employees.csv' says so" in recognition.reason


# ---- a day written as a timestamp at midnight of its time zone -------------------------------------------------


def test_days_at_midnight_with_an_offset_keep_their_day():
    """Employment Hero writes a start date as `2019-02-04T00:00:00+11:00` (Sydney): read in UTC it would be the
    3rd at 13:00. Values all at their own midnight are days; moments keep being read in UTC."""
    con = duckdb.connect()
    days = ["2019-02-04T00:00:00+11:00", "2022-07-11T00:00:00+10:00", "2024-02-19T00:00:00+13:00"]
    raw = raw_table(con, ["start_date", "logged_at"], [[d, d.replace("T00:00", "T09:30")] for d in days])
    for column, expected in (
        ("start_date", ["2019-02-04 00:00:00", "2022-07-11 00:00:00", "2024-02-19 00:00:00"]),
        ("logged_at", ["2019-02-03 22:30:00", "2022-07-10 23:30:00", "2024-02-18 20:30:00"]),
    ):
        typed = typed_column(con, raw.table, column, "TIMESTAMP")
        read = con.execute(f"SELECT strftime({typed.sql}, '%Y-%m-%d %H:%M:%S') FROM {raw.table}").fetchall()
        assert [value for (value,) in read] == expected


# ---- a survey's questions are not its comments -----------------------------------------------------------------


def test_the_question_asked_is_no_comment():
    """Simplesat's answers carry the question's text (`question.text`) beside the follow-up answer: the questions
    end in a question mark, and the comment is the answer."""
    header = ["response_id", "created", "choice", "follow_up_answer", "question.text"]
    question = "How likely are you to recommend us to a friend or colleague?"
    rows = [
        ["7730115", "2026-02-02T14:05:33Z", "10", "Support fixed our sync issue in an hour.", question],
        ["7730121", "2026-02-02T16:41:02Z", "8", "", question],
        ["7730134", "2026-02-03T09:12:47Z", "4", "Invoices keep arriving late.", question],
        ["7730140", "2026-02-03T11:55:19Z", "9", "", question],
        ["7730152", "2026-02-04T08:20:05Z", "7", "Onboarding took too long", question],
    ]
    recognition = recognised(header, rows, "answers.csv", "nps")
    assert recognition.choices["comment"].column == "follow_up_answer"


def test_how_a_call_ended_is_not_the_activity_type():
    """JustCall's `call_info.type` holds Answered, Unanswered, Missed, Voicemail: how each call ended, which the
    activity's type (call, meeting, e-mail) is not."""
    header = ["id", "call_date", "agent_name", "call_info.type", "call_info.disposition"]
    rows = [
        ["481203551", "2026-03-02", "Marco Alves", "Answered", "Interested - book demo"],
        ["481203874", "2026-03-02", "Marco Alves", "Unanswered", "No answer"],
        ["481204102", "2026-03-02", "Jenna Brooks", "Answered", "Not interested"],
        ["481205019", "2026-03-03", "Aisha Bello", "Voicemail", "Left voicemail"],
        ["481205822", "2026-03-03", "Aisha Bello", "Missed", ""],
    ]
    recognition = recognised(header, rows, "justcall_calls.csv", "activities")
    assert "type" not in recognition.choices or recognition.choices["type"].column != "call_info.type"


def test_beside_a_guid_a_unique_code_is_the_employee_id():
    """Employment Hero keys people by a GUID `id` and gives the employee code people quote (`EMP014`) as `code`:
    as with a `number`, the code is the key."""
    header = ["id", "code", "job_title", "start_date"]
    rows = [
        ["0f3a9c2e-1b4d-4e7f-9a8b-2c3d4e5f6a71", "EMP001", "Chief Revenue Officer", "2019-02-04"],
        ["1a4b0d3f-2c5e-4f80-8b9c-3d4e5f6a7b82", "EMP014", "Account Executive", "2022-07-11"],
        ["2b5c1e4a-3d6f-4091-9cad-4e5f6a7b8c93", "EMP019", "Marketing Manager", "2021-03-29"],
        ["5e8f4b7d-6092-43c4-8fd0-7b8c9daebfc6", "EMP031", "Account Manager", "2024-02-19"],
    ]
    assert recognised(header, rows, "employees.csv", "headcount").choices["employee_id"].column == "code"


def test_a_day_at_midnight_read_through_the_whole_import(tmp_path):
    """The same start dates loaded by the import as a user drops them: the roster loads every row, each hired on
    the day written."""
    header = ["code", "job_title", "start_date"]
    rows = [
        ["EMP001", "Chief Revenue Officer", "2019-02-04T00:00:00+11:00"],
        ["EMP014", "Account Executive", "2022-07-11T00:00:00+10:00"],
        ["EMP031", "Account Manager", "2024-02-19T00:00:00+13:00"],
    ]
    ws = load_paths(duckdb.connect(), [write_csv(tmp_path / "employees.csv", header, rows)])
    (entry,) = ws.inspect()
    assert (entry["kind"], entry["rows_loaded"], entry["rows_rejected"]) == ("headcount", 3, 0)
    hired = ws.con.execute("SELECT strftime(hire_date, '%Y-%m-%d') FROM headcount ORDER BY 1").fetchall()
    assert [day for (day,) in hired] == ["2019-02-04", "2022-07-11", "2024-02-19"]
