"""Rules for exports that arrive through a connector or an API dump (Fivetran, Airbyte, dlt, a script flattening
JSON with pandas.json_normalize): flattened paths, money in cents or micros, JSON lists in a cell, the columns of
the user who wrote a record. Each on a small frame written here: the kind or field chosen and the values loaded."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from core.imports.mapping import classify_value
from core.imports.profile import profile_table
from core.imports.recognise import recognise
from core.ingest import load_paths
from tests.rawtables import raw_table, recognised


def _columns(recognition) -> dict[str, str]:
    return {name: choice.column for name, choice in recognition.choices.items()}


def _write(folder: Path, name: str, header: list[str], rows: list[list[str]]) -> Path:
    path = folder / name
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([header, *rows])
    return path


# ---- the rows' own key ----------------------------------------------------------------------------------------


def test_a_roster_numbered_beside_its_guid_is_no_child_of_itself():
    """A unified HR API's employees: a GUID `id` and the HR system's `employee_number`, which the roster takes as
    its employee id. That column names the kind's id, but as the rows' own number it refers to no other rows."""
    header = ["id", "employee_number", "company", "display_full_name", "work_email", "team.name"]
    header += ["employment_status", "hire_date", "termination_date", "remote_created_at"]
    company = "8d9fd929-436c-4fd4-a48b-0c61f68d6178"
    rows = [
        ["0958cbc6-6040-430a-848e-aafacbadf4ae", "E-0101", company, "Greg Hirsch", "greg@example.com", "Sales"],
        ["1a2b3c4d-5e6f-4071-8293-a4b5c6d7e8f9", "E-0114", company, "Priya Raman", "priya@example.com", "Sales"],
        ["2b3c4d5e-6f70-4182-93a4-b5c6d7e8f9a0", "E-0131", company, "Tomas Alvarez", "tomas@example.com", "Sales"],
        ["3c4d5e6f-7081-4293-a4b5-c6d7e8f9a0b1", "E-0142", company, "Lena Fischer", "lena@example.com", "Marketing"],
    ]
    dates = [
        ["ACTIVE", "2024-02-12T00:00:00Z", "", "2024-02-12T15:02:11Z"],
        ["ACTIVE", "2025-01-06T00:00:00Z", "", "2025-01-06T10:44:09Z"],
        ["INACTIVE", "2024-09-02T00:00:00Z", "2026-03-31T00:00:00Z", "2024-09-02T09:15:38Z"],
        ["ACTIVE", "2024-05-13T00:00:00Z", "", "2024-05-13T13:30:00Z"],
    ]
    recognition = recognised(header, [row + more for row, more in zip(rows, dates, strict=True)], "employees.csv")
    assert recognition.kind == "headcount"
    assert _columns(recognition)["employee_id"] == "employee_number"
    assert "refer to another file" not in recognition.reason


def test_an_external_id_keys_the_rows_it_is_in():
    """A billing API's customers: `external_id` is the customer's id in the user's own systems (what invoices
    refer to), beside the vendor's `lago_id`; a file of customers with it is accounts, keyed by it."""
    header = ["lago_id", "sequential_id", "external_id", "name", "email", "country", "currency", "created_at"]
    rows = [
        ["0f1e2d3c-4b5a-4968-8776-655443322101", "1", "cus_1001", "Hooli Cloud", "a@hooli.example", "FR", "EUR"],
        ["1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c02", "2", "cus_1002", "Pied Piper", "ap@pp.example", "US", "USD"],
        ["2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d03", "3", "cus_1003", "Endframe", "f@endframe.example", "DE", "EUR"],
        ["3c4d5e6f-7a8b-4c9d-8e0f-2a3b4c5d6e04", "4", "cus_1004", "Raviga Labs", "r@raviga.example", "GB", "GBP"],
    ]
    created = ["2026-01-08T09:12:44Z", "2026-01-19T17:40:02Z", "2026-02-02T08:05:19Z", "2026-02-21T13:27:51Z"]
    recognition = recognised(header, [row + [day] for row, day in zip(rows, created, strict=True)], "customers.csv")
    assert recognition.kind == "accounts"
    assert _columns(recognition)["account_id"] == "external_id"


