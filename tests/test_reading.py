"""The reader on a corpus of awkward and hostile exports (tests/corpus.py) and on the real exports."""

from __future__ import annotations

import codecs
from pathlib import Path

import duckdb
import pytest

from core.imports import budget, reading
from core.imports.reading import QUALTRICS_REASON, RawTable, ReadError, ReadOptions, read_upload
from tests.corpus import CORPUS, HOSTILE_NAME, build, write_corpus

REAL_EXPORTS = Path(__file__).resolve().parents[2] / "shared" / "real_exports"
FOOTER = reading.FOOTER_REASON


@pytest.fixture
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


def read(con, name: str, options: ReadOptions | None = None) -> list[RawTable]:
    tables = read_upload(con, name, build(name), options)
    for table in tables:
        assert table.rows_read == table.rows_loaded + len(table.rejected), table.source
        count = con.execute(f"SELECT count(*) FROM {table.table}").fetchall()[0][0]
        assert count == table.rows_loaded
        described = con.execute(f"DESCRIBE {table.table}").fetchall()
        assert [row[0] for row in described] == [*table.columns, "_line"]
        assert {row[1] for row in described[:-1]} <= {"VARCHAR"} and described[-1][1] == "BIGINT"
    return tables


def read_one(con, name: str, options: ReadOptions | None = None) -> RawTable:
    (table,) = read(con, name, options)
    return table


def rows(con, table: RawTable) -> list[tuple]:
    return con.execute(f"SELECT * FROM {table.table} ORDER BY _line").fetchall()


# --- refused files: a clear message naming the file and the problem -------------------------------------------

REFUSED = {
    "empty.csv": "the file is empty (0 bytes)",
    "whitespace_only.csv": "only blank space",
    "binary_junk.csv": "not a text table",
    "png_named.csv": "this is a PNG image, not a table",
    "gzip_named.csv": "this is a gzip archive",
    "old_excel.xls": "old Excel 97-2003 workbook (.xls)",
    "excel_zip_bomb.xlsx": "looks like a zip bomb",
    "empty.zip": "no table could be read from this zip",
}


@pytest.mark.parametrize("name", REFUSED)
def test_unreadable_files_get_a_message_naming_file_and_problem(con, name):
    with pytest.raises(ReadError) as caught:
        read_upload(con, name, build(name))
    assert str(caught.value).startswith(f"{name}: ")
    assert REFUSED[name] in str(caught.value)
    assert con.execute("SELECT count(*) FROM duckdb_tables()").fetchall()[0][0] == 0


def test_wrong_encoding_chosen_by_user_is_refused_with_its_name(con):
    with pytest.raises(ReadError, match=r"latin1.csv: the bytes cannot be read as utf-8 \(byte 14"):
        read_upload(con, "latin1.csv", build("latin1.csv"), ReadOptions(encoding="utf-8"))


def test_header_line_past_the_end_is_refused(con):
    with pytest.raises(ReadError, match="there is no line 40"):
        read_upload(con, "pipe.txt", build("pipe.txt"), ReadOptions(header_line=40))


def test_unsafe_table_prefix_is_refused(con):
    with pytest.raises(ValueError, match="table_prefix"):
        read_upload(con, "pipe.txt", build("pipe.txt"), table_prefix='x"; DROP TABLE y; --')


# --- shapes --------------------------------------------------------------------------------------------------


def test_header_only_gives_an_empty_table_with_its_columns(con):
    table = read_one(con, "header_only.csv")
    assert (table.columns, table.rows_read, table.rows_loaded) == (["id", "name", "amount"], 0, 0)


def test_one_column(con):
    table = read_one(con, "one_column.csv")
    assert table.columns == ["email"]
    assert rows(con, table) == [("a@example.com", 2), ("b@example.com", 3)]


def test_ten_thousand_columns(con):
    table = read_one(con, "ten_thousand_columns.csv")
    assert len(table.columns) == 10_000 and table.columns[-1] == "c9999"
    assert con.execute(f"SELECT c9999 FROM {table.table}").fetchall() == [("9999",)]


