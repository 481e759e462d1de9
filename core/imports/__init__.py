"""The import pipeline: read → profile → recognise → plan → load → check."""
