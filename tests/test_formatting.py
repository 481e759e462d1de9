import pytest

from core.formatting import format_value, money


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