def test_very_long_line(con):
    table = read_one(con, "very_long_line.csv")
    assert con.execute(f"SELECT length(notes), _line FROM {table.table} ORDER BY _line").fetchall() == [
        (5 * 1024 * 1024, 2),
        (5, 3),
    ]


def test_duplicate_blank_and_reserved_headers_are_renamed(con):
    table = read_one(con, "duplicate_and_blank_headers.csv")
    assert table.columns == ["Amount", "column_2", "Amount (2)", "amount (3)", "_line (2)"]
    assert table.original_columns == ["Amount", "", "Amount", " amount ", "_line"]
    assert rows(con, table) == [("1", "2", "3", "4", "5", 2)]
    assert any("4 blank or repeated column names renamed" in note for note in table.notes)


def test_hostile_name_is_only_a_label(con):
    table = read_one(con, HOSTILE_NAME)
    assert table.source == HOSTILE_NAME and table.table == "raw_1"
    assert rows(con, table) == [("1", "Robert'); DROP TABLE students;--", 2)]


def test_table_names_are_unique_per_connection(con):
    first, second = read_one(con, "pipe.txt"), read_one(con, "pipe.txt")
    custom = read_upload(con, "pipe.txt", build("pipe.txt"), table_prefix="upload")[0]
    assert (first.table, second.table, custom.table) == ("raw_1", "raw_2", "upload_1")


# --- encodings, delimiters, line ends --------------------------------------------------------------------------


def test_latin1_is_read_as_windows_1252(con):
    table = read_one(con, "latin1.csv")
    assert table.encoding == "cp1252" and "Encoding detected as Windows-1252." in table.notes
    assert rows(con, table) == [("José", "Straße", 2), ("Renée", "Köln", 3)]


def test_excel_unicode_text_is_utf16_tab_separated(con):
    table = read_one(con, "excel_unicode_text.txt")
    assert (table.encoding, table.delimiter, table.columns) == ("utf-16", "\t", ["Name", "City", "Amount"])
    assert rows(con, table)[1] == ("Zoë", "Łódź", "3", 3)


def test_utf16_without_bom_is_detected_from_its_nul_pattern(con):
    table = read_one(con, "utf16_no_bom.csv")
    assert table.encoding == "utf-16-le" and rows(con, table) == [("1", "Ana", 2), ("2", "Bo", 3)]


def test_german_excel_semicolons_and_decimal_commas_stay_text(con):
    table = read_one(con, "german_excel.csv")
    assert table.delimiter == ";" and table.columns == ["Name", "Betrag", "Datum"]
    assert rows(con, table)[0] == ("Müller GmbH", "1.234,56", "01.02.2023", 2)


@pytest.mark.parametrize(("name", "delimiter"), [("pipe.txt", "|"), ("tab.tsv", "\t"), ("semicolon_quoted.csv", ";")])
def test_delimiter_detection(con, name, delimiter):
    table = read_one(con, name)
    assert table.delimiter == delimiter and table.rows_loaded == 2
    assert rows(con, table)[0][1] in {"Ann", "Ann Lee", "a;b"}


@pytest.mark.parametrize("name", ["cr_only.csv", "no_final_newline.csv"])
def test_line_ends(con, name):
    assert rows(con, read_one(con, name)) == [("1", "2", 2), ("3", "4", 3)]


def test_bom_and_crlf(con):
    table = read_one(con, "bom_crlf.csv")
    assert table.columns == ["Order ID", "Sales"] and table.encoding == "utf-8-sig"
    assert rows(con, table) == [("CA-1", "16.5", 2), ("CA-2", "3", 3)]


def test_nul_bytes_are_stripped_and_noted(con):
    table = read_one(con, "nul_bytes.csv")
    assert rows(con, table)[0] == ("1", "xy", 2) and "1 NUL bytes removed." in table.notes


