"""Recognise which canonical table a raw table is, which of its columns is which canonical field, and what
the values of a varying-meaning column (stage, lead status, job title, GL line) stand for."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import duckdb

from core.imports.links import Target, file_target, find_links, kept_ids, table_target
from core.imports.names import folded, phrase
from core.imports.profile import TableProfile, profile_table
from core.imports.reading import RawTable
from core.imports.recognise import (
    Choice,
    Link,
    Recognition,
    keyed_by_name,
    natural_keys,
    other_keys,
    own_key,
    recognise,
    referenced_kind,
)
from core.imports.vocabulary import (
    LEAD_STATUS_WORDS,
    OUTCOME_WORDS,
    PEOPLE_COST_WORDS,
    PURPOSE_WORDS,
    REFERENCES,
    ROLE_WORDS,
    SPEND_FUNCTION_WORDS,
    WON_STAGE_NAMES,
)
from core.schema import CLASSES, TABLE_KINDS

REFERENCED = {kind for kind, _ in REFERENCES.values()}  # kinds whose ids other files' columns may hold
MAX_ROUNDS = 3  # recognitions with links: the links change what a file is, which changes the links to it
KEY_HELD_SCORE = 0.9  # confidence in a unique column taken as the rows' id because another file holds its values


@dataclass
class Mapping:
    kind: str | None
    fields: dict[str, str] = field(default_factory=dict)  # canonical field -> source column
    confidence: dict[str, float] = field(default_factory=dict)  # canonical field -> 0..1
    kind_confidence: float = 0.0
    reasons: dict[str, str] = field(default_factory=dict)  # canonical field -> why that column
    kind_reason: str = ""
    constants: dict[str, str] = field(default_factory=dict)  # canonical field -> the value every row gets
    surrogate: str | None = None  # a required id no column holds: each row gets a stable made-up id

    def supplies(self, name: str) -> bool:
        """Whether the field gets a value: from a column, a constant or a made-up id."""
        return name in self.fields or name in self.constants or name == self.surrogate


def as_mapping(recognition: Recognition) -> Mapping:
    choices = recognition.choices
    return Mapping(
        recognition.kind,
        fields={name: choice.column for name, choice in choices.items()},
        confidence={name: choice.score for name, choice in choices.items()},
        kind_confidence=recognition.score,
        reasons={name: choice.reason for name, choice in choices.items()},
        kind_reason=recognition.reason,
        constants=dict(recognition.constants),
        surrogate=recognition.surrogate,
    )


def detect_kind(con: duckdb.DuckDBPyConnection, raw: RawTable) -> list[tuple[str, float]]:
    """Every kind with its score (0..1), best first."""
    return recognise(profile_table(con, raw)).ranked


def propose_mapping(
    con: duckdb.DuckDBPyConnection, raw: RawTable, kind: str | None = None, profile: TableProfile | None = None
) -> Mapping:
    """The likely kind (or the one given) and its column mapping; kind None when nothing fits well enough."""
    return as_mapping(recognise(profile or profile_table(con, raw), kind))


def propose_mappings(
    con: duckdb.DuckDBPyConnection, raws: list[RawTable], profiles: list[TableProfile], loaded_kinds: set[str]
) -> list[Mapping]:
    """One decision for the files of an upload: each is recognised alone, then again with the links its columns
    have to the other files' ids and to the tables already loaded (`loaded_kinds`), and with what the other files'
    columns holding its ids call its rows (an invoice's `Customer` holding its ids: customers). Where that changes
    which ids the files have, links are found again, up to MAX_ROUNDS times."""
    found = [recognise(profile) for profile in profiles]
    targets: list[list[Target]] = []
    links: list[dict[str, Link]] = [{} for _ in raws]
    with kept_ids(con) as ids:
        for _ in range(MAX_ROUNDS):
            again = [_targets(raws, profiles, found, loaded_kinds, skip=index) for index in range(len(raws))]
            if again == targets:
                break
            targets = again
            links = [
                find_links(con, profile, raw.table, targets[index], ids)
                for index, (raw, profile) in enumerate(zip(raws, profiles, strict=True))
            ]
            referred = _referred(raws, profiles, links)
            found = [
                recognise(profile, links=links[index], referred=referred[index])
                if links[index] or referred[index]
                else recognise(profile)
                for index, profile in enumerate(profiles)
            ]
    _keys_held_elsewhere(raws, found, targets, links)
    _keyed_as_referenced(raws, found, targets, links)
    return [as_mapping(recognition) for recognition in found]


def _keys_held_elsewhere(
    raws: list[RawTable], found: list[Recognition], targets: list[list[Target]], links: list[dict[str, Link]]
) -> None:
    """A file no column of which is named its rows' id, whose short unique column another file's key column
    holds (a deal's `Company Domain Name` holds the companies' `domain`): that column is its id, so the files
    join as the system that exported them joins them. The column keeps any other field it was taken as (the
    contacts' e-mail is their e-mail as well as their key)."""
    columns = {target.label: target.column for file_targets in targets for target in file_targets}
    index = {raw.source: position for position, raw in enumerate(raws)}
    for position, file_links in enumerate(links):
        for column, link in sorted(file_links.items(), key=lambda item: -item[1].share):
            target = index.get(link.source or "")
            recognition = found[target] if target is not None and target != position else None
            id_field = _id_field(recognition.kind) if recognition else None
            key = columns.get(link.target)
            if not id_field or not key or link.kind != recognition.kind or _has_id(recognition, id_field):
                continue
            if not _points_to(found[position], column, link.kind):
                continue  # a column of names or notes that happens to hold its values is no key to its rows
            reason = f"a different value on every row, which {raws[position].source}'s '{column}' holds"
            choices = {**recognition.choices, id_field: Choice(id_field, key, KEY_HELD_SCORE, reason)}
            recognition.choices = _in_field_order(recognition.kind, choices)
            if recognition.surrogate == id_field:
                recognition.surrogate = None


# A kind whose rows other files may name by another key than the one its headers say: (its key field, the kinds
# of the files whose column of that field decides).
KEYED_AS_REFERENCED = {"products": ("product", ("orders", "opportunities")), "orders": ("order_id", ("orders",))}


def _keyed_as_referenced(
    raws: list[RawTable], found: list[Recognition], targets: list[list[Target]], links: list[dict[str, Link]]
) -> None:
    """Rows keyed one way by their headers and another by the files that name them: products named in one column
    and coded in another (Northwind's `productName` and `productID`) whose order lines name them by the code, or
    order headers numbered `SO43659` whose lines name them `43659` by the headers' `SalesOrderID`. The key the
    other files use is the rows' key, so the files join."""
    columns = {target.label: target.column for file_targets in targets for target in file_targets}
    index = {raw.source: position for position, raw in enumerate(raws)}
    for position, file_links in enumerate(links):
        for column, link in file_links.items():
            target = index.get(link.source or "")
            named = found[target] if target is not None and target != position else None
            key = columns.get(link.target)
            if not named or named.kind not in KEYED_AS_REFERENCED or link.kind != named.kind or not key:
                continue
            field, deciding = KEYED_AS_REFERENCED[named.kind]
            naming = found[position].choices.get(field)
            if field not in named.choices or key == named.choices[field].column:
                continue
            if found[position].kind not in deciding or naming is None or naming.column != column:
                continue  # a price list's entries may name their product by the system's id: sold things decide
            reason = f"codes different on every row, which {raws[position].source}'s '{column}' holds"
            named.choices = {**named.choices, field: Choice(field, key, KEY_HELD_SCORE, reason)}


def _has_id(recognition: Recognition, id_field: str) -> bool:
    """A column is taken as the rows' id, other than a name taken for want of one."""
    return id_field in recognition.choices and not keyed_by_name(recognition)


def _points_to(recognition: Recognition, column: str, kind: str) -> bool:
    """The column is taken as the field that holds the ids of `kind`'s rows (a deal's Account ID)."""
    return any(c.column == column and REFERENCES.get(c.field, ("",))[0] == kind for c in recognition.choices.values())


def _in_field_order(kind: str, choices: dict[str, Choice]) -> dict[str, Choice]:
    return {name: choices[name] for name in TABLE_KINDS[kind].field_names if name in choices}


def _referred(raws: list[RawTable], profiles: list[TableProfile], links: list[dict]) -> list[dict[str, str]]:
    """Per file, the kinds other files' columns that hold its ids name (see `referenced_kind`), with the first
    such column: the rows an upload's invoices call `Customer` are customers."""
    index = {raw.source: position for position, raw in enumerate(raws)}
    referred: list[dict[str, str]] = [{} for _ in raws]
    for position, file_links in enumerate(links):
        for column, link in file_links.items():
            target = index.get(link.source)
            kind = referenced_kind(profiles[position].column(column))
            if target is not None and target != position and kind:
                referred[target].setdefault(kind, f"{raws[position].source}'s '{column}'")
    return referred


def _targets(
    raws: list[RawTable], profiles: list[TableProfile], found: list[Recognition], loaded_kinds: set[str], skip: int
) -> list[Target]:
    """The id columns the files' columns may hold values of: each other file's id under its kind, the tables
    already loaded, and last the own key (a bare `id`) of a file not recognised, of no kind yet, so that what the
    other files call its rows can say what they are (see `_referred`)."""
    targets, unknown = [], []
    for index, (raw, profile, recognition) in enumerate(zip(raws, profiles, found, strict=True)):
        id_field = _id_field(recognition.kind)
        if index != skip and id_field and _has_id(recognition, id_field):
            taken = recognition.choices[id_field].column
            targets.append(file_target(recognition.kind, raw.source, raw.table, taken))
            if recognition.kind in KEYED_AS_REFERENCED:  # lines may name a product or an order by another key
                keys = other_keys(profile, taken)
                targets += [file_target(recognition.kind, raw.source, raw.table, column) for column in keys]
        elif index != skip and recognition.kind in REFERENCED and id_field:
            keys = natural_keys(
                recognition.kind, profile
            )  # no column is named its id: one its rows are known by elsewhere may be
            targets += [file_target(recognition.kind, raw.source, raw.table, column) for column in keys]
        elif index != skip and recognition.kind is None and own_key(profile):
            unknown.append(file_target(None, raw.source, raw.table, own_key(profile)))
    covered = {target.kind for target in targets}
    for kind in sorted(loaded_kinds & REFERENCED - covered):
        id_field = _id_field(kind)
        if id_field:
            targets.append(table_target(kind, id_field))
    return targets + unknown


def _id_field(kind: str | None) -> str | None:
    if kind is None:
        return None
    return next((f.name for f in TABLE_KINDS[kind].fields if f.required and f.role == "id"), None)


# ---- values whose meaning varies ---------------------------------------------------------------------------

# Derived field → (the fields whose column it is read from, first mapped wins; the class when no word matches).
VALUE_FIELDS: dict[str, dict[str, tuple[tuple[str, ...], str | None]]] = {
    "opportunities": {"outcome": (("outcome", "stage"), "open")},
    "leads": {"status_class": (("status_class", "status"), "open")},
    "headcount": {"role_class": (("role_class", "title", "department"), "other")},
    "spend": {
        "function": (("function", "department", "account"), "other"),
        "category": (("category", "account", "memo"), "programs"),
        "purpose": (("purpose",), None),
    },
}
OUTCOME_AS_LEAD_STATUS = {"won": "converted", "lost": "disqualified"}  # a lead status that is a deal's outcome
EVERY_ROW = "*"  # value-map key for a class that holds for every row (e.g. a roster of sales agents)


def _contains_word(text: str, word: str) -> bool:
    return re.search(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", text) is not None


def _first_class(text: str, table: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    return next((cls for cls, words in table if any(_contains_word(text, word) for word in words)), None)


TITLE_PREFIXES = re.compile(r"\b(?:senior |executive |assistant |area |regional )?vice president\b|\b[seai]vp\b")
TITLE_FILLERS = re.compile(r"[_,/&()|-]| of | the | for ")


def _title_words(title: str) -> str:
    """A job title in the words the role classes are listed in: `Vice President, Sales`, `SVP of Sales` and `VP
    Sales` alike read `vp sales`; `Director of Sales` reads `director sales`."""
    spaced = TITLE_FILLERS.sub(" ", f" {title} ")
    return " ".join(TITLE_PREFIXES.sub("vp", spaced).split())


# The words as values are compared: folded (`Качественный лид` and `качественныи лид` alike).
FOLDED_OUTCOMES = {cls: frozenset(folded(word) for word in words) for cls, words in OUTCOME_WORDS.items()}
FOLDED_LEAD_STATUSES = {cls: frozenset(folded(word) for word in words) for cls, words in LEAD_STATUS_WORDS.items()}


def _said_outcome(text: str) -> str | None:
    return next((cls for cls, words in FOLDED_OUTCOMES.items() if text in words), None)


def classify_value(kind: str, derived: str, value: str) -> str | None:
    """Our default class for one source value (a stage, a lead status, a title, a GL line)."""
    text = " ".join(folded(value).lower().split())
    default = VALUE_FIELDS[kind][derived][1]
    if text.replace(" ", "_") in CLASSES[derived]:  # a budget's `People` and `Programs`: the classes themselves
        return text.replace(" ", "_")
    if derived == "outcome":
        said = _said_outcome(text) or _said_outcome(phrase(value))  # `Cerrado Ganado` is `closed won`
        return said or ("won" if kind == "opportunities" and text in WON_STAGE_NAMES else default)
    if derived == "status_class":
        said = next((cls for cls, words in FOLDED_LEAD_STATUSES.items() if text in words), None)
        outcome = _said_outcome(text) or _said_outcome(phrase(value))
        return said or OUTCOME_AS_LEAD_STATUS.get(outcome, default)  # a lead's `Closed Won`: it became a customer
    if derived == "role_class":
        titled = _first_class(text.replace("_", " "), ROLE_WORDS) or _first_class(_title_words(text), ROLE_WORDS)
        return titled or default
    if derived == "function":
        return _first_class(text, SPEND_FUNCTION_WORDS) or default
    if derived == "category":
        return "people" if any(word in text for word in PEOPLE_COST_WORDS) else default
    if derived == "purpose":
        return _first_class(text.replace("-", " "), PURPOSE_WORDS) or _first_class(text, PURPOSE_WORDS)
    raise ValueError(f"{kind}.{derived} has no value vocabulary")
