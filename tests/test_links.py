"""Evidence from links between files (core.imports.links): a column whose values are found in another file's id
column is a key to it; a yes/no column, or one only half found, is not."""

from __future__ import annotations

import hashlib

import duckdb
import pytest

from core.imports.links import file_target, find_links, kept_ids, table_target
from core.imports.profile import profile_table
from core.imports.recognise import Link
from tests.rawtables import raw_table


def olist_id(seed: str) -> str:
    """An id as Olist's marketing funnel writes them: 32 hex characters."""
    return hashlib.md5(seed.encode()).hexdigest()


ORIGINS = ("organic_search", "paid_search", "social", "direct_traffic", "email", "referral")


@pytest.fixture
def con():
    return duckdb.connect()


def leads(con, n: int = 12):
    rows = [[olist_id(f"lead{i}"), f"2018-0{1 + i % 9}-1{i % 10}", ORIGINS[i % 6]] for i in range(n)]
    return raw_table(con, ["mql_id", "first_contact_date", "origin"], rows, source="leads.csv")


def test_a_deals_column_whose_values_are_all_lead_ids_links_to_the_leads(con):
    lead_file = leads(con)
    deal_rows = [
        [olist_id(f"lead{i}"), olist_id(f"seller{i % 4}"), f"2018-03-1{i} 10:0{i}:00", ("pet", "home_decor")[i % 2]]
        for i in range(6)
    ]
    deals = raw_table(con, ["mql_id", "seller_id", "won_date", "business_segment"], deal_rows, source="deals.csv")
    target = file_target("leads", "leads.csv", lead_file.table, "mql_id")
    assert target.label == "leads.csv's 'mql_id'"
    links = find_links(con, profile_table(con, deals), deals.table, [target])
    assert links == {"mql_id": Link("leads", "leads.csv's 'mql_id'", 1.0, "leads.csv")}  # the sellers are no leads


def test_a_column_found_in_a_loaded_table_links_to_it(con):
    con.execute("CREATE TABLE leads (lead_id VARCHAR)")
    con.execute("INSERT INTO leads SELECT 'L' || range FROM range(100, 120)")
    rows = [[f"A{i}", f"L{100 + i}", f"2024-01-0{1 + i}"] for i in range(8)]
    activities = raw_table(con, ["Activity ID", "Lead", "Date"], rows, source="calls.csv")
    links = find_links(con, profile_table(con, activities), activities.table, [table_target("leads", "lead_id")])
    assert links == {"Lead": Link("leads", "the loaded leads", 1.0)}


def test_a_yes_no_column_links_nothing(con):
    # whole-number lead ids 0..11 hold the `0` and `1` of a flag: every flag value is found, yet a flag is no key
    lead_rows = [[str(i), "2024-01-05", "web"] for i in range(12)]
    lead_file = raw_table(con, ["Id", "Created", "Source"], lead_rows, source="leads.csv")
    deal_rows = [[f"D{i}", ("0", "1")[i % 2], ("yes", "no")[i % 2]] for i in range(10)]
    deals = raw_table(con, ["Deal ID", "Is Closed", "Won"], deal_rows, source="deals.csv")
    profile = profile_table(con, deals)
    assert profile.column("Is Closed").distinct == 2
    links = find_links(con, profile, deals.table, [file_target("leads", "leads.csv", lead_file.table, "Id")])
    assert links == {}


def test_a_column_only_half_found_links_nothing(con):
    lead_file = leads(con)
    # three referrers are leads, three are not: found 3 of 6 distinct values = 50%, under the 80% a link needs
    rows = [
        [f"D{i}", olist_id(f"lead{i}") if i < 3 else olist_id(f"partner{i}"), f"2018-05-0{1 + i}"] for i in range(6)
    ]
    deals = raw_table(con, ["deal_id", "referrer_id", "won_date"], rows, source="deals.csv")
    target = file_target("leads", "leads.csv", lead_file.table, "mql_id")
    assert find_links(con, profile_table(con, deals), deals.table, [target]) == {}


def test_dates_and_measured_numbers_are_never_keys(con):
    # a target of dates and amounts: the deals' dates and amounts are all found in it, yet link nothing
    days = [f"2024-01-{10 + i}" for i in range(8)]
    amounts = [f"{100 + i}.50" for i in range(8)]
    con.execute("CREATE TABLE odd (v VARCHAR)")
    con.executemany("INSERT INTO odd VALUES (?)", [[v] for v in days + amounts])
    deals = raw_table(con, ["Close Date", "Amount"], [[d, a] for d, a in zip(days, amounts, strict=True)])
    target = file_target("leads", "odd.csv", "odd", "v")
    assert find_links(con, profile_table(con, deals), deals.table, [target]) == {}


def test_no_targets_no_links(con):
    deals = raw_table(con, ["mql_id"], [[olist_id(f"lead{i}")] for i in range(5)])
    assert find_links(con, profile_table(con, deals), deals.table, []) == {}


def test_kept_ids_read_each_target_once_and_leave_no_table_behind(con):
    lead_file = leads(con)
    deal_rows = [[olist_id(f"lead{i}"), f"2018-03-1{i}", str(i)] for i in range(6)]
    deals = raw_table(con, ["mql_id", "won_date", "seller"], deal_rows, source="deals.csv")
    targets = [file_target("leads", "leads.csv", lead_file.table, "mql_id"), table_target("leads", "lead_id")]
    con.execute("CREATE TABLE leads (lead_id VARCHAR)")
    con.execute(f"INSERT INTO leads SELECT mql_id FROM {lead_file.table} LIMIT 3")
    before = set(con.execute("SELECT table_name FROM duckdb_tables()").fetchall())
    with kept_ids(con) as ids:
        kept = find_links(con, profile_table(con, deals), deals.table, targets, ids)
        con.execute(f"DELETE FROM {lead_file.table}")  # the ids were read when first asked for, and are kept
        again = find_links(con, profile_table(con, deals), deals.table, targets, ids)
    assert kept == again == {"mql_id": Link("leads", "leads.csv's 'mql_id'", 1.0, "leads.csv")}
    assert set(con.execute("SELECT table_name FROM duckdb_tables()").fetchall()) == before
