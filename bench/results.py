"""bench/RESULTS.md is written by several scripts, each owning one section between its markers."""

from __future__ import annotations

from pathlib import Path


def write_section(path: Path, name: str, text: str) -> None:
    """Replace the section `name` (between `<!-- bench:name -->` and `<!-- /bench:name -->`, markers included in
    `text`), keeping everything else; create the file when missing and append the section when it has none."""
    begin, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    current = path.read_text() if path.exists() else "# Benchmark results\n"
    if begin in current and end in current:
        head, rest = current.split(begin, 1)
        updated = head + text + rest.split(end, 1)[1]
    else:
        updated = current.rstrip("\n") + "\n\n" + text + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(updated)
