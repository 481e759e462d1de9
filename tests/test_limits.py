"""A session's caps on files and tables: one more upload is refused with a message and nothing already loaded
is lost."""

from __future__ import annotations

import io

import duckdb
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from streamlit.testing.v1 import AppTest

from core.imports.reading import ReadError, read_upload

LEADS = b"Lead ID,Lead Source\nL-1,Events\nL-2,Web\n"
DEALS = b"Opportunity ID,Stage,Amount\nO-1,Closed Won,100\n"


def workbook(sheets: int) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for number in range(sheets):
        book.create_sheet(f"Leads {number}").append(["Lead ID", "Lead Source"])
        book[f"Leads {number}"].append([f"L-{number}", "Events"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def data_page() -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.run()
    at.switch_page("pages/data.py").run()
    return at


def exports_uploader(at: AppTest):
    """The Data page's uploader of exports (a new one, by key, after each batch it received is read)."""
    return next(uploader for uploader in at.file_uploader if uploader.label == "Upload exports")


def upload(at: AppTest, name: str, data: bytes) -> None:
    exports_uploader(at).set_value([(name, data, "text/csv")]).run()
    assert not at.exception, at.exception


def errors_shown(at: AppTest) -> list[str]:
    """Error messages as a person reads them (the Markdown escapes of user text removed)."""
    return [error.value.replace("\\", "") for error in at.error]


def sidebar_text(at: AppTest) -> str:
    return "\n".join(element.value for element in at.sidebar.markdown)


def test_one_file_more_than_the_cap_is_refused(monkeypatch, data_page):
    monkeypatch.setenv("GTM_MAX_FILES", "2")
    upload(data_page, "leads.csv", LEADS)
    upload(data_page, "deals.csv", DEALS)
    upload(data_page, "more_leads.csv", LEADS)
    assert errors_shown(data_page) == [
        "more_leads.csv: this session already holds 2 files, the most it can. Remove one first."
    ]
    assert "**2 files loaded**" in sidebar_text(data_page)
    upload(data_page, "leads.csv", LEADS)  # the same name again replaces: still allowed
    assert not data_page.error


def test_an_upload_bringing_too_many_tables_is_taken_back(monkeypatch, data_page):
    monkeypatch.setenv("GTM_MAX_TABLES", "3")
    upload(data_page, "deals.csv", DEALS)
    upload(data_page, "book.xlsx", workbook(3))
    assert errors_shown(data_page) == [
        "book.xlsx: it would bring this session to 4 tables, over the limit of 3. Remove some files, or upload "
        "fewer sheets or zip members."
    ]
    assert "**1 file loaded**" in sidebar_text(data_page)


# --- budgets judged before a file is loaded (core.imports.budget) ---------------------------------------------


def parquet(table: pa.Table, **options) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd", **options)
    return buffer.getvalue()


def repeated(text: str, rows: int) -> pa.DictionaryArray:
    """`text` on every row, held once (as the bomb holds it), so the test itself does not expand it."""
    return pa.DictionaryArray.from_arrays(pa.array([0] * rows, pa.int32()), pa.array([text]))


def tables_of(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]


def test_a_parquet_dictionary_bomb_is_refused_before_anything_is_loaded():
    """The issue's file: 20,000 rows of one 100,000-character text, dictionary-encoded (2 GB once read)."""
    bomb = parquet(pa.table({"lead_id": range(20_000), "notes": repeated("x" * 100_000, 20_000)}))
    assert len(bomb) < 100_000
    con = duckdb.connect()
    with pytest.raises(ReadError) as refused:
        read_upload(con, "notes.parquet", bomb)
    assert str(refused.value) == (
        "notes.parquet: it would unpack to 1,908 MB, over the 200 MB limit. Split the export into smaller files."
    )  # 20,000 × 100,000 bytes of text + 20,000 × (8 + 4) bytes of ids and dictionary indices
    assert tables_of(con) == []


def test_a_dictionary_bomb_inside_lists_and_structs_is_measured_too():
    rows = 2_000
    tags = pa.ListArray.from_arrays(
        pa.array(range(0, 10 * rows + 1, 10), pa.int32()), repeated("y" * 10_000, 10 * rows)
    )
    person = pa.StructArray.from_arrays([repeated("z" * 50_000, rows)], names=["name"])
    values = pa.table({"tags": tags, "person": person})
    con = duckdb.connect()
    with pytest.raises(ReadError, match=r"unpack to 2\d\d MB, over the 200 MB limit"):
        read_upload(con, "nested.parquet", parquet(values))  # 200 MB of tags + 100 MB of names
    assert tables_of(con) == []


def test_a_parquet_file_within_the_budget_is_read_whole():
    con = duckdb.connect()
    (table,) = read_upload(con, "leads.parquet", parquet(pa.table({"lead_id": ["L1", "L2"], "source": ["Web"] * 2})))
    assert con.execute(f"SELECT lead_id, source, _line FROM {table.table} ORDER BY _line").fetchall() == [
        ("L1", "Web", 1),
        ("L2", "Web", 2),
    ]


def test_a_damaged_parquet_footer_is_a_message():
    with pytest.raises(ReadError, match="^leads.parquet: the Parquet file's footer is damaged"):
        read_upload(duckdb.connect(), "leads.parquet", b"PAR1" + b"\x00" * 100 + b"PAR1")


def test_too_many_columns_are_refused_before_reading():
    header = ",".join(f"c{number}" for number in range(50_000))
    con = duckdb.connect()
    with pytest.raises(ReadError) as refused:
        read_upload(con, "wide.csv", (header + "\n" + "1," * 49_999 + "1\n").encode())
    assert str(refused.value) == (  # the first 262,144 characters of the header hold 39,037 of its names
        "wide.csv: it has at least 39,037 columns, more than the 10,000 a table may have. Export only the columns "
        "you need."
    )
    assert tables_of(con) == []
    wide = pa.table({f"c{number}": [1] for number in range(10_001)})
    with pytest.raises(ReadError, match="^wide.parquet: it has 10,001 columns, more than the 10,000"):
        read_upload(con, "wide.parquet", parquet(wide))


def declared(book: bytes, sizes: dict[str, str]) -> bytes:
    """The workbook with each named sheet part's declared size (its `dimension`) replaced, cells unchanged."""
    import re
    import zipfile

    source, out = zipfile.ZipFile(io.BytesIO(book)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename in sizes:
                data = re.sub(
                    rb'<dimension ref="[^"]*"', b'<dimension ref="%s"' % sizes[member.filename].encode(), data
                )
            target.writestr(member, data)
    return out.getvalue()


def test_a_sheet_declaring_more_cells_than_the_budget_is_refused_before_any_sheet_is_read(monkeypatch):
    """Two sheets of 2 rows × 2 columns; the second declares 2 × 5,000 rows: with a budget of 10,000 cells per
    sheet, the book is refused by the second sheet's declared size and the first is not loaded either."""
    monkeypatch.setenv("GTM_MAX_SHEET_CELLS", "10000")
    book = workbook(2)
    con = duckdb.connect()
    assert [table.rows_loaded for table in read_upload(con, "leads.xlsx", book)] == [1, 1]
    con = duckdb.connect()
    with pytest.raises(ReadError) as refused:
        read_upload(con, "leads.xlsx", declared(book, {"xl/worksheets/sheet2.xml": "A1:B5001"}))
    assert str(refused.value) == (
        "leads.xlsx › Leads 1: its size says 5,001 rows × 2 columns, that is 10,002 cells, more than the 10,000 a "
        "sheet may have. Keep only the rows and columns you need (empty cells with formatting count too) or save the "
        "sheet as CSV, and upload it again."
    )
    assert tables_of(con) == []
    monkeypatch.setenv("GTM_MAX_COLUMNS", "20")
    with pytest.raises(ReadError, match=r"^leads\.xlsx › Leads 0: its size says it has 26 columns, more than the 20"):
        read_upload(con, "leads.xlsx", declared(book, {"xl/worksheets/sheet1.xml": "A1:Z2"}))


def test_a_sheet_with_more_cells_than_it_declares_is_refused_as_it_is_read(monkeypatch):
    """A sheet that declares A1:B2 but holds 3 rows: counted as read, it passes a budget of 5 cells on its third
    row, and the sheet read before it is dropped."""
    monkeypatch.setenv("GTM_MAX_SHEET_CELLS", "5")
    book = openpyxl.Workbook()
    book.active.append(["Lead ID", "Lead Source"])
    book.create_sheet("More").append(["Lead ID", "Lead Source"])
    for row in (["L-1", "Events"], ["L-2", "Web"]):
        book["More"].append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    con = duckdb.connect()
    small = declared(buffer.getvalue(), {"xl/worksheets/sheet2.xml": "A1:B2"})
    with pytest.raises(ReadError, match=r"^book\.xlsx › More: it has at least 6 cells, more than the 5 a sheet"):
        read_upload(con, "book.xlsx", small)
    assert tables_of(con) == []
    monkeypatch.setenv("GTM_MAX_SHEET_CELLS", "6")  # within the budget, every row is read, not only the declared
    assert [(table.source, table.rows_loaded) for table in read_upload(con, "book.xlsx", small)] == [
        ("book.xlsx › Sheet", 0),
        ("book.xlsx › More", 2),
    ]


def test_a_small_upload_never_waits_behind_large_ones():
    from core.resources import SMALL_UPLOAD_BYTES, reading_turn

    large = reading_turn(SMALL_UPLOAD_BYTES + 1)
    held = 0
    while large.acquire(blocking=False):  # every large upload's turn taken, as by visitors reading big files
        held += 1
    try:
        assert held == 2  # uploads_at_once
        small = reading_turn(SMALL_UPLOAD_BYTES)
        assert small.acquire(blocking=False)
        small.release()
    finally:
        for _ in range(held):
            large.release()