def test_lone_space_is_kept_as_text(con):
    assert rows(con, read_one(con, "lone_space_value.csv"))[0] == ("1", " ", 2)


def test_embedded_newlines_and_doubled_quotes_keep_source_lines(con):
    table = read_one(con, "embedded_newlines.csv")
    assert rows(con, table) == [("1", "line one\nline two", 2), ("2", 'she said "hi"', 4), ("3", "plain", 5)]


def test_unclosed_quote_is_read_and_flagged(con):
    table = read_one(con, "unclosed_quote.csv")
    assert table.rows_loaded == 1
    assert any("never closed" in note and "line 2" in note for note in table.notes)


# --- rows that are not data -------------------------------------------------------------------------------------


def test_ragged_rows(con):
    table = read_one(con, "ragged.csv")
    assert [(r.line, r.reason, r.content) for r in table.rejected] == [
        (4, "has 4 fields where the header has 3", "6,7,8,9")
    ]
    assert rows(con, table) == [("1", "2", "3", 2), ("4", "5", None, 3), ("10", "11", "12", 5), ("13", "14", "15", 6)]
    assert (table.rows_read, table.rows_loaded) == (5, 4)
    assert any(note.startswith("1 row had fewer fields") for note in table.notes)


def test_a_board_exported_group_by_group_keeps_only_its_items(con):
    """monday.com's Excel export: each group of the board has a title row and the header again above its items;
    both are rejected with their reason, the items are loaded."""
    text = (
        "Deals;;\nActive;;\nName;Stage;Item ID\nAlpha;Proposal;101\nBeta;Demo;102\n;;\n"
        "Won;;\nName;Stage;Item ID\nGamma;Won;103\n"
    )
    (table,) = read_upload(con, "board.csv", text.encode())
    assert table.columns == ["Name", "Stage", "Item ID"]
    assert [r[:3] for r in rows(con, table)] == [("Alpha", "Proposal", "101"), ("Beta", "Demo", "102"),
                                                 ("Gamma", "Won", "103")]  # fmt: skip
    assert [(r.line, r.reason) for r in table.rejected] == [
        (6, "blank row"),
        (7, reading.GROUP_TITLE_REASON),
        (8, reading.HEADER_REPEAT_REASON),
    ]


def test_blank_rows_are_rejected(con):
    table = read_one(con, "blank_rows.csv")
    assert [(r.line, r.reason) for r in table.rejected] == [(3, "blank row"), (4, "blank row"), (5, "blank row")]
    assert rows(con, table) == [("1", "2", 2), ("3", "4", 6)]


def test_qualtrics_metadata_rows(con):
    table = read_one(con, "qualtrics.csv")
    assert [(r.line, r.reason) for r in table.rejected] == [(2, QUALTRICS_REASON), (3, QUALTRICS_REASON)]
    assert table.rejected[1].content.startswith('"{""ImportId""')
    assert [row[2:] for row in rows(con, table)] == [("R_1abc", "9", 4), ("R_2def", "6", 5)]


def test_salesforce_footer(con):
    table = read_one(con, "salesforce_report.csv")
    assert [(r.line, r.reason) for r in table.rejected] == [(5, FOOTER), (6, FOOTER), (7, FOOTER)]
    assert rows(con, table)[0] == ("Acme, Inc.", "1200", "Closed Won", 2)


def test_quickbooks_title_lines_and_total_rows(con):
    table = read_one(con, "quickbooks_report.csv")
    assert table.header_line == 5 and "Header found on line 5; 4 lines above it skipped." in table.notes
    assert [(r.line, r.reason) for r in table.rejected] == [(8, FOOTER), (10, FOOTER), (11, FOOTER)]
    assert [(row[5], row[6], row[7]) for row in rows(con, table)] == [
        ("6010 · Salaries", "12,000.00", 6),
        ("6010 · Salaries", "12,500.00", 7),
        ("6200 · Advertising", "900.00", 9),
    ]


