"""Metric tables and query results as CSV and Excel that cannot run formulas when opened."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from core.share import exports

HOSTILE = pd.DataFrame(
    {
        "=cmd|' /C calc'!A0": ["=1+1", "+SUM(A1)", "-2+3", "@SUM(A1)", "\tx", "plain", "a=b"],
        "amount": [-5, 1, 2, 3, 4, 5, 6],
    }
)


def test_text_that_would_run_as_a_formula_gets_an_apostrophe_and_numbers_stay_numbers():
    safe = exports.neutralise(HOSTILE)
    assert list(safe.columns) == ["'=cmd|' /C calc'!A0", "amount"]
    assert safe.iloc[:, 0].tolist() == ["'=1+1", "'+SUM(A1)", "'-2+3", "'@SUM(A1)", "'\tx", "plain", "a=b"]
    assert safe["amount"].tolist() == [-5, 1, 2, 3, 4, 5, 6]
    assert HOSTILE.iloc[0, 0] == "=1+1"  # the caller's frame is untouched


def test_csv_has_a_byte_order_mark_and_neutralised_cells():
    data = exports.to_csv(HOSTILE)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False)
    assert back.iloc[0, 0] == "'=1+1" and back["amount"].tolist()[0] == -5


def test_excel_cells_are_text_not_formulas():
    book = openpyxl.load_workbook(io.BytesIO(exports.to_excel(HOSTILE, "A sheet name longer than thirty-one chars")))
    sheet = book.active
    assert sheet.title == "A sheet name longer than thirty"
    cell = sheet["A2"]
    assert cell.value == "'=1+1" and cell.data_type == "s"
    assert sheet["B2"].value == -5 and sheet["B2"].data_type == "n"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_excel_accepts_dates_with_a_time_zone():
    frame = pd.DataFrame({"when": pd.to_datetime(["2026-01-02 10:00"]).tz_localize("UTC"), "n": [1]})
    sheet = openpyxl.load_workbook(io.BytesIO(exports.to_excel(frame))).active
    assert sheet["A2"].value.isoformat() == "2026-01-02T10:00:00"


def test_excel_drops_control_characters_and_says_so():
    # A cell holding \x01 made openpyxl refuse the whole file, quoting the cell in the log (issue 19, attack 7).
    frame = pd.DataFrame({"source\x02": ["Web\x01secret-ctrl-value", "Events"], "n": [1, 2]})
    book = openpyxl.load_workbook(io.BytesIO(exports.to_excel(frame)))
    data = book["Data"]
    assert (data["A1"].value, data["A2"].value, data["A3"].value) == ("source", "Websecret-ctrl-value", "Events")
    assert book["Notes"]["A2"].value.startswith("2 cells held control characters")
    assert "Notes" not in openpyxl.load_workbook(io.BytesIO(exports.to_excel(frame.iloc[1:, 1:]))).sheetnames
