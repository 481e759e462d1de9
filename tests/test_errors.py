"""Unexpected failures: the person gets a plain message and a reference; the log gets the place, no values."""

import logging

import pytest

from core import errors


def fail_with_a_value():
    raise ValueError("Could not convert string 'Jane Doe, 555-0100' to INTEGER")


def test_the_message_is_plain_and_carries_the_reference(caplog):
    with caplog.at_level(logging.ERROR, logger="gtm_scorecard"):
        errors.log.propagate = True  # let caplog see it
        try:
            fail_with_a_value()
        except ValueError as error:
            incident = errors.report(error, "showing the Metrics page")
        finally:
            errors.log.propagate = False
    assert len(incident.reference) == 8
    assert incident.message.startswith("Something went wrong while showing the Metrics page.")
    assert incident.message.endswith(f"report it with reference {incident.reference}.")
    assert "Traceback" not in incident.message and "ValueError" not in incident.message
    logged = caplog.records[-1].getMessage()
    assert f"reference {incident.reference}" in logged
    assert "ValueError at test_errors.py:" in logged and "fail_with_a_value" in logged
    assert "Jane Doe" not in logged and "555-0100" not in logged


def test_file_names_stay_out_of_the_log(caplog):
    with caplog.at_level(logging.ERROR, logger="gtm_scorecard"):
        errors.log.propagate = True
        try:
            raise KeyError("x")
        except KeyError as error:
            incident = errors.report(error, "reading salaries_jane_doe.csv")
        finally:
            errors.log.propagate = False
    assert "salaries_jane_doe.csv" in incident.message
    assert "jane" not in caplog.records[0].getMessage()


@pytest.mark.parametrize("doing", ["showing the Data page", "running the page"])
def test_references_differ(doing):
    first, second = (errors.report(RuntimeError(), doing) for _ in range(2))
    assert first.reference != second.reference


def test_a_failure_made_quiet_raises_and_logs_no_value(caplog):
    made = errors.quietly(fail_with_a_value, "making the download leads.xlsx")
    with caplog.at_level(logging.ERROR, logger="gtm_scorecard"):
        errors.log.propagate = True
        try:
            with pytest.raises(errors.FailedQuietly) as raised:
                made()
        finally:
            errors.log.propagate = False
    assert "Jane Doe" not in str(raised.value) and raised.value.__cause__ is None
    assert raised.value.__suppress_context__  # a logged traceback shows no chained error with the value
    assert str(raised.value).startswith("Something went wrong while making the download leads.xlsx.")
    assert "Jane Doe" not in caplog.records[-1].getMessage()
    assert errors.quietly(lambda: b"ok", "making a download")() == b"ok"