def test_title_lines_above_header(con):
    table = read_one(con, "title_lines.csv")
    assert (table.header_line, table.columns) == (3, ["id", "stage", "amount"])
    assert rows(con, table) == [("1", "Won", "10", 4), ("2", "Lost", "0", 5)]


# --- options override detection --------------------------------------------------------------------------------


def test_delimiter_option_changes_the_columns(con):
    table = read_one(con, "pipe.txt", ReadOptions(delimiter=";"))
    assert table.delimiter == ";" and table.columns == ["id|name|amount"]
    assert rows(con, table)[0] == ("1|Ann|10", 2)
    assert "Delimiter set to semicolon by you." in table.notes


def test_encoding_option_changes_the_values(con):
    table = read_one(con, "excel_unicode_text.txt", ReadOptions(encoding="utf-16"))
    assert rows(con, table)[0][0] == "José"
    forced = read_upload(con, "x.csv", "name\nJosé\n".encode(), ReadOptions(encoding="cp1252"))[0]
    assert rows(con, forced) == [("JosÃ©", 2)]


def test_header_line_option_changes_the_header(con):
    table = read_one(con, "title_lines.csv", ReadOptions(header_line=2))
    assert table.header_line == 2 and table.columns == ["Run by Jane on 2024-02-01"]
    assert table.rows_read == 3


# --- Excel, Parquet, zip -----------------------------------------------------------------------------------------


def test_workbook_sheets(con):
    deals, report = read(con, "workbook.xlsx")
    assert (deals.source, deals.delimiter, deals.columns) == (
        "workbook.xlsx › Deals",
        None,
        ["Deal", "Amount", "Close", "Won"],
    )
    assert rows(con, deals) == [("D1", "1200", "2024-01-31", "TRUE", 2), ("D2", "7.25", None, None, 3)]
    assert (report.source, report.header_line, report.columns) == ("workbook.xlsx › Report", 3, ["Rep", "Quota"])
    assert rows(con, report) == [("Ann", "100000", 4)]
    assert [(r.line, r.reason) for r in report.rejected] == [(5, FOOTER)]


def test_parquet_values_become_text(con):
    table = read_one(con, "deals.parquet")
    assert table.columns == ["deal_id", "amount", "won"]
    assert rows(con, table) == [("D1", "1200.5", "true", 1), ("D2", None, "false", 2)]


def test_zip_in_zip_skips_mac_and_hidden_files(con):
    table = read_one(con, "zip_in_zip.zip")
    assert table.source == "zip_in_zip.zip › inner.zip › leads.csv"
    assert rows(con, table) == [("L1", "Web", 2), ("L2", "Event", 3)]


def test_zip_member_that_is_not_a_table_is_skipped_with_a_note(con):
    deals, escape = read(con, "zip_with_bad_member.zip")
    assert deals.source == "zip_with_bad_member.zip › deals.csv"
    assert escape.source == "zip_with_bad_member.zip › ../escape.csv" and escape.table == "raw_2"
    assert any("logo.png: this is a PNG image" in note for note in deals.notes)


# --- DuckDB's parser for large files agrees with the Python reader -----------------------------------------------


def test_large_file_with_footer_goes_through_duckdb(con):
    table = read_one(con, "large_with_footer.csv")
    assert (table.rows_read, table.rows_loaded) == (12_003, 12_000)
    assert [(r.line, r.reason) for r in table.rejected] == [(12_002, FOOTER), (12_003, FOOTER), (12_004, FOOTER)]
    assert con.execute(f"SELECT * FROM {table.table} WHERE _line = 12001").fetchall() == [
        ("D012000", "Owner 15, EMEA", "120000", "Won", 12_001)
    ]


def test_large_ragged_file_falls_back_to_python(con):
    table = read_one(con, "large_ragged.csv")
    assert [(r.line, r.reason) for r in table.rejected] == [(5000, "has 5 fields where the header has 4")]
    assert con.execute(f"SELECT deal_id FROM {table.table} WHERE _line = 5001").fetchall() == [("D005000",)]


