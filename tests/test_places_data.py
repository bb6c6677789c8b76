"""scripts/places_data.py: the shipped registry is what the script makes from the inputs in the
repository, and the script refuses inputs that disagree without a reviewed decision."""

from __future__ import annotations

import csv
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "places_data.py"


def load_script():
    spec = importlib.util.spec_from_file_location("places_data", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_script_makes_the_shipped_file_byte_for_byte(tmp_path):
    out = tmp_path / "registry.json.gz"
    result = subprocess.run([sys.executable, str(SCRIPT), "--output", str(out)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert "54 disagreements settled" in result.stdout
    assert out.read_bytes() == (REPO / "site_builder" / "places" / "data" / "vn-admin-2025.json.gz").read_bytes()


def test_a_disagreement_without_a_decision_stops_the_script(tmp_path, monkeypatch):
    script = load_script()
    rows = list(csv.DictReader(script.DECISIONS.open(encoding="utf-8")))
    decisions = tmp_path / "decisions.csv"
    with decisions.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(r for r in rows if r["old_code"] != "13768")
    monkeypatch.setattr(script, "DECISIONS", decisions)
    with pytest.raises(script.InputError, match="old commune 13768 Xã Quang Trung: dvhcvn says"):
        script.load()


def test_a_decision_whose_inputs_changed_stops_the_script(tmp_path, monkeypatch):
    script = load_script()
    rows = list(csv.DictReader(script.DECISIONS.open(encoding="utf-8")))
    rows[0]["dvhcvn"] = "99999"
    decisions = tmp_path / "decisions.csv"
    with decisions.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    monkeypatch.setattr(script, "DECISIONS", decisions)
    with pytest.raises(script.InputError, match=f"the inputs of {rows[0]['old_code']} changed"):
        script.load()
