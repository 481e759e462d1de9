"""Every page through AppTest, on the sample company: no exception, and the elements a person relies on."""

from __future__ import annotations

import datetime as dt
import gc

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from core import view
from core.metrics import engine, shapes

APP = "../app.py"  # AppTest resolves paths against this file's folder


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def markdown_text(at: AppTest) -> str:
    return "\n".join(element.value for element in at.markdown)


def shown(label: str) -> str:
    """A label as a person reads it: the Markdown escapes of user text removed."""
    return label.replace("\\", "")


def charts(at: AppTest) -> list:
    return at.get("vega_lite_chart")


def exports_uploader(app: AppTest):
    """The Data page's uploader of exports (a new one, by key, after each batch it received is read)."""
    return next(uploader for uploader in app.file_uploader if uploader.label == "Upload exports")


def test_what_the_server_imported_is_out_of_the_garbage_collectors_sight():
    """Streamlit's full collection after every run walks only what runs made (see core/adapter/session.py)."""
    import core.adapter.session  # noqa: F401 - its import freezes what is loaded

    assert gc.get_freeze_count() > 50_000  # pandas, Altair, DuckDB and Streamlit's own objects, at least


def test_home_opens_on_the_sample_company(app: AppTest):
    assert app.title[0].value == "GTM Scorecard"
    assert "Brightline Systems" in markdown_text(app)
    values = {metric.label: metric.value for metric in app.metric}
    assert set(values) == {
        "Qualified leads",
        "Close ratio",
        "Time to close",
        "Net Promoter Score",
        "Sales + marketing spend % of revenue",
    }
    assert all(value != "—" for value in values.values()), values
    specs = [chart.proto.spec for chart in charts(app)]
    assert any("Qualified leads per month" in spec for spec in specs)
    assert any("Close ratio by lead source" in spec for spec in specs)  # its one breakdown


def test_data_page_lists_every_sample_file_with_its_kind(app: AppTest):
    app.switch_page("pages/data.py").run()
    assert not app.exception, app.exception
    assert app.title[0].value == "Data"
    text = "\n".join(shown(expander.label) for expander in app.main.expander)
    for name, kind in [
        ("hubspot_contacts.csv", "Leads"),
        ("salesforce_opportunities_report.csv", "Opportunities"),
        ("bamboohr_employees.csv", "Headcount"),
        ("gl_sales_marketing_extract.csv", "Spend"),
        ("delighted_nps_responses.csv", "NPS"),
    ]:
        assert name in text and kind in text, (name, kind, text)


def test_a_closed_file_panel_is_drawn_once_opened_and_only_its_chosen_tab(app: AppTest):
    app.switch_page("pages/data.py").run()
    assert len(app.main.expander) >= 10 and not [s for s in app.selectbox if s.label == "This file holds"]
    contacts = next(key for key in app.session_state if key.startswith("panel_"))
    app.session_state[contacts] = True  # as a click on the panel's title does
    app.run()
    assert not app.exception, app.exception
    assert [s.label for s in app.selectbox].count("This file holds") == 1
    assert any("Recognised as" in m.value for m in app.markdown)  # the Column mapping tab, chosen by default
    assert not any(m.value == "**Totals to reconcile with your source system**" for m in app.markdown)
    open_tab(app, "Quality report")
    assert any(m.value == "**Totals to reconcile with your source system**" for m in app.markdown)
    assert not any("Recognised as" in m.value for m in app.markdown)


def test_metrics_page_shows_cards_for_the_default_preset(app: AppTest):
    app.switch_page("pages/metrics.py").run()
    assert not app.exception, app.exception
    headers = [element.value for element in app.subheader]
    assert "Close ratio" in headers and "Qualified leads" in headers
    # metrics with published figures show them on their cards (cost per lead: First Page Sage's B2B SaaS $164-$310)
    benchmark_lines = [m.value for m in app.markdown if "**Benchmark:**" in m.value]
    assert any("$164 to $310" in line for line in benchmark_lines), benchmark_lines
    assert all(metric.value != "—" for metric in app.metric)