TEXT_FILES = [name for name in CORPUS if name not in REFUSED and not name.endswith((".xlsx", ".parquet", ".zip"))]


@pytest.mark.parametrize("name", TEXT_FILES)
def test_duckdb_path_matches_python_path(con, monkeypatch, name):
    python_result = read(con, name)
    monkeypatch.setattr(reading, "FAST_PATH_MIN_BYTES", 0)
    monkeypatch.setattr(reading, "TAIL_LINES", 1)
    duckdb_result = read(con, name)
    for slow, fast in zip(python_result, duckdb_result, strict=True):
        assert (fast.columns, fast.rows_read, fast.rows_loaded) == (slow.columns, slow.rows_read, slow.rows_loaded)
        assert [(r.line, r.reason) for r in fast.rejected] == [(r.line, r.reason) for r in slow.rejected]
        assert rows(con, fast) == rows(con, slow)


@pytest.mark.parametrize(
    ("data", "line_feeds"),
    [
        (b"id,name\r\n1,Ana\r\n2,Ben\r\n", 3),  # a CRLF cut between two pieces
        ("id,name\n1,Zoooë\n2,Jürgen\n".encode(), 3),  # a two-byte character cut between two pieces
        (b"id,name\n1,Ana\r2,Ben\n", None),  # a lone CR
        (b"id,name\n1,Ana\n2,Ben\r", None),  # a lone CR as the last byte
        (b"id,name\n1,A\x00na\n", None),  # a NUL byte
        (b"id,name\n1,Jos\xe9\n", None),  # Latin-1, not UTF-8
        ("id,name\n1,Zoë".encode()[:-1], None),  # cut inside its last character
    ],
)
def test_one_pass_over_the_bytes_in_pieces(monkeypatch, data, line_feeds):
    monkeypatch.setattr(reading, "SCAN_BYTES", 5)
    assert reading._scan(data) == line_feeds


@pytest.mark.parametrize("name", TEXT_FILES)
def test_duckdb_path_scanned_in_small_pieces_matches_python_path(con, monkeypatch, name):
    python_result = read(con, name)
    monkeypatch.setattr(reading, "FAST_PATH_MIN_BYTES", 0)
    monkeypatch.setattr(reading, "TAIL_LINES", 1)
    monkeypatch.setattr(reading, "SCAN_BYTES", 7)
    duckdb_result = read(con, name)
    for slow, fast in zip(python_result, duckdb_result, strict=True):
        assert (fast.columns, fast.rows_read, fast.rows_loaded) == (slow.columns, slow.rows_read, slow.rows_loaded)
        assert [(r.line, r.reason) for r in fast.rejected] == [(r.line, r.reason) for r in slow.rejected]
        assert rows(con, fast) == rows(con, slow)


def test_corpus_has_forty_files_and_writes_to_disk(tmp_path):
    paths = write_corpus(tmp_path)
    assert len(paths) >= 40
    assert paths["header_only.csv"].read_bytes() == b"id,name,amount\n"
    assert all(path.parent == tmp_path for path in paths.values())


def test_temp_files_are_removed(con, tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "FAST_PATH_MIN_BYTES", 0)
    read_upload(con, "large_with_footer.csv", build("large_with_footer.csv"), tmp_dir=str(tmp_path))
    read_upload(con, "deals.parquet", build("deals.parquet"), tmp_dir=str(tmp_path))
    assert list(tmp_path.iterdir()) == []


# --- real exports ------------------------------------------------------------------------------------------------


def real_export(con, relative: str) -> RawTable:
    if not REAL_EXPORTS.is_dir():
        pytest.skip(f"real exports not found at {REAL_EXPORTS} (they live in the project's shared folder)")
    path = REAL_EXPORTS / relative
    (table,) = read_upload(con, path.name, path.read_bytes())
    assert table.rows_read == table.rows_loaded + len(table.rejected)
    return table


