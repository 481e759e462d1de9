"""Reshapes of exports that are not one row per entity (core/imports/reshape.py), on small files written here
with hand-computed expectations, and on ordinary exports that must be left alone."""

from __future__ import annotations

import datetime
import io
import json
from dataclasses import asdict

import duckdb
import pytest

from core.imports.casting import quote
from core.imports.reading import RawTable, read_upload
from core.imports.reshape import (
    Reshape,
    apply_reshape,
    find_nps_series,
    find_wide,
    parse_period,
    period_date,
    unpivot,
)

CHANNEL_BUDGET = """\
Year,Month,Total Investment,TV,Digital,Sponsorship,Content Marketing,Online marketing,Affiliates,SEM,Radio,Other
2023,July,17.1,3.5,2.1,7.4,,1.3,0.5,2.3,,
2023,August,5.1,,1.3,1.1,0.2,1.2,0.4,0.9,NA,
2023,September,96.3,3.9,1.4,62.8,,3.1,1.1,4.8,3.9,15.3
2024,January,24.4,20.1,0.3,,,2.5,0.6,0.9,,
2024,February,,,,,,,,,,
"""
CHANNELS = ["TV", "Digital", "Sponsorship", "Content Marketing", "Online marketing", "Affiliates", "SEM", "Radio",
            "Other"]  # fmt: skip
CHANNEL_SUMS = {"TV": 27.5, "Digital": 5.1, "Sponsorship": 71.3, "Content Marketing": 0.2, "Online marketing": 8.1,
                "Affiliates": 2.6, "SEM": 8.9, "Radio": 3.9, "Other": 15.3}  # fmt: skip

GL_BUDGET = """\
Account,Jan-24,Feb-24,Mar-24,Q1 2024,Apr-24,Total
6100 Salaries,"10,000","10,000","10,500","30,500","10,500","41,000"
6200 Events,,"2,500",,"2,500",800,"3,300"
6300 Paid media,"1,200","1,300","1,400","3,900","1,500","5,400"
"""

GERMAN_BUDGET = """\
Konto;Jan. 24;Feb. 24;Mär. 24;Apr. 24;Mai 24;Jun. 24;Jul. 24;Aug. 24;Sep. 24;Okt. 24;Nov. 24;Dez. 24;Gesamt
Gehälter;1.000,50;1.000,50;1.000,50;1.000,50;1.000,50;1.000,50;1.000,50;1.000,50;1.000,50;1.000,50;1.000,50;1.000,50;12.006
Messen;;;2.000;;;;;;5.000;;;;7.000
"""

CATEGORY_BUDGET = """\
Month,Salaries,Events,Paid media,Content,Tools
2024-01,50000,2000,8000,1500,900
Feb 2024,50000,,8500,1500,900
März 2024,52000,12000,9000,,900
"""

NPS_COUNTS = """\
Month,Promoters,Passives,Detractors,NPS
Jan 2024,60,25,15,45
Feb 2024,30,10,10,40
Mar 2024,,,,
"""

NPS_SERIES = """\
Date,NPS,Responses
2024-01,54.6,100
2024-02,-12,50
2024-03,,
"""

ORDERS = """\
Order ID,Order Date,Customer,Product,Quantity,Unit Price,Amount
SO-1001,2024-01-05,ACME,Widget,2,10.00,20.00
SO-1002,2024-01-06,Globex,Gadget,1,99.50,99.50
SO-1003,2024-02-01,Initech,Widget,5,10.00,50.00
"""

LEADS = """\
Lead ID,Created Date,Lead Source,Status,Employees,Annual Revenue,Lead Score
00Q1,2024-01-02,Web,Open,120,5000000,55
00Q2,2024-01-03,Event,Qualified,40,1200000,80
00Q3,2024-01-09,Referral,Open,2500,90000000,35
"""

SUPERSTORE = """\
Row ID,Order ID,Order Date,Ship Date,Ship Mode,Customer ID,Segment,Region,Category,Sub-Category,Sales,Quantity,Discount,Profit
1,US-2019-103800,03/01/19,07/01/19,Standard Class,DP-13000,Consumer,Central,Office Supplies,Paper,16.448,2,0.2,5.5512
2,US-2019-112326,04/01/19,08/01/19,Standard Class,PO-19195,Home Office,Central,Office Supplies,Labels,11.784,3,0.2,4.2717
3,US-2019-141817,05/01/19,12/01/19,Standard Class,MB-18085,Consumer,East,Technology,Phones,272.736,3,0.2,-64.7748
"""

