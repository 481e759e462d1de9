"""What one uploaded file may cost once unpacked, judged before its data is loaded.

A file's own size says little: a 50 KB Parquet file can hold a 100,000-character text repeated on 20,000 rows
(2 GB once read), a short CSV header can name 50,000 columns, a small workbook can declare a million rows. Each check here returns a message naming the file
and the limit, or None; the reader refuses the file with it before creating any table, so nothing is half-loaded.
"""

from __future__ import annotations

import csv
import io

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from core.settings import Settings

UNPACKED_BYTES = 200 * 1024 * 1024  # what one file (a zip, a workbook, a Parquet file) may unpack to
READER_HELD_BYTES = 64 * 1024 * 1024  # what the Python CSV reader may hold beyond the batch it loads
# Bytes one value takes once decoded, by Parquet physical type; text takes at least its offset (4 bytes).
VALUE_BYTES = {"BOOLEAN": 1, "INT32": 4, "INT64": 8, "INT96": 12, "FLOAT": 4, "DOUBLE": 8, "BYTE_ARRAY": 4}
SPLIT = "Split the export into smaller files."


def columns_problem(source: str, columns: int, counted: str = "it has") -> str | None:
    """A table wider than a session holds (`Settings.max_columns`)."""
    most = Settings.from_env().max_columns
    if columns <= most:
        return None
    return (
        f"{source}: {counted} {columns:,} columns, more than the {most:,} a table may have. "
        "Export only the columns you need."
    )


def text_columns_problem(source: str, sample: list[str], delimiter: str) -> str | None:
    """Columns of a text file, judged from the widest of its first lines (its header among them; a very long
    line is judged from its start, hence "at least")."""
    widest = max((len(row) for row in csv.reader(sample, delimiter=delimiter)), default=0)
    return columns_problem(source, widest, "it has at least")


def sheet_problem(source: str, rows: int | None, columns: int | None) -> str | None:
    """An Excel sheet over the column or cell budget by the size its XML declares (its `dimension`, which Excel
    writes above the cells), judged before any cell is read. A sheet that declares no size is judged as it is read
    (`SheetTally`)."""
    if rows is None or columns is None:
        return None
    if problem := columns_problem(source, columns, "its size says it has"):
        return problem
    return _cells_problem(source, rows * columns, f"its size says {rows:,} rows × {columns:,} columns, that is")


class SheetTally:
    """A sheet's cells and widest row as it is read, against the same budget: the size it declares can lie."""

    def __init__(self, source: str):
        settings = Settings.from_env()
        self.source, self.most_cells, self.most_columns = source, settings.max_sheet_cells, settings.max_columns
        self.cells = self.widest = 0

    def add(self, width: int) -> str | None:
        """Count a row of `width` cells; a message once the sheet is over the budget."""
        self.cells, self.widest = self.cells + width, max(self.widest, width)
        if self.cells <= self.most_cells and self.widest <= self.most_columns:
            return None
        return columns_problem(self.source, self.widest, "it has at least") or _cells_problem(
            self.source, self.cells, "it has at least"
        )


def _cells_problem(source: str, cells: int, counted: str) -> str | None:
    most = Settings.from_env().max_sheet_cells
    if cells <= most:
        return None
    return (
        f"{source}: {counted} {cells:,} cells, more than the {most:,} a sheet may have. Keep only the rows and "
        "columns you need (empty cells with formatting count too) or save the sheet as CSV, and upload it again."
    )


def unpacked_problem(source: str, unpacked: int) -> str | None:
    if unpacked <= UNPACKED_BYTES:
        return None
    return (
        f"{source}: it would unpack to {unpacked / 1024**2:,.0f} MB, over the {UNPACKED_BYTES // 1024**2} MB "
        f"limit. {SPLIT}"
    )