# ---- whose the values are --------------------------------------------------------------------------------------


def test_the_columns_of_the_record_s_author_are_not_the_row_s():
    """Twenty's people flattened: `createdBy.source` (MANUAL, IMPORT: how the record was made) is not the lead's
    source, and `createdBy.email` not the person's e-mail, which `emails.primaryEmail` holds."""
    header = ["id", "name.firstName", "name.lastName", "emails.primaryEmail", "jobTitle", "createdAt"]
    header += ["createdBy.source", "createdBy.email"]
    rows = [
        ["p-1", "Maya", "Okafor", "maya@harbor.example", "VP Revenue", "2026-01-12T09:20:03.114Z", "MANUAL"],
        ["p-2", "Daniel", "Whitfield", "d.w@loom.example", "Director", "2026-01-19T15:44:18.006Z", "IMPORT"],
        ["p-3", "Sanne", "de Vries", "sanne@kestrel.example", "Head of Logistics", "2026-02-03T10:09:37.448Z", "API"],
        ["p-4", "Oliver", "Grant", "oliver@papyrus.example", "Founder", "2026-02-17T13:25:11.770Z", "EMAIL"],
    ]
    authors = ["jane@ourcrm.example", "jane@ourcrm.example", "phil@ourcrm.example", "jane@ourcrm.example"]
    recognition = recognised(header, [row + [a] for row, a in zip(rows, authors, strict=True)], "people.csv", "leads")
    columns = _columns(recognition)
    assert columns["email"] == "emails.primaryEmail"
    assert "source" not in columns
    assert not {"createdBy.source", "createdBy.email"} & set(columns.values())


def test_people_at_many_companies_are_contacts_not_staff():
    """A CRM's `people.csv` (folk): names, job titles and a company that differs from person to person. A roster's
    staff share one employer; people at many companies are the contacts sold to."""
    header = ["id", "fullName", "jobTitle", "createdAt", "company", "email"]
    rows = [
        ["per_1", "Amelia Hart", "Head of Growth", "2026-02-03T10:14:22Z", "Linear Harbor", "amelia@lh.example"],
        ["per_2", "Jonas Berg", "CTO", "2026-02-05T08:02:51Z", "Kestrel Freight", "jonas@kf.example"],
        ["per_3", "Chloe Martin", "Marketing Director", "2026-02-11T16:45:09Z", "Papyrus Studio", "chloe@ps.example"],
        ["per_4", "Ravi Shah", "Procurement Manager", "2026-03-01T09:30:40Z", "Brightloom Health", "ravi@bh.example"],
        ["per_5", "Marta Kowalska", "Operations Lead", "2026-03-09T14:05:18Z", "Orchard Analytics", "marta@oa.example"],
    ]
    recognition = recognised(header, rows, "people.csv")
    assert recognition.kind == "leads"
    staff = [[*row[:4], "Northwind Ltd", row[5]] for row in rows]  # one employer: the same columns are a roster
    assert recognised(header, staff, "people.csv").kind == "headcount"


def test_people_referring_to_many_companies_by_id_are_contacts_not_staff():
    """Twenty's people name their company by id (`companyId`, a different one for most people) and say little else
    a lead has: contacts at the companies sold to, though the file is `people.csv` and its job titles fit staff."""
    header = ["id", "name.firstName", "name.lastName", "emails.primaryEmail", "phones.primaryPhoneNumber"]
    header += ["jobTitle", "city", "position", "companyId", "createdAt", "updatedAt", "deletedAt"]
    rows = [
        ["p-1", "Maya", "Okafor", "maya@harbor.example", "4155550142", "VP Revenue", "San Francisco", "1", "c-3ec3"],
        ["p-2", "Daniel", "Whitfield", "dw@loom.example", "6175550199", "Director", "Boston", "2", "c-5d81"],
        [
            "p-3",
            "Sanne",
            "de Vries",
            "sanne@kestrel.example",
            "102345678",
            "Head of Logistics",
            "Rotterdam",
            "3",
            "c-07",
        ],
        ["p-4", "Oliver", "Grant", "oliver@papyrus.example", "1135550123", "Founder", "Leeds", "4", "c-ed89"],
        ["p-5", "Hannah", "Lee", "hannah@loom.example", "6175550123", "Procurement Lead", "Boston", "5", "c-5d81"],
    ]
    times = ["2026-01-12T09:20:03Z", "2026-01-19T15:44:18Z", "2026-02-03T10:09:37Z", "2026-02-17T13:25:11Z"]
    times.append("2026-03-02T08:31:49Z")
    recognition = recognised(header, [[*row, t, t, ""] for row, t in zip(rows, times, strict=True)], "people.csv")
    assert recognition.kind == "leads"
    assert _columns(recognition)["account_id"] == "companyId"


