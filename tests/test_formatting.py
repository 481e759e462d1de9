import pytest

from core.formatting import counted, format_value, literal, money, shortened


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (0.2534, "ratio", "25.3%"),
        (84.4, "days", "84 days"),
        (3.96, "ratio_to_1", "4.0 : 1"),
        (52_000.0, "currency_per_head", "$52.0K"),
        (1_234_567.0, "currency", "$1.2M"),
        (45.0, "minutes", "45 min"),
        (150.0, "minutes", "2.5 h"),
        (32.0, "score", "32"),
        (40123.0, "count", "40,123"),
        (None, "ratio", "—"),
        (float("nan"), "days", "—"),
    ],
)
def test_format_value_by_unit(value, unit, expected):
    assert format_value(value, unit) == expected


def test_money_handles_negatives_and_other_currencies():
    assert money(-2_500.0) == "-$2.5K"
    assert money(950.0, "EUR") == "€950"
    assert money(10.0, "CHF") == "CHF 10"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my_leads.csv", "my\\_leads.csv"),
        ("# Q3 deals", "\\# Q3 deals"),
        ("1. draft", "1\\. draft"),
        ("- x", "\\- x"),
        ("[click](http://evil)", "\\[click\\](http\\:\u2060//evil)"),
        ("www.evil.com leads.csv", "www\u2060.evil.com leads.csv"),
        ("WWW.EVIL.COM", "WWW\u2060.EVIL.COM"),
        ("me@evil.com.csv", "me@\u2060evil.com.csv"),
        (":red[alert] $x$ **b**", "\\:red\\[alert\\] \\$x\\$ \\*\\*b\\*\\*"),
        ("<img src=x>", "\\<img src=x\\>"),
        ("two\nlines", "two lines"),
        ("Q3 2025 - final.csv", "Q3 2025 - final.csv"),
    ],
)
def test_literal_escapes_user_text_for_markdown(text, expected):
    assert literal(text) == expected


def test_shortened_text_ends_in_an_ellipsis_only_when_cut():
    assert shortened("Paid Search", 11) == "Paid Search"
    assert shortened("Paid Search", 10) == "Paid Sear…"
    assert len(shortened("x" * 500, 60)) == 60


def test_a_count_of_one_takes_the_singular():
    assert counted(1, "row") == "1 row"
    assert counted(0, "row") == "0 rows"
    assert counted(1204, "row") == "1,204 rows"
