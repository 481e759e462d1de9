"""Evidence from names: a header (or a file name) as the English words it stands for.

`Opportunity.CloseDate`, `hs_lifecyclestage_mql_date`, `Deal - Won time`, `Fecha de creación` and
`Erstellungsdatum`, `Дата создания` and `创建时间` all become word tuples that compare with the phrases of
core.imports.vocabulary: case, accents, separators and vendor affixes go, camelCase is split, Chinese and Japanese runs
are cut into their known words, abbreviations are spelled out and basic words of the languages exports are written in
are put in English. Fuzzy comparison (rapidfuzz) then lets an unseen
spelling of a known idea match, weighted by how much of each side the other covers.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from core.imports.vocabulary import (
    ABBREVIATIONS,
    COMPOUND_ENDINGS,
    FOREIGN_WORDS,
    KIND_WORDS,
    MULTIWORD,
    SCALE_WORDS,
    STOP_WORDS,
    SYNONYMS,
)

_OBJECTS = (
    r"(?:deal|lead|contact|person|organi[sz]ation|company|properties|opportunity(?: product)?|account|"
    r"obchod|negocio|negócio|geschäft|affaire)"
)
VENDOR_PREFIX = re.compile(
    rf"^(?:{_OBJECTS}(?:\s*:\s*|\s+[-–]\s*|\s*[-–]\s+)(?=\S)"  # `Lead-Status` keeps its lead
    rf"|{_OBJECTS}\s*\.(?!\s*(?:id|uuid|guid)\s*$)\s*(?=\S)"  # but a dotted path to an object's id (`account.id`,
    # SOQL's `Account.Id`) is a key to that object, not the row's own
    r"|(?:details|data|attributes|totals)\.(?=\S)"  # JSON containers of a record's fields: `details.totals.total`
    r"|hs_(?=[a-z])|mc4wp_|utm_(?=[a-z])"
    r"|\((?:do not modify|no modificar|nicht ändern|ne pas modifier|não modificar)\)\s*)",  # Dynamics 365's key
    re.IGNORECASE,
)
CUSTOM_SUFFIX = re.compile(r"(__c|__pc|__r)$", re.IGNORECASE)
LOOKUP_VALUE = re.compile(r"^_(\w+?)_value$", re.IGNORECASE)  # Dataverse's `_ownerid_value`: the owner's id
PARENTHESIS = re.compile(r"\(([^()]*)\)")
CURRENCY_SYMBOLS = frozenset("$€£¥₽₺₹₩₴₪₫₱฿円元")
CURRENCY_SIGNS = frozenset(("zl", "kr", "kc", "r$", "руб", "tl"))  # local signs written with letters
CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])")


# Latin letters with no decomposed form, written as the letters they stand for once accents go.
BASE_LETTERS = str.maketrans({"ß": "ss", "ł": "l", "Ł": "L", "ı": "i", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae",
                              "đ": "d", "Đ": "D", "œ": "oe", "Œ": "Oe", "þ": "th"})  # fmt: skip
CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"  # kana and ideographs: words written without spaces between them
CJK_RUN = re.compile(rf"[{CJK}]+|[^{CJK}]+")


def folded(text: str) -> str:
    """Without accents, as the vocabularies are written: `Opportunité` → `Opportunite`, `Założył` → `Zalozyl`.
    Letters of other scripts stay (`Дата`, `金額`); a full-width `（円）` becomes `(円)`."""
    if text.isascii():
        return text  # no ASCII character decomposes or is a base letter: most headers and values, at no cost
    decomposed = unicodedata.normalize("NFKD", text.translate(BASE_LETTERS))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


FOREIGN = {folded(word).lower(): meaning for word, meaning in FOREIGN_WORDS.items()}  # as headers are compared
CJK_WORDS = frozenset(word for word in FOREIGN if re.fullmatch(f"[{CJK}]+", word))
LONGEST_CJK_WORD = max(map(len, CJK_WORDS), default=1)


def _cut_cjk(token: str) -> list[str]:
    """A run of ideographs and kana as the known words it is made of, longest first from the left
    (`最后跟进时间` → 最后 跟进 时间); characters no known word covers stay together as one word."""
    out, unknown, start = [], "", 0
    while start < len(token):
        word = next(
            (token[start : start + n] for n in range(min(LONGEST_CJK_WORD, len(token) - start), 0, -1)
             if token[start : start + n] in CJK_WORDS),
            None,
        )  # fmt: skip
        if word is None:
            unknown += token[start]
            start += 1
            continue
        out += [unknown, word] if unknown else [word]
        unknown, start = "", start + len(word)
    return out + [unknown] if unknown else out


def _tokens(text: str) -> list[str]:
    """The words of a header in any script, lowercased and folded; Chinese and Japanese runs cut into words."""
    out = []
    for token in re.split(r"[\W_]+", folded(text).lower()):
        for run in CJK_RUN.findall(token):
            out += _cut_cjk(run) if re.match(f"[{CJK}]", run) else [run]
    return out


# Words a compound's head must be for it to be split: every word of the known phrases, and the translated ones.
KNOWN_WORDS = frozenset(
    {word for fields in SYNONYMS.values() for variants in fields.values() for v in variants for word in v.split()}
    | set(FOREIGN)
    | set(ABBREVIATIONS)
    | {"lead", "deal", "contact", "account", "opportunity", "first", "last", "won", "lost", "close", "closed"}
    | {"ordered", "each", "line", "sold", "shipped", "paid", "size", "code", "total", "unit", "gross", "net", "of"}
    | {word for words in KIND_WORDS.values() for text in words for word in text.split()}
)


@lru_cache(maxsize=20_000)
def words(header: str) -> tuple[str, ...]:
    """The English words a header stands for: `ConvertedOpportunityId` → ('converted', 'opportunity', 'id')."""
    text = LOOKUP_VALUE.sub(r"\1", CUSTOM_SUFFIX.sub("", header.strip().lstrip("\ufeff")))
    while VENDOR_PREFIX.match(text):  # one affix inside another: `Lead - (Do Not Modify) Lead`, `Deal - hs_...`
        text = VENDOR_PREFIX.sub("", text, count=1)
    text = PARENTHESIS.sub(_unless_unit, text)
    text = re.sub(r"(?i)\bN\s?[°º]", " number ", text)  # `N° de facture`, `Nº pedido`
    text = text.replace("#", " number ").replace("%", " percent ").replace("&", " and ")
    text = re.sub(r"(?i)\be[\s_-]?mail", "email", text)  # `E-Mail`, `e_mail`
    text = re.sub(
        r"(?:\b|(?<=[a-z]))([A-Z]{2,})s\b", r" \1", text
    )  # `Associated Deal IDs`, `SKUs`: the acronym, not `I Ds`
    text = CAMEL.sub(" ", text)
    lowered = " ".join(_tokens(text))
    for expression, meaning in MULTIWORD.items():
        lowered = re.sub(expression, meaning, lowered)
    raw = lowered.split()
    out: list[str] = []
    for index, token in enumerate(raw):
        if token == "no" and 0 < index < len(raw) - 1 and not raw[index + 1].isdigit():
            continue  # `Estágio no funil`: Portuguese `in the`; `Invoice No` and `No. of Employees` are numbers
        for part in _split_compound(_umlauts_spelt_out(token)):
            out.extend(_translate(part))
    return tuple(word for word in out if word and word not in STOP_WORDS)


def _umlauts_spelt_out(token: str) -> str:
    """German written without umlauts (`Geschaeftspartner`, `Kundenauftraege`) as with them once accents go
    (`geschaftspartner`), when only that spelling is a known word or compound; English words (`value`) stay."""
    if token in KNOWN_WORDS or token in FOREIGN or not re.search(r"[aou]e", token):
        return token
    spelt = re.sub(r"([aou])e", r"\1", token)
    return spelt if spelt in FOREIGN or _split_compound(spelt) != [spelt] else token


def _unless_unit(match: re.Match) -> str:
    """A parenthesis that only gives the unit (`Revenue (in 000s USD)`, `Spend (EUR)`) says nothing about what
    the column is; any other (`Grand Total (Purchased)`, `Probability (%)`) stays."""
    symbols = "".join(CURRENCY_SYMBOLS)
    tokens = [folded(t).lower() for t in re.findall(rf"[{symbols}]|[^\s{symbols}]+", match.group(1))]
    units = [t for t in tokens if t in CURRENCY_SYMBOLS | CURRENCY_SIGNS or t in _currency_codes() or t in SCALE_WORDS]
    return " " if tokens and len(units) == len(tokens) else match.group(0)


@cache
def _currency_codes() -> frozenset[str]:
    lines = (Path(__file__).resolve().parents[1] / "data" / "currencies.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _split_compound(token: str) -> list[str]:
    """German and run-together compounds: `erstellungsdatum` → ['erstellungs', 'datum'], `closedate` → ['close',
    'date'] (only known endings are split off, so ordinary words stay whole)."""
    if not token or token in FOREIGN or token in ABBREVIATIONS:
        return [token]
    for ending in COMPOUND_ENDINGS:
        if not token.endswith(ending):
            continue
        head = token[: -len(ending)]
        for candidate in (head, head.removesuffix("s"), head.removesuffix("n")):  # German joins: Eintritts|datum,
            # Kampagnen|typ
            if len(candidate) >= 3 and candidate in KNOWN_WORDS:
                return [*_split_compound(candidate), ending]
    return _segment(token) or [token]


@lru_cache(maxsize=20_000)
def _segments(token: str) -> tuple[str, ...] | None:
    """The fewest known words (three letters or more) that spell the token, or None."""
    if token in KNOWN_WORDS and (len(token) >= 3 or token in ("of", "id")):
        return (token,)
    return _best_split(token)


def _best_split(token: str) -> tuple[str, ...] | None:
    """The fewest known words that spell the token in two or more pieces, or None."""
    best = None
    for cut in range(len(token) - 2, 1, -1):
        head, tail = token[:cut], token[cut:]
        if tail in KNOWN_WORDS and (len(tail) >= 3 or tail in ("of", "id")):
            rest = _segments(head)
            if rest and (best is None or len(rest) + 1 < len(best)):
                best = (*rest, tail)
    return best


def _segment(token: str) -> list[str] | None:
    """All-caps and lowercase run-together headers (`QUANTITYORDERED`, `priceeach`, `createdat`) as the known
    words that spell them; a word that is no run of known words (`candidate`, `address`) stays whole."""
    if len(token) < 8 or not token.isalpha():
        return None
    best = _best_split(token)
    return [word for piece in best for word in _split_compound(piece)] if best else None  # `accountid` too


def _translate(token: str) -> list[str]:
    spelled = ABBREVIATIONS.get(token, FOREIGN.get(token))
    if spelled is None and len(token) > 4 and token.endswith("s"):  # plurals: `members`, `Kunden` spelled alike
        singular = token[:-3] + "y" if token.endswith("ies") else token[:-1]
        spelled = FOREIGN.get(singular, singular if singular in KNOWN_WORDS else None)
    return (token if spelled is None else spelled).split()


def phrase(header: str) -> str:
    """The words of a header as one string, the form phrases are compared in."""
    return " ".join(words(header))


@lru_cache(maxsize=200_000)
def similarity(header_phrase: str, known_phrase: str) -> float:
    """0..1: how well a header's words say a known phrase. Equal word sets score 1; a header that holds every
    word of the phrase scores by how much of the header the phrase covers; otherwise fuzzy token similarity,
    so small spelling differences (`recieved`, `organisation`) still count."""
    if not header_phrase or not known_phrase:
        return 0.0
    header_set, known_set = set(header_phrase.split()), set(known_phrase.split())
    if header_set == known_set:
        return 1.0
    if known_set <= header_set:
        return 0.75 + 0.2 * len(known_set) / len(header_set)
    fuzzy = fuzz.token_sort_ratio(header_phrase, known_phrase) / 100
    if fuzzy >= 0.86 and not _near_spellings(header_set, known_set):
        fuzzy = 0.0
    if header_set < known_set:  # `Id` says less than `Account ID`: only a near spelling counts
        return fuzzy if fuzzy >= 0.86 else 0.0
    partial = fuzz.token_set_ratio(header_phrase, known_phrase) / 100
    if not _spelt_in(known_set - header_set, header_set - known_set):
        partial = 0.0  # `custom number` holds no spelling of `customer number`'s `customer`
    return max(fuzzy if fuzzy >= 0.86 else 0.0, 0.8 * partial if partial >= 0.9 and len(known_set) > 1 else 0.0)


def _near_spellings(header_set: set[str], known_set: set[str]) -> bool:
    """Every word of the header that the phrase lacks is a near spelling of one of the phrase's (`recieved`,
    `received`), not another word that looks alike (`detail`, `deal`)."""
    missing = known_set - header_set
    return all(any(_near(word, other) for other in missing) for word in header_set - known_set)


def _spelt_in(missing: set[str], header_words: set[str]) -> bool:
    """Every word of the phrase that the header lacks is there misspelt or run into the next (`DateofHire`)."""
    return all(any(_near(word, other) or other.startswith(word) for other in header_words) for word in missing)


def _near(word: str, other: str) -> bool:
    """A misspelling, not a shorter word the other begins with (`custom` is no `customer`)."""
    shorter, longer = sorted((word, other), key=len)
    return fuzz.ratio(word, other) >= 85 and not (len(longer) - len(shorter) >= 2 and longer.startswith(shorter))
