"""How a metric value reads to a person, by unit. One place, used by pages, reports and the CLI's text mode."""

from __future__ import annotations

import math
import re

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CAD": "CA$", "AUD": "A$"}
MONEY_UNITS = ("currency", "currency_per_head")


def currency_symbol(currency: str) -> str:
    """`€` for EUR; the ISO code itself for a currency without a symbol here (`CHF`)."""
    return CURRENCY_SYMBOLS.get(currency, currency)


def currency_prefix(currency: str) -> str:
    """What stands before an amount: `€` (`€1,200`), or the ISO code and a space (`CHF 1,200`)."""
    return CURRENCY_SYMBOLS.get(currency, f"{currency} ")


def money(value: float, currency: str = "USD") -> str:
    symbol = currency_prefix(currency)
    sign = "-" if value < 0 else ""
    value = abs(value)
    for threshold, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if value >= threshold:
            return f"{sign}{symbol}{value / threshold:.1f}{suffix}"
    return f"{sign}{symbol}{value:,.0f}"


def format_value(value: float | None, unit: str, currency: str = "USD") -> str:
    """`0.253, "ratio"` → `25.3%`; `84.0, "days"` → `84 days`; None → `—`."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == "ratio":
        return f"{value:.1%}" if abs(value) < 10 else f"{value:,.0%}"
    if unit in MONEY_UNITS:
        return money(value, currency)
    if unit == "days":
        return f"{value:,.0f} days"
    if unit == "minutes":
        return f"{value / 60:,.1f} h" if value >= 120 else f"{value:,.0f} min"
    if unit == "ratio_to_1":
        return f"{value:,.1f} : 1"
    if unit == "score":
        return f"{value:,.0f}"
    if unit == "count":
        return f"{value:,.0f}"
    return f"{value:,.2f}"


MARKDOWN_SPECIALS = set("\\`*_{}[]<>~$:|!")
LINE_START = re.compile(r"^(\s*)([#+=>-]|\d+(?=[.)]))")
WORD_JOINER = "\u2060"  # invisible; a bare URL or e-mail address split by it is no longer auto-linked
AUTOLINK_STARTS = re.compile(r"(?i)(?<=www)(?=\.)|(?<=:)(?=//)|(?<=@)")


def counted(n: int, noun: str) -> str:
    """`1 row`, `1,204 rows`: a count with its noun, singular for one."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def literal(text: object) -> str:
    """User-supplied text (a file name, a column, a value) escaped so Markdown shows it as typed: no links,
    emphasis, headings, lists, colour directives, icons or maths can come from it. Backslash escapes do not stop
    GitHub-style autolinks (`www.x.com`, `https://x.com`, `me@x.com`), so those get an invisible word joiner
    where the link would start."""
    unlinked = AUTOLINK_STARTS.sub(WORD_JOINER, str(text).replace("\n", " "))
    escaped = "".join("\\" + char if char in MARKDOWN_SPECIALS else char for char in unlinked)
    return LINE_START.sub(
        lambda m: m.group(1) + (m.group(2) + "\\" if m.group(2)[0].isdigit() else "\\" + m.group(2)), escaped
    )


def shortened(text: object, limit: int) -> str:
    """`text` cut to at most `limit` characters, its last one "…" when anything was cut, so a person can tell."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
