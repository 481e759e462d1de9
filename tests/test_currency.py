"""Amounts in several currencies are converted at yearly rates, or left out of every sum with the reason; never
added up as one. Values are computed by hand from the small files below."""

from __future__ import annotations

import json

import duckdb
import pandas as pd
import pytest

from core import explore, fx
from core.__main__ import main
from core.imports.quality import currency_symbol_sql
from core.ingest import Workspace
from core.metrics import engine

DEALS = b"""Opportunity ID,Stage,Amount,Currency,Close Date,Probability
D1,Closed Won,1000,USD,2023-03-01,1
D2,Closed Won,2000,EUR,2023-04-01,1
D3,Closed Won,3000,GBP,2022-05-01,1
D4,Closed Won,100000,JPY,2023-06-01,1
D5,Negotiation,500,USD,2023-07-01,0.5
D6,Negotiation,400,EUR,2023-08-01,0.5
D7,Negotiation,200000,JPY,2023-09-01,0.5
D8,Closed Lost,700,GBP,2023-10-01,0
"""
# Test rates (not real ones): USD is the reporting currency, EUR and GBP have rates, JPY has none.
THREE_RATES = b"currency,year,per_usd\nEUR,2023,0.8\nEUR,2022,0.9\nGBP,2022,0.75\nGBP,2023,0.8\n"
JPY_RATES = b"currency,year,per_usd\nJPY,2023,100\n"
MONEY_METRICS = ["funnel_value", "order_size", "close_ratio"]


def workspace(rates: bytes = THREE_RATES) -> Workspace:
    return Workspace(duckdb.connect(), base_rates=fx.read_rates("test_rates.csv", rates))


def compute(ws: Workspace, ids=MONEY_METRICS) -> dict[str, engine.MetricResult]:
    return engine.compute(ws.con, ids)


def test_a_currency_with_no_rate_leaves_money_metrics_unavailable_with_per_currency_figures():
    ws = workspace()
    ws.add("deals.csv", DEALS)
    assert ws.con.execute("SELECT opportunity_id, amount, currency FROM opportunities ORDER BY 1").fetchall() == [
        ("D1", 1000.0, "USD"),
        ("D2", 2500.0, "USD"),  # 2000 / 0.8
        ("D3", 4000.0, "USD"),  # 3000 / 0.75 (2022)
        ("D4", None, "JPY"),  # no rate: loaded, with no converted amount
        ("D5", 500.0, "USD"),
        ("D6", 500.0, "USD"),
        ("D7", None, "JPY"),
        ("D8", 875.0, "USD"),  # 700 / 0.8
    ]
    results = compute(ws)
    for metric_id in ("funnel_value", "order_size"):
        result = results[metric_id]
        assert not result.available and result.value is None
        assert result.missing == [
            "Amounts in JPY (2 deals) have no exchange rate to USD: upload a rates file with the company profile "
            "(Data page) or convert them at the source; amounts in different currencies are never added up as one."
        ]
        assert result.details == {
            "opportunities_rows_EUR": 2,
            "opportunities_amount_EUR": 2400.0,
            "opportunities_rows_GBP": 2,
            "opportunities_amount_GBP": 3700.0,
            "opportunities_rows_JPY": 2,
            "opportunities_amount_JPY": 300000.0,
            "opportunities_rows_USD": 2,
            "opportunities_amount_USD": 1500.0,
        }
    assert results["close_ratio"].available and results["close_ratio"].value == 0.8  # reads no money: unaffected
    problems = {p.severity: p for p in ws.files[0].problems if p.column == "Currency"}
    assert problems["warning"].message.startswith("2 deals in JPY (amounts 300,000.00 JPY in all) have no exchange")
    assert "Value of the sales funnel" in problems["warning"].message and "Order size" in problems["warning"].message
    assert problems["info"].message.startswith("4 rows in EUR, GBP were converted to USD")
    assert "2022: 1 USD = 0.7500 GBP" in problems["info"].message
    preview = ws.preview(ws.files[0].file_id)
    assert preview[["Amount", "Currency"]].values.tolist()[3] == [100000.0, "JPY"]  # each row's own amount


def test_your_rates_cover_the_missing_currency_and_give_exact_sums():
    ws = workspace()
    ws.add("deals.csv", DEALS)
    ws.set_currency(user_rates=fx.read_rates("mine.csv", JPY_RATES))
    results = compute(ws)
    funnel = results["funnel_value"]
    # open: D5 500 + D6 400/0.8 + D7 200000/100 = 3000; weighted by probability 0.5 each
    assert funnel.available and funnel.value == 1500.0 and funnel.details["open_amount"] == 3000.0
    size = results["order_size"]
    # won: 1000, 2500, 4000, 100000/100 = 1000 -> median 1750, mean 2125
    assert size.value == 1750.0 and size.details["mean_order_value"] == 2125.0 and size.details["revenue"] == 8500.0
    assert not [p for p in ws.files[0].problems if p.severity == "warning" and p.column == "Currency"]