def test_telephone_country_codes_are_no_country():
    """A flattened phone object's `primaryPhoneCountryCode` (+1, +44) is named like a country and is none."""
    header = ["id", "fullName", "email", "jobTitle", "phones.primaryPhoneCountryCode", "createdAt"]
    rows = [
        ["p-1", "Maya Okafor", "maya@harbor.example", "VP Revenue", "+1", "2026-01-12T09:20:03Z"],
        ["p-2", "Sanne de Vries", "sanne@kestrel.example", "Head of Logistics", "+31", "2026-02-03T10:09:37Z"],
        ["p-3", "Oliver Grant", "oliver@papyrus.example", "Founder", "+44", "2026-02-17T13:25:11Z"],
        ["p-4", "Hannah Lee", "hannah@loom.example", "Procurement Lead", "+1", "2026-03-02T08:31:49Z"],
    ]
    recognition = recognised(header, rows, "contacts.csv", "leads")
    assert "country" not in recognition.choices


def test_one_part_of_a_name_is_not_the_owner():
    """A deal API's nested owner flattened to `user.first_name` and `user.last_name`: either part alone names no
    one, so neither is the owner (a whole name written with its parts, `Last Name, First Name`, still is one)."""
    header = ["id", "name", "value", "expected_close_date", "deal_stage.name", "user.first_name", "user.last_name"]
    rows = [
        ["41230871", "Harbor Dental - 3 locations", "18500.00", "2026/04/30", "Proposal", "Rachel", "Moss"],
        ["41230902", "Pinecrest Schools - Pilot", "7200.00", "2026/03/20", "Won", "Rachel", "Moss"],
        ["41231044", "Orbit Logistics - Fleet plan", "42000.00", "2026/06/15", "Qualified", "Victor", "Hale"],
        ["41231130", "Maple & Co - Starter", "3600.00", "2026/03/31", "Lost", "Victor", "Hale"],
    ]
    recognition = recognised(header, rows, "deals.csv")
    assert recognition.kind == "opportunities"
    assert "owner" not in recognition.choices
    whole = ["Moss, Rachel", "Moss, Rachel", "Hale, Victor", "Hale, Victor"]
    rows = [[*row[:5], name] for row, name in zip(rows, whole, strict=True)]
    assert _columns(recognised([*header[:5], "Owner Last Name, First Name"], rows, "deals.csv"))["owner"] == (
        "Owner Last Name, First Name"
    )


def test_a_device_type_is_no_activity_type():
    """A survey connector's responses (Survicate via Fivetran): a key, a time and the respondent's `device_type`
    (desktop, mobile), which is not the type of a call or meeting: no kind fits these rows."""
    header = ["uuid", "survey_id", "collected_at", "device_type", "languages", "operating_system", "url"]
    rows = [
        ["5f0c2a7e-93d1-4b6e-a1f2-0e8b7c6d5a41", "b3e1f0", "2026-04-02T09:14:51Z", "desktop", "en", "Mac OS", "/home"],
        ["8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c52", "b3e1f0", "2026-04-02T11:40:07Z", "desktop", "en", "Windows", "/home"],
        ["9b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d63", "b3e1f0", "2026-04-03T15:02:33Z", "mobile", "de", "iOS", "/reports"],
        ["ac3d4e5f-6a7b-4c8d-8e9f-1a2b3c4d5e74", "b3e1f0", "2026-04-04T08:21:10Z", "tablet", "en", "Android", "/home"],
    ]
    recognition = recognised(header, rows, "response.csv")
    assert recognition.kind is None
    assert "type" not in recognised(header, rows, "response.csv", "activities").choices


