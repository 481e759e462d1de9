"""The recognition corpus (tests/recognition_corpus) scored through the whole import, as bench/recognition.py
scores it: kind accuracy and field precision and recall on the train part, and on both parts no file with a kind
but nothing mapped and no row neither loaded nor rejected.

The floors sit a point or so under the figures measured when they were last raised (train, 164 files: kind
100%, 164/164; field precision 98.4%, 989/1005; recall 97.2%, 989/1017; holdout: kind 90.6%, 29/32; precision
93.8%, 150/160; recall 85.2%, 150/176). The train part then grew by 55 files from 24 systems it had not met (issue
14): train, 219 files: kind 100%, 219/219; precision 97.5%, 1272/1305; recall 97.0%, 1272/1312, the 164 earlier
files scoring as before; the precision floor followed the measure down to a point under it. Round four added 17
files from 12 systems it had not met (first pass on them: kind 76.5%, 13/17; precision 94.0%, 79/84; recall 73.8%,
79/107); after the rules they called for, train, 276 files: kind 100%, 276/276; precision 97.1%, 1619/1667; recall
96.9%, 1619/1670, no earlier file scoring worse. The holdout part then grew from 32 to 80 files (26 to 59 uploads,
a fifth of the corpus again) with 48 files from 32 systems in neither part, written by people who neither ran the
recogniser on them nor read its code; measured once, on 1 Dec 2026: kind 81.2%, 65/80; precision 84.9%, 275/324;
recall 70.2%, 275/392, and the holdout floors moved under those figures. Round five added 62 files in three
families the recogniser had met least (connector and API exports, regional systems in seven languages, report and
wide layouts) and two uploads of CRM import files keyed by External ID, domain and e-mail; after the rules they
called for, train, 338 files: kind 98.2%, 332/338; precision 96.4%, 1899/1970; recall 96.0%, 1899/1978, no earlier
file scoring worse, and the train floors followed the measure down to under it. Round six added 17 files of
published sample data (train, 355 files: kind 98.3%, 349/355; precision 96.6%, 1997/2068; recall 96.2%, 1997/2075),
and 20 more holdout files from systems in neither part made it a fifth again; measured once, on 1 Dec 2026: kind
81.0%, 81/100; precision 84.9%, 337/397; recall 70.6%, 337/477, over the floors. Round seven added 28 files (the
kinds train held least; files of none of the kinds and near-misses): train, 383 files: kind 98.2%, 376/383;
precision 96.5%, 2082/2158; recall 95.8%, 2082/2174, no earlier file scoring worse; the holdout, measured once
after it: kind 80.0%, 80/100; precision 85.1%, 336/395; recall 70.4%, 336/477. They guard against regressions; the
targets, on the holdout part, are kind ≥ 97%, precision ≥ 95% and recall ≥ 90%: raise a floor whenever the
recogniser moves a figure up for good.

Only aggregate figures of the holdout part are looked at here; its files' details are never printed."""

from __future__ import annotations

import pytest

from bench.recognition import Score, score_part

KIND_FLOOR = 0.975
PRECISION_FLOOR = 0.955
RECALL_FLOOR = 0.95
HOLDOUT_FLOORS = {"kind": 0.80, "precision": 0.83, "recall": 0.69}


@pytest.fixture(scope="module")
def train() -> Score:
    return score_part("train")


@pytest.fixture(scope="module")
def holdout() -> Score:
    return score_part("holdout")


def test_train_kind_accuracy(train):
    assert train.files >= 164
    assert train.kind_accuracy >= KIND_FLOOR, "\n".join(f for f in train.failures if ": kind " in f)


def test_train_field_precision(train):
    assert train.precision >= PRECISION_FLOOR, f"{train.correct}/{train.predicted} pairs right"


def test_train_field_recall(train):
    assert train.recall >= RECALL_FLOOR, f"{train.correct}/{train.expected} pairs found"


def test_train_every_file_with_a_kind_maps_something_and_accounts_for_its_rows(train):
    assert train.empty == []
    assert train.unaccounted == []


def test_holdout_every_file_with_a_kind_maps_something_and_accounts_for_its_rows(holdout):
    assert holdout.files >= 32
    # counts only, taken out before the assert so that its explanation cannot list which holdout files failed
    # (no rule may be tuned to them)
    empty, unaccounted = len(holdout.empty), len(holdout.unaccounted)
    assert empty == 0, f"{empty} holdout files with a kind and nothing mapped"
    assert unaccounted == 0, f"{unaccounted} holdout files with rows unaccounted"


def test_holdout_scores_do_not_fall(holdout):
    scores = {"kind": holdout.kind_accuracy, "precision": holdout.precision, "recall": holdout.recall}
    below = sorted(name for name, floor in HOLDOUT_FLOORS.items() if scores[name] < floor)
    assert below == [], f"holdout {', '.join(below)} fell under the floor"
