"""The import pipeline, one module per stage; each takes what the one before returns.

1. read (core.imports.reading): bytes or a path → `RawTable`, the rows as text with their source lines, the rows that
   are not data (blank, totals, footers) listed with their reason, and its header signature (the key of saved
   corrections); a large CSV body is left where it lies, an awkward one over 256 KB is read by a worker process
   (`text_worker`, run by `workers`). A file over a budget (`budget`: columns, bytes once unpacked, judged from a
   Parquet footer and dictionaries, an Excel sheet's declared cells) is refused before any table is made.
2. profile (`profile`): one sampled pass → `TableProfile`, each column's value shapes, uniqueness and vocabularies.
   Reshapes (`reshape`) of tables that are not one row per entity come before it.
3. recognise (`links`, `recognise`, core.imports.mapping): the profiles of an upload → a `Mapping` per file, its kind and
   which column is which field, each decision with its confidence and reason.
4. plan (`plan`): a mapping with the typing decided on the file's sample → `LoadPlan`, every field's source,
   reading, filler and derivation, and the value maps, as data.
5. load (`load`): a plan → a staged table, all rows typed in one SQL statement (straight from a large body's
   file, checked to read it as the whole file would, else the whole file is read and staged).
6. check (`check`): a staged table → the file's `FileReport`: rows left out and why, totals, unread values.
7. build (`build`): the checked rows become, or join, the canonical table; then the money is converted into the
   reporting currency (core.fx) and the keys across tables are checked (core.imports.quality).

`core.ingest.Workspace` keeps a session's files and decisions and runs the stages (`add` → `_load_all` for 1–3,
`_insert` for 4–7), going down them once per file: tests/test_pipeline.py watches an upload do so.
"""