def test_maven_sales_pipeline(con):
    table = real_export(con, "maven_crm_sales_opportunities/sales_pipeline.csv")
    assert (table.rows_loaded, len(table.columns), table.rejected) == (8_800, 8, [])
    won = con.execute(f"SELECT count(*) FROM {table.table} WHERE deal_stage = 'Won'").fetchall()[0][0]
    assert won == 4_238


def test_superstore_with_bom_and_crlf(con):
    table = real_export(con, "tableau_superstore_orders/Sample - Superstore.csv")
    assert table.rows_loaded == 10_194 and table.columns[0] == "Row ID" and table.encoding == "utf-8-sig"


def test_telco_keeps_lone_spaces(con):
    table = real_export(con, "ibm_telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv")
    assert table.rows_loaded == 7_043
    spaces = con.execute(f"SELECT count(*) FROM {table.table} WHERE \"TotalCharges\" = ' '").fetchall()[0][0]
    assert spaces == 11


def test_facebook_kag(con):
    table = real_export(con, "facebook_ads_campaign_kag/KAG_conversion_data.csv")
    assert table.rows_loaded == 1_143
    assert con.execute(f"SELECT age FROM {table.table} WHERE _line = 2").fetchall() == [("30-34",)]


@pytest.mark.parametrize("chosen", [None, "utf-8", "utf-8-sig"])
def test_utf8_upload_is_read_in_place_with_the_same_result_and_notes(con, monkeypatch, chosen):
    """A UTF-8 file (here with a byte-order mark, accents and a footer) is read by DuckDB from the upload's own
    bytes; everything about it matches the Python reader's reading of the decoded text."""
    body = "".join(f"D{i:04d},Zoë Müller {i},{i * 10},Gagné\r\n" for i in range(300))
    data = codecs.BOM_UTF8 + ("Deal,Owner,Amount,Stage\r\n" + body + "\r\nGrand Total,,,\r\n").encode("utf-8")
    python_result = read_upload(con, "bom.csv", data, ReadOptions(encoding=chosen))[0]
    monkeypatch.setattr(reading, "FAST_PATH_MIN_BYTES", 0)
    monkeypatch.setattr(reading, "_Text", None)  # the in-place route must not decode the file
    fast = read_upload(con, "bom.csv", data, ReadOptions(encoding=chosen))[0]
    assert fast.columns == python_result.columns == ["Deal", "Owner", "Amount", "Stage"]
    assert (fast.rows_read, fast.rows_loaded) == (python_result.rows_read, python_result.rows_loaded) == (302, 300)
    assert [(r.line, r.reason) for r in fast.rejected] == [(302, FOOTER), (303, FOOTER)]
    assert (fast.encoding, fast.notes) == (python_result.encoding, python_result.notes)
    assert fast.encoding == (chosen or "utf-8-sig")
    assert rows(con, fast) == rows(con, python_result)
    assert rows(con, fast)[299] == ("D0299", "Zoë Müller 299", "2990", "Gagné", 301)


def test_file_bytes_answers_as_the_bytes_of_the_file(tmp_path, monkeypatch):
    from core.imports.reading import FileBytes

    monkeypatch.setattr(FileBytes, "CHUNK", 4)  # scans cross chunk edges
    content = "Lead ID,Note\nL1,café\nL2,\x00\r\n".encode()
    (tmp_path / "f.csv").write_bytes(content)
    (tmp_path / "empty.csv").write_bytes(b"")
    mapped = FileBytes.of(tmp_path / "f.csv")
    assert isinstance(mapped, FileBytes) and FileBytes.of(tmp_path / "empty.csv") == b""
    assert (b"\x00" in mapped, b"\x01" in mapped) == (True, False)
    assert mapped.count(b"\n") == content.count(b"\n") == 3
    assert mapped.count(b"\n", 5, 20) == content.count(b"\n", 5, 20)
    assert mapped.isascii() is False and FileBytes.of(tmp_path / "f.csv")[:13].isascii() is True
    assert mapped.startswith((b"PK", b"Lead")) and mapped.endswith(b"\r\n") and not mapped.endswith(b"x")
    assert mapped.decode() == content.decode() and mapped.find(b"L2") == content.find(b"L2")
    mapped.drop_pages()  # the scans' pages handed back: the bytes are still the file's
    assert mapped[:] == content and mapped.count(b"\n") == 3