ADVERTISING = """\
,TV,Radio,Newspaper,Sales
1,230.1,37.8,69.2,22.1
2,44.5,39.3,45.1,10.4
3,17.2,45.9,69.3,9.3
"""

SHOP_PRODUCTS = """\
Handle,Title,Variant Grams,Variant Price,Google Shopping / Custom Label 0,Google Shopping / MPN,Image Position
mug,Enamel Mug,350,12.00,,,1
kettle,Copper Kettle,1200,59.00,,,1
"""

CAMPAIGN_REPORT = """\
Date,Campaign,Impressions,Clicks,Spend
2024-01-01,Brand,12000,340,210.50
2024-01-02,Brand,11000,310,190.00
"""

SURVEY = """\
Respondent,Q1,Q2,Q3,Q4
R1,4,5,3,2
R2,1,2,5,4
"""

NPS_RESPONSES = """\
Response ID,Date,NPS
1,2024-01-01,9
2,2024-01-01,7
3,2024-01-02,3
"""


@pytest.fixture
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


def read(con, text: str, name: str = "export.csv") -> RawTable:
    (raw,) = read_upload(con, name, text.encode())
    return raw


def rows(con, table: RawTable) -> list[tuple]:
    return con.execute(f"SELECT * FROM {quote(table.table)}").fetchall()


def check_accounting(con, raw: RawTable, reshaped: RawTable, reshape: Reshape) -> None:
    """Every source row is traced by `_line` in the output or reported as rejected; the reshaped table keeps
    the RawTable invariants (all text plus `_line`, rows_read == rows_loaded + rejected)."""
    described = con.execute(f"DESCRIBE {quote(reshaped.table)}").fetchall()
    assert [row[0] for row in described] == [*reshaped.columns, "_line"]
    assert {row[1] for row in described[:-1]} == {"VARCHAR"} and described[-1][1] == "BIGINT"
    assert reshaped.rows_read == reshaped.rows_loaded + len(reshaped.rejected)
    count, lines = con.execute(f"SELECT count(*), count(DISTINCT _line) FROM {quote(reshaped.table)}").fetchall()[0]
    assert count == reshaped.rows_loaded == reshape.rows_out
    assert raw.rows_read == lines + len(reshaped.rejected)
    assert reshape.rows_in == raw.rows_loaded
    assert len(reshaped.rejected) - len(raw.rejected) == reshape.empty_rows + reshape.total_rows
    assert reshape.description in reshaped.notes


def test_monthly_channel_budget_becomes_a_spend_line_per_month_and_channel(con):
    raw = read(con, CHANNEL_BUDGET, "budget.csv")
    reshape = find_wide(con, raw)
    assert reshape is not None and reshape.name == "unpivot" and reshape.variant == "categories"
    assert reshape.value_columns == CHANNELS
    assert reshape.left_out == ["Total Investment"]
    assert reshape.period_columns == ["Year", "Month"] and reshape.id_columns == []
    assert reshape.created == {"period": "Period", "header": "Channel", "amount": "Amount"}
    # 5 rows x 9 channels = 45 cells: 25 filled, 20 blank (NA is blank); the February row is blank throughout.
    assert (reshape.rows_in, reshape.rows_out, reshape.blank_cells, reshape.empty_rows) == (5, 25, 20, 1)
    assert reshape.description == (
        "Each of the 9 channel columns (TV … Other) became a row per period and channel: 5 rows → 25 lines; "
        "'Year' and 'Month' became one 'Period' date; 'Total Investment' was left out as a total; "
        "20 blank cells gave no line; 1 row with every amount blank listed as rejected."
    )

    reshaped = unpivot(con, raw, reshape)
    check_accounting(con, raw, reshaped, reshape)
    assert reshaped.columns == ["Period", "Channel", "Amount"]
    assert [(row.line, row.reason) for row in reshaped.rejected] == [(6, "every one of its 9 amounts is blank")]
    sums = dict(
        con.execute(
            f"SELECT Channel, round(sum(CAST(Amount AS DOUBLE)), 6) FROM {quote(reshaped.table)} GROUP BY Channel"
        ).fetchall()
    )
    assert sums == CHANNEL_SUMS
    assert sum(sums.values()) == pytest.approx(17.1 + 5.1 + 96.3 + 24.4)  # the left-out totals, not counted twice
    periods = con.execute(f"SELECT DISTINCT Period, _line FROM {quote(reshaped.table)} ORDER BY _line").fetchall()
    assert periods == [("2023-07-01", 2), ("2023-08-01", 3), ("2023-09-01", 4), ("2024-01-01", 5)]
    assert rows(con, reshaped)[:3] == [
        ("2023-07-01", "TV", "3.5", 2),
        ("2023-07-01", "Digital", "2.1", 2),
        ("2023-07-01", "Sponsorship", "7.4", 2),
    ]


