"""Data: upload exports; see each file's kind, column mapping and quality report; fix what was guessed;
and tell us what only you know (the company profile)."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from core import session
from core.formatting import CURRENCY_SYMBOLS
from core.reading import ReadError
from core.schema import TABLE_KINDS

NOT_MAPPED = "— not mapped —"
CURRENCIES = list(CURRENCY_SYMBOLS)
SEVERITY_ICONS = {"error": ":material/error:", "warning": ":material/warning:", "info": ":material/info:"}
UPLOAD_MODES = {
    "replace": "Replace the file of that kind",
    "append": "Append its rows to the file of that kind",
    "new": "Keep both as separate files",
}

st.title("Data")
st.caption(
    "Drop the exports you already have: CRM leads, deals, stage history and activities; orders or invoices; "
    "products and accounts; a general-ledger extract of sales and marketing cost; an HR roster; an NPS survey. "
    "Each file is recognised and mapped to our fields; check the mapping and the quality report below."
)

ws = session.workspace()

if session.using_sample():
    st.info(
        f"You are looking at the sample company, **{session.profile().company_name}**. "
        "Upload your own files and they replace it; your files stay in this browser session only.",
        icon=":material/info:",
    )
else:
    st.button("Back to the sample company", on_click=session.back_to_sample, args=(ws,), icon=":material/undo:")

upload_column, mode_column = st.columns([3, 1])
mode = mode_column.radio(
    "When a new file is of a kind already loaded",
    list(UPLOAD_MODES),
    format_func=UPLOAD_MODES.get,
    key="upload_mode",
)
uploads = upload_column.file_uploader(
    "Upload exports",
    type=["csv", "tsv", "txt", "xlsx", "parquet", "zip"],
    accept_multiple_files=True,
    key="uploader",
    help="CSV, TSV, TXT, Excel (each sheet is a table), Parquet, or a .zip of exports.",
)
ingested: set[str] = st.session_state.setdefault("ingested_upload_ids", set())
outcomes: list[tuple[str, str]] = st.session_state.setdefault("upload_outcomes", [])
new_uploads = [upload for upload in uploads or [] if upload.file_id not in ingested]
for upload in new_uploads:
    ingested.add(upload.file_id)
    with st.status(f"Reading {upload.name} ({upload.size / 1e6:.1f} MB)…", expanded=False):
        try:
            loaded = session.add_upload(ws, upload.name, upload.getvalue(), mode=mode)
            outcomes.append(("success", f"{upload.name}: {len(loaded)} table(s) loaded"))
        except ReadError as error:
            outcomes.append(("error", str(error)))
if new_uploads:
    st.rerun()  # so the sidebar and the banner above reflect the new data at once
for severity, message in outcomes:
    (st.success if severity == "success" else st.error)(message)
outcomes.clear()

saved_mapping = st.file_uploader(
    "Reuse a saved mapping (JSON downloaded from a file below)", type=["json"], key="mapping_upload"
)
if saved_mapping is not None and saved_mapping.file_id not in ingested:
    ingested.add(saved_mapping.file_id)
    try:
        applied = ws.apply_mapping_file(saved_mapping.getvalue().decode("utf-8", errors="replace"))
        session.remember(ws)
        st.success(f"Saved mapping applied to {applied} file(s).")
    except ReadError as error:
        st.error(f"{saved_mapping.name}: {error}", icon=":material/error:")


def mapping_table(loaded, entry: dict) -> pd.DataFrame:
    kind = TABLE_KINDS[entry["kind"]]
    return pd.DataFrame(
        {
            "field": [f.label for f in kind.fields],
            "source column": [entry["mapping"].get(f.name) or NOT_MAPPED for f in kind.fields],
            "confidence": [float(entry["confidence"].get(f.name, 0.0)) for f in kind.fields],
        },
        index=[f.name for f in kind.fields],
    )


def mapping_editor(loaded, entry: dict) -> None:
    current = mapping_table(loaded, entry)
    edited = st.data_editor(
        current,
        key=f"mapping_{loaded.file_id}",
        hide_index=True,
        disabled=["field", "confidence"],
        column_config={
            "source column": st.column_config.SelectboxColumn(options=[NOT_MAPPED, *loaded.raw.columns], required=True),
            "confidence": st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="percent"),
        },
        width="stretch",
    )
    if not edited["source column"].equals(current["source column"]):
        new_mapping = {
            field: (None if column == NOT_MAPPED else column) for field, column in edited["source column"].items()
        }
        try:
            ws.set_mapping(loaded.file_id, new_mapping)
        except ValueError as error:
            st.error(str(error), icon=":material/error:")
            return
        session.remember(ws)
        st.rerun()


def quality_report(loaded, entry: dict) -> None:
    st.markdown(
        f"**{entry['rows_read']:,} rows read · {entry['rows_loaded']:,} loaded · {entry['rows_rejected']:,} rejected**"
    )
    if not entry["problems"]:
        st.caption("No problems found.")
    for problem in entry["problems"]:
        icon = SEVERITY_ICONS.get(problem["severity"], ":material/info:")
        st.markdown(
            f"{icon} {problem['message']}  \n*{problem['advice']}*" if problem.get("advice") else problem["message"]
        )
    if entry["rows_rejected"]:
        st.download_button(
            "Download rejected rows with reasons",
            data=lambda: ws.rejected_rows(loaded.file_id).to_csv(index=False).encode(),
            file_name=f"rejected_{loaded.file_id}.csv",
            mime="text/csv",
            on_click="ignore",
            key=f"rejected_{loaded.file_id}",
        )


def file_panel(loaded, entry: dict) -> None:
    kind_label = TABLE_KINDS[entry["kind"]].label if entry["kind"] else "Not recognised"
    title = f"{entry['file']} — {kind_label} · {entry['rows_loaded']:,} rows loaded"
    with st.expander(title, expanded=not session.using_sample()):
        kinds = list(TABLE_KINDS)
        chosen = st.selectbox(
            "This file holds",
            kinds,
            index=kinds.index(entry["kind"]) if entry["kind"] in kinds else None,
            format_func=lambda k: f"{TABLE_KINDS[k].label} (one row per {TABLE_KINDS[k].row_is})",
            key=f"kind_{loaded.file_id}",
            placeholder="Choose what this file holds",
        )
        if chosen and chosen != entry["kind"]:
            ws.set_kind(loaded.file_id, chosen)
            session.remember(ws)
            st.rerun()
        if not entry["kind"]:
            st.warning("We could not tell what this file holds. Choose its kind above to map it.")
            return
        mapping_tab, quality_tab = st.tabs(["Column mapping", "Quality report"])
        with mapping_tab:
            mapping_editor(loaded, entry)
            actions = st.columns(2)
            actions[0].download_button(
                "Download this mapping",
                data=ws.mapping_file(loaded.file_id),
                file_name=f"mapping_{entry['kind']}.json",
                mime="application/json",
                on_click="ignore",
                key=f"save_{loaded.file_id}",
            )
            if actions[1].button("Remove this file", key=f"remove_{loaded.file_id}", icon=":material/delete:"):
                ws.remove(loaded.file_id)
                session.remember(ws)
                st.rerun()
        with quality_tab:
            quality_report(loaded, entry)


st.subheader("Loaded files")
report = ws.inspect()
if not report:
    st.info("No files loaded yet. Upload your exports above, or go back to the sample company.")
for loaded, entry in zip(ws.files, report, strict=True):
    file_panel(loaded, entry)


def money_input(column, label: str, value: float | None, step: float) -> float | None:
    return column.number_input(label, value=float(value) if value else None, min_value=0.0, step=step, format="%.0f")


st.subheader("Company profile")
st.caption("What no export carries. Some metrics need these figures; the rest use them as thresholds.")
profile = session.profile()
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
        session.set_profile(
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