def test_a_json_list_of_addresses_is_an_email():
    """An API's person keeps `emails` as a JSON list; flattened, the cell is `["ana@example.com"]` (the first is the
    person's address): it holds e-mail addresses."""
    header = ["id", "firstName", "lastName", "jobTitle", "createdAt", "emails"]
    rows = [
        ["per_1", "Amelia", "Hart", "Head of Growth", "2026-02-03T10:14:22Z", '["amelia@lh.example"]'],
        ["per_2", "Jonas", "Berg", "CTO", "2026-02-05T08:02:51Z", '["jonas@kf.example"]'],
        ["per_3", "Chloe", "Martin", "Marketing Director", "2026-02-11T16:45:09Z", '["c@ps.example","cm@x.example"]'],
        ["per_4", "Ravi", "Shah", "Procurement Manager", "2026-03-01T09:30:40Z", '["ravi@bh.example"]'],
    ]
    con = duckdb.connect()
    table = profile_table(con, raw_table(con, header, rows, source="contacts.csv"))
    assert table.column("emails").share("email") == 1.0
    assert _columns(recognise(table, "leads"))["email"] == "emails"


def test_a_json_list_of_objects_is_no_company_name():
    """folk's people keep their companies as a JSON list of objects (`[{"id": "com_3b2a", "name": "Linear
    Harbor"}]`): several values packed in a cell, not the company's name."""
    header = ["id", "fullName", "jobTitle", "createdAt", "companies", "email"]
    rows = [
        [
            "per_1",
            "Amelia Hart",
            "Head of Growth",
            "2026-02-03T10:14:22Z",
            '[{"id":"com_3b2a","name":"Linear Harbor"}]',
        ],
        ["per_2", "Jonas Berg", "CTO", "2026-02-05T08:02:51Z", '[{"id":"com_4c3b","name":"Kestrel Freight"}]'],
        ["per_3", "Chloe Martin", "Marketing Director", "2026-02-11T16:45:09Z", '[{"id":"com_5d4c","name":"Papyrus"}]'],
        [
            "per_4",
            "Ravi Shah",
            "Procurement Manager",
            "2026-03-01T09:30:40Z",
            '[{"id":"com_6e5d","name":"Brightloom"}]',
        ],
    ]
    emails = ["amelia@lh.example", "jonas@kf.example", "chloe@ps.example", "ravi@bh.example"]
    recognition = recognised(header, [[*row, e] for row, e in zip(rows, emails, strict=True)], "people.csv", "leads")
    assert "company" not in recognition.choices


def test_when_a_record_was_last_edited_is_no_date_it_records():
    """A connector's history table keeps each version's `modification_time`: when the record was edited, not the
    day its spend or sale happened, whatever its name ends in (`time`, a period's word)."""
    header = ["id", "modification_time", "name", "spend_amount", "currency"]
    rows = [
        ["1184402311", "2026-02-27T10:04:51.264Z", "Brand - US", "120.50", "USD"],
        ["1184402987", "2026-02-27T10:09:13.302Z", "Competitor keywords - US", "80.25", "USD"],
        ["1184402987", "2026-03-06T04:00:51.118Z", "Competitor keywords - US", "64.00", "USD"],
        ["1184403550", "2026-03-07T08:12:40.020Z", "Generic - US", "33.10", "USD"],
    ]
    recognition = recognised(header, rows, "campaign_costs.csv")
    assert "modification_time" not in _columns(recognition).values()


# ---- money kept in a fraction of the currency unit --------------------------------------------------------------


