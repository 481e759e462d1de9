"""The metrics: declared once as data (catalogue), computed from shared rules (rules) over named row sets
(relations) by the engine, and documented from the same declarations (docs)."""
