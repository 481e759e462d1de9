"""Awkward and hostile exports for the reader, built on the fly (no binary files in the repository).

`build(name)` returns the bytes of one corpus file; `write_corpus(directory)` writes them all and returns their
paths by name. Each file is named after the quirk it carries; tests/test_reading.py holds what each must give.
"""

from __future__ import annotations

import codecs
import datetime
import io
import random
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq

HOSTILE_NAME = '../../etc/passwd"; DROP TABLE x; --.csv'


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _parquet() -> bytes:
    table = pa.table({"deal_id": ["D1", "D2"], "amount": [1200.5, None], "won": [True, False]})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def _excel_zip_bomb() -> bytes:
    """A workbook whose sheet is 60 MB of one repeated byte: a few hundred KB compressed."""
    return _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"<" * (60 * 1024 * 1024),
        }
    )


def _salesforce_report() -> bytes:
    rows = ['"Opportunity Name","Amount","Stage"', '"Acme, Inc.","1200","Closed Won"', '"Globex","800","Prospecting"']
    rows += ['"Initech","50","Closed Lost"', '""', '"Confidential Information - Do Not Distribute"']
    rows += ['"Copyright (c) 2000-2024 salesforce.com, inc. All rights reserved."']
    return ("\r\n".join(rows) + "\r\n").encode()


def _quickbooks_report() -> bytes:
    text = (
        "Acme Manufacturing Inc.\n"
        "General Ledger\n"
        '"January 1 - December 31, 2023"\n'
        "\n"
        "Date,Transaction Type,Num,Name,Memo,Account,Amount\n"
        '01/05/2023,Expense,101,ADP,Payroll,6010 · Salaries,"12,000.00"\n'
        '02/05/2023,Expense,102,ADP,Payroll,6010 · Salaries,"12,500.00"\n'
        'Total 6010 · Salaries,,,,,,"24,500.00"\n'
        "03/01/2023,Bill,103,Google,Ads,6200 · Advertising,900.00\n"
        "Total 6200 · Advertising,,,,,,900.00\n"
        'TOTAL,,,,,,"25,400.00"\n'
    )
    return text.encode()


def _qualtrics() -> bytes:
    text = (
        "StartDate,EndDate,ResponseId,Q1\n"
        'Start Date,End Date,Response ID,"How likely are you to recommend us to a friend, 0-10?"\n'
        '"{""ImportId"":""startDate""}","{""ImportId"":""endDate""}","{""ImportId"":""_recordId""}",'
        '"{""ImportId"":""QID1""}"\n'
        "2024-01-02 10:00:00,2024-01-02 10:05:00,R_1abc,9\n"
        "2024-01-03 11:00:00,2024-01-03 11:02:00,R_2def,6\n"
    )
    return text.encode()


def _large_report(rows: int, footer: bool, ragged_line: int | None = None) -> bytes:
    """A CSV of a few hundred KB (big enough for DuckDB's parser) with an optional footer and one long row."""
    lines = ["deal_id,owner,amount,stage"]
    for number in range(1, rows + 1):
        lines.append(f'D{number:06d},"Owner {number % 17}, EMEA",{number * 10},Won')
    if ragged_line:
        lines[ragged_line - 1] = "D999999,Someone,5,Won,unexpected"
    if footer:
        lines += ['""', '"Confidential Information - Do Not Distribute"', '"Grand Totals (5 records)"']
    return ("\r\n".join(lines) + "\r\n").encode()


