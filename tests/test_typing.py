"""Typing raw text into canonical values: each quirk of real exports, with the exact value expected."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from core.imports.casting import ParseOptions, decide_decimal, typed_column


def typed(values: list[str | None], duck_type: str, options: ParseOptions | None = None, **kwargs):
    """Values of a one-column raw table read as `duck_type`, and the note (doubt) the typing raised."""
    con = duckdb.connect()
    con.execute('CREATE TABLE raw ("Value" VARCHAR, _line BIGINT)')
    con.executemany("INSERT INTO raw VALUES (?, ?)", [(value, line) for line, value in enumerate(values)])
    column = typed_column(con, "raw", "Value", duck_type, options, **kwargs)
    rows = con.execute(f"SELECT {column.sql} FROM raw ORDER BY _line").fetchall()
    return [value for (value,) in rows], column.note


D = datetime


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["2024-03-05", "2024-03-05 14:30:00"], [D(2024, 3, 5), D(2024, 3, 5, 14, 30)]),
        (["2023-11-03T11:00:13Z", "2025-12-19 13:51"], [D(2023, 11, 3, 11, 0, 13), D(2025, 12, 19, 13, 51)]),
        (["5/13/2025 6:32 PM", "1/2/2025 11:05 AM"], [D(2025, 5, 13, 18, 32), D(2025, 1, 2, 11, 5)]),
        (["13/01/2024", "02/03/2024"], [D(2024, 1, 13), D(2024, 3, 2)]),  # day-first, decided by 13
        (["03/01/19", "13/01/19"], [D(2019, 1, 3), D(2019, 1, 13)]),  # Superstore: two-digit years, day-first
        (["2018.02.01", "01.02.2018", "13.02.2018"], [D(2018, 2, 1), D(2018, 2, 1), D(2018, 2, 13)]),
        (["31-08-2023", "01-08-2023"], [D(2023, 8, 31), D(2023, 8, 1)]),
        (["Jan 2024", "Feb 2024", "March 2024"], [D(2024, 1, 1), D(2024, 2, 1), D(2024, 3, 1)]),
        (["1700000000", "1600000000"], [D(2023, 11, 14, 22, 13, 20), D(2020, 9, 13, 12, 26, 40)]),
        (  # an API export's offsets (Close, Stripe): read as UTC
            ["2024-05-15T12:36:48.000000+00:00", "2024-05-16T08:00:01.5+02:00"],
            [D(2024, 5, 15, 12, 36, 48), D(2024, 5, 16, 6, 0, 1, 500000)],
        ),
        (["", " ", "N/A", "null", "\\N", "-", None, "2024-01-02"], [None] * 7 + [D(2024, 1, 2)]),
        (["30-34", "2024-01-02"], [None, D(2024, 1, 2)]),  # an age band is not a date
    ],
)
def test_dates(values, expected):
    assert typed(values, "TIMESTAMP")[0] == expected


def test_ambiguous_dates_are_read_month_first_and_flagged():
    values, note = typed(["03/01/2019", "04/05/2019"], "TIMESTAMP")
    assert values == [D(2019, 3, 1), D(2019, 4, 5)]
    assert "'Value' could be month-first or day-first; we read them as month-first" in note


def test_date_order_can_be_overridden():
    values, note = typed(["03/01/2019", "04/05/2019"], "TIMESTAMP", ParseOptions(date_order="dmy"))
    assert values == [D(2019, 1, 3), D(2019, 5, 4)]
    assert note is None


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["$1,234.50", "(1,234)", "€ 12", "USD 99.5", "£7", "1234-"], [1234.5, -1234.0, 12.0, 99.5, 7.0, -1234.0]),
        (["1.429999948", "62%", "1 234"], [1.429999948, 62.0, 1234.0]),  # float noise kept
        (["1.234,56", "12,5", "(3,00)", "1.000"], [1234.56, 12.5, -3.0, 1000.0]),  # decimal comma, decided
        (["abc", "12abc", "", "NA"], [None, None, None, None]),
    ],
)
def test_numbers(values, expected):
    assert typed(values, "DOUBLE")[0] == expected


def test_decimal_mark_can_be_overridden():
    assert typed(["1,234", "5,5"], "DOUBLE", ParseOptions(decimal=","))[0] == [1.234, 5.5]
    assert typed(["1,234"], "DOUBLE")[0] == [1234.0]


def test_decide_decimal():
    assert decide_decimal(["1.234,56"]) == ","
    assert decide_decimal(["1,234.56", "12,5"]) == "."
    assert decide_decimal(["1,234"]) == "."


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["62%", "5%"], [0.62, 0.05]),
        (["10", "90", "100"], [0.1, 0.9, 1.0]),  # Probability (%) on 0-100
        (["0.5", "0.25"], [0.5, 0.25]),  # already a share
    ],
)
def test_ratios(values, expected):
    assert typed(values, "DOUBLE", ratio=True)[0] == pytest.approx(expected)


def test_leading_number_of_a_survey_label():
    assert typed(["9 - Extremely likely", "10", "n/a"], "DOUBLE", leading_number=True)[0] == [9.0, 10.0, None]


def test_booleans():
    values = ["True", "TRUE", "Yes", "Y", "1", "x", "Won", "False", "No", "N", "0", "Lost", "maybe", ""]
    assert typed(values, "BOOLEAN")[0] == [True] * 7 + [False] * 5 + [None, None]


def test_text_is_trimmed_and_extra_null_tokens_apply():
    options = ParseOptions(null_tokens=("No internet service",))
    assert typed(["No internet service", " Yes ", "--"], "VARCHAR", options)[0] == [None, "Yes", None]


def test_short_values_that_start_with_a_digit_are_trimmed_and_a_digit_null_token_still_applies():
    values = ["0", "1 ", "42", " 7", "9x", "-", "N/A", ""]
    assert typed(values, "VARCHAR")[0] == ["0", "1", "42", "7", "9x", None, None, None]
    options = ParseOptions(null_tokens=("0",))  # a token that starts with a digit: every short value is matched
    assert typed(values, "VARCHAR", options)[0] == [None, "1", "42", "7", "9x", None, None, None]


def test_bad_parse_options_are_refused_with_the_choices():
    with pytest.raises(ValueError, match="date order must be one of auto, mdy, dmy, ymd"):
        ParseOptions(date_order="dym")
