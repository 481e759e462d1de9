"""How robust recognition is to the ways the same export looks elsewhere: every train upload of the recognition
corpus (tests/recognition_corpus/train) made again as another company or another version of the system would
export it, and scored as bench/recognition.py scores the corpus (kind accuracy, field precision and recall), per
perturbation.

    python bench/recognition_robustness.py [--only NAME,...] [--failures NAME]

Perturbations: header case and style (snake, camelCase, Title Case, ALL CAPS), vendor affixes (`__c`, `hs_`,
`Deal - `), columns reordered, a third of the optional columns dropped, another system's words (Deal for
Opportunity, Company for Account, Date Added for Created ...), dates as DD/MM/YYYY, ISO timestamps or
03-Jan-2024, amounts with currency symbols and thousands separators or with decimal commas, ids as GUIDs or as
plain numbers, a neutral file name (`export (1).csv`), and each file of a multi-file upload alone (no links).
Every variant is rewritten as a plain CSV, so `control` (the files rewritten unchanged) is the baseline the
others compare with. Only the train part is used: the holdout is looked at as aggregate scores only."""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import re
import sys
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.recognition import Score, score_upload, uploads  # noqa: E402
from core.imports.reading import read_upload  # noqa: E402
from core.schema import TABLE_KINDS  # noqa: E402


@dataclass
class Table:
    """One file of an upload as header, rows of text and what a person expects of it."""

    name: str
    header: list[str]
    rows: list[list[str]]
    expected: dict
    delimiter: str = ","


@dataclass
class Upload:
    folder: str
    tables: list[Table] = field(default_factory=list)


def read_train() -> list[Upload]:
    """Each train upload as plain tables, read by the app's own reader (so report headers and footers are gone)."""
    con = duckdb.connect()
    found = []
    for folder in uploads("train"):
        expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        upload = Upload(folder.name)
        for name, want in expected.items():
            raw = read_upload(con, name, (folder / name).read_bytes())[0]
            columns = ", ".join(f'"{c}"' for c in raw.columns)
            rows = con.execute(f'SELECT {columns} FROM "{raw.table}" ORDER BY _line').fetchall()
            text = [["" if v is None else str(v) for v in row] for row in rows]
            upload.tables.append(Table(name, list(raw.columns), text, want))
        found.append(upload)
    return found


# ---- header styles -------------------------------------------------------------------------------------------

TOKEN = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-zà-ÿ]+|[A-Z]+|\d+|[a-zà-ÿ]+", re.UNICODE)
DATE_HEADER = re.compile(r"\d{4}|\d{1,2}[/-]\d|(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*[ -]\d")
BLANK_HEADER = re.compile(r"column_\d+")  # the reader's name for a blank header: no export's own


def kept(header: str) -> bool:
    """Headers no restyling changes: a month or year column names its period, a blank one has no style, and
    a vendor's marker such as Dynamics' `(Do Not Modify)` is written alike everywhere."""
    return bool(DATE_HEADER.search(header) or BLANK_HEADER.fullmatch(header)) or header.startswith("(")


def tokens(header: str) -> list[str]:
    return TOKEN.findall(header.replace("__c", ""))


def restyle(style: str) -> Callable[[str], str]:
    def apply(header: str) -> str:
        words = tokens(header)
        if not words or kept(header):  # a month or year column stays as the period it names
            return header
        lower = [w.lower() for w in words]
        if style == "snake":
            return "_".join(lower)
        if style == "camel":
            return lower[0] + "".join(w.capitalize() for w in lower[1:])
        if style == "title":
            return " ".join(w.capitalize() for w in lower)
        return " ".join(w.upper() for w in lower)  # upper

    return apply


ROW_WORD = {"leads": "Lead", "opportunities": "Deal", "accounts": "Organization", "activities": "Activity"}