@pytest.fixture
def work_done(monkeypatch) -> dict[str, list]:
    """The overview shapes built and the metric computations run (metric ids, with breakdowns?), in order."""
    done: dict[str, list] = {"shapes": [], "computed": []}
    for name, build in shapes.BUILDERS.items():

        def counted_shape(*args, name=name, build=build):
            done["shapes"].append(name)
            return build(*args)

        monkeypatch.setitem(shapes.BUILDERS, name, counted_shape)
    compute = engine.compute

    def counted_compute(source, metric_ids, *args, breakdowns=True, **kwargs):
        done["computed"].append((list(metric_ids), breakdowns))
        return compute(source, metric_ids, *args, breakdowns=breakdowns, **kwargs)

    monkeypatch.setattr(engine, "compute", counted_compute)
    return done


def overview_tabs(app: AppTest) -> list[str]:
    """The Overview's tab labels (the tabs before the first metric card's)."""
    labels = [tab.label for tab in app.tabs]
    return labels[: labels.index("Trend")] if "Trend" in labels else labels


def test_home_computes_breakdowns_only_for_the_one_it_draws(work_done: dict):
    app = AppTest.from_file(APP, default_timeout=120)
    app.run()
    assert not app.exception, app.exception
    assert work_done["computed"] == [
        (["close_ratio"], True),
        (["qualified_leads", "time_to_close", "nps", "sm_spend_pct_revenue"], False),
    ]


def test_the_metrics_pages_first_run_computes_only_what_it_shows(app: AppTest, work_done: dict):
    # Home computed its five headline metrics; of the default preset, cost per qualified lead and lead to
    # appointment rate are new. Their breakdowns wait for their tab, and of the five overview charts only the open
    # one is computed. The data's revenue (for the benchmarks' size band: the profile gives none) is computed once.
    work_done["shapes"].clear()
    work_done["computed"].clear()
    app.switch_page("pages/metrics.py").run()
    assert not app.exception, app.exception
    assert overview_tabs(app) == list(shapes.TITLES.values())  # the sample company covers all five
    assert work_done["shapes"] == ["funnel"]
    assert work_done["computed"] == [
        (["cost_per_qualified_lead", "lead_to_appointment_rate"], False),
        (["sm_spend_pct_revenue"], False),
    ]

    work_done["shapes"].clear()
    work_done["computed"].clear()
    app.run()  # a rerun of the same view computes nothing
    assert not app.exception, app.exception
    assert work_done == {"shapes": [], "computed": []}

    app.session_state["overview_tab"] = "NPS answers"  # as a click on the tab does
    app.session_state["card_tab_cost_per_qualified_lead"] = "Breakdown"
    app.run()
    assert not app.exception, app.exception
    assert work_done == {"shapes": ["nps_answers"], "computed": [(["cost_per_qualified_lead"], True)]}
    assert any('"score"' in chart.proto.spec for chart in charts(app))  # the NPS answers' chart
    assert next(box for box in app.selectbox if box.key == "dim_cost_per_qualified_lead").options == [
        "Campaign",
        "Channel",
    ]
    assert any("Cost per qualified lead by campaign" in chart.proto.spec for chart in charts(app))


def test_an_upload_of_leads_alone_shows_the_funnel_tab_alone(app: AppTest):
    app.switch_page("pages/data.py").run()
    upload(app, "leads.csv", LEADS_CSV)
    app.switch_page("pages/metrics.py").run()
    assert not app.exception, app.exception
    assert overview_tabs(app) == ["Funnel"]
    assert any(caption.value == "From 2 rows." for caption in app.caption)

    app.selectbox(key=view.PERIOD_KEY).set_value("custom").run()  # a period before the leads: the funnel is empty
    app.date_input(key=view.TO_KEY).set_value(dt.date(2024, 12, 31)).run()
    assert not app.exception, app.exception
    assert overview_tabs(app) == ["Funnel"]
    assert app.info[0].value.startswith("No rows for this chart in the period and filters chosen")


def test_scorecard_page_shows_all_eight_kpis(app: AppTest):
    app.switch_page("pages/scorecard.py").run()
    assert not app.exception, app.exception
    assert app.title[0].value == "Scorecard"
    assert len(charts(app)) >= 6


