"""The measured steps, each run in a child process of its own (`python bench/run.py --child STEP ...`) so its
peak memory is its own: before each run the process's RSS high-water mark is reset (Linux `clear_refs`), and the
peak is the high-water mark after the run minus the RSS before it."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from bench import pandas_ref
from bench.datagen import csv_files
from core.ingest import load_paths
from core.metrics import engine
from core.sample import profile_from_file

ROOT = Path(__file__).resolve().parents[1]
RERUN_SELECTIONS = (  # two metric selections the warm rerun switches between, both computed once before timing
    ("qualified_leads", "cost_per_qualified_lead", "lead_to_appointment_rate", "close_ratio", "time_to_close"),
    ("nps", "win_back_rate", "share_of_wallet", "relationship_depth", "order_size"),
)
RERUN_FILTER = ("source", ["Events"])


def _status(field: str) -> float:
    """A memory figure of this process from /proc/self/status, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise KeyError(field)


def _reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")


def connect(memory_limit: str, spill: Path) -> duckdb.DuckDBPyConnection:
    """A connection set up as the app's (threads, insertion order, spill folder), with the bench's memory cap."""
    from core.settings import Settings

    settings = Settings.from_env()
    config = settings.duckdb_config(str(spill))
    config["memory_limit"] = memory_limit
    return duckdb.connect(":memory:", config=config)


class Timer:
    """Median seconds and peak extra memory over several runs of one step."""

    def __init__(self):
        self.seconds: list[float] = []
        self.peak_mb = 0.0

    def run(self, action: Callable[[], object]) -> object:
        gc.collect()
        _reset_peak()
        before = _status("VmRSS")
        start = time.perf_counter()
        result = action()
        self.seconds.append(time.perf_counter() - start)
        self.peak_mb = max(self.peak_mb, _status("VmHWM") - before)
        return result

    def summary(self, **extra) -> dict:
        return {"median_s": statistics.median(self.seconds), "runs": self.seconds, "peak_mb": self.peak_mb, **extra}


def floor(folder: Path, runs: int, memory_limit: str, spill: Path) -> dict:
    """DuckDB reading every CSV file into a table of its own, types sniffed, nothing cleaned."""
    timer = Timer()
    for _ in range(runs):
        con = connect(memory_limit, spill)

        def read_all(con=con):
            for number, path in enumerate(csv_files(folder)):
                con.execute(f"CREATE TABLE t{number} AS SELECT * FROM read_csv(?, null_padding = true)", [str(path)])

        timer.run(read_all)
        con.close()
    return timer.summary()


def ingest(folder: Path, runs: int, memory_limit: str, spill: Path, paths: list[Path] | None = None) -> dict:
    """Our whole ingest: read, recognise, map, clean, type, load the canonical tables and the quality report."""
    timer = Timer()
    for _ in range(runs):
        con = connect(memory_limit, spill)
        workspace = timer.run(lambda con=con: load_paths(con, paths or [folder]))
        loaded = sum(f.rows_loaded for f in workspace.files)
        con.close()
    return timer.summary(rows_loaded=loaded)


def metrics(folder: Path, runs: int, memory_limit: str, spill: Path) -> dict:
    """Every catalogue entry computed after the ingest (the ingest itself is not timed here): first the compute
    right after the ingest, which also builds the engine's derived tables (core/metrics/facts.py); then the median of
    later computes, with value, details and trend (what the CLI and the Scorecard show), and with every
    breakdown as well (the Metrics page computes those only for the metrics it shows)."""
    con = connect(memory_limit, spill)
    load_paths(con, [folder])
    profile = profile_from_file(folder / "company_profile.json")
    first = Timer()
    first.run(lambda: engine.compute(con, None, profile, breakdowns=False))
    lean, full = Timer(), Timer()
    for _ in range(runs):
        results = lean.run(lambda: engine.compute(con, None, profile, breakdowns=False))
        full.run(lambda: engine.compute(con, None, profile))
    return lean.summary(
        entries=len(results),
        available=sum(r.available for r in results.values()),
        first_s=first.seconds[0],
        with_breakdowns=full.summary(),
    )


def rerun(folder: Path, runs: int, memory_limit: str, spill: Path) -> dict:
    """Script time of the Metrics page in AppTest after the sidebar's metric selection changes (both selections
    seen once before), and after a filter changes (which must recompute)."""
    import os

    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    from core import state, view

    opened = PagesManager.__init__

    def after_navigation(self, *args, **kwargs):  # AppTest forgets st.navigation before each run (tests/conftest.py)
        opened(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = after_navigation
    os.environ["GTM_DUCKDB_MEMORY_LIMIT"] = memory_limit
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=3600)
    app.session_state[state.SOURCE_KEY] = "uploads"
    app.session_state[state.UPLOADS_KEY] = {path.name: path.read_bytes() for path in csv_files(folder)}
    app.session_state[state.PROFILE_KEY] = profile_from_file(folder / "company_profile.json")
    cold = time.perf_counter()
    app.switch_page("pages/metrics.py").run()
    cold = time.perf_counter() - cold
    _check(app)
    for selection in RERUN_SELECTIONS:
        app.session_state[view.METRICS_KEY] = list(selection)
        app.run()
    timer = Timer()
    for number in range(max(runs, 2) * 2):
        app.session_state[view.METRICS_KEY] = list(RERUN_SELECTIONS[number % 2])
        timer.run(app.run)
    _check(app)
    dimension, values = RERUN_FILTER
    filtered = Timer()
    for number in range(max(runs, 2)):
        app.session_state[view.filter_key(dimension)] = values if number % 2 == 0 else []
        filtered.run(app.run)
    _check(app)
    return timer.summary(cold_s=cold, filter_change_s=statistics.median(filtered.seconds))


def _check(app) -> None:
    if app.exception:
        raise RuntimeError(f"the Metrics page failed: {app.exception}")


def pandas(folder: Path, runs: int, memory_limit: str, spill: Path) -> dict:
    """The pandas reference: read and clean the three exports, then the five metrics."""
    load, compute = Timer(), Timer()
    for _ in range(runs):
        data = load.run(lambda: pandas_ref.load(folder))
        values = compute.run(lambda data=data: pandas_ref.metrics(data))
        del data
    return {"load": load.summary(), "metrics": compute.summary(), "values": _jsonable(values)}


def ours_subset(folder: Path, runs: int, memory_limit: str, spill: Path) -> dict:
    """Our ingest of the same three exports and our engine on the same five metrics."""
    paths = [folder / name for name in pandas_ref.FILES]
    load, compute = Timer(), Timer()
    for _ in range(runs):
        con = connect(memory_limit, spill)
        load.run(lambda con=con: load_paths(con, paths))
        results = compute.run(lambda con=con: engine.compute(con, list(pandas_ref.METRIC_IDS)))
        con.close()
    return {"load": load.summary(), "metrics": compute.summary(), "values": _jsonable(pandas_ref.ours(results))}


def _jsonable(values: dict) -> dict:
    def plain(value):
        if isinstance(value, dict):
            return {str(key.date()) if hasattr(key, "date") else str(key): plain(v) for key, v in value.items()}
        return value.item() if hasattr(value, "item") else value

    return {name: plain(value) for name, value in values.items()}


STEPS: dict[str, Callable[..., dict]] = {
    "floor": floor,
    "ingest": ingest,
    "metrics": metrics,
    "rerun": rerun,
    "pandas": pandas,
    "ours_subset": ours_subset,
}