def test_orders_and_spend_convert_every_money_field_and_block_spend_metrics():
    orders = (
        b"Order ID,Order Date,Customer,Amount,Gross Profit,Unit Price,Qty,Currency\nS1,2023-02-01,C1,100,40,50,2,EUR\n"
    )
    spend = (
        b"Period,Amount,Function,Currency\n2023-01-01,1000,Marketing,USD\n2023-01-01,4000,Sales,USD\n"
        b"2023-02-01,90000,Marketing,JPY\n"
    )
    ws = workspace()
    ws.add("orders.csv", orders)
    (lines,) = ws.add("spend.csv", spend)
    ws.set_mapping(lines.file_id, {"function": "Function"})
    assert ws.con.execute("SELECT amount, margin, unit_price, currency FROM orders").fetchall() == [
        (125.0, 50.0, 62.5, "USD")  # each divided by 0.8
    ]
    results = engine.compute(ws.con, ["sales_to_marketing_spend", "marketing_spend_to_sales", "relationship_depth"])
    for metric_id in ("sales_to_marketing_spend", "marketing_spend_to_sales"):
        assert not results[metric_id].available
        assert results[metric_id].missing[0].startswith("Amounts in JPY (1 spend lines) have no exchange rate")
        assert results[metric_id].details["spend_amount_JPY"] == 90000.0
        assert results[metric_id].details["spend_amount_USD"] == 5000.0
    assert results["relationship_depth"].available and results["relationship_depth"].value == 125.0


def test_one_currency_or_none_behaves_as_before():
    in_usd = b"Opportunity ID,Stage,Amount,Currency,Close Date\nA,Closed Won,100,USD,2023-01-01\nB,Closed Won,300,usd,2023-02-01\n"
    no_column = b"Opportunity ID,Stage,Amount,Close Date\nA,Closed Won,100,2023-01-01\nB,Closed Won,300,2023-02-01\n"
    figures = []
    for data in (in_usd, no_column):
        ws = workspace()
        ws.add("deals.csv", data)
        assert not [p for p in ws.files[0].problems if "convert" in p.message or "exchange" in p.message]
        result = compute(ws, ["order_size"])["order_size"]
        figures.append((result.value, result.details))
        assert fx.read_report(ws.con)["converted"].all()
    assert figures[0] == figures[1] and figures[0][0] == 200.0


def test_reporting_currency_other_than_usd_converts_through_usd_rates():
    ws = workspace()
    ws.add("deals.csv", DEALS)
    ws.set_currency("EUR", fx.read_rates("mine.csv", JPY_RATES))
    amounts = dict(ws.con.execute("SELECT opportunity_id, amount FROM opportunities").fetchall())
    assert amounts["D1"] == pytest.approx(800.0)  # 1000 USD x 0.8 EUR per USD
    assert amounts["D2"] == 2000.0  # already in EUR
    assert amounts["D3"] == pytest.approx(3600.0)  # 3000 GBP / 0.75 x 0.9 (2022)
    assert amounts["D4"] == pytest.approx(800.0)  # 100000 JPY / 100 x 0.8
    per_eur = fx.read_rates("per_eur.csv", b"currency,year,per_eur\nJPY,2023,125\n")
    ws.set_currency(user_rates=per_eur)  # a rate per the reporting currency is used directly
    assert ws.con.execute("SELECT amount FROM opportunities WHERE opportunity_id = 'D4'").fetchall() == [(800.0,)]


def test_bundled_rates_are_the_federal_reserve_annual_averages_with_their_source():
    frame = pd.read_csv(fx.BUNDLED_FILE)
    assert {"EUR", "GBP", "JPY", "CAD", "AUD", "CHF"} <= set(frame["currency"])
    assert frame["url"].str.startswith("https://federalreserve.gov/releases/g5a/").all()
    assert all(str(row.published_figure) in row.quote for row in frame.itertuples())
    euro = frame[(frame["currency"] == "EUR") & (frame["year"] == 2023)].iloc[0]
    assert euro["published_figure"] == 1.0817 and euro["published_as"] == "U.S. dollars per currency unit"
    ws = Workspace(duckdb.connect())
    ws.add("deals.csv", b"Opportunity ID,Stage,Amount,Currency,Close Date\nA,Closed Won,1000,EUR,2023-05-01\n")
    assert ws.con.execute("SELECT amount FROM opportunities").fetchall()[0][0] == pytest.approx(1081.7)
    ws.add("deals.csv", b"Opportunity ID,Stage,Amount,Currency,Close Date\nA,Closed Won,1000,JPY,2025-05-01\n")
    assert ws.con.execute("SELECT amount FROM opportunities").fetchall()[0][0] == pytest.approx(1000 / 140.5001)
    message = next(p.message for p in ws.files[0].problems if "converted" in p.message)
    assert "JPY 2025 at 2023" in message and "Federal Reserve G.5A" in message


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"currency,year,per_usd\nEUR,2023,abc\n", "rates.csv, row 2, column per_usd: 'abc' is not a number above 0."),
        (b"currency,year,per_usd\nEUR,2023,0.9\nEuro,2023,0.9\n", "rates.csv, row 3, column currency: 'Euro' is not"),
        (b"currency,year,per_usd\nEUR,20x3,0.9\n", "rates.csv, row 2, column year: '20x3' is not a year"),
        (b"currency,when,per_usd\nEUR,2023,0.9\n", "rates.csv: a rates file needs the columns currency, year"),
    ],
)
def test_a_bad_rates_file_names_its_row_and_column(data, said):
    with pytest.raises(fx.RatesError) as raised:
        fx.read_rates("rates.csv", data)
    assert str(raised.value).startswith(said)