def affixed(table: Table, rng: random.Random) -> Callable[[str], str]:
    """One vendor's way of marking its fields: Salesforce's custom `__c`, HubSpot's `hs_`, Pipedrive's `Deal - `."""
    style = rng.choice(("__c", "hs_", "prefix"))
    word = ROW_WORD.get(table.expected["kind"] or "", "")

    def apply(header: str) -> str:
        words = [w.lower() for w in tokens(header)]
        if not words or kept(header):
            return header
        if style == "__c":
            return "_".join(w.capitalize() for w in words) + "__c"
        if style == "hs_" or not word:
            return "hs_" + "_".join(words)
        return f"{word} - {header}"

    return apply


SYNONYM_PHRASES = {
    "created": "Date Added",
    "created date": "Date Added",
    "create date": "Date Added",
    "date created": "Date Added",
    "created at": "Date Added",
    "created on": "Date Added",
    "date added": "Create Date",
    "close date": "Closed On",
    "closed date": "Close Date",
}
SYNONYM_WORDS = {
    "opportunity": "deal",
    "opportunities": "deals",
    "deal": "opportunity",
    "deals": "opportunities",
    "account": "company",
    "accounts": "companies",
    "company": "organization",
    "companies": "organizations",
    "organization": "account",
    "organisation": "account",
    "amount": "value",
    "value": "amount",
    "customer": "client",
    "client": "customer",
    "owner": "rep",
    "contact": "person",
    "person": "contact",
}


def synonym(table: Table) -> Callable[[str], str]:
    """Another system's words; a ledger's account (in spend) is no company, so it keeps its word there."""
    keep = {"account", "accounts"} if table.expected["kind"] == "spend" else set()

    def apply(header: str) -> str:
        words = tokens(header)
        said = " ".join(w.lower() for w in words)
        if said in SYNONYM_PHRASES:
            return SYNONYM_PHRASES[said]
        swapped = [w.lower() if w.lower() in keep else SYNONYM_WORDS.get(w.lower(), w.lower()) for w in words]
        if swapped == [w.lower() for w in words]:
            return header
        return " ".join(w.capitalize() for w in swapped)

    return apply


def renamed(upload: Upload, rename: Callable[[Table], Callable[[str], str]]) -> Upload:
    out = Upload(upload.folder)
    for table in upload.tables:
        new_name = rename(table)
        header, seen = [], set()
        for column in table.header:
            name = new_name(column) or column
            while name.lower() in seen:
                name += "_2"
            seen.add(name.lower())
            header.append(name)
        out.tables.append(_with_columns(table, dict(zip(table.header, header, strict=True)), header, table.rows))
    return out


def _with_columns(table: Table, old_to_new: dict[str, str], header: list[str], rows: list[list[str]]) -> Table:
    want = dict(table.expected)
    want["mapping"] = {f: old_to_new[c] for f, c in want["mapping"].items() if c in old_to_new}
    if "unpivot" in want:
        want["unpivot"] = [old_to_new[c] for c in want["unpivot"] if c in old_to_new]
    return Table(table.name, header, rows, want, table.delimiter)


# ---- columns --------------------------------------------------------------------------------------------------


def reordered(upload: Upload, rng: random.Random) -> Upload:
    out = Upload(upload.folder)
    for table in upload.tables:
        order = list(range(len(table.header)))
        rng.shuffle(order)
        header = [table.header[i] for i in order]
        rows = [[row[i] for i in order] for row in table.rows]
        out.tables.append(_with_columns(table, {c: c for c in header}, header, rows))
    return out