INVOICE_HEADER = ["lago_id", "number", "issuing_date", "currency", "fees_amount_cents", "coupons_amount_cents"]
INVOICE_HEADER += ["taxes_amount_cents", "total_amount_cents"]
INVOICES = [
    ["9d8c7b6a-01", "ACM-001", "2026-02-01", "USD", "49000", "0", "9800", "58800"],
    ["8c7b6a5f-02", "ACM-002", "2026-02-01", "USD", "120000", "10000", "0", "110000"],
    ["7b6a5f4e-03", "ACM-003", "2026-03-01", "USD", "52350", "0", "10470", "62820"],
    ["6a5f4e3d-04", "ACM-004", "2026-03-01", "USD", "29900", "2990", "5113", "32023"],
]


def test_where_all_money_is_in_cents_the_total_is_the_amount():
    """A billing API's invoices keep every amount in cents (`total_amount_cents`) and none in currency units: the
    total is the amount (a coupon taken off is not), where beside money in units a cents column gives way."""
    recognition = recognised(INVOICE_HEADER, INVOICES, "invoices.csv")
    assert recognition.kind == "orders"
    assert _columns(recognition)["amount"] == "total_amount_cents"


def test_an_invoice_s_issuing_date_is_its_order_date_not_its_record_s_creation():
    """Lago's invoices: `issuing_date` is the invoice's date, `created_at` when the record was made."""
    header = [*INVOICE_HEADER[:2], "created_at", *INVOICE_HEADER[2:]]
    rows = [[*row[:2], f"{row[2]}T00:05:12Z", *row[2:]] for row in INVOICES]
    recognition = recognised(header, rows, "invoices.csv")
    assert _columns(recognition)["order_date"] == "issuing_date"


def test_money_in_cents_or_micros_is_loaded_in_currency_units(tmp_path):
    """The load turns a money column named in cents (`total_amount_cents`) or micros (`amount.amountMicros`) into
    currency units, and says so: 58800 cents are 588.00, 48000000000 micros 48000.00."""
    folder = tmp_path / "api"
    folder.mkdir()
    _write(folder, "invoices.csv", INVOICE_HEADER, INVOICES)
    deals = ["id", "name", "amount.amountMicros", "amount.currencyCode", "closeDate", "stage", "createdAt"]
    _write(
        folder,
        "opportunities.csv",
        deals,
        [
            ["o-1", "Harbor - Platform", "48000000000", "USD", "2026-03-28", "CUSTOMER", "2026-01-14T11:02:30Z"],
            ["o-2", "Loom - Pilot", "15000000000", "USD", "2026-05-15", "PROPOSAL", "2026-01-22T09:17:44Z"],
            ["o-3", "Loom - Rollout", "120000000000", "USD", "2026-09-30", "MEETING", "2026-03-02T08:40:12Z"],
            ["o-4", "Papyrus - Team", "4200000000", "USD", "2026-03-10", "NEW", "2026-02-18T10:12:27Z"],
        ],
    )
    con = duckdb.connect()
    ws = load_paths(con, [folder])
    found = {entry["file"]: entry for entry in ws.inspect()}
    assert found["invoices.csv"]["kind"] == "orders"
    assert found["opportunities.csv"]["kind"] == "opportunities"
    orders = con.execute("SELECT order_id, amount FROM orders ORDER BY order_id").fetchall()
    assert orders == [("ACM-001", 588.0), ("ACM-002", 1100.0), ("ACM-003", 628.2), ("ACM-004", 320.23)]
    deals = con.execute("SELECT opportunity_id, amount FROM opportunities ORDER BY opportunity_id").fetchall()
    assert deals == [("o-1", 48000.0), ("o-2", 15000.0), ("o-3", 120000.0), ("o-4", 4200.0)]
    notes = [p["message"] for p in found["invoices.csv"]["problems"] if "cents" in p["message"]]
    assert notes and "currency units" in notes[0]


def test_a_deal_at_its_customer_stage_is_won():
    """Twenty's deal stages run NEW, SCREENING, MEETING, PROPOSAL, CUSTOMER: a deal whose stage is what the buyer
    became is won, the others open; a lead whose status is `Customer` stays a converted lead."""
    assert classify_value("opportunities", "outcome", "CUSTOMER") == "won"
    assert classify_value("opportunities", "outcome", "PROPOSAL") == "open"
    assert classify_value("leads", "status_class", "Customer") == "converted"