def test_rates_by_date_are_averaged_per_year():
    rates = fx.read_rates("daily.csv", b"Currency,Date,Rate\nchf,2023-01-02,0.9\nCHF,2023-12-29,0.8\n")
    (rate,) = rates.entries.values()
    assert (rate.currency, rate.year, rate.base, rate.units) == ("CHF", 2023, "USD", pytest.approx(0.85))


def test_the_report_is_a_temp_table_and_not_a_canonical_one():
    ws = workspace()
    ws.add("deals.csv", DEALS)
    assert explore.canonical_tables(ws.con) == ["opportunities"]
    report = fx.read_report(ws.con)
    jpy = report[report["currency"] == "JPY"].iloc[0]
    assert (jpy["rows"], jpy["amount"], bool(jpy["converted"])) == (2, 300000.0, False)
    ws.remove(ws.files[0].file_id)
    assert fx.read_report(ws.con).empty  # nothing left to report


def test_cli_rates_option(tmp_path, capsys):
    (tmp_path / "deals.csv").write_bytes(DEALS.replace(b"JPY", b"PLN"))  # no bundled rate for the zloty
    payload = run(capsys, "metrics", str(tmp_path / "deals.csv"), "--json")
    funnel = next(item for item in payload["metrics"] if item["id"] == "funnel_value")
    assert not funnel["available"] and "Amounts in PLN (2 deals)" in funnel["missing"][0]
    (tmp_path / "rates.csv").write_bytes(b"currency,year,per_usd\nPLN,2023,4\nEUR,2023,0.8\nGBP,2022,0.75\n")
    payload = run(capsys, "metrics", str(tmp_path / "deals.csv"), "--rates", str(tmp_path / "rates.csv"), "--json")
    funnel = next(item for item in payload["metrics"] if item["id"] == "funnel_value")
    # open: 500 + 400/0.8 + 200000/4 = 51000, weighted 0.5
    assert funnel["available"] and funnel["value"] == 25500.0
    (tmp_path / "bad.csv").write_bytes(b"currency,year,per_usd\nPLN,2023,-4\n")
    assert main(["inspect", str(tmp_path / "deals.csv"), "--rates", str(tmp_path / "bad.csv")]) == 2
    assert "bad.csv, row 2, column per_usd" in capsys.readouterr().err


def run(capsys, *argv) -> dict:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_currencies_spelled_out_are_loaded_as_their_codes_and_converted():
    spelled = (
        DEALS.replace(b",USD,", b",US Dollar,").replace(b",EUR,", b",Euro,").replace(b",GBP,", b",Pound Sterling,")
    )
    ws = workspace()
    ws.add("deals.csv", spelled.replace(b",JPY,", b",Dollar,"))  # a bare 'dollar' names no one currency
    assert ws.con.execute("SELECT opportunity_id, amount, currency FROM opportunities ORDER BY 1").fetchall() == [
        ("D1", 1000.0, "USD"),
        ("D2", 2500.0, "USD"),  # 2000 euros / 0.8
        ("D3", 4000.0, "USD"),  # 3000 pounds / 0.75 (2022)
        ("D4", None, "Dollar"),  # no currency code, no rate: loaded as written, with no converted amount
        ("D5", 500.0, "USD"),
        ("D6", 500.0, "USD"),
        ("D7", None, "Dollar"),
        ("D8", 875.0, "USD"),
    ]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("$1,234.00", "$"),
        ("1.234,56 €", "€"),
        ("12 USD", "USD"),
        ("usd 5", "USD"),
        ("CAD", "CAD"),
        ("1234", None),
        ("-12.5", None),
        ("1e5", None),
        ("inf", None),
        ("NaN", None),
        ("1_000", None),
        ("12 CADS", None),
        (None, None),
    ],
)
def test_the_currency_a_money_text_names(text, named):
    """Plain numbers (as DuckDB reads them, `inf` and `1e5` too) name no currency; a sign or a code does."""
    assert duckdb.connect().execute(f"SELECT {currency_symbol_sql('$1::VARCHAR')}", [text]).fetchone()[0] == named
