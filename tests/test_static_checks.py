"""Static security checks: bandit finds nothing of medium severity or above in app/, and
ruff keeps its security rules (S) on."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _bandit() -> str:
    found = shutil.which("bandit", path=str(Path(sys.executable).parent)) or shutil.which("bandit")
    if found is None:
        pytest.skip("bandit is not installed: pip install -e '.[dev]'")
    return found


def test_bandit_finds_nothing_of_medium_severity_or_above():
    done = subprocess.run(
        [_bandit(), "-c", "pyproject.toml", "-r", "app", "-ll", "-f", "json", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(done.stdout)
    assert not report["errors"], report["errors"]
    findings = [
        f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}"
        for r in report["results"]
    ]
    assert findings == []


def test_ruff_keeps_its_security_rules_on():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    selected = config["tool"]["ruff"]["lint"]["select"]
    assert "S" in selected
    ignored = config["tool"]["ruff"]["lint"].get("ignore", [])
    assert not [rule for rule in ignored if rule == "S" or rule.startswith("S")]


def test_bandit_is_configured_to_skip_tests_only():
    bandit = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["bandit"]
    assert "tests" in bandit["exclude_dirs"]
    assert not bandit.get("skips")
