"""Evidence from values (core.imports.profile): one pass over a small hand-made raw table, every share, range and
flag worked out by hand from the rows below."""

from __future__ import annotations

import duckdb
import pytest

from core.imports.profile import profile_table
from tests.rawtables import raw_table

COLUMNS = [
    "Lead ID", "Row", "Company", "Created Date", "Amount", "Discount", "Email", "Stage", "Lead Status", "Currency",
    "Country", "Is Won", "Notes", "Employees",
]  # fmt: skip
ROWS = [
    ["L-000101", "1", "Acme Corp", "2024-01-05", "$1,200.00", "10%", "ana@acme.com", "Prospecting", "Open", "USD",
     "United States", "true", "", "12"],
    ["L-000102", "2", "Globex GmbH", "2024-02-10 09:30", "€300", "25%", "bo@globex.de", "Closed Won", "Working",
     "EUR", "Germany", "false", None, "250"],
    ["L-000103", "3", "Initech Ltd", "05/03/2024", "450.50", "5%", "cy@initech.io", "Closed Lost", "Qualified", "GBP",
     "UK", "true", "NA", "7"],
    ["L-000104", "4", "Umbrella Inc", "Mar 4, 2024", "NA", "n/a", "dee@umbrella.com", "Negotiation/Review",
     "Unqualified", "usd", "Brazil", "false", "-", "1,500"],
    ["L-000105", "5", "Hooli Labs", "2024-03-09T14:00:00", "2500", "-", "null", "Qualification", "Nurturing", "CHF",
     "France", "false", "  ", "40"],
    ["L-000106", "6", "Stark Industries", "", "-75.25", "0%", "eve@hooli.com", "Proposal/Price Quote",
     "Closed - Converted", "EUR", "DE", "true", None, "3"],
]  # fmt: skip


@pytest.fixture(scope="module")
def table():
    con = duckdb.connect()
    return profile_table(con, raw_table(con, COLUMNS, ROWS, source="crm › hubspot_contacts.csv"))


def test_table(table):
    assert table.rows == 6
    assert table.source == "crm › hubspot_contacts.csv"
    assert table.name_phrase == "hubspot contact"  # the last part of the source, no extension, `contacts` singular
    assert [c.name for c in table.columns] == COLUMNS
    assert table.column("Created Date").phrase == "created date"
    assert table.column("Is Won").phrase == "won"


def test_ids(table):
    lead_id = table.column("Lead ID")
    assert (lead_id.filled, lead_id.distinct, lead_id.unique) == (6, 6, 1.0)
    assert lead_id.share("opaque") == 1.0 and lead_id.share("number") == 0.0
    assert lead_id.is_key and not lead_id.is_number
    assert lead_id.length == 8.0
    assert lead_id.examples == ("L-000101", "L-000102", "L-000103", "L-000104", "L-000105")  # by count, then value
    assert lead_id.words() == "unique ids"
    row = table.column("Row")
    assert (row.share("integer"), row.low, row.high) == (1.0, 1.0, 6.0)
    assert row.is_number and row.is_key  # unique whole numbers
    company = table.column("Company")
    assert company.unique == 1.0 and company.share("opaque") == 0.0
    assert not company.is_key  # six unique names are not ids


def test_dates(table):
    created = table.column("Created Date")
    assert (created.filled, created.distinct) == (5, 5)  # the blank one left out
    assert created.share("date") == 1.0  # ISO, US, `Mar 4, 2024`, ISO with a time
    assert created.share("time") == pytest.approx(2 / 5)  # `09:30` and `T14:00:00`
    assert created.is_date and not created.is_number and not created.is_key
    assert created.words() == "dates"  # under half carry a time


def test_money_and_numbers(table):
    amount = table.column("Amount")
    assert (amount.filled, amount.distinct) == (5, 5)  # `NA` is a null
    assert amount.share("number") == 1.0
    assert amount.share("money") == pytest.approx(4 / 5)  # $, €, two decimals twice; `2500` has no mark
    assert amount.share("integer") == pytest.approx(1 / 5)  # `2500`
    assert (amount.low, amount.high) == (-75.25, 2500.0)  # `$1,200.00` is 1200, `€300` is 300
    assert amount.is_number and not amount.is_key
    assert amount.words() == "amounts from -75.25 to 2,500"
    employees = table.column("Employees")
    assert employees.share("number") == 1.0
    assert employees.share("integer") == pytest.approx(5 / 6)  # `1,500` has a separator
    assert (employees.low, employees.high) == (3.0, 1500.0)
    assert not employees.is_key  # unique, but not all plain whole numbers
    assert employees.words() == "numbers from 3 to 1,500"


def test_percent(table):
    discount = table.column("Discount")
    assert (discount.filled, discount.distinct) == (4, 4)  # `n/a` and `-` are nulls
    assert discount.share("percent") == 1.0 and discount.share("number") == 1.0
    assert (discount.low, discount.high) == (0.0, 25.0)
    assert discount.share("money") == 0.0


def test_email(table):
    email = table.column("Email")
    assert email.filled == 5  # `null` is a null
    assert email.share("email") == 1.0
    assert not email.is_key  # unique, but addresses are not row ids


def test_vocabularies(table):
    stage = table.column("Stage")
    assert stage.vocab["stage"] == 1.0  # every value a known stage
    assert "lead_status" not in stage.vocab
    assert stage.share("opaque") == pytest.approx(2 / 6)  # `Prospecting`, `Qualification`: one word, 6+ letters
    assert stage.words() == "stage values such as 'Closed Lost', 'Closed Won'"
    status = table.column("Lead Status")
    assert status.vocab["lead_status"] == 1.0
    assert status.vocab["stage"] == pytest.approx(2 / 6)  # `Open` and `Qualified` are stages too
    currency = table.column("Currency")
    assert (currency.filled, currency.distinct) == (6, 5)  # `USD` and `usd` are two spellings
    assert currency.vocab == {"currency": 1.0}  # ISO 4217 codes, in any case
    country = table.column("Country")
    assert country.vocab == {"country": 1.0}  # names, short names and ISO codes
    assert country.words().startswith("country values such as ")