def test_gl_budget_with_month_headers(con):
    raw = read(con, GL_BUDGET, "gl_budget.csv")
    reshape = find_wide(con, raw)
    assert reshape is not None and reshape.variant == "periods"
    assert reshape.value_columns == ["Jan-24", "Feb-24", "Mar-24", "Apr-24"]
    assert reshape.left_out == ["Total", "Q1 2024"]
    assert reshape.id_columns == ["Account"]
    assert reshape.created == {"period": "Month", "amount": "Amount"}
    assert (reshape.rows_in, reshape.rows_out, reshape.blank_cells, reshape.empty_rows) == (3, 10, 2, 0)
    assert "'Total' was left out as a total; 'Q1 2024' was left out as a subtotal of the months" in (
        reshape.description
    )

    reshaped = unpivot(con, raw, reshape)
    check_accounting(con, raw, reshaped, reshape)
    assert reshaped.columns == ["Month", "Account", "Amount"]
    assert rows(con, reshaped) == [
        ("2024-01-01", "6100 Salaries", "10,000", 2),
        ("2024-02-01", "6100 Salaries", "10,000", 2),
        ("2024-03-01", "6100 Salaries", "10,500", 2),
        ("2024-04-01", "6100 Salaries", "10,500", 2),
        ("2024-02-01", "6200 Events", "2,500", 3),
        ("2024-04-01", "6200 Events", "800", 3),
        ("2024-01-01", "6300 Paid media", "1,200", 4),
        ("2024-02-01", "6300 Paid media", "1,300", 4),
        ("2024-03-01", "6300 Paid media", "1,400", 4),
        ("2024-04-01", "6300 Paid media", "1,500", 4),
    ]


def test_german_gl_budget_with_month_abbreviations(con):
    raw = read(con, GERMAN_BUDGET, "budget_de.csv")
    reshape = find_wide(con, raw)
    assert reshape is not None and reshape.variant == "periods"
    assert len(reshape.value_columns) == 12 and reshape.left_out == ["Gesamt"]
    assert (reshape.rows_out, reshape.blank_cells) == (14, 10)

    reshaped = unpivot(con, raw, reshape)
    check_accounting(con, raw, reshaped, reshape)
    months = con.execute(f"SELECT DISTINCT Month FROM {quote(reshaped.table)} ORDER BY Month").fetchall()
    assert [month for (month,) in months] == [f"2024-{number:02d}-01" for number in range(1, 13)]
    messen = con.execute(f"SELECT Month, Amount FROM {quote(reshaped.table)} WHERE Konto = 'Messen'").fetchall()
    assert messen == [("2024-03-01", "2.000"), ("2024-09-01", "5.000")]  # the decimal mark is left to the typer


def test_month_headers_take_their_year_from_a_year_column(con):
    raw = read(con, "Year,Department,Jan,Feb,Mar,Sum\n2024,Marketing,1,2,3,6\n2025,Marketing,4,,6,10\n")
    reshape = find_wide(con, raw)
    assert reshape is not None and reshape.period_columns == ["Year"] and reshape.left_out == ["Sum"]
    reshaped = unpivot(con, raw, reshape)
    check_accounting(con, raw, reshaped, reshape)
    assert rows(con, reshaped) == [
        ("2024-01-01", "Marketing", "1", 2),
        ("2024-02-01", "Marketing", "2", 2),
        ("2024-03-01", "Marketing", "3", 2),
        ("2025-01-01", "Marketing", "4", 3),
        ("2025-03-01", "Marketing", "6", 3),
    ]