def test_a_euro_profile_gets_one_converted_comparison_on_the_metrics_and_scorecard_pages(app: AppTest):
    app.switch_page("pages/data.py").run()
    next(box for box in app.selectbox if box.label == "Currency").set_value("EUR")
    next(b for b in app.button if b.label == "Save profile").click().run()
    assert not app.exception, app.exception

    app.switch_page("pages/scorecard.py").run()
    assert not app.exception, app.exception
    on_scorecard = [m.value for m in app.markdown if "Converted from USD" in m.value]
    # IDC's $40K-$70K of 2012 at the 2012 average rate (1.2859 US dollars per euro): €31.1K to €54.4K
    assert len(on_scorecard) == 1 and "range €31.1K to €54.4K" in on_scorecard[0], on_scorecard
    assert "1 USD = 0.7777 EUR" in on_scorecard[0]

    app.multiselect(key=view.METRICS_KEY).set_value(["marketing_spend_per_sales_head", "cost_per_qualified_lead"])
    app.switch_page("pages/metrics.py").run()
    assert not app.exception, app.exception
    on_metrics = [m.value for m in app.markdown if "**Benchmark:**" in m.value]
    assert any(on_scorecard[0] in line for line in on_metrics), on_metrics
    # First Page Sage's range is in 2022 dollars: at 2022's 1.0534 US dollars per euro, $164-$310 is €156-€294
    assert any("range €156 to €294" in line and "2022 average rate" in line for line in on_metrics), on_metrics


def test_explore_page_runs_the_default_query(app: AppTest):
    app.switch_page("pages/explore.py").run()
    assert not app.exception, app.exception
    assert app.title[0].value == "Explore"
    assert len(app.dataframe) >= 1
    leads_by_source = next(frame.value for frame in app.dataframe if "leads" in frame.value.columns)
    assert list(leads_by_source.columns) == ["source", "leads"]
    assert leads_by_source["leads"].sum() == 40_007  # every sample lead, counted by source
    assert len(charts(app)) == 1  # the quick chart of it
    assert [box.value for box in app.selectbox if box.label in ("X axis", "Y axis (a number)")] == ["source", "leads"]
    app.text_area(key="explore_sql").set_value("DROP TABLE leads").run()
    app.button[0].click().run()
    assert "read-only" in app.error[0].value


SNAPSHOT = {
    "format": "gtm-scorecard-snapshot",
    "version": 1,
    "company": "Acme *Ltd*",
    "currency": "USD",
    "view": {"Period": "all dates"},
    "metrics": [
        {
            "id": "close_ratio",
            "name": "Close ratio",
            "unit": "ratio",
            "value": 0.25,
            "display": "25.0%",
            "available": True,
            "missing": [],
            "rows_used": 4,
            "trend": [{"period": "2025-01-01", "value": 0.25, "n": 4}],
            "breakdowns": {"source": [{"key": "Events", "value": 0.5, "n": 2}]},
        }
    ],
    "overview": {"funnel": {"title": "Funnel", "rows": 4, "data": [{"step": "Leads", "count": 4}]}},
}


def test_snapshot_page_shows_a_shared_snapshot_and_refuses_other_files(app: AppTest):
    import json

    app.switch_page("pages/snapshot.py").run()
    assert not app.exception, app.exception
    assert "No snapshot open" in app.info[0].value
    data = json.dumps(SNAPSHOT).encode()
    app.file_uploader(key="snapshot_upload").set_value([("acme.json", data, "application/json")]).run()
    assert not app.exception, app.exception
    assert shown(app.subheader[0].value) == "Acme *Ltd*"
    assert [shown(metric.value) for metric in app.metric] == ["25.0%"]  # as Markdown shows it
    assert len(charts(app)) == 3  # the funnel, the trend and the breakdown
    app.file_uploader(key="snapshot_upload").set_value([("leads.json", b"[1, 2]", "application/json")]).run()
    assert not app.exception, app.exception
    assert "leads.json: This JSON file is not a GTM Scorecard snapshot" in shown(app.error[0].value)


def test_uploads_survive_a_reconnect(app: AppTest):
    """A websocket blip drops session-scoped caches (the DuckDB) but keeps session_state: the workspace must be
    rebuilt from the uploads kept there."""
    app.switch_page("pages/data.py").run()
    csv = b"Lead ID,Created Date,Lead Source\nL-1,2025-01-05,Events\nL-2,2025-01-09,Paid Search\n"
    exports_uploader(app).set_value([("my_leads.csv", csv, "text/csv")]).run()
    assert not app.exception, app.exception
    assert [shown(e.label) for e in app.main.expander] == ["my_leads.csv — Leads · 2 rows loaded"]
    assert exports_uploader(app).value == []  # read: Streamlit no longer holds a copy of the bytes

    st.cache_resource.clear()  # what a disconnect does to the per-session DuckDB
    app.run()
    assert not app.exception, app.exception
    assert [shown(e.label) for e in app.main.expander] == ["my_leads.csv — Leads · 2 rows loaded"]