def test_boolean(table):
    won = table.column("Is Won")
    assert (won.filled, won.distinct) == (6, 2)
    assert won.vocab["boolean"] == 1.0
    assert won.is_boolean and not won.is_key
    assert won.words() == "yes/no values"
    assert not table.column("Row").is_boolean  # `1` is a yes, but six values are not yes/no


def test_a_column_of_blanks_and_null_tokens(table):
    notes = table.column("Notes")  # '', None, 'NA', '-', '  ', None
    assert (notes.filled, notes.distinct, notes.shares, notes.vocab) == (0, 0, {}, {})
    assert (notes.low, notes.high, notes.examples) == (None, None, ())
    assert notes.unique == 0.0 and notes.share("date") == 0.0
    assert not (notes.is_key or notes.is_date or notes.is_number or notes.is_boolean)
    assert notes.words() == "empty in the rows sampled"


def test_a_table_of_no_rows():
    con = duckdb.connect()
    table = profile_table(con, raw_table(con, ["Id", "Created Date", "Amount"], [], source="deals.csv"))
    assert (table.rows, table.name_phrase) == (0, "deal")
    assert [(c.name, c.phrase, c.filled, c.distinct) for c in table.columns] == [
        ("Id", "id", 0, 0),
        ("Created Date", "created date", 0, 0),
        ("Amount", "amount", 0, 0),
    ]
    assert not any(c.is_key or c.is_date for c in table.columns)


def test_a_table_of_no_columns():
    con = duckdb.connect()
    table = profile_table(con, raw_table(con, [], [], source="empty.csv"))
    assert (table.rows, table.columns) == (0, [])


def test_decimal_commas_give_the_range():
    con = duckdb.connect()
    prices = [["2,55"], ["3,39"], ["19,95"], ["18"], ["1,45"]]  # R write.csv2 / a German Excel export
    price = profile_table(con, raw_table(con, ["Price"], prices)).column("Price")
    assert price.is_number
    assert (price.low, price.high) == (1.45, 19.95)


def test_codes_with_a_number_are_not_dates_but_month_names_are():
    """A word and a number (`INV-0231`, `CUST-0042`, `Net 30`) is a date only when the word is a month."""
    con = duckdb.connect()
    rows = [
        ["INV-0231", "CUST-0042", "Net 30", "Jan 2024", "5-Mär-24"],
        ["INV-0232", "CUST-0057", "Net 60", "Sept 2024", "12 août 2024"],
        ["INV-0233", "CUST-0061", "Net 30", "dic 2023", "3-Okt-23"],
    ]
    table = profile_table(con, raw_table(con, ["Invoice", "Customer", "Terms", "Month", "Day"], rows))
    assert [table.column(c).share("date") for c in ("Invoice", "Customer", "Terms")] == [0.0, 0.0, 0.0]
    assert not table.column("Invoice").is_date and table.column("Invoice").is_key
    assert table.column("Month").is_date and table.column("Day").is_date  # English, Spanish, French, German


def test_unix_seconds_are_a_shape_of_their_own():
    con = duckdb.connect()
    rows = [["1717315200", "772001451"], ["1717325430", "772001896"], ["1717400000.5", "772002003"]]
    table = profile_table(con, raw_table(con, ["created_at", "id"], rows))
    created, key = table.column("created_at"), table.column("id")
    assert created.share("epoch") == 1.0 and not created.is_date  # only a header saying a date makes it one
    assert key.share("epoch") == 0.0  # nine digits: 1994, an id


def test_currency_names_and_purposes_are_vocabularies():
    con = duckdb.connect()
    rows = [["US Dollar", "Acquisition"], ["Euro", "Win-back"], ["Pound Sterling", "Nurture"], ["euro", "Retail"]]
    table = profile_table(con, raw_table(con, ["Currency", "Class"], rows))
    assert table.column("Currency").vocab == {"currency": 1.0}
    assert table.column("Class").vocab == {"purpose": 0.75, "lead_status": 0.25}  # `Nurture` is both; `Retail`
    # is a segment, not a purpose


def test_an_apis_enum_values_count_as_their_words():
    """`in_progress`, `NO_ANSWER`: the words of a stage and a call outcome, written as an API writes them."""
    con = duckdb.connect()
    rows = [["in_progress", "NO_ANSWER"], ["needs_analysis", "busy"], ["won", "left_voicemail"], ["qualify_me", "x"]]
    table = profile_table(con, raw_table(con, ["Status Id", "hs_call_status"], rows))
    assert table.column("Status Id").vocab["stage"] == 0.75  # in progress, needs analysis, won
    assert table.column("hs_call_status").vocab["call_outcome"] == 0.75  # no answer, busy, left voicemail


def test_unique_whole_numbers_are_shown_as_numbers_not_called_ids(table):
    """A row number and a company's revenue differ on every row as ids do: the reason shows their numbers, in
    full, so a revenue taken for a money field does not read as 'unique ids'."""
    assert table.column("Row").is_key
    assert table.column("Row").words() == "unique whole numbers from 1 to 6"
    con = duckdb.connect()
    revenue = profile_table(con, raw_table(con, ["REVENUE"], [["42000000"], ["950000000"], ["3500000"]])).columns[0]
    assert revenue.words() == "unique whole numbers from 3,500,000 to 950,000,000"
