"""The Explore sandbox: queries work on copies of the canonical tables; everything else is refused."""

import duckdb
import pytest

from core.explore import SqlRefused, canonical_tables, run_query, sandbox
from core.schema import create_table_sql


@pytest.fixture
def box():
    con = duckdb.connect()
    con.execute(create_table_sql("leads"))
    con.execute("INSERT INTO leads (lead_id, source) VALUES ('L1', 'Events'), ('L2', 'Events'), ('L3', 'Paid Search')")
    con.execute("CREATE TABLE raw_1 (secret VARCHAR)")  # not canonical: must not reach the sandbox
    secret_df = __import__("pandas").DataFrame({"x": [1]})  # noqa: F841 — a Python variable a replacement scan could read
    yield sandbox(con)


def test_queries_see_canonical_tables_only(box):
    result = run_query(box, "SELECT source, count(*) AS n FROM leads GROUP BY source ORDER BY n DESC")
    assert result.frame.to_dict("records") == [{"source": "Events", "n": 2}, {"source": "Paid Search", "n": 1}]
    assert canonical_tables(box) == ["leads"]
    with pytest.raises(SqlRefused, match="raw_1"):
        run_query(box, "SELECT * FROM raw_1")


def test_row_limit_truncates(box):
    result = run_query(box, "SELECT * FROM range(100)", row_limit=10)
    assert len(result.frame) == 10 and result.truncated


@pytest.mark.parametrize(
    "sql",
    [
        "DROP TABLE leads",
        "SELECT 1; DROP TABLE leads",
        "CREATE TABLE x AS SELECT 1",
        "INSERT INTO leads (lead_id) VALUES ('x')",
        "COPY leads TO '/tmp/leak.csv'",
        "ATTACH '/tmp/other.db'",
        "SET enable_external_access = true",
        "RESET lock_configuration",
        "PRAGMA version",
        "EXPORT DATABASE '/tmp/dump'",
        "INSTALL httpfs",
        "LOAD httpfs",
        "CALL pragma_version()",
    ],
)
def test_statements_other_than_queries_are_refused(box, sql):
    with pytest.raises(SqlRefused, match="Only queries|one statement"):
        run_query(box, sql)
    assert run_query(box, "SELECT count(*) AS n FROM leads").frame["n"][0] == 3


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM '/etc/passwd'",
        "SELECT * FROM glob('/etc/*')",
        "SELECT getenv('HOME')",
        "SELECT * FROM secret_df",
    ],
)
def test_reaching_outside_is_refused(box, sql):
    with pytest.raises(SqlRefused):
        run_query(box, sql)


def test_runaway_query_is_interrupted_and_sandbox_survives(box):
    with pytest.raises(SqlRefused, match="longer than"):
        run_query(box, "SELECT count(*) FROM range(100000000) a, range(100000000) b", timeout_s=0.5)
    assert run_query(box, "SELECT 42 AS answer").frame["answer"][0] == 42
