"""The view's URL parameters: periods counted back from the data, links checked, share links written."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

from core import view
from core.metrics.engine import Period

AS_OF = dt.date(2026, 10, 31)


def test_periods_count_back_from_the_latest_date_in_the_data():
    assert view.period_for("all", AS_OF) == Period()
    assert view.period_for("12m", AS_OF) == Period(dt.date(2025, 11, 1), AS_OF)
    assert view.period_for("3m", AS_OF) == Period(dt.date(2026, 8, 1), AS_OF)
    assert view.period_for("ytd", AS_OF) == Period(dt.date(2026, 1, 1), AS_OF)
    assert view.period_for("custom", AS_OF, dt.date(2025, 2, 3), None) == Period(dt.date(2025, 2, 3), None)
    assert view.period_for("12m", None) == Period()  # no dates in the data: nothing to count back from
    assert view.describe_period(Period(dt.date(2025, 2, 3), None)) == "2025-02-03 to the latest date"


def test_a_link_keeps_known_values_and_names_the_dropped_ones():
    checked = view.check_link(
        {"m": ["close_ratio", "no_such_metric"], "f_source": ["Webinar"], "period": ["12m"], "utm": ["x"]},
        {"m": view.metric_options(), "f_source": ["Events", "Paid Search"], "period": list(view.PERIODS)},
    )
    assert checked.values == {"m": ["close_ratio"], "period": ["12m"]}
    assert checked.dropped == ["metric: “no\\_such\\_metric”", "lead source: “Webinar”"]


def test_a_dropped_link_value_is_named_as_text_not_markdown():
    # An image and a phishing link typed into a link: quoted with every Markdown sign escaped, and cut at 60
    # characters, the last an ellipsis.
    payload = "![b](http://host/beacon.png) [Session expired](https://evil.example/login)"
    checked = view.check_link({"f_source": [payload]}, {"f_source": ["Events"]})
    [dropped] = checked.dropped
    assert (
        dropped
        == "lead source: “\\!\\[b\\](http\\:\u2060//host/beacon.png) \\[Session expired\\](https\\:\u2060//evil…”"
    )
    assert re.search(r"(?<!\\)\]\(|(?<!\\)!\[|https?://", dropped) is None  # no unescaped link, image or URL


def test_share_url_carries_only_what_differs_from_the_defaults():
    url = view.share_url(
        "http://localhost:8501/metrics?old=1",
        {"m": ["close_ratio", "nps"], "period": "all", "f_source": ["Paid Search"], "to": dt.date(2026, 1, 31)},
        {"m": list(view.DEFAULT_METRICS), "period": "all"},
    )
    parts = urlsplit(url)
    assert (parts.netloc, parts.path) == ("localhost:8501", "/metrics")
    assert parse_qs(parts.query) == {"m": ["close_ratio", "nps"], "f_source": ["Paid Search"], "to": ["2026-01-31"]}
    assert view.share_url(None, {"period": "12m"}, {}) == "?period=12m"


def test_a_link_copied_from_the_address_bar_names_metrics_and_period_by_their_labels():
    checked = view.check_link(
        {"m": ["Net Promoter Score (Retention)", "close_ratio", "Bogus (Closing)"], "period": ["Last 12 months"]},
        {"m": view.metric_options(), "period": list(view.PERIODS)},
        view.link_aliases(),
    )
    assert checked.values == {"m": ["nps", "close_ratio"], "period": ["12m"]}
    assert checked.dropped == ["metric: “Bogus (Closing)”"]