def test_a_zip_or_workbook_with_more_tables_than_a_session_holds_is_refused_before_reading(con, monkeypatch):
    # Three tables allowed: four zip members or four sheets are refused by their count, before one is read.
    import io
    import zipfile

    import openpyxl

    monkeypatch.setenv("GTM_MAX_TABLES", "3")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in range(4):
            archive.writestr(f"leads_{number}.csv", "lead_id,source\nL1,Web\n")
        archive.writestr("__MACOSX/._leads_0.csv", "metadata")  # not a table: not counted
    with pytest.raises(ReadError, match="many.zip: it holds 4 files, more than the 3 tables a session can hold"):
        read_upload(con, "many.zip", buffer.getvalue())
    book = openpyxl.Workbook()
    for number in range(3):
        book.create_sheet(f"Sheet {number}")
    sheets = io.BytesIO()
    book.save(sheets)
    with pytest.raises(ReadError, match="many.xlsx: it has 4 sheets, more than the 3 tables"):
        read_upload(con, "many.xlsx", sheets.getvalue())
    monkeypatch.setenv("GTM_MAX_TABLES", "4")
    assert len(read_upload(con, "many.zip", buffer.getvalue())) == 4


# --- the Python reader in bounded memory (security issue 19, item 2) -------------------------------------------

LONE_CR_HEADER = b"lead_id,source\r"  # a header ending in a lone CR sends the file to the Python reader