def test_quarter_headers_need_a_year_and_a_year_beside_dated_headers_is_kept(con):
    quarters = read(con, "Year,Team,Q1,Q2,Q3,Q4\n2024,Field,10,20,30,40\n")
    reshape = find_wide(con, quarters)
    assert reshape is not None and reshape.created["period"] == "Period"
    periods = con.execute(f"SELECT Period FROM {quote(unpivot(con, quarters, reshape).table)}").fetchall()
    assert [period for (period,) in periods] == ["2024-01-01", "2024-04-01", "2024-07-01", "2024-10-01"]
    assert find_wide(con, read(con, "Team,Q1,Q2,Q3,Q4\nField,10,20,30,40\n")) is None  # a survey as much as a budget

    dated = read(con, "Year,Account,Jan 2024,Feb 2024,Mar 2024\n2024,6100,1,2,3\n")
    reshape = find_wide(con, dated)
    assert reshape is not None and reshape.period_columns == [] and reshape.id_columns == ["Year", "Account"]


def test_excel_budget_with_date_header_cells(con):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Cost centre", *(datetime.datetime(2024, month, 1) for month in (1, 2, 3)), "Total"])
    sheet.append(["Marketing", 100.5, 200, None, 300.5])
    sheet.append(["Sales", 50, 60, 70, 180])
    buffer = io.BytesIO()
    workbook.save(buffer)
    (raw,) = read_upload(con, "budget.xlsx", buffer.getvalue())
    reshape = find_wide(con, raw)
    assert reshape is not None and reshape.value_columns == ["2024-01-01", "2024-02-01", "2024-03-01"]
    reshaped = unpivot(con, raw, reshape)
    check_accounting(con, raw, reshaped, reshape)
    assert rows(con, reshaped)[:3] == [
        ("2024-01-01", "Marketing", "100.5", 2),
        ("2024-02-01", "Marketing", "200", 2),
        ("2024-01-01", "Sales", "50", 3),
    ]


def test_category_budget_reads_each_month_form(con):
    raw = read(con, CATEGORY_BUDGET, "budget_by_category.csv")
    reshape = find_wide(con, raw)
    assert reshape is not None and reshape.created["header"] == "Category"
    assert reshape.value_columns == ["Salaries", "Events", "Paid media", "Content", "Tools"]
    reshaped = unpivot(con, raw, reshape)
    check_accounting(con, raw, reshaped, reshape)
    periods = con.execute(f"SELECT Period, count(*) FROM {quote(reshaped.table)} GROUP BY 1 ORDER BY 1").fetchall()
    assert periods == [("2024-01-01", 5), ("2024-02-01", 4), ("2024-03-01", 4)]


def test_saved_reshape_replays_the_same_table(con):
    raw = read(con, CHANNEL_BUDGET)
    reshape = find_wide(con, raw)
    first = rows(con, unpivot(con, raw, reshape))
    saved = Reshape(**json.loads(json.dumps(asdict(reshape))))
    assert saved == reshape
    assert rows(con, apply_reshape(con, raw, saved)) == first


def test_channel_columns_without_a_period_become_lines_whose_period_the_person_gives(con):
    """The Advertising dataset: TV, Radio and Newspaper budgets per market, with Sales (an outcome, not spend)
    and an unnamed row-number column. Each budget cell becomes a line; no period is made up."""
    raw = read(con, ADVERTISING, "Advertising.csv")
    reshape = find_wide(con, raw)
    assert reshape is not None and reshape.variant == "categories"
    assert reshape.value_columns == ["TV", "Radio", "Newspaper"] and reshape.left_out == ["Sales"]
    assert reshape.id_columns == ["column_1"] and reshape.period_columns == []
    assert reshape.created == {"header": "Channel", "amount": "Amount"}
    assert "no column says when the money went" in reshape.description
    assert "'Sales' was left out: it is no spend" in reshape.description
    reshaped = unpivot(con, raw, reshape)
    check_accounting(con, raw, reshaped, reshape)
    assert rows(con, reshaped)[:3] == [
        ("1", "TV", "230.1", 2),
        ("1", "Radio", "37.8", 2),
        ("1", "Newspaper", "69.2", 2),
    ]


