"""A clone of the repository stands alone: nothing in it reads files from outside it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The steering folder beside the clone, by a relative path, by `parents[N].parent`, or by
# its absolute path.
OUTSIDE = re.compile(r"\.\./shared|\.parent\s*/\s*[\"']shared[\"']|/work/shared")


def test_no_tracked_file_reads_outside_the_repository():
    listed = subprocess.run(
        ["git", "ls-files", "app", "tests", "bench", "scripts", "docs", "README.md", "Makefile"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    this_file = Path(__file__).resolve().relative_to(ROOT).as_posix()
    offenders = []
    for name in listed:
        path = ROOT / name
        if name == this_file or not path.is_file() or path.suffix in {".png", ".mo", ".ttf"}:
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        offenders += [f"{name}: {m.group(0)}" for m in OUTSIDE.finditer(text)]
    assert offenders == []
