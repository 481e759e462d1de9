"""What one browser session holds and sees: its data source, uploads, decisions, company profile and view.

No streamlit here. `SessionState` works over any mutable mapping — the page's `st.session_state` in the app
(core.adapter.session), a plain dict in tests — and the session's resources (core.resources). A session-scoped resource
is dropped on a websocket blip while the mapping survives it, so everything needed to rebuild the workspace (the
uploaded bytes and the person's decisions) is kept in the mapping, and a fresh connection replays it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, MutableMapping
from functools import lru_cache

import altair as alt
import duckdb
import pandas as pd

from core import errors, explore, fx, view
from core.engines import Backend
from core.engines.warehouse import Warehouse, WarehouseError, config_from_secrets, open_warehouse
from core.formatting import counted, money
from core.imports.casting import ParseOptions
from core.imports.reading import ReadError, ReadOptions
from core.ingest import Workspace, append_problem, headers_and_lines
from core.metrics import benchmarks, engine, shapes, whatif
from core.metrics.catalogue import CATALOGUE
from core.metrics.engine import MetricResult, Period
from core.resources import SessionResources, reading_turn
from core.sample import load_sample, sample_blobs, sample_profile
from core.schema import Profile, Segment
from core.settings import Settings
from core.share import snapshot

UPLOADS_KEY = "uploaded_blobs"  # {file name: bytes} of the user's own exports
DECISIONS_KEY = "workspace_decisions"  # the user's kinds, mappings and overrides (small, serialisable)
CORRECTIONS_KEY = "saved_mappings"  # decisions by header signature, for the next upload of the same export
SOURCE_KEY = "data_source"  # "sample", "uploads" or "warehouse"
REMOVED_KEY = "removed_sources"  # names of files the person removed (a sheet or zip member of a kept upload)
SAME_KIND_KEY = "same_kind_pending"  # {new file id: id of the file already holding its kind}
PROFILE_KEY = "company_profile"
RESULTS_KEY = "metric_results"
CHARTS_KEY = "chart_specs"
CHOICES_KEY = "view_choices"
SHAPES_KEY = "overview_shapes"
REVENUE_KEY = "data_revenue"  # the data's annual revenue, where the profile gives none (the benchmarks' size band)
UPLOADS_READ_KEY = "uploads_read"  # how many times the exports uploader's files were read: each time a new one
RATES_KEY = "user_rates"  # (file name, bytes) of the person's own exchange rates
RATES_CLEARED = "user_rates_cleared"  # how often they were put aside: a new uploader forgets the file
USER_BENCHMARKS_KEY = "user_benchmarks"
USER_BENCHMARKS_VERSION = "user_benchmarks_version"  # counts the user's benchmark files, for cached comparisons
COMPARISONS_KEY = "benchmark_comparisons"
CARDS_KEY = "benchmark_cards"


class SessionState:
    def __init__(self, store: MutableMapping, resources: SessionResources, warehouse: Mapping | None = None):
        """`warehouse`: the deployment's `[connections.warehouse]` settings (core.engines.warehouse), if any."""
        self.store = store
        self.resources = resources
        self.warehouse_settings = warehouse

    # ---- the data ----------------------------------------------------------------------------------------
    def using_sample(self) -> bool:
        return self.store.get(SOURCE_KEY, "sample") == "sample"

    def workspace(self) -> Workspace:
        """This session's workspace, rebuilt from the kept state when the connection is new."""
        if not self.resources.restored:
            self._restore(self.resources.workspace)
            self.resources.restored = True
        return self.resources.workspace

    def _restore(self, ws: Workspace) -> None:
        ws.reporting_currency, ws.user_rates = self.profile().currency, self.user_rates()  # before any table is built
        self._restore_files(ws)
        ws.set_currency(self.profile().currency, self.user_rates())  # the sample is copied as built: USD, bundled rates

    def _restore_files(self, ws: Workspace) -> None:
        if self.using_sample() and not self.store.get(DECISIONS_KEY) and not self.store.get(REMOVED_KEY):
            load_sample(ws)  # a new visitor: the sample company as loaded once for the server
            return
        blobs = sample_blobs() if self.using_sample() else self.store.get(UPLOADS_KEY, {})
        ws.saved_mappings = copy.deepcopy(self.store.get(CORRECTIONS_KEY, {}))
        ws.restore(blobs, self.store.get(DECISIONS_KEY, {}))
        removed = self.store.get(REMOVED_KEY, set())
        ws.remove(*(f.file_id for f in ws.files if f.name in removed))

    def remember(self, ws: Workspace) -> None:
        """Store what a reconnect would need to rebuild this workspace (call after every change)."""
        self.store[DECISIONS_KEY] = ws.decisions()
        self.store[CORRECTIONS_KEY] = copy.deepcopy(ws.saved_mappings)

    def switch_to_uploads(self, ws: Workspace) -> None:
        """Leave the sample company (or the warehouse): the workspace is emptied so the user's own files stand
        alone."""
        if self.store.get(SOURCE_KEY, "sample") != "uploads":
            ws.clear()
            self.store[SOURCE_KEY] = "uploads"
            self.store[UPLOADS_KEY] = {}
            self.store[REMOVED_KEY] = set()
            self.store[PROFILE_KEY] = Profile()
            ws.set_currency(self.profile().currency)
            self.remember(ws)

    def add_upload(self, ws: Workspace, name: str, data: bytes) -> list:
        """Load one upload (see `add_uploads`). Raises ReadError when it cannot be read or is over a cap."""
        loaded, refused = self.add_uploads(ws, [(name, data)])
        if name in refused:
            raise ReadError(refused[name])
        return loaded

    def add_uploads(self, ws: Workspace, uploads: list[tuple[str, bytes]]) -> tuple[list, dict[str, str]]:
        """Load uploads dropped together as one decision (links between them are evidence: a deal file's
        `Company Domain Name` keys the companies file beside it); a file of the same name replaces the earlier one.
        A file of a kind another file already holds is loaded beside it and listed in `same_kind()` until the
        person decides. Returns the files loaded and, by upload name, why an upload was not (unreadable, or over
        the session's cap on files). Raises ReadError when the tables would exceed the session's cap."""
        limits = Settings.from_env()
        held = set(self.store.get(UPLOADS_KEY, {})) if not self.using_sample() else set()
        accepted, refused = [], {}
        for name, data in uploads:
            if name not in held and len(held) >= limits.max_files:
                refused[name] = (
                    f"{name}: this session already holds {len(held)} files, the most it can. Remove one first."
                )
                continue
            held.add(name)
            accepted.append((name, data))
        if not accepted:
            return [], refused
        self.switch_to_uploads(ws)
        before = list(ws.files)
        with reading_turn(sum(len(data) for _, data in accepted)):
            try:
                loaded, unread = ws.add_all(accepted)
            except Exception:  # a file we did not foresee: one by one, so only that file fails
                loaded, unread = _one_by_one(ws, accepted)
        refused.update(unread)
        names = [name for name, _ in accepted if name not in unread]
        if (tables := len(ws.files)) > limits.max_tables:
            for name in names:
                self._undo_upload(ws, name, [new for new in loaded if new.upload == name])
            raise ReadError(
                f"{', '.join(names)}: it would bring this session to {tables} tables, over the limit of "
                f"{limits.max_tables}. Remove some files, or upload fewer sheets or zip members."
            )
        kept = {f.file_id for f in ws.files}
        for name, data in accepted:
            if name in names:
                self.store.setdefault(UPLOADS_KEY, {})[name] = data
        removed = self.store.setdefault(REMOVED_KEY, set())
        pending = self.store.setdefault(SAME_KIND_KEY, {})
        earlier = [f for f in before if f.file_id in kept]
        for new in loaded:  # a kind already held, before this drop or by a file of it listed before this one
            removed.discard(new.name)
            # orders and their lines are both needed: only a file of the same part of the orders asks
            same = (f for f in earlier if f.kind and f.kind == new.kind and not headers_and_lines(f, new))
            existing = next(same, None)
            if existing is not None:
                pending[new.file_id] = existing.file_id
            earlier.append(new)
        self.remember(ws)
        return loaded, refused

    def uploader_key(self) -> str:
        """The exports uploader's key: a new, empty uploader once its files are read, so that Streamlit lets go of
        its copy of their bytes (this state keeps one, for a reconnect) and each rerun no longer copies them."""
        return f"uploader_{self.store.get(UPLOADS_READ_KEY, 0)}"

    def uploads_read(self) -> None:
        self.store[UPLOADS_READ_KEY] = self.store.get(UPLOADS_READ_KEY, 0) + 1

    def _undo_upload(self, ws: Workspace, name: str, loaded: list) -> None:
        """Take back an upload over the caps; an earlier upload of the same name comes back as it was."""
        ws.remove(*(new.file_id for new in loaded))
        earlier = self.store.get(UPLOADS_KEY, {}).get(name)
        if earlier is not None:
            ws.add(name, earlier, mode="auto")

    def same_kind(self, ws: Workspace) -> list[tuple]:
        """(new file, file already holding that kind) pairs still waiting for replace-or-append."""
        pending = self.store.get(SAME_KIND_KEY, {})
        ids = {f.file_id: f for f in ws.files}
        pairs = [(ids[new], ids[old]) for new, old in pending.items() if new in ids and old in ids]
        self.store[SAME_KIND_KEY] = {new.file_id: old.file_id for new, old in pairs if new.kind == old.kind}
        return [(new, old) for new, old in pairs if new.kind == old.kind]

    def settle_same_kind(self, ws: Workspace, new_id: str, choice: str) -> str | None:
        """Apply the person's choice for a file of an already loaded kind: "replace" removes the earlier file,
        "append" keeps both in one table after checking they map the same fields, "cancel" removes the new one.
        Returns why the choice could not be applied, or None."""
        pending = self.store.get(SAME_KIND_KEY, {})
        new, old = ws.file(new_id), ws.file(pending[new_id])
        if choice == "append" and (problem := append_problem(old, new)):
            return f"{new.name}: {problem}"
        pending.pop(new_id)
        if choice == "replace":
            self.remove_file(ws, old.file_id)
        elif choice == "cancel":
            self.remove_file(ws, new.file_id)
        return None

    def change_reading(self, ws: Workspace, file_id: str, read: ReadOptions, parse: ParseOptions) -> str | None:
        """Re-read a file with the person's encoding/delimiter/header choice and re-type it with their date order,
        decimal mark and empty-value words. Returns why the file could not be read that way, or None."""
        loaded = ws.file(file_id)
        try:
            if read != loaded.read_options:
                ws.reread(file_id, read)
            if parse != loaded.parse:
                ws.set_parse_options(file_id, parse)
        except ReadError as error:
            return str(error)
        self.remember(ws)
        return None

    def change_reshape(self, ws: Workspace, file_id: str, option: dict, on: bool) -> str | None:
        """Undo or redo one thing the import reshaped or made up for a file (see `Workspace.reshape_options`):
        the table's reshape, the made-up id or a constant. Returns why it could not be done, or None."""
        try:
            if option["key"] == "table":
                ws.set_reshape(file_id, on)
            elif option["key"] == "surrogate":
                ws.set_surrogate(file_id, option["field"] if on else None)
            else:
                ws.set_constant(file_id, option["field"], option["value"] if on else None)
        except (ReadError, ValueError) as error:
            return str(error)
        self.remember(ws)
        return None

    def remove_file(self, ws: Workspace, file_id: str) -> None:
        """Remove a file and its rows; it stays removed after a reconnect (its upload is forgotten once no
        other table of the same upload — another sheet, another zip member — is still loaded)."""
        name = ws.file(file_id).name
        ws.remove(file_id)
        uploads = self.store.get(UPLOADS_KEY, {})
        upload = next((u for u in uploads if name == u or name.startswith(u + " › ")), None)
        still_used = any(f.name == upload or f.name.startswith(f"{upload} › ") for f in ws.files)
        if upload is not None and not self.using_sample() and not still_used:
            del uploads[upload]
        else:
            self.store.setdefault(REMOVED_KEY, set()).add(name)
        self.remember(ws)

    def back_to_sample(self, ws: Workspace) -> None:
        ws.clear()
        self.store[SOURCE_KEY] = "sample"
        self.store[UPLOADS_KEY] = {}
        self.store[DECISIONS_KEY] = {}
        self.store[REMOVED_KEY] = set()
        self.store[SAME_KIND_KEY] = {}
        self.store.pop(PROFILE_KEY, None)
        ws.set_currency(self.profile().currency)  # the workspace is empty here: nothing is built twice
        ws.restore(sample_blobs(), {})
        self.remember(ws)

    # ---- the deployment's warehouse --------------------------------------------------------------------------
    def warehouse_offered(self) -> bool:
        return self.warehouse_settings is not None

    def using_warehouse(self) -> bool:
        return self.store.get(SOURCE_KEY) == "warehouse"

    def warehouse(self) -> Warehouse:
        """The deployment's warehouse, connected once per session with its canonical views made. Raises
        WarehouseError saying what is wrong; a failure is kept (not tried on every rerun) until `retry_warehouse`."""
        resources = self.resources
        if resources.warehouse is None and resources.warehouse_problem is None:
            try:
                resources.warehouse = open_warehouse(config_from_secrets(self.warehouse_settings or {}))
            except WarehouseError as error:
                resources.warehouse_problem = str(error)
        if resources.warehouse_problem is not None:
            raise WarehouseError(resources.warehouse_problem)
        return resources.warehouse

    def retry_warehouse(self) -> None:
        self.resources.warehouse_problem = None

    def use_warehouse(self, ws: Workspace) -> None:
        """Compute on the warehouse from now on, with the company profile the deployment gives (or a blank one);
        uploads are left behind as when going back to the sample."""
        profile = self.warehouse().profile()
        ws.clear()
        self.store[SOURCE_KEY] = "warehouse"
        self.store[UPLOADS_KEY] = {}
        self.store[REMOVED_KEY] = set()
        self.store[SAME_KIND_KEY] = {}
        self.store[PROFILE_KEY] = profile
        ws.set_currency(profile.currency)
        self.remember(ws)

    def data(self) -> Backend | duckdb.DuckDBPyConnection:
        """Where the metrics are computed: the warehouse's engine (only aggregates come back), or this session's
        DuckDB."""
        return self.warehouse().backend if self.using_warehouse() else self.workspace().con

    def data_version(self) -> int | str:
        """What computed figures depend on: the uploads' version, or the warehouse (read as it is)."""
        return "warehouse" if self.using_warehouse() else self.workspace().data_version

    # ---- the company and its currency ------------------------------------------------------------------------
    def profile(self) -> Profile:
        """The company profile of this session: the sample's own, or what the user typed in."""
        if PROFILE_KEY not in self.store:
            self.store[PROFILE_KEY] = sample_profile() if self.using_sample() else Profile()
        return self.store[PROFILE_KEY]

    def set_profile(self, new: Profile) -> None:
        """Keep the profile; a new currency converts the money of the loaded tables into it."""
        self.store[PROFILE_KEY] = new
        self.workspace().set_currency(new.currency)

    def rates_uploader_key(self) -> str:
        return f"rates_upload_{self.store.get(RATES_CLEARED, 0)}"

    def user_rates(self) -> fx.Rates:
        kept = self.store.get(RATES_KEY)
        return fx.read_rates(*kept) if kept else fx.Rates()

    def user_rates_name(self) -> str | None:
        kept = self.store.get(RATES_KEY)
        return kept[0] if kept else None

    def set_user_rates(self, name: str | None, data: bytes = b"") -> str | None:
        """Use a person's rates file over the bundled rates (None: stop using it). Returns why the file cannot
        be used (naming its row and column), or None."""
        try:
            rates = fx.read_rates(name, data) if name else fx.Rates()
        except fx.RatesError as error:
            return str(error)
        if name:
            self.store[RATES_KEY] = (name, data)
        else:
            self.store.pop(RATES_KEY, None)
            self.store[RATES_CLEARED] = self.store.get(RATES_CLEARED, 0) + 1
        self.workspace().set_currency(user_rates=rates)
        return None

    def currency_report(self) -> pd.DataFrame:
        """How the loaded money was converted into the profile's currency (see core.fx)."""
        return fx.read_report(self.workspace().con)

    # ---- results of the view -------------------------------------------------------------------------------
    def results(
        self,
        metric_ids: list[str],
        period: Period | None = None,
        filters: dict[str, tuple[str, ...]] | None = None,
        *,
        breakdowns: bool = True,
    ) -> dict[str, MetricResult]:
        """Metric results for this session, computed once per data version, profile, period and filters.

        Changing only what is displayed (which metrics are picked, a chart option) computes nothing new:
        already computed metrics come from this per-session store. With `breakdowns=False` a metric not computed
        yet is computed without its breakdowns (about half the cost); asking for them later computes it again
        with them, and that result is kept instead.
        """
        filters = {dim: tuple(values) for dim, values in (filters or {}).items() if values}
        key = (self.data_version(), repr(self.profile()), repr(period), repr(sorted(filters.items())))
        store = self._kept(RESULTS_KEY, key)  # metric id → (result, whether it holds its breakdowns)
        todo = [
            metric_id for metric_id in metric_ids if metric_id not in store or (breakdowns and not store[metric_id][1])
        ]
        if todo:
            found = engine.compute(self.data(), todo, self.profile(), period, filters, breakdowns=breakdowns)
            store.update({metric_id: (result, breakdowns) for metric_id, result in found.items()})
        return {metric_id: store[metric_id][0] for metric_id in metric_ids}

    def _kept(self, name: str, key) -> dict:
        """A per-session dict under `name` that lasts while `key` (what its contents depend on) is unchanged and
        starts empty when it changes: how results, charts and choices are computed once per view."""
        store = self.store.get(name)
        if store is None or store["key"] != key:
            store = {"key": key, "items": {}}
            self.store[name] = store
        return store["items"]

    def view_choices(self) -> dict:
        """Per data version: the latest date in the data and each filter's values (what the sidebar offers)."""
        store = self._kept(CHOICES_KEY, self.data_version())
        if not store:
            store.update(as_of=engine.as_of_date(self.data()), filters=engine.filter_options(self.data()))
        return store

    def data_description(self) -> str:
        if self.using_warehouse():
            return f"{self.warehouse().config.label} (PostgreSQL)"
        return "the sample company" if self.using_sample() else counted(len(self.workspace().files), "uploaded file")

    def view_period(self) -> Period:
        choice = self.store.get(view.PERIOD_KEY) or "all"
        as_of = self.view_choices()["as_of"]
        return view.period_for(choice, as_of, self.store.get(view.FROM_KEY), self.store.get(view.TO_KEY))

    def view_filters(self) -> dict[str, tuple[str, ...]]:
        chosen = {dim: self.store.get(view.filter_key(dim)) for dim in view.SHOWN_FILTERS}
        return {dim: tuple(values) for dim, values in chosen.items() if values}

    def view_segment(self) -> Segment:
        """The benchmark segment chosen in the sidebar; the profile's own until the person chooses."""
        own = self.profile().segment
        return Segment(
            **{
                name: self.store.get(view.SEGMENT_PREFIX + name) or getattr(own, name)
                for name in Segment.__dataclass_fields__
            }
        )

    def view_set(self) -> str | None:
        chosen = self.store.get(view.SET_KEY)
        return None if chosen in (None, view.ALL_SETS) else chosen

    def view_metrics(self) -> list[str]:
        return list(self.store.get(view.METRICS_KEY, view.DEFAULT_METRICS))

    def view_results(self, metric_ids: list[str], *, breakdowns: bool = True) -> dict[str, MetricResult]:
        """Results for the sidebar's period and filters (see `results` for `breakdowns`)."""
        return self.results(metric_ids, self.view_period(), self.view_filters(), breakdowns=breakdowns)

    def view_breakdowns(self, metric_id: str) -> dict[str, pd.DataFrame]:
        """A metric's breakdowns for the sidebar's period and filters, computed when first shown."""
        return self.view_results([metric_id])[metric_id].breakdowns

    def overview_covered(self) -> list[str]:
        """The overview shapes the data covers (core.metrics.shapes.available), none of them computed."""
        return shapes.available(self.data())

    def view_shape(self, name: str) -> shapes.Shape | None:
        """One overview chart's aggregates for the sidebar's period and filters, computed once per view when first
        shown."""
        period, filters = self.view_period(), self.view_filters()
        key = (self.data_version(), repr(period), repr(sorted(filters.items())))
        store = self._kept(SHAPES_KEY, key)
        if name not in store:
            store[name] = shapes.shape(name, self.data(), period, filters)
        return store[name]

    def view_shapes(self) -> dict:
        """Every overview shape by name (None where the data does not cover it), as a snapshot holds them."""
        return {name: self.view_shape(name) for name in shapes.TITLES}

    def current_plan(self, results: dict[str, MetricResult]) -> whatif.Plan | None:
        """The what-if's starting point: this period's spend and staffing, read where the results were computed."""
        return whatif.current_plan(self.data(), results)

    def view_company(self) -> benchmarks.Company:
        """Who the benchmarks are chosen for: the sidebar's segment, with the company's annual revenue (the profile's,
        else the last twelve months of the data) in US dollars, the unit of every published size band."""
        profile = self.profile()
        revenue = profile.annual_revenue if profile.annual_revenue is not None else self._data_revenue()
        if revenue is None:
            return benchmarks.Company.of(self.view_segment())
        factor = self.workspace().rates.factor(profile.currency, "USD", None)
        in_usd = revenue * factor[0] if factor else None
        return benchmarks.Company.of(self.view_segment(), in_usd, money(revenue, profile.currency))

    def _data_revenue(self) -> float | None:
        """The revenue of the data's last twelve months, annualised: kept per data version and profile, apart from
        the view's results (whose store, kept for one view at a time, it would otherwise empty on every run)."""
        store = self._kept(REVENUE_KEY, (self.data_version(), repr(self.profile())))
        if "revenue" not in store:
            found = engine.compute(self.data(), ["sm_spend_pct_revenue"], self.profile(), breakdowns=False)
            details = found["sm_spend_pct_revenue"].details
            months = details.get("months") or 12
            store["revenue"] = details["revenue"] * 12 / months if details.get("revenue") else None
        return store["revenue"]

    def _benchmark_view_key(self) -> tuple:
        return (
            repr(self.view_company()),
            self.view_set(),
            self.profile().currency,
            self.store.get(RATES_KEY),
            self.store.get(USER_BENCHMARKS_VERSION, 0),
        )

    def view_comparison(self, metric_id: str, value: float | None) -> benchmarks.Comparison:
        """The metric against the published figure closest to the company (the sidebar's segment and set, the
        data's revenue), in the profile's currency (money figures converted with the session's rates): the one
        comparison every page shows. Its citation is empty where the registry has no figure. Kept per session until
        the company, set, currency, rates or the user's benchmark file change."""
        store = self._kept(COMPARISONS_KEY, self._benchmark_view_key())
        if (metric_id, value) not in store:
            metric, company = CATALOGUE[metric_id], self.view_company()
            selection = benchmarks.select(
                self.benchmark_registry(), metric_id, self.view_segment(), self.view_set(), company
            )
            rates = self.workspace().rates
            store[(metric_id, value)] = benchmarks.compare(value, metric, selection, self.profile().currency, rates)
        return store[(metric_id, value)]

    def view_benchmark_card(self, metric_id: str, value: float | None) -> benchmarks.Card:
        """The Scorecard's card for a KPI: the published figure nearest each side of the company (industry, size,
        sales model), each with its fit, and why no range exists where none is published. Kept like comparisons."""
        store = self._kept(CARDS_KEY, self._benchmark_view_key())
        if (metric_id, value) not in store:
            store[(metric_id, value)] = benchmarks.card(
                self.benchmark_registry(),
                CATALOGUE[metric_id],
                value,
                self.view_company(),
                self.profile().currency,
                self.workspace().rates,
                self.view_set(),
            )
        return store[(metric_id, value)]

    def view_description(self) -> dict[str, str]:
        """The view in words, as a snapshot or report states it."""
        filters = self.view_filters()
        return {
            "Data": self.data_description(),
            "Period": view.describe_period(self.view_period()),
            "Filters": "; ".join(f"{view.filter_label(d)} = {', '.join(v)}" for d, v in filters.items()) or "none",
            "Benchmark segment": benchmarks.describe_segment(self.view_segment()),
            "Benchmark set": self.view_set() or view.ALL_SETS,
        }

    def chart_spec(self, name: str, make: Callable[[], alt.TopLevelMixin]) -> dict:
        """The Vega-Lite spec of a chart of the current view, built once per view: a rerun that only changes which
        metrics are shown draws the others from this per-session store instead of building them again. The spec is
        not checked against the Vega-Lite schema here (a quarter of the time a chart takes): the tests
        of core/charts.py check every kind of chart the app makes."""
        filters = repr(sorted(self.view_filters().items()))
        key = (self.data_version(), repr(self.profile()), repr(self.view_period()), filters)
        store = self._kept(CHARTS_KEY, key)
        if name not in store:
            store[name] = make().to_dict(validate=False)
        return store[name]

    def view_snapshot(self, metric_ids: list[str]) -> dict:
        """The current view's aggregates (no rows) as a snapshot; see core.share.snapshot."""
        found = self.view_results(metric_ids)
        return snapshot.build(
            company=self.profile().company_name or "",
            currency=self.profile().currency,
            view=self.view_description(),
            metric_ids=metric_ids,
            results=found,
            comparisons={i: self.view_comparison(i, found[i].value) for i in metric_ids},
            overview=self.view_shapes(),
        )

    def sandbox(self) -> explore.Sandbox:
        """The locked copy of this session's tables that the Explore page queries (see SessionResources)."""
        return self.resources.sandbox_for(self.workspace().data_version)

    # ---- benchmarks ----------------------------------------------------------------------------------------
    def benchmark_registry(self) -> pd.DataFrame:
        """Our registry of published benchmarks, plus the user's own benchmark file for this session."""
        user = self.store.get(USER_BENCHMARKS_KEY)
        return _registry() if user is None else benchmarks.add_user_set(_registry(), user)

    def add_user_benchmarks(self, name: str, data: bytes) -> list:
        """Validate and keep a user's benchmark file for this session; returns the errors (empty when accepted)."""
        units = {metric_id: metric.unit for metric_id, metric in CATALOGUE.items()}
        frame, errors = benchmarks.load_user_file(name, data, set(CATALOGUE), units)
        if frame is not None and not errors:
            self.store[USER_BENCHMARKS_KEY] = frame
            self.store[USER_BENCHMARKS_VERSION] = self.store.get(USER_BENCHMARKS_VERSION, 0) + 1
        return errors


@lru_cache(maxsize=1)
def _registry() -> pd.DataFrame:
    """The published benchmarks (the same for every session: no user data)."""
    return benchmarks.load_registry()


def _one_by_one(ws: Workspace, uploads: list[tuple[str, bytes]]) -> tuple[list, dict[str, str]]:
    loaded, refused = [], {}
    for name, data in uploads:
        try:
            loaded += ws.add(name, data, mode="auto")
        except ReadError as error:
            refused[name] = str(error)
        except Exception as error:
            refused[name] = errors.report(error, f"reading {name}").message
    return loaded, refused