def test_channel_spend_columns_beside_a_date_and_an_outcome(con):
    """`tv_spend`, `search_spend`: a channel's spend (its measure word is spend); `sales` beside them is left out."""
    text = (
        "date,tv_spend,search_spend,social_spend,sales\n2023-01-02,12000,3000,1500,61000\n2023-01-09,9000,,1800,52000\n"
    )
    raw = read(con, text, "marketing_mix.csv")
    reshape = find_wide(con, raw)
    assert reshape.value_columns == ["tv_spend", "search_spend", "social_spend"] and reshape.left_out == ["sales"]
    assert reshape.period_columns == ["date"] and reshape.created["header"] == "Channel"
    reshaped = unpivot(con, raw, reshape)
    check_accounting(con, raw, reshaped, reshape)
    assert rows(con, reshaped)[3:] == [("2023-01-09", "tv_spend", "9000", 3), ("2023-01-09", "social_spend", "1800", 3)]


@pytest.mark.parametrize(
    "text",
    [ORDERS, LEADS, SUPERSTORE, CAMPAIGN_REPORT, SURVEY, NPS_RESPONSES, NPS_COUNTS, NPS_SERIES, SHOP_PRODUCTS],
    ids=[
        "orders",
        "leads",
        "superstore",
        "campaign",
        "survey",
        "nps_responses",
        "nps_counts",
        "nps_series",
        "shop_products",
    ],  # fmt: skip
)
def test_ordinary_exports_are_not_wide(con, text):
    """Sales, Quantity, Discount, Profit measure one line; a product list's columns are not all channels, though
    some are named after Google."""
    assert find_wide(con, read(con, text)) is None


@pytest.mark.parametrize(
    "text",
    [ORDERS, LEADS, SUPERSTORE, ADVERTISING, SURVEY, NPS_RESPONSES, CHANNEL_BUDGET, GL_BUDGET, CATEGORY_BUDGET],
    ids=[
        "orders",
        "leads",
        "superstore",
        "advertising",
        "survey",
        "nps_responses",
        "channel_budget",
        "gl_budget",
        "category_budget",
    ],  # fmt: skip
)
def test_other_exports_are_not_an_nps_series(con, text):
    assert find_nps_series(con, read(con, text)) is None


def test_nps_counts_expand_into_exactly_that_many_responses(con):
    raw = read(con, NPS_COUNTS, "nps_by_month.csv")
    reshape = find_nps_series(con, raw)
    assert reshape is not None and reshape.name == "nps_series" and reshape.variant == "counts"
    assert reshape.value_columns == ["Promoters", "Passives", "Detractors"]
    assert reshape.left_out == ["NPS"] and reshape.period_columns == ["Month"]
    assert (reshape.rows_in, reshape.rows_out, reshape.empty_rows) == (3, 150, 1)
    assert "150 responses, so the NPS is exact" in reshape.description

    reshaped = apply_reshape(con, raw, reshape)
    check_accounting(con, raw, reshaped, reshape)
    assert reshaped.columns == ["Period", "Response ID", "Score"]
    assert [(row.line, row.reason) for row in reshaped.rejected] == [(4, "no responses were counted in it")]
    table = quote(reshaped.table)
    per_period = con.execute(
        f"SELECT Period, count(*) FILTER (Score = '10'), count(*) FILTER (Score = '8'), count(*) FILTER (Score = '0'),"
        f" 100.0 * (count(*) FILTER (Score = '10') - count(*) FILTER (Score = '0')) / count(*) "
        f"FROM {table} GROUP BY Period ORDER BY Period"
    ).fetchall()
    assert per_period == [("2024-01-01", 60, 25, 15, 45.0), ("2024-02-01", 30, 10, 10, 40.0)]  # the file's NPS
    overall, ids = con.execute(
        f"SELECT 100.0 * (count(*) FILTER (Score = '10') - count(*) FILTER (Score = '0')) / count(*), "
        f'count(DISTINCT "Response ID") FROM {table}'
    ).fetchall()[0]
    assert overall == pytest.approx(100 * (90 - 25) / 150) and ids == 150
    assert rows(con, reshaped)[0] == ("2024-01-01", "2-1", "10", 2)