def test_python_reader_streams_a_large_awkward_file_in_memory_that_does_not_grow_with_it(con, monkeypatch):
    """A header ending in a lone CR and 6 MB of `ab,cd` rows: the reader decodes, parses and loads the file piece
    by piece, so what it allocates stays under the file's own size (holding the file's rows as Python objects
    took about 78 times the file)."""
    import tracemalloc

    monkeypatch.setattr(reading, "DECODE_BYTES", 64 * 1024)
    monkeypatch.setattr(reading, "BATCH_ROWS", 5_000)
    read_upload(con, "warm_up.csv", LONE_CR_HEADER + b"ab,cd\n")  # what DuckDB and Arrow import on first use
    data = LONE_CR_HEADER + b"ab,cd\n" * 1_000_000
    tracemalloc.start()
    try:
        (table,) = read_upload(con, "lone_cr.csv", data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (table.columns, table.rows_read, table.rows_loaded, table.rejected) == (
        ["lead_id", "source"],
        1_000_000,
        1_000_000,
        [],
    )
    counted = con.execute(f"SELECT count(*), min(_line), max(_line), count(DISTINCT source) FROM {table.table}")
    assert counted.fetchall() == [(1_000_000, 2, 1_000_001, 1)]
    assert peak < len(data), f"the reader held {peak / len(data):.1f} times the file"


def test_python_reader_refuses_a_file_past_its_budget_and_leaves_nothing_loaded(con, monkeypatch):
    """Rejected rows are kept (to be shown with their reasons), so too many of them are refused with a message,
    and the rows already loaded in batches are dropped with the table."""
    monkeypatch.setattr(budget, "READER_HELD_BYTES", 1024 * 1024)
    monkeypatch.setattr(reading, "BATCH_ROWS", 1_000)
    data = LONE_CR_HEADER + b"L1,Web\n" * 20_000 + b"L2,Web,extra,fields\n" * 20_000
    with pytest.raises(ReadError, match=r"^lone_cr\.csv: reading it would hold more than 1 MB of rows that are not"):
        read_upload(con, "lone_cr.csv", data)
    assert con.execute("SELECT count(*) FROM duckdb_tables()").fetchall() == [(0,)]


@pytest.mark.parametrize(
    ("body", "line"),
    [(b"L1," + b"x" * 2_000_000 + b"\n", 2), (b'L1,Web\nL2,"open quote\n' + b"more text\n" * 300_000, 3)],
    ids=["one long line", "a quote left open"],
)
def test_python_reader_refuses_a_row_longer_than_its_budget(con, monkeypatch, body, line):
    monkeypatch.setattr(budget, "READER_HELD_BYTES", 1024 * 1024)
    with pytest.raises(ReadError, match=rf"^long\.csv: the row that starts on line {line} is longer than 1 MB"):
        read_upload(con, "long.csv", LONE_CR_HEADER + body)
    assert con.execute("SELECT count(*) FROM duckdb_tables()").fetchall() == [(0,)]


WRAPPED = (
    "Index,Account Id,Company,Source,Deal Stage\n"
    '"1,0970F99ED4a2CE4,""Grimes, Madden and Huff"",Retargeting Ads,New Lead"\n'
    "2,e9AABddbCA4AFee,Crosby Inc,Google Ads,Closed Won\n"
    "3,99CF54fE56dDc5e,Velasquez-Hardin,Chatbot,Contacted\n"
    '"4,5B6fd4864E1A81C,""Cannon, Lawson and Davies"",Content Marketing,Proposal Sent"\n'
)


def test_rows_written_whole_inside_quotes_are_read_as_the_rows_inside(con):
    """Some tools quote a whole row that holds quotes of its own: without unwrapping, the header was taken from a
    data row and the rows above it were lost."""
    (table,) = read_upload(con, "leads-100.csv", WRAPPED.encode())
    assert table.header_line == 1
    assert table.columns == ["Index", "Account Id", "Company", "Source", "Deal Stage"]
    assert [r[:5] for r in rows(con, table)] == [
        ("1", "0970F99ED4a2CE4", "Grimes, Madden and Huff", "Retargeting Ads", "New Lead"),
        ("2", "e9AABddbCA4AFee", "Crosby Inc", "Google Ads", "Closed Won"),
        ("3", "99CF54fE56dDc5e", "Velasquez-Hardin", "Chatbot", "Contacted"),
        ("4", "5B6fd4864E1A81C", "Cannon, Lawson and Davies", "Content Marketing", "Proposal Sent"),
    ]
    assert (table.rows_read, table.rows_loaded, table.rejected) == (4, 4, [])
    assert any("the first on line 2" in note for note in table.notes)


def test_a_one_column_file_of_values_holding_commas_stays_one_column(con):
    text = 'Address\n"12 Main St, Austin"\n"9 Elm Rd, Boston"\n"1 Oak Ave, Denver"\n'
    (table,) = read_upload(con, "addresses.csv", text.encode())
    assert table.columns == ["Address"]
    assert [r[0] for r in rows(con, table)] == ["12 Main St, Austin", "9 Elm Rd, Boston", "1 Oak Ave, Denver"]


def test_a_wrapped_row_far_below_the_head_of_a_large_file_is_unwrapped_too(con):
    body = "".join(f"{i},id{i:06d},Company {i},Referral,Qualified\n" for i in range(1, 3001))
    text = (
        "Index,Account Id,Company,Source,Deal Stage\n"
        + body
        + '"3001,id003001,""Doe, Ray and Mi"",Podcast,Qualified"\n'
    )
    (table,) = read_upload(con, "big.csv", text.encode())
    assert (table.rows_read, table.rows_loaded) == (3001, 3001)
    last = con.execute(f"SELECT * FROM {table.table} ORDER BY _line DESC LIMIT 1").fetchone()
    assert last[:5] == ("3001", "id003001", "Doe, Ray and Mi", "Podcast", "Qualified")
