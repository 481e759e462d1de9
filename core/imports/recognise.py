"""Which canonical table a file is, and which column is which field, decided by weighing evidence as an analyst
would: what a column is called (core.imports.names), what its values look like (core.imports.profile), whether
its values are found in another file's ids (links), and what the file is called.

Each (field, column) pair gets a score in 0..1 and a one-sentence reason; a kind's columns are then assigned
best first, required fields first, each column to at most one field. A kind's score weighs how much of what only
that kind has was found, its required fields, the words of the file's name and headers, and how many columns
it explains. Where a kind is clear but its rows have no id of their own, or a deals file lists only won deals,
the recognition says so as a reshape (a surrogate id, a constant outcome) that the user sees and can undo.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from itertools import combinations
from typing import Any

from rapidfuzz import fuzz

from core.imports.casting import DURATION_SHARE
from core.imports.names import phrase, similarity, words
from core.imports.profile import DATE, MONTH, SAMPLE_ROWS, ColumnProfile, TableProfile
from core.imports.vocabulary import (
    AD_WORDS,
    ADJUSTMENT_WORDS,
    BAND_WORDS,
    BILLING_TERMS,
    CONTACT_NAME_PHRASES,
    CUSTOMER_ONLY_TERMS,
    DISCOUNT_WORDS,
    DISTINCTIVE,
    ESSENTIAL,
    FIRMOGRAPHIC_FIELDS,
    GENERIC_HEADERS,
    KIND_WORDS,
    MEASURE_WORDS,
    MEMBERSHIP_OF,
    MONEY_UNIT_WORDS,
    NAME_BREAKDOWN,
    NAME_FILLERS,
    NOT_EVENT_DATE_WORDS,
    NOT_PHRASES,
    OTHER_MONEY_WORDS,
    OTHER_ROW_KEYS,
    OTHER_ROW_PHRASES,
    OTHER_ROW_WORDS,
    PAYMENT_WORDS,
    PERSON_PHRASES,
    QUALIFIED_WORDS,
    REFERENCES,
    SHIPPING_WORDS,
    SYNONYMS,
    USUAL_IN_KIND,
    WON_WORDS,
)
from core.schema import TABLE_KINDS, Field

OWN_KEY_SCORE = 0.9  # a unique column named only `Id` (`Record ID`) is the rows' own id
NAMED_AFTER_FILE = 0.85  # `Name` in `Campaign.csv` says `Campaign Name`, less surely than the header would, and
# less than a bare `Id` says the rows' own key
MIN_FIELD = 0.45
BASELINE = 0.4  # a pair's weight in the matching is its score above this
REQUIRED_BONUS = 1.0  # a pair scoring less is not mapped
MIN_KIND = 0.37  # a file whose best kind scores less is not recognised
LINK_SHARE = 0.8  # share of a column's sampled values found in another file's ids that makes it a key to it
# Dates of a person's employment: days, which exports write bare or at midnight, never at a time of day.
# Beside a system's GUID, the key people quote: a `number` or a `code` (Employment Hero's `code`: EMP014)
BUSINESS_KEY_WORDS = frozenset(("number", "code"))
CALL_RESULTS = 0.8  # the share of a column's values that are call results (answered, missed) to be only that
LISTED_ONCE = 0.5  # a product list names a product once, or on its few variants' rows: most values differ
DAY_FIELDS = {("headcount", "hire_date"), ("headcount", "termination_date")}
CLOCK_TIMES = 0.8  # the share of values with a time of day that says a column holds moments, not days
ENTITY_KINDS = ("leads", "opportunities", "activities", "accounts", "headcount", "nps")  # one row per id
SURROGATE_KINDS = ("leads", "opportunities", "activities", "orders", "nps", "headcount")
# fields whose values may be numbers: codes of a list (an API's stage or owner ids) or names that are numbers
TEXT_NUMBERS_OK = ("campaign", "account", "owner", "department", "region", "segment", "product", "name", "memo",
                   "stage")  # fmt: skip
MAIN_DATES = {
    "leads": "created_at",
    "activities": "occurred_at",
    "orders": "order_date",
    "spend": "period",
    "stage_history": "changed_at",
    "nps": "responded_at",
}
OWN_KEY_PHRASES = frozenset(("id", "record id", "object id", "internal id", "external id", "uuid", "guid"))  # own key
PARTIAL_KEY_FACTOR = 0.6  # a bare `Id` blank on some rows (see _partial_key)
KEY_FILLED = 0.95  # share of sampled rows a row's own key is filled on
COMPANY_SHARE = 0.3  # share of a column's values closed by a legal form (GmbH, Ltd) that says it names companies
NUMBERED_SCORE = 0.8  # values such as `#1187` read as the own id when no header names it
NAME_KEY_SCORE = 0.8  # accounts with no id column, keyed by a name that differs on every row
DESCRIBED_KINDS = ("opportunities", "accounts")  # kinds whose name an ERP keeps in a `Description`
SHORT_TEXT = 40  # mean characters of a value that names rather than describes
PACKED_TEXT = 60  # mean characters of a value that packs several things (`Product ID: 77, Product Qty: 1, ...`)
NAMES_AS_KEYS = 0.85  # how well names (with spaces) fit a key to another file's rows, beside codes
VALUE_AS_AMOUNT = 0.97  # a money field's `X Value` read as `X Amount`, a little less surely
CODE_AS_ID = 0.97  # an id field's `X Code` or `X Reference` read as `X ID`, a little less surely
REFERENCE_WORDS = frozenset(("code", "reference"))  # ... `X Reference` when X names a kind: Qualtrics's
# `ExternalReference` is the respondent's key in another system, no key to this file's rows
NAMED_IN_WORDS = 0.5  # a text field read from numbers (`campaign`) beside a column of words naming it (`campaign_name`)
LABEL_WORDS = frozenset(("label", "display", "caption"))  # `status_label`, `display_name`: how a value reads
AS_LABELLED = 0.97  # ... so `status label` says `status`, a little less surely than `status` itself
EDITED_WORDS = frozenset(("modified", "modification", "updated"))  # a date of the record's last edit
EDIT_DATES = frozenset(("changed_at", "last_activity_at"))  # dates a record's last edit may be
PERSON_FIELDS = frozenset(("name", "owner"))  # fields a whole name fills, which one part of it does not
CENTS_FACTOR = 0.5  # an amount in cents is not the amount in currency units
CENTS_WORDS = frozenset(MONEY_UNIT_WORDS)
UNTITLED_FACTOR = 0.5  # a column named as a job title holding none, beside one that holds them
TITLED_SHARE = 0.3  # share of a column's values that are known job titles (CFO, Sales Manager) to say it holds them
GROSS_FACTOR = 0.5  # an amount that adds shipping to the goods sold (see _with_shipping)
PREFIXED_SCORE = 0.6  # codes whose prefix names another kind's rows (`ACC-3301`) in a column named otherwise
CODE_PREFIX = re.compile(r"([A-Za-z]{2,8})[-_]\w")
ORDER_DISCOUNT = 0.2  # an order's amount may fall this far below its lines' quantity x price (its discounts)
PRICE_POINTS = 0.6  # at most this many distinct amounts per distinct amount / quantity: prices per unit
MAX_ADDED = 4  # columns a total may add to the goods (shipping, taxes, discounts, fees)
SHORT_OF_FUNNEL = 0.85  # a lead status beside one whose values reach customers (see _funnel_status)
SYSTEM_KEY_FACTOR = 0.8  # a bare record id (`hs_object_id`) read as a key that is not the rows' own (a product)
DEAL_PROGRESS = frozenset(("stage", "outcome", "is_won", "is_closed", "close_date", "probability"))
DEMOGRAPHIC_FACTOR = 0.6  # a file of companies, spending, sales or deals whose rows describe people
NOT_PEOPLE_KINDS = ("spend", "orders", "opportunities", "products", "stage_history", "activities", "accounts")
DEMOGRAPHIC_WORDS = frozenset(("birth", "birthday", "birthdate", "dob", "marital", "education", "kidhome",
                               "teenhome", "household", "income"))  # fmt: skip
UNPROGRESSED_FACTOR = 0.7  # a file of deals whose name does not say so and with none of DEAL_PROGRESS
FOREIGN_SCORE = 0.9  # a column another kind reads this surely as a field only it has ...
FOREIGN_STEP = 0.06  # ... costs this share of the kind's score, for up to MAX_FOREIGN such columns
MAX_FOREIGN = 3
OTHER_ROW_FACTOR = 0.5  # a file whose name says a row is none of the kinds (`payouts.csv`)
LINE_WORDS = frozenset(("product", "products", "quantity", "qty", "sku", "item"))  # what a deal's lines name
REPEATED_FACTOR = 0.6  # a file whose column named as the kind's own id repeats: rows about those rows
LACKING_FACTOR = 0.5  # a file with nothing the kind cannot be without (see _lacking)
UNSCORED_FACTOR = 0.4  # a survey with no 0-10 score
CHILD_FACTOR = 0.6  # a file with its own key and a column naming the kind's id: its rows refer to that kind
WINNABLE_FACTOR = 0.7  # a file of leads with a deal's chance of winning: its rows are deals
WON_NAMED_FACTOR = 0.7  # a file of leads whose name says its rows were won (`won_leads.csv`): deals are won
COMPANIES_FACTOR = 0.85  # a file of leads that describes companies and names no person: its rows are companies
FACELESS_FACTOR = 0.7  # a file of leads that names no one (no person, company or e-mail): payments, not people
EMPLOYERS_FACTOR = 0.7  # a roster of people at many companies: contacts, not staff (see _several_employers)
EMPLOYERS_SHARE = 0.5  # distinct companies per person that say the people work at many of them
CHANGE_LOG_FACTOR = 0.6  # a file with a field's old and new value on each row: its rows are changes
UNDATED_FACTOR = 0.5  # a file of events (calls, stage changes) with no date: a list of their types
EVENT_KINDS = ("activities", "stage_history")  # kinds whose every row happens at a time
# A nested object of the user who wrote the record, flattened into columns (`createdBy.email`)
AUTHOR_PATH = re.compile(r"^(?:(?:created|updated|modified|last_?modified|deleted)_?by|creator|updater)(?:\.|__)", re.I)
# Columns an ELT loader adds to every table it syncs (`_fivetran_synced`, `_airbyte_extracted_at`, `_sdc_batched_at`):
# when the row was copied, never a field of the row.
LOADER_COLUMN = re.compile(r"_(?:fivetran|airbyte|sdc|dlt|stitch|hevo|portable)_", re.IGNORECASE)
# Header words of a column pair holding a field before and after a change (`old_value`, `new_value`)
CHANGE_NAME_WORDS = frozenset(("update", "updates", "change", "changes", "changelog"))  # a file of changes
CHANGE_PAIRS = (("old", "new"), ("previous", "new"), ("from", "to"), ("before", "after"))
CATALOGUE_FACTOR = 0.7  # a file of orders with no buyer, quantity or amount: a price list or a catalogue
SOLD = frozenset(("account_id", "quantity", "amount"))  # what says that something was sold, to whom
CODE_WORDS = frozenset(("id", "code", "key", "guid", "uuid"))  # `Código Elemento de Despesa` is no amount
ACRONYM_ID = re.compile(r"[A-Z]{2,3}ID")  # `LEID`, `EUID`: an all-capitals acronym of some id
AGGREGATE_WORDS = frozenset(("total", "count", "sum", "average", "avg"))  # `7 Day Total Orders (#)` counts orders
STATE_WORDS = frozenset(("status", "reason"))  # a header ending in one is a state or a cause, not who or what
LEDGER_FACTOR = 0.7  # a file with debit and credit columns: ledger lines, not sales or deals
PURCHASES_FACTOR = 0.6  # a file naming each row's supplier and no customer: bills it pays, not sales
SUPPLIER_WORDS = frozenset(("vendor", "supplier", "payee"))
BUYER_WORDS = frozenset(("customer", "client", "buyer", "billing", "bill", "sold", "ship", "shipping"))
# `Payee Account Number`, `Customer Account`: the bank or customer account of a party, not a ledger account
PARTY_WORDS = SUPPLIER_WORDS | frozenset(("payer", "beneficiary", "counterparty", "customer", "client", "buyer"))
PARTY_ACCOUNT_FACTOR = 0.5
AD_DELIVERY_FACTOR = 0.8  # a file counting impressions and clicks: an ad platform's delivery, read as spend
PLANNED_FACTOR = 0.6  # a file with a budgeted and an actual cost: money planned and spent, read as spend
PLANNED_WORDS = frozenset(("budget", "budgeted", "planned", "plan"))
ACTUAL_WORDS = frozenset(("actual", "actuals"))
COST_WORDS = frozenset(("cost", "costs", "spend", "spent", "expense", "expenses"))
UNTOUCHED_FACTOR = 0.45  # a file of events that says nothing of a touch with a buyer: product or web events
TOUCH_FIELDS = frozenset(("lead_id", "opportunity_id", "account_id", "duration_minutes", "subject", "outcome"))
UNCLAIMED_KEY_FACTOR = 0.6  # a file keyed by an id named after something no kind is (`Candidate ID`)
PRICED_WORK_FACTOR = 0.6  # a file whose amount is a column times another: units priced (hours x rate), not spending
CUSTOMER_FACTOR = 0.6  # a file with what a seller keeps about customers it bills (see _customer_terms)
MIN_BILLING_TERMS = 2
PRICED_FACTOR = 0.6  # a file of costs beside a price per unit: what things cost and sell for, not spending
COUNTED_FACTOR = 0.6  # a file counting the kind's rows on each of its rows (`Order Count`): rows that hold them
TALLY_WORDS = frozenset(("count", "number", "num", "total", "anzahl", "nombre", "numero"))
IMPRESSION_WORDS = frozenset(("impression", "impressions", "impr"))
CLICK_WORDS = frozenset(("click", "clicks", "swipe", "swipes", "engagement", "engagements"))
KEY_WORDS = frozenset(("id", "number", "record", "key", "code", "guid", "uuid", "unique"))
VOCABULARY_OF = {
    "stage": "stage",
    "outcome": "stage",
    "status": "lead_status",
    "currency": "currency",
    "country": "country",
    "region": "country",
    "source": "channel",
    "channel": "channel",
    "department": "department",
    "title": "title",
    "purpose": "purpose",
    "status_class": "status_class",
}
# ... in a kind where the field means something else: a call's outcome holds no deal stages, an employee's status
# (Active, Terminated) no lead statuses.
VOCABULARY_IN_KIND = {("activities", "outcome"): "call_outcome", ("headcount", "status"): None}
# Fields whose values must be words of their vocabulary: a column named like them holding other words is not them.
CLOSED_VALUES = {"currency": "currency codes or names", "purpose": "acquisition, nurture, retention or win-back"}
# Vocabularies that overlap others by design (yes/no words; an outcome and the open stages are stages; a call's
# outcome may be a lead's status): a column's words in one of them are no evidence against another.
OVERLAPPING = ("boolean", "outcome", "open_stage", "call_outcome")
BANDED, BAND_FIT = 0.9, 0.9  # a head count written as bands (`51-200`): only its lower bound is known
LEAD_STATUSES_AMONG_STAGES = 0.2  # a leads file's stages that are partly lead statuses: how far each lead got
REACHED_FIT = 0.9  # ... read as the lead status, a little less surely than lead statuses alone
MANY_STAGES = 5  # distinct values beyond what an outcome (open, won, lost, abandoned) has
STAGES_BY_VALUES = 0.55  # a column of deal stages no header names (OroCRM's `Status Id`)
# Fields that values alone can find when no header names them: (vocabulary or shape, least share, score), by
# field or, first, by (kind, field).
BY_VALUES = {
    ("activities", "outcome"): ("call_outcome", 0.8, 0.55),  # Aircall's `status`: answered, missed, voicemail
    "currency": ("currency", 0.9, 0.7),
    "email": ("email", 0.9, 0.7),
    "country": ("country", 0.8, 0.55),
    "stage": ("stage", 0.8, 0.6),
    "status": ("lead_status", 0.8, 0.5),
    ("leads", "title"): ("title", 0.3, 0.55),  # Bitrix24's `POST`: CFO, Head of Operations, IT Director
}


@dataclass
class Link:
    """A column whose values are found in another file's (or loaded table's) id column."""

    kind: str | None  # the kind of the other file (None: not recognised)
    target: str  # how to name it to the user: "leads.csv's 'Id'" or "the loaded leads"
    share: float
    source: str | None = None  # the other file (None for a loaded table)


@dataclass
class Choice:
    field: str
    column: str
    score: float
    reason: str


@dataclass
class Recognition:
    kind: str | None
    score: float
    reason: str
    choices: dict[str, Choice] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)  # field -> the value every row gets
    surrogate: str | None = None  # a required id field no column holds: each row gets a stable made-up id
    ranked: list[tuple[str, float]] = field(default_factory=list)


@cache
def _phrases(kind: str, name: str) -> tuple[str, ...]:
    """The phrases a field is known by: its synonyms, its label and its own name, as words."""
    spec = TABLE_KINDS[kind].field(name)
    label = spec.label.split("(")[0]
    known = [*SYNONYMS.get(kind, {}).get(name, ()), *label.split("/"), name.replace("_", " ")]
    if spec.required and spec.role == "id":  # a file's own id is often just `Id` or `Record ID`
        known += ["id", "record id", "object id", "internal id", "external id", "number"]
    return tuple(dict.fromkeys(p for p in (phrase(text) for text in known) if p))


@cache
def _is_own_key(kind: str, name: str) -> bool:
    spec = TABLE_KINDS[kind].field(name)
    return spec.required and spec.role == "id" and kind in ENTITY_KINDS + ("orders",)


@cache
def _other_kinds_words(kind: str) -> frozenset[str]:
    return frozenset().union(*(_kind_words(other) for other in TABLE_KINDS if other != kind)) - _kind_words(kind)


@cache
def _is_text(kind: str, name: str) -> bool:
    spec = TABLE_KINDS[kind].field(name)
    return spec.type == "VARCHAR" and spec.role != "id"


@cache
def _generic() -> frozenset[str]:
    return frozenset(phrase(text) for text in GENERIC_HEADERS)


@cache
def _kind_words(kind: str) -> frozenset[str]:
    """The single words that name the kind (`deal`, `invoice`), which a header may carry as a prefix."""
    return frozenset(p for p in (phrase(text) for text in KIND_WORDS[kind]) if " " not in p)


@cache
def _kind_phrases(kind: str) -> tuple[frozenset[str], ...]:
    return tuple(frozenset(phrase(text).split()) for text in KIND_WORDS[kind])


def _says_kind(kind: str, words: set[str]) -> bool:
    return any(known <= words for known in _kind_phrases(kind))


def name_score(kind: str, name: str, column: ColumnProfile) -> float:
    """How well the column's header says the field, also without the words that name the kind itself
    (`Opportunity Owner` is the owner of an opportunities file)."""
    return _name_score(kind, name, column.phrase)


@lru_cache(maxsize=100_000)
def _name_score(kind: str, name: str, header: str) -> float:
    words = header.split()
    stripped = " ".join(w for w in words if w not in _kind_words(kind))
    if header in NOT_PHRASES.get(name, ()) or stripped in NOT_PHRASES.get(name, ()):
        return 0.0  # `account_first_name` in an accounts file is part of a person's name, as `first name` is
    if set(words) & EDITED_WORDS and name not in EDIT_DATES and TABLE_KINDS[kind].field(name).type == "TIMESTAMP":
        return 0.0  # `modification_time`: when the record was last edited, not when anything it records happened
    if (name in PERSON_FIELDS or TABLE_KINDS[kind].field(name).role == "id") and _name_part(header):
        return 0.0  # `user.first_name`, `CONTACTLASTNAME`: one part of a person's name names and keys no one
    measured = bool(words) and _measure_word(words[-1]) and TABLE_KINDS[kind].field(name).type == "VARCHAR"
    stated = bool(words) and words[-1] in STATE_WORDS and TABLE_KINDS[kind].field(name).role == "category"
    best = 0.0
    for rank, known in enumerate(_phrases(kind, name)):
        without_kind = 0.97 * similarity(stripped, known) if stripped and stripped != header else 0.0
        score = max(similarity(header, known), without_kind)
        if known in _generic() and known not in USUAL_IN_KIND.get(kind, ()):
            exact = score in (1.0, 0.97)  # `Call ID` in a call log says `ID` as well as `ID` does
            score = 0.7 * score if exact else score / 2  # `Name`, `Date`: right words that prove little alone
        elif known in _generic() and score < 1.0 and (set(words) - {known}) & _other_kinds_words(kind):
            score /= 2  # `Campaign Title` in a lead file is the campaign's title, not the person's
        if measured and known.split()[-1] != words[-1]:
            score /= 2  # `declared product catalog size` measures something: it holds no product
        elif stated and words[-1] not in known.split():
            score /= 2  # `rep_location_verification_status` is a status: it names no rep
        if known in OWN_KEY_PHRASES and not _is_own_key(kind, name):
            score *= SYSTEM_KEY_FACTOR  # a product's record id says a key, not the code other files carry
        best = max(best, score * (1 - 0.004 * rank))  # the usual name of a field before a rarer one
    if _other_money(kind, name, set(words)) or (_is_money(kind, name) and set(words) & (CODE_WORDS | STATE_WORDS)):
        best /= 2  # `Refunded Amount`, `Amount Due`: money, but not the sale's or the cost's; Bling's
        # `situacao.valor` is the value of a status (its code)
    elif _is_text(kind, name) and set(words) & AGGREGATE_WORDS:
        best /= 2  # Bling's `totalProdutos`, `Product Count`: how much or how many of the products, not which
    elif _is_measure(kind, name) and set(words) & BAND_WORDS:
        best /= 2  # `Employee Range`, `trancheEffectifs` (a band), `anneeEffectifs` (its year): not the number
    if _is_own_key(kind, name) and set(words) & _other_kinds_words(kind):
        best /= 2  # `Customer Internal ID` in an orders file keys the customer, not the order
    elif _keys_rows(kind, name) and stripped != header and _names_other_field(kind, name, stripped):
        best /= 2  # `Catégorie de produit` in a product list is the product's category, not the product
    if TABLE_KINDS[kind].field(name).role == "id" and set(words) & AGGREGATE_WORDS:
        best /= 2  # `7 Day Total Orders (#)`, `Order Count`: how many, not which
    if name == "annual_revenue" and "total" in words and "annual" not in words:
        best /= 2  # HubSpot's `Total Revenue`, Lemon Squeezy's `total_revenue`: what the customer paid us, in all
    if _is_money(kind, name) and len(words) > 1 and words[-1] == "value" and "amount" not in words:
        said = " ".join([*words[:-1], "amount"])  # `Line Value`, `Bid Value`: the line's or the bid's amount
        best = max(best, VALUE_AS_AMOUNT * _name_score(kind, name, said))
    coded = TABLE_KINDS[kind].field(name).role == "id" and len(words) > 1 and words[-1] in REFERENCE_WORDS
    coded = coded and (words[-1] == "code" or any(set(words[:-1]) & _kind_words(other) for other in TABLE_KINDS))
    if coded and header not in _phrases("spend", "account"):  # a ledger's `Account Code` keys no customer
        said = " ".join([*words[:-1], "id"])  # `Customer Code`, `customer_ref`: what the customer is known by
        best = max(best, CODE_AS_ID * _name_score(kind, name, said))
    unlabelled = [w for w in words if w not in LABEL_WORDS]
    if _is_text(kind, name) and unlabelled and len(unlabelled) < len(words):
        best = max(best, AS_LABELLED * _name_score(kind, name, " ".join(unlabelled)))  # Close's `status_label`
    return best


@cache
def _keys_rows(kind: str, name: str) -> bool:
    spec = TABLE_KINDS[kind].field(name)
    return spec.required and spec.role == "id"


@lru_cache(maxsize=10_000)
def _names_other_field(kind: str, name: str, words: str) -> bool:
    """The words (a header without the kind's words) are exactly another field's of the kind."""
    others = (f.name for f in TABLE_KINDS[kind].fields if f.name != name)
    return any(words == known for other in others for known in _phrases(kind, other))


@lru_cache(maxsize=10_000)
def _name_part(header: str) -> bool:
    """A header ending in one part of a person's name (`user first name`), not in a whole name written with its
    parts (`last name first name`)."""
    parts = [part for part in NOT_PHRASES["name"] if part in header]
    return len(parts) == 1 and header.endswith(parts[0])


def _measure_word(word: str) -> bool:
    """A word that measures (`length`, `weight`), also misspelt (Olist's `product_name_lenght`)."""
    if word in MEASURE_WORDS:
        return True
    return len(word) >= 5 and any(fuzz.ratio(word, known) >= 80 for known in MEASURE_WORDS if len(known) >= 5)


@cache
def _is_measure(kind: str, name: str) -> bool:
    return TABLE_KINDS[kind].field(name).type == "DOUBLE"


@cache
def _is_money(kind: str, name: str) -> bool:
    return TABLE_KINDS[kind].field(name).role == "money"


def _other_money(kind: str, name: str, words: set[str]) -> bool:
    if TABLE_KINDS[kind].field(name).role != "money":
        return False
    other = OTHER_MONEY_WORDS | (
        PAYMENT_WORDS | ADJUSTMENT_WORDS if kind in ("orders", "opportunities") else frozenset()
    )
    return bool(words & other)


def value_fit(kind: str, spec: Field, column: ColumnProfile) -> tuple[float, str]:
    """How well the column's values fit the field (1 fits, above 1 confirms, near 0 contradicts), and why."""
    if column.filled == 0:
        return 0.2, "empty in the rows sampled"  # a name alone maps nothing: Square's `Customer ID` with no customers
    if spec.type == "TIMESTAMP":
        if column.is_date and (kind, spec.name) in DAY_FIELDS and _clock_times(column):
            return 0.5, "dates with times of day, as events have (a person is hired on a day)"
        if column.is_date:
            return 1.0, column.words()
        if column.share("epoch") >= 0.9:  # the name must say it is a date: ids can be ten digits too
            return 0.9, "Unix timestamps (seconds)"
        return 0.05, "not dates"
    if spec.type == "BOOLEAN":
        return (1.0, "yes/no values") if column.is_boolean else (0.1, "not yes/no values")
    if spec.type == "DOUBLE":
        return _number_fit(kind, spec, column)
    return _text_fit(kind, spec, column)


def _questions(column: ColumnProfile) -> bool:
    """The most frequent values all questions (`How likely are you to recommend us?`): what a survey asked."""
    return bool(column.examples) and all(str(e).rstrip().endswith("?") for e in column.examples)


def _clock_times(column: ColumnProfile) -> bool:
    """Nearly every value a date with a time of day other than midnight (`02.03.2026 09:30`)."""
    return column.share("time") - column.share("midnight") >= CLOCK_TIMES


def _number_fit(kind: str, spec: Field, column: ColumnProfile) -> tuple[float, str]:
    if (kind, spec.name) == ("nps", "score"):
        return (1.15, "whole numbers from 0 to 10") if _is_score(column) else (0.2, "not 0-10 scores")
    if spec.name == "duration_minutes" and column.share("duration") >= DURATION_SHARE:
        return 0.95, f"durations such as {column.examples[0]!r}"  # `1h 5m`: in minutes, a bare number beside it first
    if spec.name == "employees" and not column.is_number and column.share("leading_number") >= BANDED:
        return BAND_FIT, f"bands such as {column.examples[0]!r}, read as their lower bound"
    if not column.is_number:
        return 0.05, "not numbers"
    low, high = column.low or 0.0, column.high or 0.0
    if spec.role == "money" and column.low == column.high == 0.0:
        return 0.3, "only zeros"  # `Insurance Amount`, `Sales Tax` left at 0.00: not what was sold or spent
    if spec.role == "money" and column.share("percent") >= 0.9:
        return 0.2, "percentages"  # `Click-Thru Rate (CTR)`: a ratio, not a price
    if spec.name in ("probability", "margin_pct", "fte"):
        fits = low >= 0 and high <= 100
        return (1.0, column.words()) if fits else (0.2, "numbers outside 0-100")
    if spec.role == "money" and column.is_key and column.share("integer") >= 0.99 and column.filled >= 20:
        return 0.5, "unique whole numbers, more like ids than amounts"
    return 1.0, column.words()


def _amounts_by_period(table: TableProfile) -> bool:
    """Numbers in two or more columns named as months or dates (`Jan 2024`, `2024-02`): a budget laid out wide,
    whose amounts are there though no column is called amount."""
    return sum(1 for c in table.columns if c.is_number and re.fullmatch(DATE, c.name.strip())) >= 2


def _could_be_score(column: ColumnProfile) -> bool:
    """0-10 answers of several values: a survey holding one is an NPS survey even when two such columns leave
    the score to the person to choose."""
    return _is_score(column) and column.distinct >= 3


def _is_score(column: ColumnProfile) -> bool:
    """0-10 answers, bare or labelled (`10 - Extremely likely`)."""
    low, high = column.low or 0.0, column.high or 0.0
    five_point = column.high is not None and high <= 5 and column.distinct >= 3  # stars or CSAT: 1-5
    counted = "count" in column.phrase.split()  # `user_count`, `session_count`: how many, not how likely
    few = column.distinct <= 11 and column.share("opaque") < 0.5  # eleven answers at most, and no codes:
    in_range = low >= 0 and high <= 10 and few  # `123-45678` leads with a number but is a document's
    return column.share("leading_number") >= 0.75 and in_range and not five_point and not counted


def _text_fit(kind: str, spec: Field, column: ColumnProfile) -> tuple[float, str]:
    if column.share("json") >= 0.8 and not (spec.name == "email" and column.share("email") >= 0.8):
        return 0.3, "JSON lists or objects, which pack several values"  # folk's `companies`: [{"id": .., "name": ..}]
    if spec.name == "comment" and _questions(column):
        return 0.2, "questions, which the answers are to"  # Simplesat's `question.text` beside each answer
    if column.share("clock") >= 0.8:
        return 0.1, "times of day"  # JustCall's `call_user_time` beside its `call_user_date`: no name, code or key
    if spec.role == "id" and column.share("email") >= 0.8 and not set(column.phrase.split()) & KEY_WORDS:
        return 0.3, "e-mail addresses, a person's attribute rather than a key"  # `Primary Contact Email`
    if spec.role == "id":
        if (kind, spec.name) == ("products", "product") and column.unique < LISTED_ONCE:
            return 0.25, "the same few values on many rows, as a category has"  # Odoo's `Type de produit`
        if spec.required and kind in ENTITY_KINDS:  # one row per id (names serve, as in a roster of agents)
            if column.unique >= 0.95 and column.share("email") < 0.5 and not column.is_date:
                return 1.0, "a different value on every row"
            return (0.5 if column.unique >= 0.5 else 0.25), "repeated values"
        if column.is_date or (column.is_number and column.share("integer") < 0.5):  # amounts are not keys
            return 0.1, column.words()
        if column.share("opaque") < 0.5 and not column.is_number:
            return NAMES_AS_KEYS, column.words()  # names serve as keys, but a column of codes beside them is the key
        return 1.0, column.words()
    if column.is_date:
        return 0.1, "dates"
    if column.share("dialling") >= 0.8:
        return 0.1, "telephone country codes"  # `phones.primaryPhoneCountryCode`: +44 is no country
    if spec.name == "email":
        return (1.1, "e-mail addresses") if column.share("email") >= 0.8 else (0.2, "not e-mail addresses")
    vocabulary = VOCABULARY_OF.get(spec.name)
    if (kind, spec.name) in VOCABULARY_IN_KIND:
        vocabulary = VOCABULARY_IN_KIND[kind, spec.name]
    if spec.name == "status_class":  # the class itself, beside a status: every value a class, and a step behind
        fits = column.vocab.get(vocabulary, 0) >= 0.9  # the status for the same column
        return (0.95, column.words()) if fits else (0.3, "not only open, qualified, disqualified or converted")
    deal_status = _deal_status_fit(spec.name, column) if kind == "opportunities" else None
    if deal_status:
        return deal_status
    if vocabulary and column.vocab.get(vocabulary, 0) >= 0.5 and not column.is_boolean:
        return 1.15, column.words()
    if (kind, spec.name) == ("activities", "type") and column.vocab.get("call_outcome", 0) >= CALL_RESULTS:
        return 0.4, "how calls ended, not what kind of activity each was"  # JustCall's `call_info.type`: Missed
    other = max((share for name, share in column.vocab.items() if name not in (vocabulary, *OVERLAPPING)), default=0)
    if vocabulary and other >= 0.5:  # lifecycle stages in a column named like a deal stage
        return 0.4, column.words()
    if spec.name in CLOSED_VALUES or (kind, spec.name) == ("opportunities", "outcome"):  # a `Class` or a status
        return 0.3, f"not {CLOSED_VALUES.get(spec.name, 'won, lost or open stages')}"  # that holds other things
    if column.is_number and spec.name not in TEXT_NUMBERS_OK and not _coded(column):
        return 0.4, column.words()
    if spec.role == "category" and column.unique >= 0.98 and column.filled >= 20:
        return 0.6, "a different value on nearly every row"
    if spec.role == "category" and column.length > PACKED_TEXT:
        return 0.4, "long text that describes rather than names"  # BigCommerce's `Product Details`
    return 1.0, column.words()


def _deal_status_fit(name: str, column: ColumnProfile) -> tuple[float, str] | None:
    """A deal's stage and its outcome told apart by their values, or None when the values do not tell."""
    if name == "outcome" and _holds_stages(column):
        return 0.6, "deal stages, from which the outcome follows"
    if name == "outcome" and _outcomes_only(column):
        return 1.2, column.words()  # only outcomes: surer than a column that also names stages
    if name == "stage" and _outcomes_only(column):
        return 0.6, "only won, lost or open: an outcome, not the stage a deal is in"
    return None


def _holds_stages(column: ColumnProfile) -> bool:
    """Deal stages beyond an outcome (Negotiation, Needs Analysis beside Won and Lost): a stage column. Stages no
    list knows count too when there are more of them than an outcome has values (OroCRM's `solution_development`
    beside `won` and `lost`): an outcome column holds only won, lost and open. So do five or more values that each
    read as an outcome (a quote's Draft, Open, Signed, Not signed, Billed)."""
    outcome = column.vocab.get("outcome", 0)
    if column.vocab.get("open_stage", 0) >= 0.3 and outcome <= 0.75:
        return True
    return outcome >= 0.2 and column.distinct >= MANY_STAGES and not column.is_number


def _outcomes_only(column: ColumnProfile) -> bool:
    """Several values, every one an outcome (active, won, lost): Close's `status_type`, not a stage; five or more
    are a deal's steps (see _holds_stages)."""
    return 2 <= column.distinct < MANY_STAGES and column.vocab.get("outcome", 0) >= 0.99


def _coded(column: ColumnProfile) -> bool:
    """A category held as the codes of a list (`LEAD_STATUS_ID`, `Stage Code`): numbers that stand for words."""
    words = column.phrase.split()
    return len(words) > 1 and words[-1] in CODE_WORDS


def pair_score(kind: str, spec: Field, column: ColumnProfile, link: Link | None) -> tuple[float, str]:
    """The evidence for `column` holding `spec`, with its reason."""
    named = name_score(kind, spec.name, column)
    fit, values = value_fit(kind, spec, column)
    score, reason = min(named * fit, 1.0), f"{values}, named '{column.name}'"
    if _is_own_key(kind, spec.name) and _bare_key(column) and fit >= 0.5 and score < OWN_KEY_SCORE:
        score, reason = OWN_KEY_SCORE, f"{values}, named '{column.name}': the file's own key"
    reference = REFERENCES.get(spec.name)
    keyed = fit >= 0.5 or column.share("email") >= 0.8  # e-mails found in another file's key: people keyed by them
    if link and reference and link.kind == reference[0] != kind and keyed:  # a key to another kind's rows
        linked = max(0.6, 0.5 + 0.45 * named) if named < 0.5 else 0.97
        if linked > score:
            score = linked
        if fit < 0.5:
            reason = f"e-mail addresses, named '{column.name}'"
        reason += f"; {link.share:.0%} of its values are found in {link.target}"
    unnamed_stages = (kind, spec.name) == ("opportunities", "stage") and named < MIN_FIELD and _holds_stages(column)
    if unnamed_stages and score < STAGES_BY_VALUES:
        score, reason = STAGES_BY_VALUES, f"{column.words()} (its name does not say so)"
    numbered = _is_own_key(kind, spec.name) and column.share("numbered") >= 0.9 and named < MIN_FIELD
    if numbered and score < NUMBERED_SCORE:
        score, reason = NUMBERED_SCORE, f"numbers such as {column.examples[0]!r}, as documents are numbered"
    by_values_rule = BY_VALUES.get((kind, spec.name), BY_VALUES.get(spec.name))
    if named < MIN_FIELD and by_values_rule:
        key, least, by_values = by_values_rule
        share = column.share(key) if key == "email" else column.vocab.get(key, 0)
        if share >= least and by_values > score and fit >= 0.9 and not column.is_boolean:
            score, reason = by_values, f"{column.words()} (its name does not say so)"
    if (kind, spec.name) == ("spend", "account") and set(column.phrase.split()) & PARTY_WORDS:
        score, reason = score * PARTY_ACCOUNT_FACTOR, f"{reason}: an account of the party paid or paying"
    other_kinds_key = reference and reference[0] != kind and named < MIN_FIELD and score < PREFIXED_SCORE
    if other_kinds_key and _prefix_names(column) in _kind_words(reference[0]):
        score, reason = PREFIXED_SCORE, f"codes such as {column.examples[0]!r}, whose prefix names the {reference[0]}"
    return round(score, 3), reason


def _prefix_names(column: ColumnProfile) -> str | None:
    """The word the prefix of a column's codes stands for, when they share one (`ACC-3301`: account)."""
    if column.share("opaque") < 0.8 or len(column.examples) < 2:
        return None
    prefixes = {match.group(1).lower() if match else None for match in map(CODE_PREFIX.match, column.examples)}
    if len(prefixes) != 1 or None in prefixes:
        return None
    said = words(prefixes.pop())
    return said[0] if len(said) == 1 else None


def _candidates(kind: str, table: TableProfile, links: dict[str, Link]) -> list[tuple]:
    """(score, how well the name alone says it, column position, field, column, reason) of each likely pair. A
    bare generic header (`Name`, `Type`) in a file named after one thing (`Campaign.csv`) is also read as that
    thing's (`Campaign Name`, `Campaign Type`), a little less surely than a header that says so itself."""
    spec, thing = TABLE_KINDS[kind], _named_after(table.source)
    own_key = _own_key(kind, table)
    partial_key = _partial_key(table)
    cents = _in_cents(table)
    funnel = _funnel_status(kind, table)
    people = kind == "leads" and any(_names_person(c.phrase) for c in table.columns)
    gross = _with_shipping(table) if kind in ("orders", "opportunities") else {}
    goods = {base: total for total, (base, _) in gross.items()}
    found = []
    for position, column in enumerate(table.columns):
        if _loader_column(column) or _authors(column):
            continue
        for f in spec.fields:
            if _bare_key(column) and f.role == "id" and not _is_own_key(kind, f.name) and column.name not in links:
                continue  # a bare `id` keys the file's own rows, whatever kind they are read as: it refers to none
            score, reason, named = _best_reading(kind, f, column, thing, links.get(column.name))
            quoted = score >= MIN_FIELD or _business_number(kind, column)  # a bare `code` names no field's words
            if own_key == column.name and _is_own_key(kind, f.name) and not _bare_key(column) and quoted:
                score, reason = max(score, OWN_KEY_SCORE), f"{reason}: the number people use, beside the system's GUID"
            elif own_key not in (None, column.name) and _is_own_key(kind, f.name) and score >= OWN_KEY_SCORE - 0.01:
                score, reason = OWN_KEY_SCORE - 0.02, f"{reason}; but the file's own key is '{own_key}'"
            if _is_own_key(kind, f.name) and column.name == partial_key:
                score, reason = round(score * PARTIAL_KEY_FACTOR, 3), f"{reason}; but it is blank on some rows"
            titles = _job_titles_elsewhere(table, column) if f.name == "title" else None
            if titles:
                score, reason = score * UNTITLED_FACTOR, f"{reason}; but '{titles}' holds the job titles"
            if f.name == "status" and people and _stages_leads_reached(column):
                reached = round(REACHED_FIT * name_score(kind, f.name, column), 3)
                if reached > score:
                    score, reason = (
                        reached,
                        f"lead statuses and the deal stages leads went on to, named '{column.name}'",
                    )
            if f.name == "status" and funnel not in (None, column.name) and not column.vocab.get("lead_converted"):
                score, reason = score * SHORT_OF_FUNNEL, f"{reason}; but '{funnel}' says how far leads got"
            if f.name == "amount" and column.name in gross:
                base, added = gross[column.name]
                score, reason = score * GROSS_FACTOR, f"{reason}; but it is '{base}' with {_listed(added)} added"
            elif f.name == "amount" and column.name in goods:
                total = goods[column.name]
                total_score = pair_score(kind, f, table.column(total), None)[0]
                if total_score > score:
                    score, reason = total_score, f"{column.words()}: what '{total}' adds shipping and tax to"
            worded = _worded_beside(table, column) if _is_text(kind, f.name) else None
            if worded:
                score, reason = score * NAMED_IN_WORDS, f"{reason}; but '{worded}' names it in words"
            if f.role == "money" and column.name in cents:
                score, reason = score * CENTS_FACTOR, f"{reason}; but {cents[column.name]}"
            if score >= MIN_FIELD:
                found.append((score, named, position, f.name, column.name, reason))
    return found


def _stages_leads_reached(column: ColumnProfile) -> bool:
    """Lead statuses beside the deal stages leads went on to (Datablist's `Deal Stage`: New Lead, Contacted, ...
    Proposal Sent, Closed Won): in a file of people, how far each one got."""
    other = max((share for name, share in column.vocab.items() if name not in ("lead_status", *OVERLAPPING)), default=0)
    return column.vocab.get("lead_status", 0) >= LEAD_STATUSES_AMONG_STAGES and other >= 0.5


def _worded_beside(table: TableProfile, column: ColumnProfile) -> str | None:
    """The column of words that names what a column of numbers identifies: Taboola's `campaign_name` beside its
    `campaign` (numeric ids), a `Region Name` beside a `Region` of codes."""
    if not column.is_number:
        return None
    named = f"{column.phrase} name"
    return next((c.name for c in table.columns if c.phrase == named and not c.is_number and c.filled), None)


def _job_titles_elsewhere(table: TableProfile, column: ColumnProfile) -> str | None:
    """Another column whose values are job titles, when this one's are none (Bitrix24's lead `TITLE` is the
    lead's own title, 'Website form: pricing', beside `POST`: CFO, IT Director)."""
    if column.vocab.get("title"):
        return None
    return next((c.name for c in table.columns if c.vocab.get("title", 0) >= TITLED_SHARE), None)


def _with_shipping(table: TableProfile) -> dict[str, tuple[str, list[str]]]:
    """Totals that add shipping (and taxes, less discounts) to the goods, row by row: total -> (the goods' column,
    the columns added). WooCommerce's `Sales total` = `Products total` + `Shipping Total` + `VAT paid`: the sale
    of the goods is their part; the shipping charged beside them is none of it."""
    money = [c.name for c in table.columns if c.name in table.numbers and c.share("money") >= 0.5]
    charges = OTHER_MONEY_WORDS | SHIPPING_WORDS | DISCOUNT_WORDS
    extras = [name for name in money if set(table.column(name).phrase.split()) & charges]
    found = {}
    for total in money:
        for base in (name for name in money if name != total and name not in extras):
            added = _added_to(table, total, base, [name for name in extras if name != total])
            if added and set(w for name in added for w in table.column(name).phrase.split()) & SHIPPING_WORDS:
                found[total] = (base, added)
                break
    return found


def _added_to(table: TableProfile, total: str, base: str, extras: list[str]) -> list[str] | None:
    """The fewest of `extras` that, added to `base` (discounts taken off), make `total` on nearly every row."""
    for size in range(1, min(len(extras), MAX_ADDED) + 1):
        for added in combinations(extras, size):
            if _sums_up(table, total, base, added):
                return list(added)
    return None


def _sums_up(table: TableProfile, total: str, base: str, added: tuple[str, ...]) -> bool:
    signs = [-1.0 if set(table.column(name).phrase.split()) & DISCOUNT_WORDS else 1.0 for name in added]
    rows = zip(table.numbers[total], table.numbers[base], *(table.numbers[name] for name in added), strict=True)
    complete = [row for row in rows if row[0] is not None and row[1] is not None]
    matched = sum(
        abs(row[0] - row[1] - sum(sign * (value or 0.0) for sign, value in zip(signs, row[2:], strict=True)))
        <= 0.011 + 0.0005 * abs(row[0])
        for row in complete
    )
    differs = any(abs(row[0] - row[1]) > 0.011 for row in complete)
    return differs and len(complete) >= 3 and matched >= 0.9 * len(complete)


def _funnel_status(kind: str, table: TableProfile) -> str | None:
    """Of a lead file's columns named as its status, the one whose values reach a converted lead (Customer,
    Opportunity): HubSpot's `Lifecycle Stage` beside its `Lead Status` (New, In Progress, Connected), which says
    how the sales team is working the lead but not how far it got in the funnel."""
    if kind != "leads":
        return None
    reaching = [
        c.name
        for c in table.columns
        if c.vocab.get("lead_converted")
        and c.vocab.get("lead_status", 0) >= 0.5
        and name_score(kind, "status", c) >= MIN_FIELD
    ]
    return reaching[0] if len(reaching) == 1 else None


def _own_key(kind: str, table: TableProfile) -> str | None:
    """The column that is the rows' own key by its bare name (`Id`, `Record ID`). Beside a system's GUID, a unique
    `number` (Business Central's `OP001000`) is the key people use and quote, so it is the own key. Beside an
    `order_id`, a bare `id` keys the order's parts (its items, the payments made for it): the order is the key."""
    if kind == "orders":
        order = next((c for c in table.columns if c.phrase == "order id" and c.filled), None)
        if order is not None and any(_bare_key(c) for c in table.columns):
            return order.name
    bare = next((c for c in table.columns if _bare_key(c)), None)
    if bare is None or not _is_own_key_kind(kind) or bare.share("uuid") < 0.9:
        return bare.name if bare else None
    numbers = [c for c in table.columns if c is not bare and _business_number(kind, c)]
    return numbers[0].name if numbers else bare.name


def _partial_key(table: TableProfile) -> str | None:
    """A bare `Id` blank on some of the sampled rows: in a line-item export (Shopify's orders) the order's fields
    are on its first line only, so it keys orders but not the rows; a row without its own key cannot be loaded."""
    bare = next((c for c in table.columns if _bare_key(c)), None)
    sampled = max(c.filled for c in table.columns)  # the sample's rows, as the fullest column holds them
    return bare.name if bare and bare.filled < KEY_FILLED * sampled else None


def _business_number(kind: str, column: ColumnProfile) -> bool:
    words = column.phrase.split()
    named = bool(words) and words[-1] in BUSINESS_KEY_WORDS and not set(words[:-1]) - _kind_words(kind)
    return named and column.unique >= 0.95 and column.share("opaque") >= 0.8 and column.share("uuid") < 0.5


@cache
def _is_own_key_kind(kind: str) -> bool:
    return kind in ENTITY_KINDS + ("orders",)


def _in_cents(table: TableProfile) -> dict[str, str]:
    """Money columns in cents beside money in currency units: named so (`amount_cents` beside `amount` $36.00), or
    whole numbers whose range is exactly 100 times that of a column of money (Close's `value` 360000 beside
    `value_formatted` $3,600.00; not a quantity beside its amounts at a price of 100). Column -> why, for the
    reason. Where all the money is in cents (Lago's `total_amount_cents`), the load turns it into units."""
    numbers = [c for c in table.columns if c.is_number and c.high]
    in_units = any(c.share("money") >= 0.5 and not set(c.phrase.split()) & CENTS_WORDS for c in numbers)
    found = {}
    for column in numbers:
        if set(column.phrase.split()) & CENTS_WORDS:
            if in_units:
                found[column.name] = "its name says cents"
            continue
        if column.share("integer") < 0.99:
            continue
        for other in numbers:
            if other is not column and other.share("money") >= 0.5 and _hundredfold(column, other):
                found[column.name] = f"its amounts are 100 times '{other.name}''s: cents"
                break
    return found


def _hundredfold(column: ColumnProfile, other: ColumnProfile) -> bool:
    pairs = ((column.low or 0.0, other.low or 0.0), (column.high or 0.0, other.high or 0.0))
    return all(abs(big - 100 * small) <= 0.001 * abs(big) for big, small in pairs) and bool(column.high)


def _known_as(kind: str, name: str, said: str) -> bool:
    """Whether one of the field's phrases holds every word of `said` (`campaign name`, not just `nps`)."""
    return any(set(said.split()) <= set(known.split()) for known in _phrases(kind, name))


def _best_reading(
    kind: str, spec: Field, column: ColumnProfile, thing: str | None, link: Link | None
) -> tuple[float, str, float]:
    """(score, reason, how well the name alone says it) of the column as the field: as it is named, or, for a bare
    generic header in a file named after `thing`, as the thing's (`Name` in `Campaign.csv`: `Campaign Name`)."""
    score, reason = pair_score(kind, spec, column, link)
    best = (score, reason, name_score(kind, spec.name, column))
    said = f"{thing} {column.phrase}"
    if thing and column.phrase in _generic() and _known_as(kind, spec.name, said):
        reading = replace(column, phrase=said)
        score, reason = pair_score(kind, spec, reading, link)
        best = max(
            best,
            (
                round(NAMED_AFTER_FILE * score, 3),
                f"{reason} in a file of {plural(thing)}",
                name_score(kind, spec.name, reading),
            ),
        )
    words = column.phrase.split()
    if thing and thing not in _kind_words(kind) and len(words) > 1 and words[0] == thing:
        reading = replace(column, phrase=" ".join(words[1:]))  # `Lead number` in won_leads.csv read as deals:
        score, reason = pair_score(kind, spec, reading, link)  # the number of the file's rows, by its own word
        best = max(
            best,
            (
                round(NAMED_AFTER_FILE * score, 3),
                f"{reason}, in a file that calls its rows {thing}s",
                name_score(kind, spec.name, reading),
            ),
        )
    return best


@lru_cache(maxsize=10_000)
def _named_after(source: str) -> str | None:
    """The one thing a file is named after, when its name says what a row is (`Campaign.csv`, `deals-export.csv`,
    `Accounts_2024.csv`): the last word of its name that is no filler or date, if it is a kind's word."""
    name = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", source.split("›")[-1])
    kept = [w for w in words(name) if w not in NAME_FILLERS and not w.isdigit() and not re.fullmatch(MONTH, w)]
    said = _singular(kept[-1]) if kept else None
    return said if said and any(said in _kind_words(kind) for kind in TABLE_KINDS) else None


def assign(kind: str, table: TableProfile, links: dict[str, Link] | None = None) -> dict[str, Choice]:
    """Columns to fields, best pairs first (the kind's required fields before the others), one each."""
    links = links or {}
    required = {f.name for f in TABLE_KINDS[kind].fields if f.required}
    candidates = _candidates(kind, table, links)
    choices: dict[str, Choice] = {}
    for score, _, _, name, column, reason in best_matching(candidates, required):
        choices[name] = Choice(name, column, score, reason)
    used = {choice.column for choice in choices.values()}
    _by_shape(kind, table, choices, used)
    _drop_order_total(kind, table, choices)
    _price_per_unit(kind, table, choices)
    order = TABLE_KINDS[kind].field_names
    return {name: choices[name] for name in order if name in choices}


def _price_per_unit(kind: str, table: TableProfile, choices: dict[str, Choice]) -> None:
    """An order's amount that is a price per unit, beside a quantity: its values are a few price points while
    amount / quantity varies (Stripe's subscriptions: `Amount` 15.00 a seat, for 3, 12 or 25 seats). A line's total
    is the other way round: amount / quantity gives back the few prices. Then the amount is the unit price and the
    line's amount is quantity x price."""
    amount, quantity = choices.get("amount"), choices.get("quantity")
    if kind != "orders" or "unit_price" in choices or not amount or not quantity:
        return
    if amount.column not in table.numbers or quantity.column not in table.numbers:
        return  # past the number columns kept row by row: nothing to compare
    pairs = list(zip(table.numbers[amount.column], table.numbers[quantity.column], strict=True))
    pairs = [(a, q) for a, q in pairs if a is not None and q and q != 1]
    prices = {round(a, 2) for a, _ in pairs}
    per_unit = {round(a / q, 2) for a, q in pairs}
    if len(pairs) >= 5 and len(prices) <= PRICE_POINTS * len(per_unit):
        reason = f"{len(prices)} amounts for {len(per_unit)} amounts per unit: a price per unit"
        choices["unit_price"] = Choice("unit_price", amount.column, amount.score, f"{amount.reason}; {reason}")
        del choices["amount"]


def _drop_order_total(kind: str, table: TableProfile, choices: dict[str, Choice]) -> None:
    """In a file of order lines with a quantity and a unit price on every line, an amount that is the order's is
    no line's amount: as one it would count the order and its lines' quantity x price twice. The order's amount is
    either written on its first line only (Shopify's `Total`: blank on the others) or repeated on each of its lines
    (Squarespace's `Subtotal`, Wix's `Total`). The lines' amounts are their quantity x price."""
    line = [choices.get(name) for name in ("quantity", "unit_price")]
    if kind != "orders" or "amount" not in choices or not all(line):
        return
    filled = min(table.column(choice.column).filled for choice in line)
    amount = choices["amount"].column
    if table.column(amount).filled < KEY_FILLED * filled or _repeated_on_lines(table, amount, *line):
        del choices["amount"]


def _repeated_on_lines(table: TableProfile, amount: str, quantity: Choice, price: Choice) -> bool:
    """On two or more lines in a row the amount is the same while their quantity x price differ, and it covers
    their quantity x price together: the order's amount, written on each of its lines (the lines of an order
    come one after another)."""
    columns = (amount, quantity.column, price.column)
    if not all(name in table.numbers for name in columns):
        return False  # past the number columns kept row by row: nothing to compare
    rows = list(zip(*(table.numbers[name] for name in columns), strict=True))
    runs, start = [], 0
    for index in range(1, len(rows) + 1):
        if index == len(rows) or rows[index][0] != rows[start][0]:
            runs.append(rows[start:index])
            start = index
    for run in runs:
        lines = [q * p for a, q, p in run if a is not None and q is not None and p is not None]
        if len(lines) == len(run) >= 2 and len(set(lines)) > 1 and run[0][0] >= (1 - ORDER_DISCOUNT) * sum(lines):
            return True
    return False


def best_matching(candidates: list[tuple], required: set[str]) -> list[tuple]:
    """The pairs to keep, each field and each column at most once, for the most evidence in all: a field whose
    best column another field also wants takes it when that field has a next-best column (Dynamics' `Status`
    holds the status class, and `Status Reason` the status). Each pair weighs by how far its score is above
    BASELINE, so two middling pairs do not outweigh one sure pair; a required field that is well named
    (0.6 or more) comes before all others, as a person maps the key first; ties go to the better name, then to
    the column further left."""
    fields = sorted({c[3] for c in candidates})
    columns = sorted({c[4] for c in candidates})
    if not fields:
        return []
    weight = {}
    for score, named, position, name, column, _ in candidates:
        bonus = REQUIRED_BONUS if name in required and score >= 0.6 else 0.0
        weight[name, column] = score - BASELINE + bonus + 1e-4 * named - 1e-10 * position  # scores have 3 decimals
    cost = [[-weight.get((f, c), 0.0) for c in columns] for f in fields]
    if len(fields) > len(columns):  # rows must not outnumber columns: pad with columns no field wants
        cost = [row + [0.0] * (len(fields) - len(columns)) for row in cost]
    pairs = _hungarian(cost)
    kept = {(fields[r], columns[c]) for r, c in pairs if c < len(columns) and (fields[r], columns[c]) in weight}
    return [c for c in candidates if (c[3], c[4]) in kept]


def _hungarian(cost: list[list[float]]) -> list[tuple[int, int]]:
    """Rows to columns (rows <= columns) at the least total cost: the Hungarian method, O(rows² x columns)."""
    n, m = len(cost), len(cost[0])
    u, v, p, way = [0.0] * (n + 1), [0.0] * (m + 1), [0] * (m + 1), [0] * (m + 1)
    for i in range(1, n + 1):
        p[0], j0 = i, 0
        minv, used = [float("inf")] * (m + 1), [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = p[j0], float("inf"), 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    return [(p[j] - 1, j - 1) for j in range(1, m + 1) if p[j]]


def _by_shape(kind: str, table: TableProfile, choices: dict[str, Choice], used: set[str]) -> None:
    """Fields no header names, taken by what the values are, when the rest of the file says what it is: the
    kind's main date (the best-named unused date column), its own id (a unique code in a column named only as
    the kind's id, such as Dynamics' `(Do Not Modify) Opportunity`), a survey's 0-10 answer and its comment."""
    free = [c for c in table.columns if c.name not in used and c.filled and not _loader_column(c)]
    main_date = MAIN_DATES.get(kind)
    if main_date and main_date not in choices:
        dates = sorted(
            (c for c in free if c.is_date and not set(c.phrase.split()) & NOT_EVENT_DATE_WORDS),
            key=lambda c: -name_score(kind, main_date, c),
        )
        if dates:
            _take(choices, used, main_date, dates[0], f"{dates[0].words()} (its name does not say so; the best-named)")
    own_id = next((f.name for f in TABLE_KINDS[kind].fields if f.required and f.role == "id"), None)
    if kind in ENTITY_KINDS and own_id not in choices:
        keys = [c for c in free if c.name not in used and c.is_key and _only_names_the_kind(kind, c)]
        if keys:
            _take(choices, used, own_id, keys[0], f"{keys[0].words()} (its name does not say so, but names the {kind})")
        ids = [c for c in free if c.name not in used and c.is_key and _named_an_id(c)]
        if own_id not in choices and ids:  # Mailchimp's `LEID`: better the export's own id than a made-up one
            _take(choices, used, own_id, ids[0], f"{ids[0].words()}, named by an acronym of an id")
        codes = [c for c in free if c.name not in used and c.is_key and _own_code(kind, c)]
        if own_id not in choices and codes:  # ERPs key master data by a code (SAP's `CardCode`: K10001)
            _take(choices, used, own_id, codes[0], f"{codes[0].words()}, a different code on every row")
    if kind == "stage_history" and "opportunity_id" not in choices:  # a deal passes several stages: its id repeats
        repeated = [c for c in free if c.name not in used and c.phrase.split()[-1:] == ["id"] and c.unique < 0.9]
        if len(repeated) == 1:
            _take(choices, used, "opportunity_id", repeated[0], f"{repeated[0].words()} repeating: what changed")
    if kind in ("orders", "opportunities", "spend") and "amount" not in choices and "unit_price" not in choices:
        money = [c for c in free if c.name not in used and c.is_number and c.share("money") >= 0.5]
        money = [c for c in money if not set(c.phrase.split()) & (OTHER_MONEY_WORDS | CODE_WORDS)]
        money = [c for c in money if c.phrase not in BILLING_TERMS | CUSTOMER_ONLY_TERMS]  # `Total Spend`: not a sale
        if len(money) == 1:  # the file's only amount of money is its amount
            _take(choices, used, "amount", money[0], f"{money[0].words()} (its name does not say so; the only money)")
    if kind == "orders" and "account_id" not in choices:  # a shop knows its customers by their e-mail
        emails = [c for c in free if c.name not in used and c.share("email") >= 0.9]
        if emails:
            _take(choices, used, "account_id", emails[0], "e-mail addresses, the customer's (no customer id)")
    if kind == "accounts" and "name" not in choices:  # SAP's `CardName`: names no name, but holds companies'
        companies = [c for c in free if c.name not in used and c.share("company") >= COMPANY_SHARE and _short_text(c)]
        if companies:
            _take(choices, used, "name", companies[0], f"{companies[0].words()}: companies, by their legal forms")
    if kind in DESCRIBED_KINDS and "name" not in choices:  # ERPs name a deal or a customer by its `Description`
        described = [c for c in free if c.name not in used and c.phrase == "description" and _short_text(c)]
        if described:
            _take(choices, used, "name", described[0], f"{described[0].words()}: short descriptions, the only name")
    if kind in DESCRIBED_KINDS and "name" not in choices:  # Odoo's `Opportunity`: 'Conference table', 'Desks'
        titled = [c for c in free if c.name not in used and _names_only_the_kind(kind, c) and _short_text(c)]
        if titled and titled[0].share("opaque") < 0.5:
            _take(choices, used, "name", titled[0], f"{titled[0].words()}, named only as the {kind}: their names")
    if kind == "leads" and "company" not in choices and _contact_named(table):
        bare = [c for c in free if c.name not in used and _bare_name(c) and _short_text(c)]
        if bare:  # Close's `display_name` beside `primary_contact_name`: the lead is the company
            _take(choices, used, "company", bare[0], f"names beside '{_contact_named(table)}': the company's")
    named = "name" in choices and table.column(choices["name"].column).phrase == "name"
    if named and any(c.phrase == "first name" for c in table.columns):  # `Nom` beside `Prénom`: the family name
        used.discard(choices.pop("name").column)
    if kind == "nps":
        scores = [c for c in free if c.name not in used and _could_be_score(c)]
        if "score" not in choices and len(scores) == 1:
            _take(choices, used, "score", scores[0], "whole numbers from 0 to 10 (its name does not say so)")
        texts = [c for c in free if c.name not in used and _prose(c)]
        if "comment" not in choices and texts:
            longest = max(texts, key=lambda c: c.length)
            _take(choices, used, "comment", longest, "free text, the longest answers in the file")


def _own_code(kind: str, column: ColumnProfile) -> bool:
    """A column of codes named `... code` after no other kind (not a product's or a customer's code)."""
    words = column.phrase.split()
    return words[-1:] == ["code"] and column.share("opaque") >= 0.8 and not set(words) & _other_kinds_words(kind)


def _loader_column(column: ColumnProfile) -> bool:
    return bool(LOADER_COLUMN.match(column.name))


def _authors(column: ColumnProfile) -> bool:
    """A field of the user who wrote the record, flattened from an API's nested object (`createdBy.email`,
    `created_by__source`): it describes that user, not the row's person, deal or source."""
    return bool(AUTHOR_PATH.match(column.name))


def _bare_name(column: ColumnProfile) -> bool:
    """Only `name` (`Name`, `display_name`): whose name, the rest of the file says."""
    return [w for w in column.phrase.split() if w not in LABEL_WORDS] == ["name"]


def _contact_named(table: TableProfile) -> str | None:
    """A column holding a person's whole name as the row's contact (`primary_contact_name`, `Contact Name`): the
    row is an organisation, and a bare name beside it is the organisation's. A first and last name are not it:
    beside them `Name` is the person's full name."""
    return next((c.name for c in table.columns if CONTACT_NAME_PHRASES & _sub_phrases(c.phrase)), None)


def _sub_phrases(header: str) -> set[str]:
    words = header.split()
    return {" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}


def _prose(column: ColumnProfile) -> bool:
    """Long, mostly different values that are not numbers, dates, links or e-mail addresses: answers written by
    people (a response's `updated_at` or a company's `website` is as long and as different)."""
    written = not column.is_number and not column.is_date and not _links(column) and column.share("opaque") < 0.5
    return written and column.share("email") < 0.5 and column.length >= 20 and column.unique >= 0.7


def _links(column: ColumnProfile) -> bool:
    linked = sum(example.lower().startswith(("http://", "https://", "www.")) for example in column.examples)
    return 2 * linked > len(column.examples)


def _short_text(column: ColumnProfile) -> bool:
    """Words rather than prose or codes: a name's length, not a note's."""
    return not column.is_number and not column.is_date and 0 < column.length <= SHORT_TEXT


def _take(choices: dict[str, Choice], used: set[str], name: str, column: ColumnProfile, reason: str) -> None:
    choices[name] = Choice(name, column.name, 0.5, reason)
    used.add(column.name)


def _named_an_id(column: ColumnProfile) -> bool:
    """Named only by an acronym of an id (Mailchimp's `LEID`, `EUID`): an id of nothing the header names. A header
    naming a thing (`seller_id`) keys that thing, not the row."""
    return ACRONYM_ID.fullmatch(column.name.strip()) is not None


def _only_names_the_kind(kind: str, column: ColumnProfile) -> bool:
    return not set(column.phrase.split()) - _kind_words(kind) - KEY_WORDS


def plural(noun: str) -> str:
    """`campaigns`, `companies`, `opportunities`, `boxes`: for reasons shown to the user."""
    if re.search(r"[^aeiou]y$", noun):
        return noun[:-1] + "ies"
    return noun + ("es" if re.search(r"(s|x|z|ch|sh)$", noun) else "s")


def _names_only_the_kind(kind: str, column: ColumnProfile) -> bool:
    words = set(column.phrase.split())
    return bool(words) and words <= _kind_words(kind)


def own_key(table: TableProfile) -> str | None:
    """The column that keys the file's rows by its bare name (`id`, `Record ID`), whatever kind they are."""
    return next((c.name for c in table.columns if _bare_key(c)), None)


def natural_keys(kind: str, table: TableProfile) -> list[str]:
    """Columns that may key the rows when none is named their id: short text, filled and different on every
    sampled row (a company's domain, a contact's e-mail), which other files may carry to point at those rows;
    not one named after another kind's rows (a deal's `Contact_Name` names its contact, however unique)."""
    sampled = min(table.rows, SAMPLE_ROWS)
    return [
        c.name
        for c in table.columns
        if not set(c.phrase.split()) & _other_kinds_words(kind)
        and c.filled >= KEY_FILLED * sampled
        and c.distinct >= 3
        and c.unique >= 0.95
        and not c.is_date
        and not c.is_number
        and c.length <= SHORT_TEXT
    ]


def other_keys(table: TableProfile, taken: str) -> list[str]:
    """Columns beside the one taken as the rows' key that are named as keys and differ on every sampled row
    (`productID` beside `productName`): other files may point at the rows by them."""
    sampled = min(table.rows, SAMPLE_ROWS)
    return [
        c.name
        for c in table.columns
        if c.name != taken
        and set(c.phrase.split()) & KEY_WORDS
        and c.filled >= KEY_FILLED * sampled
        and c.unique >= 0.95
        and c.distinct >= 3
        and not c.is_date
        and not (c.is_number and c.share("integer") < 0.99)
    ]


def _bare_key(column: ColumnProfile) -> bool:
    return column.phrase in OWN_KEY_PHRASES and column.filled > 0 and column.unique >= 0.95 and not column.is_date


@lru_cache(maxsize=10_000)
def other_row(source: str) -> str | None:
    """What the file's name says a row is, when it is none of the kinds (`payouts.csv`: a payout; `Time Off
    Requests`: time off; `CampaignMember.csv`: a campaign membership): the last word of the name that is no
    filler, before any breakdown (`spend_by_channel`)."""
    name = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", source.split("›")[-1])
    tokens = [t.lower() for t in re.split(r"[^0-9A-Za-zÀ-ÿ]+|(?<=[a-z])(?=[A-Z])", name) if t]
    for index, token in enumerate(tokens):
        if token in NAME_BREAKDOWN:
            tokens = tokens[:index]
            break
    kept = [_singular(w) for t in tokens if not re.fullmatch(rf"\d+|{MONTH}", t) for w in words(t)]
    kept = [w for w in kept if w not in NAME_FILLERS]
    if not kept:
        return None
    said = " ".join(kept)
    for known in OTHER_ROW_PHRASES:
        if said == known or said.endswith(" " + known):
            return known
    if kept[-1] in OTHER_ROW_WORDS:
        return kept[-1]
    if kept[-1] == "member" and len(kept) > 1 and kept[-2] in MEMBERSHIP_OF:
        return f"{kept[-2]} membership"
    return None


def _other_rows(table: TableProfile) -> str | None:
    """What a row is when the file's name, its own key or a column of its types says it is none of the kinds."""
    named = other_row(table.source)
    if named:
        return named
    if any(_bare_key(c) for c in table.columns):
        return None  # beside the rows' own `id`, a unique `sessionId` is the session each row belongs to
    for column in table.columns:
        words = column.phrase.split()
        if len(words) == 2 and words[1] == "id" and words[0] in OTHER_ROW_KEYS and column.unique >= 0.95:
            return words[0]  # `sessionId`, unique: one row per session
    if len(_named_kinds(table)) == 1:
        return None  # `attendees.csv` with a `Ticket Type`: the name says what a row is more surely than a type
    for column in table.columns:
        words = column.phrase.split()
        thing = " ".join(words[:-1])
        if words[-1:] == ["type"] and (thing in OTHER_ROW_PHRASES or thing in OTHER_ROW_KEYS):
            return thing  # `Time Off Type`, `Ticket Type`: which kind of time off or ticket each row is
    return None


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _naming(kind: str, table: TableProfile, referred: dict[str, str] | None = None) -> tuple[float, str]:
    """The file's name and headers naming what a row is (`closed_deals.csv`, `Lead Source`), or, for a file whose
    name names no kind (`export.csv`), another file's column that holds its ids (an invoice's `Customer`)."""
    if _other_rows(table):  # `order_reviews.csv` names orders, but its rows are reviews
        return 0.0, ""
    if kind in _named_kinds(table):
        return 1.0, f"its name '{table.source}'"
    if referred and kind in referred and not _named_kinds(table):
        return 1.0, f"{referred[kind]}, which holds its ids,"
    headers = [c.name for c in table.columns if _says_kind(kind, set(c.phrase.split()))]
    if kind == "accounts":  # `creditLimit` names its rows customers as a `Customer` header would
        headers += [c.name for c in table.columns if c.phrase in CUSTOMER_ONLY_TERMS]
    if headers:  # weaker than the file's name: `Customer ID` is as usual in orders as in accounts
        return min(len(headers), 3) / 6, f"headers such as '{headers[0]}'"
    return 0.0, ""


def _named_kinds(table: TableProfile) -> list[str]:
    """The kinds the file's name says. `account_history` and `subscription_history` hold versions of accounts and
    subscriptions (as ELT loaders name such tables): `history` says stage history alone or of deals only; the
    updates or changes of deals (`deal_updates`) are their stage history too."""
    said = set(table.name_phrase.split())
    said |= {_singular(word) for word in said}  # `employees.csv`: the word kept plural as a company's size names staff
    named = [kind for kind in TABLE_KINDS if _says_kind(kind, said)]
    if named == ["opportunities"] and said & CHANGE_NAME_WORDS:  # `deal_updates`: the changes of deals
        named.append("stage_history")
    if "stage_history" in named and set(named) - {"stage_history", "opportunities"}:
        named.remove("stage_history")
    return named


def referenced_kind(column: ColumnProfile) -> str | None:
    """The kind a column's name says the rows it refers to are, by its last word that is no key word (`Customer`,
    `customer_id`: accounts; `first_order_item.product_id`: products), whatever kind its own file is; None for a
    bare `id` (the rows' own key) or a name that says no kind other files' columns refer to."""
    said = [w for w in column.phrase.split() if w not in KEY_WORDS and w != "name"]
    if _bare_key(column) or not said:
        return None
    return next((kind for kind, _ in REFERENCES.values() if said[-1] in _kind_words(kind)), None)


def _foreign_columns(kind: str, assigned: dict[str, dict[str, Choice]]) -> list[tuple[str, str]]:
    """Columns the kind leaves unused that another kind surely reads as something only it has (`Hire date` and
    `Termination date` in a file read as leads): evidence that the rows are the other kind's. Each column once,
    with what it reads as (`End date of Headcount`)."""
    used = {c.column for c in assigned[kind].values()}
    own = set(TABLE_KINDS[kind].field_names)
    foreign = {}
    for other, choices in sorted(assigned.items()):
        for choice in choices.values():
            if choice.score >= FOREIGN_SCORE and choice.field in DISTINCTIVE[other] and choice.field not in own:
                said = f"{TABLE_KINDS[other].field(choice.field).label} of {TABLE_KINDS[other].label}"
                foreign.setdefault(choice.column, said)
    return sorted((column, said) for column, said in foreign.items() if column not in used)


def kind_score(
    kind: str,
    table: TableProfile,
    choices: dict[str, Choice],
    foreign: list[tuple[str, str]] | None = None,
    referred: dict[str, str] | None = None,
) -> tuple[float, str]:
    """0..1: how well the file fits the kind, and what says so; `foreign` are columns only another kind explains,
    `referred` the kinds other files' columns holding its ids name (see `referenced_kind`)."""
    spec = TABLE_KINDS[kind]
    distinctive = sum(c.score for c in choices.values() if c.field in DISTINCTIVE[kind])
    common = sum(c.score for c in choices.values() if c.field not in DISTINCTIVE[kind])
    coverage = min(1.0, (distinctive + 0.3 * common) / min(3.5, 0.6 * len(table.columns) or 1))
    required = [f.name for f in spec.fields if f.required]
    held = [choices[name].score if name in choices else _surrogate_credit(kind, name) for name in required]
    naming, named_by = _naming(kind, table, referred)
    explained = min(1.0, sum(c.score >= 0.6 for c in choices.values()) / max(1, min(len(table.columns), 10)))
    score = 0.4 * coverage + 0.2 * (sum(held) / len(held)) + 0.25 * naming + 0.15 * explained
    if distinctive == 0:
        score *= 0.5  # only fields every kind has: a name and a date say little
    evidence = Evidence(kind, table, choices, naming, foreign or [])
    labels = [spec.field(c.field).label for c in choices.values() if c.field in DISTINCTIVE[kind]]
    said = [f"it holds {_listed(labels)}" if labels else "", f"{named_by} says so" if named_by else ""]
    for doubt in DOUBTS:
        found = doubt.found(evidence)
        if found:
            score *= doubt.factor(found) if callable(doubt.factor) else doubt.factor
            said.append(doubt.says.format(found=found, row_is=spec.row_is))
    return round(score, 3), "; ".join(part for part in said if part)


@dataclass(frozen=True)
class Evidence:
    """What a kind's score is judged on: the file, the columns the kind took, how surely the file's name says the
    kind (0..1) and the columns only another kind explains."""

    kind: str
    table: TableProfile
    choices: dict[str, Choice]
    naming: float
    foreign: list[tuple[str, str]]


@dataclass(frozen=True)
class Doubt:
    """Evidence that a file's rows are not the kind's, however well its columns fit. When `found` finds something,
    the kind's score is multiplied by `factor` (or by `factor` of what was found) and the reason adds `says`,
    which may name what was found (`{found}`) and what a row of the kind is (`{row_is}`)."""

    factor: float | Callable[[Any], float]
    found: Callable[[Evidence], Any]
    says: str


def _lacking(e: Evidence) -> bool:
    """Nothing the kind cannot be without, only what every kind has (a date, a name, an owner). A bare `Id` keys
    rows of any kind: it tells the kind only in a file whose name says it (`customers.csv`)."""
    if e.kind == "spend" and _amounts_by_period(e.table):
        return False
    if e.kind == "accounts" and _customer_terms(e.table):
        return False
    telling = {name for name, c in e.choices.items() if e.naming == 1.0 or not _bare_key(e.table.column(c.column))}
    if e.kind == "orders" and e.naming < 1.0:  # a document's number and date alone (Comarch's CRM contacts) are
        telling -= {"order_id"}  # no sale: it takes an amount, a price or a quantity, or a name saying orders
    return not telling & set(ESSENTIAL[e.kind])


def _customer_terms(table: TableProfile, kind: str = "accounts") -> list[str]:
    """Columns of what a seller keeps about each customer it bills, when they say the rows are customers rather
    than the kind's: one only a customer has (`creditLimit`, `Payment Count`), or MIN_BILLING_TERMS a subscription
    or an invoice may carry too (`mrr`, `bill_cycle_day`, `auto_pay`), which say nothing against orders."""
    only = [c.name for c in table.columns if c.phrase in CUSTOMER_ONLY_TERMS]
    billing = [c.name for c in table.columns if c.phrase in BILLING_TERMS]
    if kind != "orders" and len(only + billing) >= MIN_BILLING_TERMS:
        return only + billing
    return only


def _unscored(e: Evidence) -> bool:
    """A survey without a 0-10 answer to `how likely ... recommend` is no NPS survey."""
    return e.kind == "nps" and "score" not in e.choices and not any(_could_be_score(c) for c in e.table.columns)


# In the order the reason names them.
DOUBTS = (
    Doubt(
        REPEATED_FACTOR,
        lambda e: _repeated_own_id(e.kind, e.table),
        "but its '{found}' repeats, so its rows are not one per {row_is}",
    ),
    Doubt(
        CHILD_FACTOR,
        lambda e: _child_of(e.kind, e.table, e.choices),
        "but its rows have their own key '{found[0]}' and refer to another file's by '{found[1]}'",
    ),
    Doubt(
        OTHER_ROW_FACTOR, lambda e: _other_rows(e.table), "but each row is a {found} (its name or its own key says so)"
    ),
    Doubt(
        lambda found: 1 - FOREIGN_STEP * min(len(found), MAX_FOREIGN),
        lambda e: e.foreign,
        "but '{found[0][0]}' reads as {found[0][1]}, which no {row_is} has",
    ),
    Doubt(UNSCORED_FACTOR, _unscored, "but it holds no 0-10 recommendation score"),
    Doubt(
        WINNABLE_FACTOR,
        lambda e: e.kind == "leads" and _chance_of_winning(e.table),
        "but its '{found}' is a chance of winning, which deals have and leads do not",
    ),
    Doubt(
        WON_NAMED_FACTOR,
        lambda e: e.kind == "leads" and _won_named(e.table),
        "but its name says its rows were won ('{found}'), as deals are",
    ),
    Doubt(
        COMPANIES_FACTOR,
        lambda e: e.kind == "leads" and _describes_companies(e.table, e.choices),
        "but it describes companies and names no person",
    ),
    Doubt(
        FACELESS_FACTOR,
        lambda e: e.kind == "leads" and not e.naming and _names_no_one(e.table, e.choices),
        "but it names no one: no person, company or e-mail address",
    ),
    Doubt(
        EMPLOYERS_FACTOR,
        lambda e: e.kind == "headcount" and _several_employers(e.table),
        "but its '{found}' names a different company for most people: they are contacts, not staff",
    ),
    Doubt(
        CHANGE_LOG_FACTOR,
        lambda e: e.kind != "stage_history" and _change_log(e.table),
        "but '{found[0]}' and '{found[1]}' make each row a change of a value",
    ),
    Doubt(
        CATALOGUE_FACTOR,
        lambda e: e.kind == "orders" and not e.naming and _unsold(e.table, e.choices),
        "but nothing says who bought or how much: a list of things for sale",
    ),
    Doubt(LACKING_FACTOR, _lacking, "but it holds nothing a {row_is} cannot be without"),
    Doubt(
        UNDATED_FACTOR,
        lambda e: e.kind in EVENT_KINDS and _undated(e.kind, e.table),
        "but it holds no date, and a {row_is} happens at a time: the rows are kinds of them",
    ),
    Doubt(
        AD_DELIVERY_FACTOR,
        lambda e: e.kind != "spend" and _ad_delivery(e.table),
        "but it counts impressions and clicks, as an ad platform's report does",
    ),
    Doubt(
        PLANNED_FACTOR,
        lambda e: e.kind != "spend" and _planned_and_spent(e.table),
        "but '{found[0]}' and '{found[1]}' are money planned and spent, as a budget's lines hold",
    ),
    Doubt(
        CUSTOMER_FACTOR,
        lambda e: e.kind != "accounts" and _customer_terms(e.table, e.kind),
        "but '{found[0]}' is what a seller keeps about a customer it bills",
    ),
    Doubt(
        COUNTED_FACTOR,
        lambda e: _counts_of(e.kind, e.table),
        "but its '{found}' counts them: each row holds several, so it is no {row_is}",
    ),
    Doubt(
        PRICED_FACTOR,
        lambda e: e.kind == "spend" and _priced(e.table),
        "but '{found}' is a price: what a thing sells for, beside what it costs",
    ),
    Doubt(
        PURCHASES_FACTOR,
        lambda e: e.kind == "orders" and _purchases(e.table),
        "but '{found}' names the supplier: the rows are purchases, costs rather than sales",
    ),
    Doubt(
        LEDGER_FACTOR,
        lambda e: e.kind in ("orders", "opportunities") and _double_entry(e.table),
        "but its debit and credit columns make its rows ledger lines",
    ),
    Doubt(
        DEMOGRAPHIC_FACTOR,
        lambda e: e.kind in NOT_PEOPLE_KINDS and _demographics(e.table),
        "but '{found[0]}' and '{found[1]}' describe people, so each row is a person",
    ),
    Doubt(
        UNTOUCHED_FACTOR,
        lambda e: e.kind == "activities" and _untouched(e.table, e.choices),
        "but it says nothing of a touch with a buyer: with whom, about what, how long or how it went",
    ),
    Doubt(
        UNCLAIMED_KEY_FACTOR,
        lambda e: _unclaimed_key(e.kind, e.table, e.choices),
        "but its rows are keyed by '{found}', which names no {row_is}",
    ),
    Doubt(
        PRICED_WORK_FACTOR,
        lambda e: e.kind == "spend" and not _ad_delivery(e.table) and _priced_work(e.table, e.choices),
        "but its '{found[0]}' is '{found[1]}' times '{found[2]}' on every row: units priced, not money spent",
    ),
    Doubt(  # an id, an amount and a date: any money movement has them
        UNPROGRESSED_FACTOR,
        lambda e: e.kind == "opportunities" and not set(e.choices) & DEAL_PROGRESS and not e.naming,
        "but nothing says how far a deal got (no stage, outcome, close date or probability)",
    ),
)


def _undated(kind: str, table: TableProfile) -> bool:
    """No column of dates and none named as the kind's date (an epoch `timestamp` holds numbers): Marketo's
    activity types (`id`, `name`, `description`) define calls and visits rather than log them."""
    main_date = MAIN_DATES[kind]
    return not any(c.is_date or name_score(kind, main_date, c) >= 0.9 for c in table.columns)


def _untouched(table: TableProfile, choices: dict[str, Choice]) -> bool:
    """Events with nothing of whom they were with (a lead, a deal, an account, an e-mail address), what they were
    about (a subject, words describing each), how long they took or how they went: a product's or a website's
    events, not touches with buyers."""
    described = any(_prose(c) and c.share("json") < 0.5 for c in table.columns)
    return not set(choices) & TOUCH_FIELDS and not described and not any(c.share("email") >= 0.5 for c in table.columns)


def _unclaimed_key(kind: str, table: TableProfile, choices: dict[str, Choice]) -> str | None:
    """The file's only key, named as the id of a thing no kind names (`Candidate ID`), where the kind found no id
    of its own: the rows are those things (an ATS's applicants, not leads). Beside another unique id column the
    named one may be a thing each row refers to (`seller_id` beside `mql_id`)."""
    own = next(f.name for f in TABLE_KINDS[kind].fields if f.required)
    if kind not in ENTITY_KINDS or own in choices:
        return None
    sampled = min(table.rows, SAMPLE_ROWS)
    keys = [
        c
        for c in table.columns
        if c.phrase.split()[-1:] in (["id"], ["number"]) and c.unique >= 0.95 and c.filled >= KEY_FILLED * sampled
    ]
    named = set().union(*(_kind_words(other) for other in TABLE_KINDS)) | KEY_WORDS | _generic()
    words = keys[0].phrase.split() if len(keys) == 1 else []
    return keys[0].name if len(words) == 2 and words[0] not in named else None


def _priced_work(table: TableProfile, choices: dict[str, Choice]) -> tuple[str, str, str] | None:
    """The amount is one column times another on nearly every row (Clockify's `Billable Amount` = `Duration` x
    `Billable Rate`): hours worked or goods sold at a price, not costs booked. An ad platform's cost is clicks
    times their average cost too, which is why its delivery is left to `_ad_delivery`."""
    amount = choices.get("amount")
    if amount is None or amount.column not in table.numbers:
        return None
    others = [name for name in table.numbers if name != amount.column]
    return next(
        ((amount.column, a, b) for a, b in combinations(others, 2) if _product_of(table, amount.column, a, b)), None
    )


def _product_of(table: TableProfile, total: str, a: str, b: str) -> bool:
    rows = zip(table.numbers[total], table.numbers[a], table.numbers[b], strict=True)
    complete = [row for row in rows if None not in row]
    matched = sum(abs(t - x * y) <= 0.011 + 0.005 * abs(t) for t, x, y in complete)
    paid = sum(t != 0 for t, _, _ in complete)
    scaled = any(abs(t - x) > 0.011 for t, x, _ in complete) and any(abs(t - y) > 0.011 for t, _, y in complete)
    return scaled and len(complete) >= 3 and paid >= len(complete) / 2 and matched >= 0.9 * len(complete)


def _ad_delivery(table: TableProfile) -> bool:
    """Number columns of impressions and of clicks (or swipes, engagements): an ad platform's report, whose
    `7 Day Total Sales` are sales it claims, not the advertiser's orders."""
    said = [set(c.phrase.split()) for c in table.columns if c.is_number]
    return any(w & IMPRESSION_WORDS for w in said) and any(w & CLICK_WORDS for w in said)


def _planned_and_spent(table: TableProfile) -> tuple[str, str] | None:
    """A budgeted and an actual cost on each row (a CRM campaign's `BudgetedCost` and `ActualCost`, a budget's
    `Plan` and `Actual`): money planned and spent, whatever else the rows count or are named after."""
    said = {c.name: set(c.phrase.split()) for c in table.columns if c.is_number}
    planned = next((name for name, words in said.items() if words & PLANNED_WORDS), None)
    spent = next(
        (
            name
            for name, words in said.items()
            if words & ACTUAL_WORDS and not words & PLANNED_WORDS and (words & COST_WORDS or words <= ACTUAL_WORDS)
        ),
        None,
    )
    return (planned, spent) if planned and spent else None


def _counts_of(kind: str, table: TableProfile) -> str | None:
    """A column of whole numbers that counts the kind's rows (`Order Count`, `Total Orders`, `Number of deals`):
    each row holds some of them, so it is a customer, a campaign or a seller, not one of them."""
    for column in table.columns:
        words = set(column.phrase.split())
        counted = {f"{w}s" for w in _kind_words(kind)} | (_kind_words(kind) if "count" in words else set())
        if column.is_number and column.share("integer") >= 0.99 and words & TALLY_WORDS and words & counted:
            return column.name
    return None


def _priced(table: TableProfile) -> str | None:
    """A column of amounts named as a price (`price`, `Unit Price`): what a thing sells for. Spending has a cost
    and no price; a product's cost of goods sold sits beside its price."""
    return next(
        (c.name for c in table.columns if c.is_number and "price" in c.phrase.split() and c.share("percent") < 0.5),
        None,
    )


def _purchases(table: TableProfile) -> str | None:
    """A column naming the supplier (`Vendor`, Fortnox's `Leverantör`) and none naming a customer or holding
    e-mail addresses: supplier invoices, bills the company pays, not its sales (a shop's orders name the buyer)."""
    said = {c.name: set(c.phrase.split()) for c in table.columns}
    if any(words & BUYER_WORDS for words in said.values()) or any(c.share("email") >= 0.5 for c in table.columns):
        return None
    return next((name for name, words in said.items() if words & SUPPLIER_WORDS), None)


def _double_entry(table: TableProfile) -> bool:
    """Separate debit and credit columns (Wave's `Debit Amount`, `Credit Amount`): a ledger's lines, which hold
    invoices and payments as well as costs, not one row per sale or deal."""
    said = [set(c.phrase.split()) for c in table.columns]
    return any("debit" in w for w in said) and any("credit" in w and "debit" not in w for w in said)


def _describes_companies(table: TableProfile, choices: dict[str, Choice]) -> bool:
    """A company's industry, size or revenue and no column naming a person (a name, a title): a lead is a person,
    so these rows are the companies (HubSpot's companies, NetSuite's customers), whatever the file is called."""
    if not set(choices) & FIRMOGRAPHIC_FIELDS or "title" in choices:
        return False
    return not any(_names_person(c.phrase) for c in table.columns)


def _several_employers(table: TableProfile) -> str | None:
    """A column of companies (their names or ids) that differs from person to person: a CRM's people work at the
    companies sold to, while a roster's staff share one employer (or a few legal entities)."""
    for column in table.columns:
        named = max(name_score("leads", "company", column), name_score("leads", "account_id", column)) >= 0.9
        if named and column.distinct >= 3 and column.unique >= EMPLOYERS_SHARE:
            return column.name
    return None


def _demographics(table: TableProfile) -> list[str]:
    """Columns of what describes a person (a birth year, a marital status, an education, a household's income or
    children), when there are two or more: a list of people (consumers, a survey panel), not of companies,
    spending, sales or deals. Age and gender alone do not say it: ad platforms report spend by them."""
    found = [c.name for c in table.columns if set(c.phrase.split()) & DEMOGRAPHIC_WORDS]
    return found if len(found) >= 2 else []


def _names_no_one(table: TableProfile, choices: dict[str, Choice]) -> bool:
    """No column naming a person, no company and no e-mail address: a lead is someone, so rows that say nothing of
    who they are (a payment's `id`, `origin`, `status` and country) are not leads."""
    if set(choices) & {"company", "email", "title"} or any(c.share("email") >= 0.5 for c in table.columns):
        return False
    return not any(_names_person(c.phrase) or _bare_name(c) for c in table.columns)


def _change_log(table: TableProfile) -> tuple[str, str] | None:
    """Two columns holding one thing before and after a change (`old_value` and `new_value`, `from_stage` and
    `to_stage`): each row is a change, as in a deal's updates, not one record of a kind."""
    rest = {}
    for column in table.columns:
        head, _, tail = column.phrase.partition(" ")
        rest.setdefault((head, tail), column.name)
    for before, after in CHANGE_PAIRS:
        for (head, tail), name in rest.items():
            if head == before and tail and (after, tail) in rest:
                return name, rest[after, tail]
    return None


def _unsold(table: TableProfile, choices: dict[str, Choice]) -> bool:
    """No buyer, quantity or amount, and a key that does not name an order (a bare `Id`): the rows are things
    for sale (a price list, a product catalogue), not orders; Olist's `order_id` with a price is an order line."""
    key = choices.get("order_id")
    return not set(choices) & SOLD and not (key and _says_kind("orders", set(table.column(key.column).phrase.split())))


def _names_person(header: str) -> bool:
    return any(known == header or f" {known} " in f" {header} " for known in PERSON_PHRASES)


def _chance_of_winning(table: TableProfile) -> str | None:
    """A column named as a deal's probability and holding 0-100: Odoo's crm.lead export (`Kans`) lists deals."""
    probability = TABLE_KINDS["opportunities"].field("probability")
    for column in table.columns:
        named = name_score("opportunities", "probability", column) >= 0.9
        if named and value_fit("opportunities", probability, column)[0] >= 1.0:
            return column.name
    return None


def _won_named(table: TableProfile) -> str | None:
    """The word of the file's name that says its rows were won (Nutshell's `won_leads_2024.csv`: its leads are
    deals, and only a deal is won; a lead is converted)."""
    won = {phrase(text) for text in WON_WORDS if " " not in text}  # `closed` alone may be a lead given up
    return next((w for w in table.name_phrase.split() if w in won), None)


def _repeated_own_id(kind: str, table: TableProfile) -> str | None:
    """A column named as the kind's own id whose values repeat: the rows belong to those entities (a deal's
    history, a lead's activities) rather than being them."""
    if kind not in ENTITY_KINDS:
        return None
    id_field = next(f.name for f in TABLE_KINDS[kind].fields if f.required and f.role == "id")
    for column in table.columns:
        if column.filled >= 5 and column.unique < 0.9 and name_score(kind, id_field, column) >= 0.9:
            return None if kind == "opportunities" and _lines_of_deals(table, column) else column.name
    return None


def _lines_of_deals(table: TableProfile, key: ColumnProfile) -> bool:
    """A deal repeated on each of its product lines (Salesforce's `Opportunities with Products`): its id repeats,
    but no date takes more values than there are deals (a deal's history has a date per change), while a column
    of the lines does (its products, quantities or prices)."""
    dates = [c for c in table.columns if c.is_date]
    return (
        bool(dates)
        and all(c.distinct <= key.distinct for c in dates)
        and any(c.distinct > key.distinct and c.phrase.split()[-1:] != ["id"] for c in table.columns)
        and any(set(c.phrase.split()) & LINE_WORDS for c in table.columns)
    )


def _child_of(kind: str, table: TableProfile, choices: dict[str, Choice]) -> tuple[str, str] | None:
    """(own key, reference): a file whose own key is a bare `Id` and that also has a column named as this kind's
    id (`CampaignMember.csv`: `Id` and `LeadId`) holds rows that belong to this kind's rows, not those rows. A
    column the kind takes as its own id refers to nothing: `employee_number` beside a GUID `id` numbers the rows."""
    if kind not in ENTITY_KINDS:
        return None
    id_field = next(f.name for f in TABLE_KINDS[kind].fields if f.required and f.role == "id")
    taken = choices[id_field].column if id_field in choices else None
    own = [c for c in table.columns if _bare_key(c)]
    if len(own) != 1 or len([c for c in table.columns if c.phrase in OWN_KEY_PHRASES]) != 1:
        return None
    for column in table.columns:
        if (
            column is not own[0]
            and column.name != taken
            and column.filled
            and name_score(kind, id_field, column) >= 0.9
        ):
            return own[0].name, column.name
    return None


def _surrogate_credit(kind: str, name: str) -> float:
    spec = TABLE_KINDS[kind].field(name)
    return 0.4 if kind in SURROGATE_KINDS and spec.role == "id" else 0.0


def _listed(labels: list[str]) -> str:
    shown = ", ".join(labels[:3])
    return shown + (f" and {len(labels) - 3} more" if len(labels) > 3 else "")


def recognise(
    table: TableProfile,
    kind: str | None = None,
    links: dict[str, Link] | None = None,
    referred: dict[str, str] | None = None,
) -> Recognition:
    """The file's kind (or the one given) with its column choices and any reshape it needs; `referred`: the kinds
    other files' columns holding its ids name, with the column (see `referenced_kind`)."""
    links, referred = links or {}, referred or {}
    assigned = {name: assign(name, table, links) for name in TABLE_KINDS}
    ranked = []
    for name, choices in assigned.items():
        score, reason = kind_score(name, table, choices, _foreign_columns(name, assigned), referred)
        ranked.append((score, name, choices, reason))
    named = _named_kinds(table) or list(referred)
    if len(named) == 1 and not _other_rows(table):  # `companies.csv`: the file's name outweighs like columns
        ranked = [(score if name in named else round(0.9 * score, 3), name, *rest) for score, name, *rest in ranked]
    ranked.sort(key=lambda item: -item[0])
    scores = [(name, score) for score, name, _, _ in ranked]
    if kind is None:
        score, kind, choices, reason = ranked[0]
        if score < MIN_KIND:
            return Recognition(None, score, "no kind fits well enough", ranked=scores)
    else:
        score, _, choices, reason = next(item for item in ranked if item[1] == kind)
        choices = {**_fallback(kind, table, {c.column for c in choices.values()}), **choices}
        choices = {name: choices[name] for name in TABLE_KINDS[kind].field_names if name in choices}
        reason = f"chosen by hand; {reason}" if reason else "chosen by hand"
    recognition = Recognition(kind, score, reason, choices, ranked=scores)
    _reshape(recognition, table)
    return recognition


def _fallback(kind: str, table: TableProfile, used: set[str]) -> dict[str, Choice]:
    """A kind chosen by hand: the columns its headers do not name, taken by their values alone (ids, dates,
    numbers and yes/no values; text fields are too alike to tell apart by values)."""
    choices: dict[str, Choice] = {}
    used = set(used)
    for f in TABLE_KINDS[kind].fields:
        for column in table.columns:
            fit, values = value_fit(kind, f, column)
            if column.name in used or column.filled == 0 or fit < 1.0:
                continue
            if f.type == "VARCHAR" and not (f.role == "id" and f.required and column.is_key):
                continue  # text fields are too alike to tell apart by values
            choices[f.name] = Choice(f.name, column.name, 0.4, f"{values} (by its values; its name does not say)")
            used.add(column.name)
            break
    return choices


def _reshape(recognition: Recognition, table: TableProfile) -> None:
    kind, choices = recognition.kind, recognition.choices
    if kind == "leads":
        _qualified_leads(recognition, table)
    if kind == "accounts" and "account_id" not in choices:
        _name_as_key(recognition, table)
    for f in TABLE_KINDS[kind].fields:
        if f.required and f.role == "id" and f.name not in choices and kind in SURROGATE_KINDS:
            recognition.surrogate = f.name
    if kind == "opportunities" and not {"stage", "outcome", "is_won", "is_closed"} & set(choices):
        said = " ".join([table.name_phrase, *(c.column for c in choices.values() if c.field == "close_date")])
        if set(phrase(said).split()) & {w for text in WON_WORDS for w in phrase(text).split()}:
            recognition.constants["outcome"] = "won"
    if kind == "spend" and not {"function", "department"} & set(choices):
        words = {w for c in table.columns for w in c.phrase.split()} | set(table.name_phrase.split())
        channel = table.column(choices["channel"].column) if "channel" in choices else None
        by_channel = channel is not None and channel.vocab.get("channel", 0) >= 0.5  # TV, Paid Search, Events
        if by_channel or words & {w for text in AD_WORDS for w in phrase(text).split()}:
            recognition.constants.update({"function": "marketing", "category": "programs"})
            choices.pop("account", None)  # an ad platform's account is the advertiser's, not a ledger account


def _name_as_key(recognition: Recognition, table: TableProfile) -> None:
    """Accounts with no id column: other files name their account (a deal report's `Account Name`), so a name that
    differs on every row keys them; otherwise each row gets a made-up id. A column another file of the upload
    holds may still take its place (see `keyed_by_name` and core.imports.mapping)."""
    name = recognition.choices.get("name")
    column = table.column(name.column) if name else None
    if column and column.distinct == column.filled == min(table.rows, SAMPLE_ROWS) and column.length <= SHORT_TEXT:
        reason = f"'{name.column}', a different name on every row: other files name an account by its name"
        recognition.choices = {
            "account_id": Choice("account_id", name.column, NAME_KEY_SCORE, reason),
            **recognition.choices,
        }
    else:
        recognition.surrogate = "account_id"


def keyed_by_name(recognition: Recognition) -> bool:
    """The accounts' id is their name, taken for want of an id column (see `_name_as_key`)."""
    key, name = recognition.choices.get("account_id"), recognition.choices.get("name")
    return recognition.kind == "accounts" and key is not None and name is not None and key.column == name.column


def _qualified_leads(recognition: Recognition, table: TableProfile) -> None:
    """A lead file whose key or name says its rows are MQLs (`mql_id`): every row is a qualified lead, and its
    first contact is when it entered the funnel."""
    choices = recognition.choices
    if "created_at" not in choices and "first_touch_at" in choices:
        first = choices.pop("first_touch_at")
        choices["created_at"] = Choice(
            "created_at", first.column, first.score, first.reason + ", the lead's first date"
        )
    key = choices["lead_id"].column if "lead_id" in choices else ""
    said = set(phrase(key).split()) | set(table.name_phrase.split())
    if "status" not in choices and any(set(phrase(text).split()) <= said for text in QUALIFIED_WORDS):
        recognition.constants["is_qualified"] = "true"
    recognition.choices = {name: choices[name] for name in TABLE_KINDS["leads"].field_names if name in choices}