def test_bare_nps_series_becomes_a_row_per_period(con):
    raw = read(con, NPS_SERIES, "nps_trend.csv")
    reshape = find_nps_series(con, raw)
    assert reshape is not None and reshape.variant == "scores"
    assert reshape.value_columns == ["NPS", "Responses"]
    assert reshape.created == {"period": "Period", "nps": "Period NPS", "responses": "Responses"}
    assert "the NPS shown is the average of the periods' NPS, weighted by responses" in reshape.description

    reshaped = apply_reshape(con, raw, reshape)
    check_accounting(con, raw, reshaped, reshape)
    assert reshaped.columns == ["Period", "Period NPS", "Responses"]
    assert rows(con, reshaped) == [("2024-01-01", "54.6", "100", 2), ("2024-02-01", "-12", "50", 3)]
    assert [(row.line, row.reason) for row in reshaped.rejected] == [(4, "it has no NPS")]
    (weighted,) = con.execute(
        f'SELECT sum(CAST("Period NPS" AS DOUBLE) * CAST(Responses AS DOUBLE)) / sum(CAST(Responses AS DOUBLE)) '
        f"FROM {quote(reshaped.table)}"
    ).fetchall()[0]
    assert weighted == pytest.approx((54.6 * 100 - 12 * 50) / 150)  # 32.4


def test_bare_nps_without_responses_is_a_plain_average(con):
    raw = read(con, "Monat;NPS\nJanuar 2024;40\nFebruar 2024;30,5\n")
    reshape = find_nps_series(con, raw)
    assert reshape is not None and reshape.value_columns == ["NPS"] and "weighted" not in reshape.description
    assert reshape.description.endswith("so the NPS shown is the average of the periods' NPS; 'Monat' became the "
                                        "'Period' column.")  # fmt: skip
    reshaped = apply_reshape(con, raw, reshape)
    assert rows(con, reshaped) == [("2024-01-01", "40", 2), ("2024-02-01", "30,5", 3)]


@pytest.mark.parametrize(
    ("header", "date"),
    [
        ("Jan-24", "2024-01-01"),
        ("January 2024", "2024-01-01"),
        ("Dez. 24", "2024-12-01"),
        ("März 2024", "2024-03-01"),
        ("févr. 2024", "2024-02-01"),
        ("Août 2024", "2024-08-01"),
        ("ene-24", "2024-01-01"),
        ("dic 2024", "2024-12-01"),
        ("out/24", "2024-10-01"),
        ("Setembro 2024", "2024-09-01"),
        ("2024-01", "2024-01-01"),
        ("01/2024", "2024-01-01"),
        ("2024-05-31", "2024-05-01"),
        ("Q3 2024", "2024-07-01"),
        ("2024-Q2", "2024-04-01"),
        ("FY24", "2024-01-01"),
        ("2023", "2023-01-01"),
    ],  # fmt: skip
)
def test_period_headers(header, date):
    assert parse_period(header).date() == date


@pytest.mark.parametrize("header", ["Total", "TV", "Sales", "Q5", "2024-05-15", "Paid media", "13/2024"])
def test_headers_that_are_not_periods(header):
    assert parse_period(header) is None


def test_period_values_beside_a_year():
    assert period_date("2024", "3") == "2024-03-01"
    assert period_date("2024", "Mars") == "2024-03-01"
    assert period_date("2024", None) == "2024-01-01"
    assert period_date(None, "2024-01-15") is None  # a day's own date is left to the typer


def test_real_exports_are_left_alone(con, real_exports):
    for path in sorted(real_exports.rglob("*.csv")):
        for raw in read_upload(con, path.name, path.read_bytes()):
            assert find_wide(con, raw) is None, path.name
            assert find_nps_series(con, raw) is None, path.name
