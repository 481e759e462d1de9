"""Data: upload exports; see each file's kind, column mapping and quality report; fix what was guessed;
and tell us what only you know (the company profile)."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from core import errors
from core.adapter import session, ui
from core.engines.warehouse import WarehouseError
from core.formatting import CURRENCY_SYMBOLS, counted, literal
from core.imports import quality
from core.imports.casting import ParseOptions
from core.imports.reading import ReadError, ReadOptions
from core.ingest import CLASSES
from core.schema import TABLE_KINDS
from core.share import exports

state = session.state()

NOT_MAPPED = "— not mapped —"
CURRENCIES = list(CURRENCY_SYMBOLS)
SEVERITY_ICONS = {"error": ":material/error:", "warning": ":material/warning:", "info": ":material/info:"}
ENCODINGS = {None: "Detect", "utf-8": "UTF-8", "utf-16": "UTF-16", "cp1252": "Windows-1252", "latin-1": "Latin-1"}
DELIMITERS = {None: "Detect", ",": "Comma", ";": "Semicolon", "\t": "Tab", "|": "Pipe"}
DATE_ORDERS = {
    "auto": "Decide from the data",
    "mdy": "Month/day/year",
    "dmy": "Day/month/year",
    "ymd": "Year-month-day",
}
WHOLE_LISTING = 20  # a warehouse with up to this many tables is listed whole
DECIMAL_MARKS = {"auto": "Decide from the data", ".": "Point (1,234.56)", ",": "Comma (1.234,56)"}

st.title("Data")
st.caption(
    "Drop the exports you already have: CRM leads, deals, stage history and activities; orders or invoices; "
    "products and accounts; a general-ledger extract of sales and marketing cost; an HR roster; an NPS survey. "
    "Each file is recognised and mapped to our fields; check the mapping and the quality report below."
)

ws = state.workspace()


def warehouse_panel() -> None:
    """The deployment's warehouse beside uploads: the tables this login sees and the canonical table each is read
    as; choosing it makes every page compute there."""
    with st.container(border=True):
        try:
            warehouse = state.warehouse()
        except WarehouseError as error:
            st.markdown("**Company warehouse**")
            st.error(literal(str(error)), icon=":material/error:")
            st.button("Try again", on_click=state.retry_warehouse, icon=":material/refresh:")
            return
        config = warehouse.config
        st.markdown(f"**{literal(config.label)}** · PostgreSQL, {literal(config.where)}")
        if state.using_warehouse():
            st.success(
                "In use: the Metrics, Scorecard and Snapshot pages compute in the warehouse, and only totals come "
                "back to this app.",
                icon=":material/check_circle:",
            )
        else:
            st.caption(
                "This deployment can read your company's warehouse. Use it instead of uploads: the figures are "
                "computed where the data lives and only totals come back to this app."
            )
            st.button(
                "Use the warehouse",
                type="primary",
                on_click=state.use_warehouse,
                args=(ws,),
                icon=":material/database:",
            )
        st.dataframe(
            pd.DataFrame(
                {
                    "table in the warehouse": [table.name for table in warehouse.seen],
                    "read as": [TABLE_KINDS[t.becomes].label if t.becomes else "not used" for t in warehouse.seen],
                }
            ),
            hide_index=True,
            width="stretch",
            height="content" if len(warehouse.seen) <= WHOLE_LISTING else "auto",  # else it scrolls
        )


if state.warehouse_offered():
    warehouse_panel()

if state.using_sample():
    st.info(
        f"You are looking at the sample company, **{literal(state.profile().company_name)}**. "
        "Upload your own files and they replace it; your files stay in this browser session only.",
        icon=":material/info:",
    )
else:
    st.button("Back to the sample company", on_click=state.back_to_sample, args=(ws,), icon=":material/undo:")

uploads = st.file_uploader(
    "Upload exports",
    type=["csv", "tsv", "txt", "xlsx", "parquet", "zip"],
    accept_multiple_files=True,
    key=state.uploader_key(),
    help="CSV, TSV, TXT, Excel (each sheet is a table), Parquet, or a .zip of exports, up to "
    f"{st.get_option('server.maxUploadSize')} MB each. Uploading a file with the same name again replaces it.",
)
ingested: set[str] = st.session_state.setdefault("ingested_upload_ids", set())
outcomes: list[tuple[str, str]] = st.session_state.setdefault("upload_outcomes", [])
new_uploads = [upload for upload in uploads or [] if upload.file_id not in ingested]
if new_uploads:  # read together: one file's columns holding another's ids say how they link
    ingested.update(upload.file_id for upload in new_uploads)
    names = ", ".join(upload.name for upload in new_uploads)
    size = sum(upload.size for upload in new_uploads) / 1e6
    with st.status(f"Reading {literal(names)} ({size:.1f} MB)…", expanded=False):
        try:
            loaded_files, refused = state.add_uploads(ws, [(u.name, u.getvalue()) for u in new_uploads])
            for loaded in loaded_files:
                kind = TABLE_KINDS[loaded.kind].label if loaded.kind else "not recognised"
                line = f"{loaded.name}: {kind}, {loaded.rows_loaded:,} of {loaded.rows_read:,} rows"
                if loaded.correction_from:
                    line += f" (mapping from your earlier correction of {loaded.correction_from} applied)"
                outcomes.append(("success", line))
            outcomes += [("error", message) for message in refused.values()]
        except ReadError as error:
            outcomes.append(("error", str(error)))
        except Exception as error:  # a file we did not foresee must not leave a traceback on the page
            outcomes.append(("error", errors.report(error, f"reading {names}").message))
    state.uploads_read()
    st.rerun()  # so the sidebar and the banner above reflect the new data at once
if loaded_lines := [literal(message) for severity, message in outcomes if severity == "success"]:
    st.success("Loaded:\n" + "\n".join(f"- {line}" for line in loaded_lines), icon=":material/check_circle:")
for message in [message for severity, message in outcomes if severity == "error"]:
    st.error(literal(message), icon=":material/error:")
outcomes.clear()


def same_kind_choice(new, old) -> None:
    kind = TABLE_KINDS[new.kind].label
    with st.container(border=True):
        st.markdown(
            f"**{literal(new.name)}** holds {kind}, like **{literal(old.name)}**, which is already loaded. "
            "Replace it, append the rows into one table (the two must map the same fields), or discard the new file?"
        )
        replace_column, append_column, cancel_column = st.columns(3)
        choice = None
        if replace_column.button(
            f"Replace {literal(old.name)}", key=f"replace_{new.file_id}", icon=":material/swap_horiz:"
        ):
            choice = "replace"
        if append_column.button("Append: one table with both", key=f"append_{new.file_id}", icon=":material/add:"):
            choice = "append"
        if cancel_column.button(f"Discard {literal(new.name)}", key=f"cancel_{new.file_id}", icon=":material/close:"):
            choice = "cancel"
        if choice:
            problem = state.settle_same_kind(ws, new.file_id, choice)
            if problem:
                st.error(literal(problem), icon=":material/error:")
            else:
                st.rerun()


for new, old in state.same_kind(ws):
    same_kind_choice(new, old)

mapping_column, download_column = st.columns([3, 1], vertical_alignment="bottom")
saved_mapping = mapping_column.file_uploader(
    "Reuse a saved mapping (JSON downloaded from this page: one file's, or all files')",
    type=["json"],
    key="mapping_upload",
)
download_column.download_button(
    "Download all mappings",
    data=ws.mappings_file(),
    file_name="mappings.json",
    mime="application/json",
    on_click="ignore",
    icon=":material/download:",
    help="Every file's kind, column mapping, value meanings and reading choices in one file, for the next "
    "upload of the same exports here or for `python -m core inspect --mapping`.",
    disabled=not ws.files,
)
if saved_mapping is not None and saved_mapping.file_id not in ingested:
    ingested.add(saved_mapping.file_id)
    try:
        applied = ws.apply_mapping_file(saved_mapping.getvalue().decode("utf-8", errors="replace"))
        state.remember(ws)
        st.success(f"Saved mapping applied to {counted(applied, 'file')}.")
    except ReadError as error:
        st.error(literal(f"{saved_mapping.name}: {error}"), icon=":material/error:")


def mapping_table(loaded, entry: dict) -> pd.DataFrame:
    kind = TABLE_KINDS[entry["kind"]]
    return pd.DataFrame(
        {
            "field": [f.label for f in kind.fields],
            "source column": [entry["mapping"].get(f.name) or NOT_MAPPED for f in kind.fields],
            "confidence": [float(entry["confidence"].get(f.name, 0.0)) for f in kind.fields],
            "why": [entry["reasons"].get(f.name, "") if f.name in entry["mapping"] else "" for f in kind.fields],
        },
        index=[f.name for f in kind.fields],
    )


def mapping_editor(loaded, entry: dict) -> None:
    current = mapping_table(loaded, entry)
    edited = st.data_editor(
        current,
        key=f"mapping_{loaded.file_id}_{ws.data_version}",  # a new editor once the edit is applied
        hide_index=True,
        disabled=["field", "confidence", "why"],
        column_config={
            "source column": st.column_config.SelectboxColumn(options=[NOT_MAPPED, *loaded.raw.columns], required=True),
            "confidence": st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="percent", width=110),
            "why": st.column_config.TextColumn(
                "why", help="What in the column made us take it as the field", width="large"
            ),
        },
        width="stretch",
        row_height=ui.WRAPPING_ROW_HEIGHT,
        height=ui.GRID_HEADER_HEIGHT + ui.WRAPPING_ROW_HEIGHT * len(current) + 2,  # every field in view
    )
    if not edited["source column"].equals(current["source column"]):
        new_mapping = {
            field: (None if column == NOT_MAPPED else column) for field, column in edited["source column"].items()
        }
        try:
            ws.set_mapping(loaded.file_id, new_mapping)
        except ValueError as error:
            st.error(literal(error), icon=":material/error:")
            return
        state.remember(ws)
        st.rerun()


def recognition(loaded, entry: dict) -> None:
    """Why the file was taken as its kind, and each reshape or made-up value with a box to undo or redo it."""
    kind = TABLE_KINDS[entry["kind"]].label
    reason = f": {literal(entry['kind_reason'])}" if entry["kind_reason"] else ""
    st.markdown(f"Recognised as **{kind}** with {entry['kind_confidence']:.0%} confidence{reason}.")
    reshape_controls(loaded)


def reshape_controls(loaded) -> None:
    options = ws.reshape_options(loaded.file_id)
    if options:
        st.caption("What the import reshaped or made up for this file; untick to undo, tick to redo:")
    for option in options:
        on = st.checkbox(
            literal(option["sentence"]),
            value=option["on"],
            key=f"reshape_{loaded.file_id}_{option['key']}_{ws.data_version}",
        )
        if on != option["on"]:
            problem = state.change_reshape(ws, loaded.file_id, option, on)
            if problem:
                st.error(literal(problem), icon=":material/error:")
            else:
                st.rerun()


def quality_report(loaded, entry: dict) -> None:
    st.markdown(
        f"**{entry['rows_read']:,} rows read · {entry['rows_loaded']:,} loaded · {entry['rows_rejected']:,} rejected**"
    )
    totals_table(entry)
    if not entry["problems"]:
        st.caption("No problems found.")
    for problem in sorted(entry["problems"], key=lambda p: list(SEVERITY_ICONS).index(p["severity"])):
        icon = SEVERITY_ICONS.get(problem["severity"], ":material/info:")
        advice = f"  \n*{literal(problem['advice'])}*" if problem.get("advice") else ""
        st.markdown(f"{icon} {literal(problem['message'])}{advice}")
    if entry["rows_rejected"]:
        ui.download(
            "Download rejected rows with reasons",
            lambda: exports.to_csv(ws.rejected_rows(loaded.file_id)),
            f"rejected_{loaded.file_id}.csv",
            "text/csv",
            key=f"rejected_{loaded.file_id}",
        )


def totals_table(entry: dict) -> None:
    totals = entry["totals"]
    if not totals["money"] and not totals["dates"]:
        return
    st.markdown("**Totals to reconcile with your source system**")
    st.caption(f"Over the {totals['rows_loaded']:,} rows loaded; money per currency, rounded to the cent.")
    st.dataframe(quality.totals_frame(entry["kind"], totals), hide_index=True)


def value_map_editor(loaded, derived: str) -> None:
    label = TABLE_KINDS[loaded.kind].field(derived).label
    current = ws.value_counts(loaded.file_id, derived)
    st.markdown(f"**{label}**: each value in your file, its rows, and what we read it as. Change it where wrong.")
    edited = st.data_editor(
        current,
        key=f"values_{loaded.file_id}_{derived}_{ws.data_version}",
        hide_index=True,
        disabled=["value", "rows"],
        column_config={
            "value": st.column_config.TextColumn("value in your file"),
            "rows": st.column_config.NumberColumn(format="%d"),
            "class": st.column_config.SelectboxColumn("means", options=CLASSES[derived], required=False),
        },
        width="stretch",
    )
    changed = edited[edited["class"].ne(current["class"]) & ~(edited["class"].isna() & current["class"].isna())]
    if len(changed):
        overrides = {
            value: (None if pd.isna(cls) else cls)
            for value, cls in zip(changed["value"], changed["class"], strict=True)
        }
        ws.set_value_map(loaded.file_id, derived, overrides)
        state.remember(ws)
        st.rerun()


def reading_options(loaded) -> None:
    raw, read, parse = loaded.raw, loaded.read_options, loaded.parse
    st.caption(
        f"Read as {raw.encoding}"
        + (f", {DELIMITERS.get(raw.delimiter, repr(raw.delimiter)).lower()}-separated" if raw.delimiter else "")
        + (f", header on line {raw.header_line}" if raw.header_line else "")
        + ". Change what was guessed wrong and apply: the preview and the quality report show the effect."
    )
    with st.form(f"reading_{loaded.file_id}", border=False):
        first, second, third = st.columns(3)
        encoding = first.selectbox(
            "Encoding",
            list(ENCODINGS),
            list(ENCODINGS).index(read.encoding) if read.encoding in ENCODINGS else 0,
            format_func=ENCODINGS.get,
        )
        delimiter = second.selectbox(
            "Delimiter",
            list(DELIMITERS),
            list(DELIMITERS).index(read.delimiter) if read.delimiter in DELIMITERS else 0,
            format_func=DELIMITERS.get,
            disabled=raw.delimiter is None,
        )
        header_line = third.number_input(
            "Header row on line (empty: detect)",
            min_value=1,
            value=read.header_line,
            step=1,
            disabled=raw.delimiter is None,
        )
        date_order = first.selectbox(
            "Date order", list(DATE_ORDERS), list(DATE_ORDERS).index(parse.date_order), format_func=DATE_ORDERS.get
        )
        decimal = second.selectbox(
            "Decimal mark", list(DECIMAL_MARKS), list(DECIMAL_MARKS).index(parse.decimal), format_func=DECIMAL_MARKS.get
        )
        nulls = third.text_input("Also means empty (comma-separated)", value=", ".join(parse.null_tokens))
        if st.form_submit_button("Apply", type="primary"):
            problem = state.change_reading(
                ws,
                loaded.file_id,
                ReadOptions(encoding, delimiter, int(header_line) if header_line else None),
                ParseOptions(date_order, decimal, tuple(t.strip() for t in nulls.split(",") if t.strip())),
            )
            if problem:
                st.error(literal(problem), icon=":material/error:")
            else:
                st.rerun()


def file_panel(loaded, entry: dict) -> None:
    kind_label = TABLE_KINDS[entry["kind"]].label if entry["kind"] else "Not recognised"
    rows = entry["rows_loaded"]
    title = f"{literal(entry['file'])} — {kind_label} · {counted(rows, 'row')} loaded"
    expanded = not state.using_sample() and (len(ws.files) <= 2 or needs_attention(entry))
    panel = st.expander(title, expanded=expanded, key=f"panel_{loaded.file_id}", on_change="rerun")
    if not panel.open:  # a closed panel's content is made when it is opened (the sample holds a dozen files)
        return
    with panel:
        kinds = list(TABLE_KINDS)
        kind_column, remove_column = st.columns([3, 1], vertical_alignment="bottom")
        chosen = kind_column.selectbox(
            "This file holds",
            kinds,
            index=kinds.index(entry["kind"]) if entry["kind"] in kinds else None,
            format_func=lambda k: f"{TABLE_KINDS[k].label} (one row per {TABLE_KINDS[k].row_is})",
            key=f"kind_{loaded.file_id}",
            placeholder="Choose what this file holds",
        )
        if remove_column.button("Remove this file", key=f"remove_{loaded.file_id}", icon=":material/delete:"):
            state.remove_file(ws, loaded.file_id)
            st.rerun()
        if chosen and chosen != entry["kind"]:
            ws.set_kind(loaded.file_id, chosen)
            state.remember(ws)
            st.rerun()
        if not entry["kind"]:
            st.warning("We could not tell what this file holds. Choose its kind above to map it.")
            reshape_controls(loaded)
            return
        tabs = {
            "Column mapping": column_mapping,
            "Value meanings": value_meanings,
            "Reading options": lambda loaded, entry: reading_options(loaded),
            "Quality report": quality_report,
        }
        shown = st.tabs(list(tabs), key=f"tabs_{loaded.file_id}", on_change="rerun")
        for tab, draw in zip(shown, tabs.values(), strict=True):
            if tab.open:  # only the chosen tab is drawn
                with tab:
                    draw(loaded, entry)


def column_mapping(loaded, entry: dict) -> None:
    if loaded.correction_from:
        st.caption(f"Mapping from your earlier correction of {literal(loaded.correction_from)} applied.")
    recognition(loaded, entry)
    mapping_editor(loaded, entry)
    st.caption("First rows as they will be loaded (typed and cleaned):")
    st.dataframe(ws.preview(loaded.file_id), hide_index=True, width="stretch")
    st.download_button(
        "Download this mapping",
        data=ws.mapping_file(loaded.file_id),
        file_name=f"mapping_{entry['kind']}.json",
        mime="application/json",
        on_click="ignore",
        key=f"save_{loaded.file_id}",
    )


def value_meanings(loaded, entry: dict) -> None:
    if not entry["value_maps"]:
        st.caption("Nothing in this file needs a value mapping.")
    for derived in entry["value_maps"]:
        value_map_editor(loaded, derived)


def overview(report: list[dict]) -> None:
    """One line per file, so a folder of exports can be checked at a glance before opening any of them."""
    st.dataframe(
        pd.DataFrame(
            {
                "file": [entry["file"] for entry in report],
                "holds": [TABLE_KINDS[e["kind"]].label if e["kind"] else "not recognised" for e in report],
                "rows read": [entry["rows_read"] for entry in report],
                "loaded": [entry["rows_loaded"] for entry in report],
                "rejected": [entry["rows_rejected"] for entry in report],
                "to check": [sum(p["severity"] != "info" for p in entry["problems"]) for entry in report],
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={"to check": st.column_config.NumberColumn(help="Warnings and errors in its quality report")},
    )


def needs_attention(entry: dict) -> bool:
    return not entry["kind"] or any(problem["severity"] == "error" for problem in entry["problems"])


if not state.using_warehouse():
    st.subheader("Loaded files")
    report = ws.inspect()
    if not report:
        st.info("No files loaded yet. Upload your exports above, or go back to the sample company.")
    else:
        overview(report)
    for loaded, entry in zip(ws.files, report, strict=True):
        file_panel(loaded, entry)


def money_input(column, label: str, value: float | None, step: float) -> float | None:
    return column.number_input(label, value=float(value) if value else None, min_value=0.0, step=step, format="%.0f")


st.subheader("Company profile")
st.caption("What no export carries. Some metrics need these figures; the rest use them as thresholds.")
profile = state.profile()
with st.form("profile"):
    left, middle, right = st.columns(3)
    name = left.text_input("Company name", value=profile.company_name)
    currency = left.selectbox("Currency", CURRENCIES, index=CURRENCIES.index(profile.currency))
    revenue = money_input(
        middle, "Annual revenue (if no orders or won deals are uploaded)", profile.annual_revenue, 1e6
    )
    market = money_input(middle, "Served market size (annual revenue of the whole market)", profile.market_size, 1e7)
    right.caption("Your segment (go-to-market model, size, industry) is chosen on the Scorecard page.")
    st.markdown("**Thresholds**")
    t1, t2, t3, t4 = st.columns(4)
    high_margin = t1.slider("High-margin product from", 0, 100, int(profile.high_margin_pct * 100), format="%d%%")
    new_months = t2.number_input("New product: launched within (months)", 1, 120, profile.new_product_months)
    lapse = t3.number_input("Customer lapsed after (months)", 1, 60, profile.lapse_months)
    idle = t4.number_input("Lead leaked when idle for (days)", 7, 730, profile.idle_days)
    if st.form_submit_button("Save profile", type="primary"):
        state.set_profile(
            replace(
                profile,
                company_name=name,
                currency=currency,
                annual_revenue=revenue or None,
                market_size=market or None,
                high_margin_pct=high_margin / 100,
                new_product_months=int(new_months),
                lapse_months=int(lapse),
                idle_days=int(idle),
            )
        )
        st.success("Profile saved; metrics use it from now on.")

st.markdown("**Exchange rates**")
if state.using_warehouse():
    st.caption(
        "In the warehouse nothing is converted: a metric that would add up amounts in other currencies than "
        f"{profile.currency} is shown as unavailable, with each currency's rows and sums in its details."
    )
else:
    st.caption(
        f"Amounts in other currencies than {profile.currency} are converted at the yearly average rate of their year "
        "(Federal Reserve G.5A annual averages, 2017–2023, the nearest year outside them); amounts with no rate are "
        "never added to the rest. Your own rates file (CSV: currency, year or date, per_usd — or per_"
        f"{profile.currency.lower()} for rates per {profile.currency}) replaces them where it gives a rate."
    )
    rates_file = st.file_uploader("Your exchange rates (optional)", type=["csv"], key=state.rates_uploader_key())
    if rates_file is not None and rates_file.name != state.user_rates_name():
        problem = state.set_user_rates(rates_file.name, rates_file.getvalue())
        if problem:
            st.error(problem)
        else:
            st.rerun()
    if state.user_rates_name():
        st.caption(f"Using your rates from **{literal(state.user_rates_name())}** over the bundled ones.")
        if st.button("Stop using my rates file"):
            state.set_user_rates(None)
            st.rerun()
    conversion = state.currency_report()
    if not conversion.empty:
        st.dataframe(
            conversion[["table_name", "currency", "year", "rows", "amount", "rates", "converted"]],
            hide_index=True,
            column_config={
                "table_name": "Table",
                "amount": st.column_config.NumberColumn("Amount in its own currency", format="%,.2f"),
                "rates": "Rate used",
                "converted": f"Converted to {profile.currency}",
            },
        )
