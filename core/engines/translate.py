"""The catalogue's SQL, written once in DuckDB's dialect, in another engine's dialect (with SQLGlot).

SQLGlot translates functions and syntax (FILTER, GROUPING SETS, QUALIFY, INTERVAL, date_diff, median, ...). A few
meanings it leaves alone are rewritten here, each because the plain translation would run and give another
answer or fail: a regex word boundary (`\\b` is a backspace in PostgreSQL's regexes), decimal literals (Spark keeps
`x / 8.0` in DECIMAL arithmetic, rounded to six places, where DuckDB divides in DOUBLE), quantiles (SQLGlot gives
Spark an approximate percentile for an exact one), `any_value` (absent from PostgreSQL 15) and subqueries
without an alias (PostgreSQL 15 refuses them). What SQLGlot cannot say in the target
dialect raises `Untranslatable`: the metric is then unavailable on that engine, with the reason, never computed
from a guess.
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, SqlglotError

# Dialects the catalogue is translated into and checked to parse, but never executed here (no engine runs it).
TRANSLATED_ONLY = ("snowflake", "bigquery")


class Untranslatable(Exception):
    """SQL that has no faithful form in the target dialect; the message says which construct."""


def translate(sql: str, dialect: str) -> str:
    """`sql` (DuckDB's dialect) in `dialect`; DuckDB's own SQL passes through untouched."""
    if dialect == "duckdb":
        return sql
    try:
        tree = sqlglot.parse_one(sql, read="duckdb")
        tree = tree.transform(_rewrite_for(dialect))
        if dialect == "postgres":
            _alias_subqueries(tree)
        return tree.sql(dialect=dialect, unsupported_level=ErrorLevel.RAISE)
    except SqlglotError as error:
        raise Untranslatable(f"{dialect} has no equivalent of part of this query: {error}") from None


def parses(sql: str, dialect: str) -> bool:
    """Whether `sql` (already in `dialect`) is read back by SQLGlot's parser of that dialect."""
    try:
        sqlglot.parse_one(sql, read=dialect)
    except SqlglotError:
        return False
    return True


def _rewrite_for(dialect: str):
    def rewrite(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.IgnoreNulls) and isinstance(node.this, exp.AnyValue):
            # Any non-null value of the group will do; min is one, and every engine has it.
            return exp.Min(this=node.this.this)
        if dialect == "postgres" and isinstance(node, exp.RegexpLike) and isinstance(node.expression, exp.Literal):
            return _postgres_regex(node)
        if dialect in ("spark", "databricks"):
            return _spark(node)
        return node

    return rewrite


def _spark(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Literal) and _is_decimal(node):
        return exp.cast(node.copy(), exp.DataType.build("DOUBLE"))
    if isinstance(node, exp.PercentileCont):  # Spark's exact, interpolating quantile
        return exp.Anonymous(this="PERCENTILE", expressions=[node.this, node.expression])
    if isinstance(node, exp.PercentileDisc):  # named, as SQLGlot would write PERCENTILE_APPROX, an estimate
        order = exp.Order(expressions=[exp.Ordered(this=node.this, nulls_first=False)])
        return exp.WithinGroup(
            this=exp.Anonymous(this="PERCENTILE_DISC", expressions=[node.expression]), expression=order
        )
    return node


def _postgres_regex(node: exp.RegexpLike) -> exp.RegexpLike:
    pattern = node.expression.this.replace(r"\b", r"\y")  # PostgreSQL's word boundary
    return exp.RegexpLike(this=node.this, expression=exp.Literal.string(pattern))


def _is_decimal(node: exp.Literal) -> bool:
    return node.is_number and "." in node.this and not isinstance(node.parent, exp.Cast)


def _alias_subqueries(tree: exp.Expression) -> None:
    for number, subquery in enumerate(tree.find_all(exp.Subquery)):
        if not subquery.alias and isinstance(subquery.parent, exp.From | exp.Join):
            subquery.set("alias", exp.TableAlias(this=exp.to_identifier(f"_q{number}")))
