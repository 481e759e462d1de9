"""What a person sees when something fails that we did not foresee: a plain message and a short reference.

The details go to the server log under the same reference, so a report ("reference 3f9a1c2e") can be matched
to them. The log line holds the exception's type and where it was raised — file, line and function — but never
the exception's message or local values: messages from DuckDB, pandas or openpyxl often quote the cell that
failed, and the log outlives the session.
"""

from __future__ import annotations

import logging
import secrets
import traceback
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("gtm_scorecard")
if not log.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(_handler)
    log.propagate = False


@dataclass(frozen=True)
class Incident:
    reference: str
    message: str  # for the person: what happened, that their data is safe, what to do


def report(error: BaseException, doing: str) -> Incident:
    """Log `error` without data values and return what to show. `doing` says what the app was doing, in
    words the person would use ("showing the Metrics page", "reading deals.csv")."""
    reference = secrets.token_hex(4)
    log.error("reference %s: %s failed with %s", reference, _redact(doing), describe(error))
    message = (
        f"Something went wrong while {doing}. Your loaded data is untouched: try again, or reload the page. "
        f"If it keeps happening, report it with reference {reference}."
    )
    return Incident(reference, message)


def describe(error: BaseException) -> str:
    """The exception's type and the frames it passed through, innermost first; no message, no values."""
    frames = traceback.extract_tb(error.__traceback__)
    where = " < ".join(f"{Path(frame.filename).name}:{frame.lineno} {frame.name}" for frame in reversed(frames))
    return f"{type(error).__name__} at {where or 'unknown place'}"


def _redact(doing: str) -> str:
    """File names can be personal ("salaries_jane_doe.csv"): the log keeps only what kind of step it was."""
    return doing.split(" ", 1)[0] if doing.startswith("reading ") else doing


class FailedQuietly(RuntimeError):
    """Raised instead of an error whose message may quote data: it carries only what the person may see."""


def quietly(make, doing: str):
    """`make` wrapped so that an error in it is logged by type and place under a reference, and raised again
    without its message or cause (a library logging the raised error then logs no value either)."""

    def made():
        try:
            return make()
        except Exception as error:
            raise FailedQuietly(report(error, doing).message) from None

    return made