def parquet_problem(source: str, data: bytes) -> str | None:
    """A Parquet file over the column or unpacked-size budget. First from its footer alone (columns, and per
    column chunk its uncompressed size or values × value width, whichever is larger); then, since a dictionary
    page lets one long text stand for every row, each dictionary-encoded text column is measured as its
    dictionary's lengths times the rows pointing at each entry, read as indices without expanding them."""
    try:
        parquet = pq.ParquetFile(io.BytesIO(data))
    except (pa.ArrowException, OSError, ValueError):
        return f"{source}: the Parquet file's footer is damaged, so it cannot be read. Export it again."
    meta = parquet.metadata
    if problem := columns_problem(source, meta.num_columns):
        return problem
    sizes = _footer_sizes(meta)
    if problem := unpacked_problem(source, sum(sizes.values())):
        return problem
    dictionaries = _dictionary_text_columns(meta)
    if dictionaries:
        sizes |= _measured_sizes(data, meta, dictionaries)
    return unpacked_problem(source, sum(sizes.values()))


def _chunks(meta: pq.FileMetaData):
    for group in range(meta.num_row_groups):
        row_group = meta.row_group(group)
        for column in range(row_group.num_columns):
            yield group, row_group.column(column)


def _top(chunk: pq.ColumnChunkMetaData) -> str:
    return chunk.path_in_schema.split(".", 1)[0]


def _footer_sizes(meta: pq.FileMetaData) -> dict[tuple[int, str], int]:
    """Decoded bytes by (row group, top-level column), as far as the footer tells."""
    sizes: dict[tuple[int, str], int] = {}
    for group, chunk in _chunks(meta):
        width = VALUE_BYTES.get(chunk.physical_type, 16)  # FIXED_LEN_BYTE_ARRAY: counted as 16
        key = (group, _top(chunk))
        sizes[key] = sizes.get(key, 0) + max(chunk.total_uncompressed_size, chunk.num_values * width)
    return sizes


def _dictionary_text_columns(meta: pq.FileMetaData) -> list[str]:
    """Paths of text columns with a dictionary page in some row group: one entry may stand for many rows."""
    paths = {
        chunk.path_in_schema
        for _, chunk in _chunks(meta)
        if chunk.physical_type == "BYTE_ARRAY" and chunk.has_dictionary_page
    }
    return sorted(paths)


def _measured_sizes(data: bytes, meta: pq.FileMetaData, paths: list[str]) -> dict[tuple[int, str], int]:
    """Decoded bytes of each row group's columns holding dictionary text, read one column of one row group at a
    time as dictionary indices (their memory is within the footer's sizes, checked already)."""
    parquet = pq.ParquetFile(io.BytesIO(data), read_dictionary=paths)
    tops = sorted({path.split(".", 1)[0] for path in paths})
    return {
        (group, top): _decoded_bytes(parquet.read_row_group(group, columns=[top]).column(0))
        for group in range(meta.num_row_groups)
        for top in tops
    }


def _decoded_bytes(array: pa.Array | pa.ChunkedArray) -> int:
    """Bytes `array` takes with every dictionary expanded, counted without expanding it."""
    if isinstance(array, pa.ChunkedArray):
        return sum(_decoded_bytes(chunk) for chunk in array.chunks)
    kind = array.type
    if pa.types.is_dictionary(kind):
        lengths = pc.binary_length(array.dictionary) if _is_text(kind.value_type) else None
        if lengths is None:
            return array.nbytes
        return (pc.sum(pc.take(lengths, array.indices)).as_py() or 0) + array.indices.nbytes
    if pa.types.is_struct(kind):
        return sum(_decoded_bytes(field) for field in array.flatten())
    if pa.types.is_list(kind) or pa.types.is_large_list(kind) or pa.types.is_fixed_size_list(kind):
        return _decoded_bytes(array.flatten())
    if pa.types.is_map(kind):
        return _decoded_bytes(array.keys) + _decoded_bytes(array.items)
    return array.nbytes


def _is_text(kind: pa.DataType) -> bool:
    return pa.types.is_string(kind) or pa.types.is_binary(kind) or pa.types.is_large_string(kind)