def test_scorecard_rejects_a_bad_benchmark_file_naming_row_and_column(app: AppTest):
    app.switch_page("pages/scorecard.py").run()
    bad = (
        b"metric_id,low,median,high,unit,year,source_name,source_type\n"
        b"close_ratio,0.2,0.25,0.3,ratio,2025,Our survey,primary\n"
        b"win_rate_typo,,0.3,,ratio,2025,Our survey,primary\n"
        b"nps,,forty,,score,2025,Our survey,primary\n"
    )
    app.file_uploader(key="benchmark_upload").set_value([("peers.csv", bad, "text/csv")]).run()
    assert not app.exception, app.exception
    assert "peers.csv was not accepted" in app.error[0].value
    problems = next(frame.value for frame in app.dataframe if "problem" in frame.value.columns)
    assert {(row, column) for row, column in zip(problems["row"], problems["column"], strict=True)} >= {
        (3, "metric_id"),
        (4, "median"),
    }


LEADS_CSV = b"Lead ID,Created Date,Lead Source\nL-1,2025-01-05,Events\nL-2,2025-01-09,Paid Search\n"


def upload(app: AppTest, name: str, data: bytes) -> None:
    exports_uploader(app).set_value([(name, data, "text/csv")]).run()
    assert not app.exception, app.exception


def button(app: AppTest, label: str):
    return next(b for b in app.button if b.label == label)


def file_labels(app: AppTest) -> list[str]:
    return [shown(e.label) for e in app.main.expander]


def open_tab(app: AppTest, label: str) -> None:
    """Choose a tab of every file panel, as a click does (only the chosen tab of a panel is drawn)."""
    for key in [key for key in app.session_state if key.startswith("tabs_")]:
        app.session_state[key] = label
    app.run()
    assert not app.exception, app.exception


def test_a_second_file_of_a_loaded_kind_asks_replace_append_or_discard(app: AppTest):
    app.switch_page("pages/data.py").run()
    upload(app, "leads_jan.csv", LEADS_CSV)
    upload(app, "leads_feb.csv", b"Lead ID,Created Date,Lead Source\nL-3,2025-02-01,Webinar\n")
    question = next(m.value for m in app.markdown if "holds Leads, like" in m.value)
    assert "leads\\_feb.csv" in question and "leads\\_jan.csv" in question
    button(app, "Append: one table with both").click().run()
    assert file_labels(app) == ["leads_jan.csv — Leads · 2 rows loaded", "leads_feb.csv — Leads · 1 row loaded"]
    assert not any("holds Leads, like" in m.value for m in app.markdown)

    upload(app, "leads_ids.csv", b"Lead ID,Lead Source\nL-9,Events\n")  # no Created column: cannot append
    button(app, "Append: one table with both").click().run()
    assert "cannot append to leads\\_jan.csv" in app.error[0].value and "Created" in app.error[0].value
    button(app, "Replace leads\\_jan.csv").click().run()  # labels are Markdown: the name is escaped
    assert file_labels(app) == ["leads_feb.csv — Leads · 1 row loaded", "leads_ids.csv — Leads · 1 row loaded"]


def test_a_removed_file_stays_removed_after_a_reconnect(app: AppTest):
    app.switch_page("pages/data.py").run()
    upload(app, "leads_jan.csv", LEADS_CSV)
    upload(app, "deals.csv", b"Opportunity ID,Stage,Amount\nO-1,Closed Won,100\n")
    button(app, "Remove this file").click().run()  # the first panel: leads_jan.csv
    assert file_labels(app) == ["deals.csv — Opportunities (deals) · 1 row loaded"]
    st.cache_resource.clear()
    app.run()
    assert file_labels(app) == ["deals.csv — Opportunities (deals) · 1 row loaded"]


def test_reading_options_change_the_date_order_and_the_preview_shows_it(app: AppTest):
    app.switch_page("pages/data.py").run()
    upload(app, "leads.csv", b"Lead ID;Created Date;Lead Source\nL-1;03/04/2025;Events\nL-2;05/06/2025;Web\n")
    preview = next(f.value for f in app.dataframe if "Created" in f.value.columns)
    assert [d.date().isoformat() for d in preview["Created"]] == ["2025-03-04", "2025-05-06"]  # month first
    assert not any(s.label == "Date order" for s in app.selectbox)  # only the chosen tab is drawn
    open_tab(app, "Reading options")
    next(s for s in app.selectbox if s.label == "Date order").set_value("dmy")
    button(app, "Apply").click().run()
    assert not app.exception, app.exception
    open_tab(app, "Column mapping")
    preview = next(f.value for f in app.dataframe if "Created" in f.value.columns)
    assert [d.date().isoformat() for d in preview["Created"]] == ["2025-04-03", "2025-06-05"]


