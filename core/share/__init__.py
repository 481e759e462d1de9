"""Sharing a view: snapshots behind share links, the HTML report and the data exports."""