def dropped(upload: Upload, rng: random.Random) -> Upload:
    """A third of the columns that hold no required field (and no wide table's value) left out."""
    out = Upload(upload.folder)
    for table in upload.tables:
        kind = table.expected["kind"]
        required = {f.name for f in TABLE_KINDS[kind].fields if f.required} if kind else set()
        keep = {c for f, c in table.expected["mapping"].items() if f in required}
        keep |= set(table.expected.get("unpivot", []))
        optional = [c for c in table.header if c not in keep]
        gone = set(rng.sample(optional, len(optional) // 3))
        index = [i for i, c in enumerate(table.header) if c not in gone]
        header = [table.header[i] for i in index]
        rows = [[row[i] for i in index] for row in table.rows]
        out.tables.append(_with_columns(table, {c: c for c in header}, header, rows))
    return out


# ---- values ---------------------------------------------------------------------------------------------------

DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%dT%H:%M:%S.%fZ",
    "%Y-%m-%dT%H:%M:%S%z",
    "%m/%d/%Y",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M %p",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%d-%m-%Y",
    "%Y/%m/%d",
    "%d-%b-%Y",
    "%b %d, %Y",
)


def _date_format(values: list[str]) -> str | None:
    """The one format every filled value is written in, or None."""
    filled = [v for v in values if v]
    if len(filled) < 2:
        return None
    for fmt in DATE_FORMATS:
        try:
            for v in filled:
                datetime.strptime(v, fmt)
        except ValueError:
            continue
        return fmt
    return None


def redated(target: str) -> Callable[[Upload, random.Random], Upload]:
    def apply(upload: Upload, rng: random.Random) -> Upload:
        return _revalued(upload, lambda table, i: _date_format([r[i] for r in table.rows]), _rewrite_date(target))

    return apply


def _rewrite_date(target: str) -> Callable[[str, str], str]:
    def rewrite(value: str, fmt: str) -> str:
        return datetime.strptime(value, fmt).strftime(target) if value else value

    return rewrite


NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _money_column(table: Table, index: int) -> str | None:
    """A column of amounts: a money field the person mapped, or plain decimals (not whole numbers, not ids)."""
    column = table.header[index]
    kind = table.expected["kind"]
    money = {c for f, c in table.expected["mapping"].items() if kind and TABLE_KINDS[kind].field(f).role == "money"}
    values = [r[index] for r in table.rows if r[index]]
    if not values or not all(NUMBER.match(v) for v in values):
        return None
    if column in money or column in table.expected.get("unpivot", []) or any("." in v for v in values):
        return "money"
    return None


def reamounted(style: str) -> Callable[[Upload, random.Random], Upload]:
    def rewrite(value: str, _: str) -> str:
        if not value:
            return value
        number = float(value)
        text = f"{abs(number):,.2f}"
        if style == "symbol":
            return ("-" if number < 0 else "") + "$" + text
        return ("-" if number < 0 else "") + text.replace(",", " ").replace(".", ",").replace(" ", ".") + " €"

    def apply(upload: Upload, rng: random.Random) -> Upload:
        out = _revalued(upload, _money_column, rewrite)
        if style == "comma":  # decimal commas come with semicolon-separated files
            for table in out.tables:
                table.delimiter = ";"
        return out

    return apply


def _revalued(upload: Upload, chosen: Callable[[Table, int], str | None], rewrite: Callable[[str, str], str]) -> Upload:
    out = Upload(upload.folder)
    for table in upload.tables:
        rows = [list(r) for r in table.rows]
        for index in range(len(table.header)):
            how = chosen(table, index)
            if how:
                for row in rows:
                    row[index] = rewrite(row[index], how)
        out.tables.append(Table(table.name, table.header, rows, table.expected, table.delimiter))
    return out


def reidentified(style: str) -> Callable[[Upload, random.Random], Upload]:
    """Ids another system gives: GUIDs, or plain numbers. The same id gets the same new value in every file of
    the upload, so links between the files hold."""

    def apply(upload: Upload, rng: random.Random) -> Upload:
        given: dict[str, str] = {}

        def new_id(value: str, _: str) -> str:
            if not value:
                return value
            if value not in given:
                given[value] = (
                    str(uuid.uuid5(uuid.NAMESPACE_OID, value)) if style == "guid" else str(100001 + len(given))
                )
            return given[value]

        def id_column(table: Table, index: int) -> str | None:
            kind = table.expected["kind"]
            ids = {c for f, c in table.expected["mapping"].items() if kind and TABLE_KINDS[kind].field(f).role == "id"}
            values = [r[index] for r in table.rows if r[index]]
            keyed = table.header[index] in ids and values and not any("@" in v or " " in v for v in values)
            return "id" if keyed else None

        return _revalued(upload, id_column, new_id)

    return apply


# ---- files ----------------------------------------------------------------------------------------------------


def neutral_names(upload: Upload, rng: random.Random) -> Upload:
    out = Upload(upload.folder)
    for number, table in enumerate(upload.tables, start=1):
        out.tables.append(Table(f"export ({number}).csv", table.header, table.rows, table.expected, table.delimiter))
    return out


def unchanged(upload: Upload, rng: random.Random) -> Upload:
    return upload


PERTURBATIONS: dict[str, Callable[[Upload, random.Random], Upload]] = {
    "control": unchanged,
    "snake_case": lambda u, r: renamed(u, lambda t: restyle("snake")),
    "camelCase": lambda u, r: renamed(u, lambda t: restyle("camel")),
    "Title Case": lambda u, r: renamed(u, lambda t: restyle("title")),
    "ALL CAPS": lambda u, r: renamed(u, lambda t: restyle("upper")),
    "vendor affixes": lambda u, r: renamed(u, lambda t: affixed(t, r)),
    "another system's words": lambda u, r: renamed(u, synonym),
    "columns reordered": reordered,
    "a third of optional columns dropped": dropped,
    "dates DD/MM/YYYY": redated("%d/%m/%Y"),
    "dates ISO timestamps": redated("%Y-%m-%dT%H:%M:%SZ"),
    "dates 03-Jan-2024": redated("%d-%b-%Y"),
    "amounts $1,234.56": reamounted("symbol"),
    "amounts 1.234,56 € (;)": reamounted("comma"),
    "ids as GUIDs": reidentified("guid"),
    "ids as numbers": reidentified("number"),
    "neutral file name": neutral_names,
}
ALONE = "each file alone (no links)"


def write(upload: Upload, folder: Path) -> None:
    folder.mkdir(parents=True)
    for table in upload.tables:
        text = io.StringIO()
        writer = csv.writer(text, delimiter=table.delimiter, lineterminator="\n")
        writer.writerow(table.header)
        writer.writerows(table.rows)
        (folder / table.name).write_text(text.getvalue(), encoding="utf-8")
    expected = {table.name: table.expected for table in upload.tables}
    (folder / "expected.json").write_text(json.dumps(expected), encoding="utf-8")


def variants(name: str, upload: Upload) -> list[Upload]:
    if name == ALONE:  # only uploads of several files: a file alone has none of its companions' links
        if len(upload.tables) < 2:
            return []
        return [Upload(f"{upload.folder}[{t.name}]", [t]) for t in upload.tables]
    return [PERTURBATIONS[name](upload, random.Random(f"{name}/{upload.folder}"))]


def score(name: str, train: list[Upload], work: Path) -> Score:
    total = Score()
    for upload in train:
        for number, variant in enumerate(variants(name, upload)):
            folder = work / re.sub(r"\W+", "_", name) / f"{upload.folder}_{number}"
            write(variant, folder)
            score_upload(folder, total)
    return total


def table(scores: dict[str, Score]) -> str:
    base = scores.get("control")
    lines = [
        "| perturbation | files | kind right | field precision | field recall | recall vs control |",
        "|---|---|---|---|---|---|",
    ]
    for name, s in scores.items():
        delta = f"{(s.recall - base.recall) * 100:+.1f} pts" if base and name != "control" else ""
        lines.append(
            f"| {name} | {s.files} | {s.kind_accuracy:.1%} ({s.kinds_right}/{s.files}) | "
            f"{s.precision:.1%} ({s.correct}/{s.predicted}) | {s.recall:.1%} ({s.correct}/{s.expected}) | {delta} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help="comma-separated perturbation names (default: all)")
    parser.add_argument("--failures", metavar="NAME", help="list each file's errors under one perturbation")
    args = parser.parse_args()
    names = [*PERTURBATIONS, ALONE]
    if args.only:
        names = [n for n in names if n in args.only.split(",")]
    if args.failures:
        names = [args.failures]
    train = read_train()
    scores = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            scores[name] = score(name, train, Path(tmp))
            print(f"{name}: done", file=sys.stderr)
    print(table(scores))
    if args.failures:
        failed = scores[args.failures]
        print("\n".join(["", *failed.failures, *(f"empty: {e}" for e in failed.empty)]))


if __name__ == "__main__":
    main()
