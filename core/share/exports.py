"""Tables as files a person can open safely: CSV and Excel with spreadsheet formulas neutralised.

A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return, which some spreadsheets skip before
reading a formula) is run as a formula when the file is opened in Excel, LibreOffice or Google Sheets. Text
from an upload can start that way, so such text cells get a leading apostrophe, which spreadsheets show as
plain text. Numbers are left alone: -5 is a number, not a formula.
"""

from __future__ import annotations

import io
import re

import pandas as pd

from core.formatting import counted

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_SHEET_NAME = 31  # Excel's own limit
# Control characters an .xlsx cannot hold (openpyxl refuses the whole file, quoting the cell in its error).
EXCEL_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise_text(value):
    """The value, with an apostrophe in front when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of the frame whose text cells and column names cannot run as formulas."""
    safe = frame.rename(columns=lambda name: neutralise_text(str(name)))
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]) and not pd.api.types.is_datetime64_any_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise_text)
    return safe


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel reads accents and currency symbols right."""
    return neutralise(frame).to_csv(index=False).encode("utf-8-sig")


def to_excel(frame: pd.DataFrame, sheet: str = "Data") -> bytes:
    """The table as .xlsx; control characters Excel cannot hold are removed, and a Notes sheet says how many."""
    buffer = io.BytesIO()
    safe, stripped = _without_control_characters(neutralise(frame))
    for column in safe.columns:  # Excel has no time zones
        if isinstance(safe[column].dtype, pd.DatetimeTZDtype):
            safe[column] = safe[column].dt.tz_localize(None)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe.to_excel(writer, sheet_name=sheet[:MAX_SHEET_NAME], index=False)
        if stripped:
            note = f"{counted(stripped, 'cell')} held control characters, which Excel cannot store; they were removed."
            pd.DataFrame({"Notes": [note]}).to_excel(writer, sheet_name="Notes", index=False)
    return buffer.getvalue()


def _without_control_characters(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The frame with control characters removed from text cells and column names, and how many cells had any."""
    stripped = 0

    def clean(value):
        nonlocal stripped
        if isinstance(value, str) and EXCEL_ILLEGAL.search(value):
            stripped += 1
            return EXCEL_ILLEGAL.sub("", value)
        return value

    safe = frame.rename(columns=lambda name: clean(str(name)))
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(clean)
    return safe, stripped