INVOICES_CSV = b"Invoice ID,Invoice Date,Amount,Vendor\nI1,2024-01-02,100.50,Google\nI2,2024-02-03,250.25,Meta\n"


def test_a_corrected_kind_is_applied_to_the_next_upload_of_the_same_export(app: AppTest):
    app.switch_page("pages/data.py").run()
    upload(app, "invoices_jan.csv", INVOICES_CSV)
    assert file_labels(app) == ["invoices_jan.csv — Orders · 2 rows loaded"]  # taken for orders
    next(s for s in app.selectbox if s.label == "This file holds").set_value("spend").run()
    assert not app.exception, app.exception
    st.cache_resource.clear()  # a reconnect in between: the correction is kept in session state
    app.run()
    upload(app, "invoices_feb.csv", INVOICES_CSV.replace(b"I1,", b"I3,").replace(b"I2,", b"I4,"))
    loaded = shown(app.success[0].value)
    assert (
        "invoices_feb.csv: Spend, 2 of 2 rows (mapping from your earlier correction of invoices_jan.csv applied)"
        in loaded
    )
    assert file_labels(app) == ["invoices_jan.csv — Spend · 2 rows loaded", "invoices_feb.csv — Spend · 2 rows loaded"]
    assert any("earlier correction of invoices_jan.csv applied" in shown(c.value) for c in app.caption)


def test_the_quality_report_shows_totals_to_reconcile(app: AppTest):
    app.switch_page("pages/data.py").run()
    upload(app, "invoices.csv", INVOICES_CSV)
    open_tab(app, "Quality report")
    assert any(m.value == "**Totals to reconcile with your source system**" for m in app.markdown)
    totals = next(f.value for f in app.dataframe if "total or range" in f.value.columns)
    assert totals.values.tolist() == [["Amount", "350.75"], ["Order date", "2024-01-02 to 2024-02-03"]]


def test_a_malformed_mapping_file_is_refused_and_changes_nothing(app: AppTest):
    app.switch_page("pages/data.py").run()
    upload(app, "invoices.csv", INVOICES_CSV)
    bad = b'{"headers": ["Invoice ID", "Invoice Date", "Amount", "Vendor"], "kind": "invoices"}'
    app.file_uploader(key="mapping_upload").set_value([("mine.json", bad, "application/json")]).run()
    assert not app.exception, app.exception
    error = shown(app.error[0].value)
    assert error.startswith("mine.json: This is not a mapping file saved by this app") and "'invoices'" in error
    assert file_labels(app) == ["invoices.csv — Orders · 2 rows loaded"]


WIDE_BUDGET_CSV = b"Channel,Jan 2024,Feb 2024,Mar 2024\nGoogle Ads,1000,1100,900\nLinkedIn,500,,700\n"


def test_the_data_page_shows_why_each_field_and_undoes_a_reshape(app: AppTest):
    app.switch_page("pages/data.py").run()
    upload(app, "budget.csv", WIDE_BUDGET_CSV)
    assert file_labels(app) == ["budget.csv — Spend · 5 rows loaded"]  # 2 source rows, 5 amounts filled
    assert any("Recognised as **Spend**" in m.value for m in app.markdown)
    mapping = next(f.value for f in app.dataframe if "why" in f.value.columns)
    assert mapping.loc["amount", "why"].startswith("made by the reshape")
    assert "Channel" in mapping.loc["channel", "why"]
    box = next(c for c in app.checkbox if "month columns" in shown(c.label))
    assert box.value
    box.uncheck().run()
    assert not app.exception, app.exception
    assert file_labels(app) == ["budget.csv — Spend · 0 rows loaded"]  # as uploaded: no period, no amount
    box = next(c for c in app.checkbox if "month columns" in shown(c.label))
    assert not box.value
    box.check().run()
    assert file_labels(app) == ["budget.csv — Spend · 5 rows loaded"]

    st.cache_resource.clear()  # the choice survives a reconnect
    app.run()
    assert file_labels(app) == ["budget.csv — Spend · 5 rows loaded"]
