"""The app on a warehouse: the `[connections.warehouse]` settings of Streamlit's secrets, a local PostgreSQL (with a
password) holding the sample company's exports under warehouse names, the session computing there, and each way
the settings can be wrong giving a message that says what to fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from psycopg.conninfo import conninfo_to_dict
from streamlit.testing.v1 import AppTest

from core.engines.warehouse import WarehouseError, config_from_secrets, open_warehouse
from core.formatting import format_value
from core.metrics import engine
from core.metrics.catalogue import CATALOGUE
from core.resources import SessionResources
from core.sample import profile_from_file
from core.settings import Settings
from core.state import SessionState
from core.view import DEFAULT_METRICS
from tests.warehouse import SAMPLE, postgres_bin, sample_warehouse, secrets_section

PASSWORD = "s3cret-reader"
WRONG_PASSWORD = "not-the-password"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    if postgres_bin() is None:
        pytest.skip("PostgreSQL is not installed (scripts/run-tests.sh installs Debian's postgresql)")
    with sample_warehouse(tmp_path_factory.mktemp("warehouse"), PASSWORD) as found:
        yield found


def test_the_settings_are_read_as_st_connection_reads_a_sql_connection(tmp_path):
    section = {
        "dialect": "postgresql",
        "host": "db.example.com",
        "port": 5433,
        "database": "analytics",
        "username": "gtm_reader",
        "password": "pw",
        "query": {"sslmode": "require"},
        "mapping": "mappings.json",
        "tables": ["crm.contacts", "opportunities=crm.deals"],
    }
    config = config_from_secrets(section)
    assert conninfo_to_dict(config.conninfo) == {
        "host": "db.example.com",
        "port": "5433",
        "dbname": "analytics",
        "user": "gtm_reader",
        "password": "pw",
        "sslmode": "require",
        "connect_timeout": "10",
    }
    assert (config.where, config.user, config.label) == (
        "db.example.com:5433/analytics",
        "gtm_reader",
        "Company warehouse",
    )
    assert config.tables == ("crm.contacts", "opportunities=crm.deals") and config.profile is None
    by_url = config_from_secrets(
        {
            "url": "postgresql+psycopg://gtm_reader:pw@db.example.com:5433/analytics",
            "mapping": "m.json",
            "tables": ["t"],
        }
    )
    without_query = {key: value for key, value in conninfo_to_dict(config.conninfo).items() if key != "sslmode"}
    assert conninfo_to_dict(by_url.conninfo) == without_query


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"dialect": "mysql"}, "has dialect 'mysql': the app connects to PostgreSQL"),
        ({"mapping": ""}, "has no `mapping`: the path of the mapping file"),
        ({"tables": "hubspot_contacts"}, "`tables` must be a list of table names"),
    ],
)
def test_settings_that_are_wrong_name_the_key(changes, says):
    section = secrets_section("host=h port=1 user=u password=p dbname=d", Path("m.json"), **changes)
    with pytest.raises(WarehouseError, match=says):
        config_from_secrets(section)


def test_the_warehouse_lists_its_tables_with_the_canonical_table_each_becomes(warehouse):
    _, conninfo, mapping = warehouse
    opened = open_warehouse(config_from_secrets(secrets_section(conninfo, mapping)))
    try:
        seen = {table.name: table.becomes for table in opened.seen}
        assert seen == {
            "crm.bamboohr_employees": "headcount",
            "crm.delighted_nps_responses": "nps",
            "crm.erp_invoice_lines": "orders",
            "crm.gl_sales_marketing_extract": "spend",
            "crm.hubspot_contacts": "leads",
            "crm.salesforce_accounts": "accounts",
            "crm.salesforce_activities": "activities",
            "crm.salesforce_opportunities_report": "opportunities",
            "crm.salesforce_opportunity_history": "stage_history",
            "crm.salesforce_products": "products",
            "crm.meeting_notes": None,
        }
        assert opened.seen[-1].name == "crm.meeting_notes"  # the tables read come first
        assert opened.profile().company_name == "Brightline Systems"
    finally:
        opened.close()


def test_a_session_on_the_warehouse_computes_there_what_duckdb_computes(warehouse):
    ws, conninfo, mapping = warehouse
    resources = SessionResources.open(Settings.from_env())
    state = SessionState({}, resources, secrets_section(conninfo, mapping))
    try:
        assert state.warehouse_offered() and not state.using_warehouse()
        state.use_warehouse(state.workspace())
        assert state.using_warehouse() and state.data() is resources.warehouse.backend
        assert state.data_description() == "Brightline warehouse (PostgreSQL)"
        ids = ["qualified_leads", "close_ratio", "nps", "sm_spend_pct_revenue"]
        found = state.view_results(ids)
        expected = engine.compute(ws.con, ids, profile_from_file(SAMPLE / "company_profile.json"))
        assert {i: found[i].value for i in ids} == pytest.approx({i: expected[i].value for i in ids}, rel=1e-9)
        assert found["qualified_leads"].value == expected["qualified_leads"].value > 1000
        assert state.view_choices()["as_of"] == engine.as_of_date(ws.con)
        state.add_upload(state.workspace(), "leads.csv", b"Lead ID,Created Date\nL-1,2025-01-05\nL-2,2025-02-11\n")
        assert not state.using_warehouse() and state.data() is state.workspace().con  # an upload leaves it
        assert state.data_description() == "1 uploaded file" and state.workspace().files[0].rows_loaded == 2
    finally:
        resources.release()


def _broken_mapping(mapping: Path, folder: Path) -> Path:
    """The mapping file with the leads' campaign read from a column of the export that the warehouse's sync left
    out."""
    content = json.loads(mapping.read_text())
    leads = next(entry for entry in content["files"].values() if entry["kind"] == "leads")
    leads["mapping"]["campaign"] = "Campaign Name"
    leads["headers"].append("Campaign Name")
    broken = folder / "broken.json"
    broken.write_text(json.dumps(content))
    return broken


@pytest.mark.parametrize(
    ("problem", "says"),
    [
        ("unreachable", "Could not connect to the warehouse at "),
        ("password", "refused the login of postgres: check `username` and `password` in [connections.warehouse]"),
        (
            "table",
            "[connections.warehouse] `tables` cannot be read: no table hubspot_contactz is visible to this connection "
            "(schema crm is searched first, then public). Tables this login sees: crm.bamboohr_employees, ",
        ),
        ("column", "hubspot_contacts has no column 'Campaign Name', which its mapping entry names. Correct the"),
        ("mapping file", "The mapping file /nowhere/mappings.json ([connections.warehouse] `mapping`) cannot be read"),
    ],
)
def test_what_is_wrong_is_said(warehouse, tmp_path, problem, says):
    _, conninfo, mapping = warehouse
    section = secrets_section(conninfo, mapping)
    if problem == "unreachable":
        section["port"] += 1
    elif problem == "password":
        section["password"] = WRONG_PASSWORD
    elif problem == "table":
        section["tables"] = ["hubspot_contactz"]
    elif problem == "column":
        section |= {"mapping": str(_broken_mapping(mapping, tmp_path)), "tables": ["leads=hubspot_contacts"]}
    else:
        section["mapping"] = "/nowhere/mappings.json"
    with pytest.raises(WarehouseError) as raised:
        open_warehouse(config_from_secrets(section))
    assert says in str(raised.value)
    assert PASSWORD not in str(raised.value) and WRONG_PASSWORD not in str(raised.value)


def test_the_data_page_says_what_is_wrong_without_a_traceback(warehouse):
    _, conninfo, mapping = warehouse
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.secrets["connections"] = {"warehouse": secrets_section(conninfo, mapping, password=WRONG_PASSWORD)}
    at.switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    errors = [element.value for element in at.error]
    assert any("refused the login of postgres" in error for error in errors), errors
    assert [button.label for button in at.button if button.label in ("Try again", "Use the warehouse")] == ["Try again"]


def test_the_data_page_offers_the_warehouse_and_the_metrics_page_computes_there(warehouse):
    ws, conninfo, mapping = warehouse
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.secrets["connections"] = {"warehouse": secrets_section(conninfo, mapping)}
    at.switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    listed = at.dataframe[0].value
    assert dict(zip(listed["table in the warehouse"], listed["read as"], strict=True)) == {
        "crm.bamboohr_employees": "Headcount",
        "crm.delighted_nps_responses": "NPS survey",
        "crm.erp_invoice_lines": "Orders",
        "crm.gl_sales_marketing_extract": "Spend",
        "crm.hubspot_contacts": "Leads",
        "crm.salesforce_accounts": "Accounts",
        "crm.salesforce_activities": "Activities",
        "crm.salesforce_opportunities_report": "Opportunities (deals)",
        "crm.salesforce_opportunity_history": "Stage history",
        "crm.salesforce_products": "Products",
        "crm.meeting_notes": "not used",
    }
    next(button for button in at.button if button.label == "Use the warehouse").click().run()
    assert not at.exception, at.exception
    assert any("In use" in element.value for element in at.success)
    assert not at.main.expander  # no upload's panel: the warehouse stands alone
    captions = [element.value for element in at.caption]
    assert any(caption.startswith("In the warehouse nothing is converted") for caption in captions), captions
    assert not any("yearly average rate" in caption for caption in captions)  # no conversion is promised
    assert "Your exchange rates (optional)" not in [uploader.label for uploader in at.get("file_uploader")]
    at.switch_page("pages/metrics.py").run()
    assert not at.exception, at.exception
    profile = profile_from_file(SAMPLE / "company_profile.json")
    expected = engine.compute(ws.con, list(DEFAULT_METRICS), profile)
    shown = [metric.value for metric in at.metric]
    assert shown == [format_value(r.value, CATALOGUE[i].unit, profile.currency) for i, r in expected.items()]
    assert shown[0] == "12,271"  # qualified leads of the sample company, as DuckDB counts them