CORPUS: dict[str, Callable[[], bytes]] = {
    "empty.csv": lambda: b"",
    "header_only.csv": lambda: b"id,name,amount\n",
    "whitespace_only.csv": lambda: b"   \n\t\n  \r\n",
    "binary_junk.csv": lambda: random.Random(7).randbytes(4000),
    "png_named.csv": lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    "gzip_named.csv": lambda: b"\x1f\x8b\x08\x00" + bytes(100),
    "old_excel.xls": lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500),
    "one_column.csv": lambda: b"email\na@example.com\nb@example.com\n",
    "ten_thousand_columns.csv": lambda: (
        ",".join(f"c{i}" for i in range(10_000)) + "\n" + ",".join(str(i) for i in range(10_000)) + "\n"
    ).encode(),
    "very_long_line.csv": lambda: b"id,notes\n1," + b"x" * (5 * 1024 * 1024) + b"\n2,short\n",
    "excel_zip_bomb.xlsx": _excel_zip_bomb,
    "zip_in_zip.zip": lambda: _zip(
        {
            "inner.zip": _zip({"leads.csv": b"lead_id,source\nL1,Web\nL2,Event\n"}),
            "__MACOSX/._leads.csv": b"\x00\x05\x16\x07junk",
            ".DS_Store": b"\x00\x00\x00\x01Bud1",
        }
    ),
    "zip_with_bad_member.zip": lambda: _zip(
        {"deals.csv": b"deal_id\nD1\n", "logo.png": b"\x89PNG\r\n\x1a\nxx", "../escape.csv": b"a,b\n1,2\n"}
    ),
    "empty.zip": lambda: _zip({}),
    HOSTILE_NAME: lambda: b"id,name\n1,Robert'); DROP TABLE students;--\n",
    "duplicate_and_blank_headers.csv": lambda: b"Amount,,Amount, amount ,_line\n1,2,3,4,5\n",
    "latin1.csv": lambda: "name,city\nJosé,Straße\nRenée,Köln\n".encode("latin-1"),
    "excel_unicode_text.txt": lambda: (
        codecs.BOM_UTF16_LE + "Name\tCity\tAmount\r\nJosé\tMünchen\t12,5\r\nZoë\tŁódź\t3\r\n".encode("utf-16-le")
    ),
    "utf16_no_bom.csv": lambda: "id,name\n1,Ana\n2,Bo\n".encode("utf-16-le"),
    "german_excel.csv": lambda: (
        "Name;Betrag;Datum\nMüller GmbH;1.234,56;01.02.2023\nSchmidt AG;99,5;15.03.2023\n".encode("cp1252")
    ),
    "pipe.txt": lambda: b"id|name|amount\n1|Ann|10\n2|Bob|20\n",
    "tab.tsv": lambda: b"id\tname\n1\tAnn Lee\n2\tBob\n",
    "qualtrics.csv": _qualtrics,
    "salesforce_report.csv": _salesforce_report,
    "quickbooks_report.csv": _quickbooks_report,
    "embedded_newlines.csv": lambda: b'id,comment\n1,"line one\nline two"\n2,"she said ""hi"""\n3,plain\n',
    "ragged.csv": lambda: b"a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12,,\n13,14,15\n",
    "nul_bytes.csv": lambda: b"a,b\n1,x\x00y\n2,z\n",
    "cr_only.csv": lambda: b"a,b\r1,2\r3,4\r",
    "no_final_newline.csv": lambda: b"a,b\n1,2\n3,4",
    "bom_crlf.csv": lambda: codecs.BOM_UTF8 + b"Order ID,Sales\r\nCA-1,16.5\r\nCA-2,3\r\n",
    "blank_rows.csv": lambda: b"a,b\n1,2\n\n,\n  ,  \n3,4\n",
    "lone_space_value.csv": lambda: b"id,TotalCharges\n1, \n2,29.85\n",
    "semicolon_quoted.csv": lambda: b'id;note\n1;"a;b"\n2;"c"\n',
    "title_lines.csv": lambda: b"Pipeline report\nRun by Jane on 2024-02-01\nid,stage,amount\n1,Won,10\n2,Lost,0\n",
    "unclosed_quote.csv": lambda: b'a,b\n1,"never closed\n2,3\n',
    "workbook.xlsx": lambda: _workbook(
        {
            "Deals": [
                ["Deal", "Amount", "Close", "Won", None],
                ["D1", 1200.0, datetime.datetime(2024, 1, 31), True],
                ["D2", 7.25],
            ],
            "Empty": [],
            "Report": [["Sales report"], [], ["Rep", "Quota"], ["Ann", 100000], ["Total", 100000]],
        }
    ),
    "deals.parquet": _parquet,
    "large_with_footer.csv": lambda: _large_report(12_000, footer=True),
    "large_ragged.csv": lambda: _large_report(12_000, footer=False, ragged_line=5000),
}


def build(name: str) -> bytes:
    return CORPUS[name]()


def write_corpus(directory: Path) -> dict[str, Path]:
    """Write every corpus file into `directory` (hostile names are stored under a safe file name)."""
    paths = {}
    for number, name in enumerate(CORPUS):
        safe_name = Path(name).name.replace('"', "_")
        path = directory / f"{number:02d}_{safe_name}"
        path.write_bytes(build(name))
        paths[name] = path
    return paths
