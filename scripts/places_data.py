"""Regenerate site_builder/places/data/vn-admin-2025.json.gz, the registry of Vietnam's
administrative units before and after the reform of 1 July 2025.

    .venv/bin/python scripts/places_data.py [--output FILE]

Inputs (copied into data/vn-admin-2025/ with their licences; data/vn-admin-2025/README.md says
where each comes from):

- dvhcvn-20250701 (MIT, (c) 2025 dvhcvn): mapping/splits.json (old commune -> new communes, old
  province -> new province), mapping/merges.json (new commune -> old communes, with the districts
  that had no commune: Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo), official/1027_CTK-CSCL.md
  (the statistics office's list of the 3,321 new communes) and official/915_CTK-CSCL.csv (the 34
  provinces);
- vietnamadminunits 1.0.4 (MIT, (c) 2025 Tran Ngoc Minh Hieu): legacy_units.csv (old communes with
  their districts) and old_to_new_flat.csv (its own old -> new mapping, with the "default" new
  commune of a split one);
- scripts/places_decisions.csv: the reviewed decision, from the text of the resolutions, for every
  old commune the two mappings disagree on.

The script stops, saying why, when the inputs do not agree with each other or with the decisions
(an old commune the two sets disagree on without a decision, a decision about a commune they agree
on or whose inputs changed, a code the official list does not have). Its output is byte-for-byte
reproducible (tests/test_places_data.py rebuilds it and compares).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "data" / "vn-admin-2025"
DECISIONS = Path(__file__).resolve().parent / "places_decisions.csv"
OUTPUT = ROOT / "site_builder" / "places" / "data" / "vn-admin-2025.json.gz"

#: What the output says about itself (site_builder/places/data/README.md says the same in prose).
ABOUT = {
    "title": "Vietnam's administrative units before and after 1 July 2025, with the transition mapping",
    "effective": "2025-07-01",
    "sources": [
        "dvhcvn/20250701 (github.com/dvhcvn/20250701, dd94887, 2025-07-12): MIT, Copyright (c) 2025 dvhcvn",
        "vietnamadminunits 1.0.4 (PyPI; github.com/tranngocminhhieu/vietnamadminunits): "
        "MIT, Copyright (c) 2025 Tran Ngoc Minh Hieu",
        "Cục Thống kê 1027/CTK-CSCL (25/06/2025) and 915/CTK-CSCL; Nghị quyết 1654-1687/NQ-UBTVQH15 (16/06/2025)",
    ],
    "made_by": "scripts/places_data.py, with the decisions of scripts/places_decisions.csv",
}


class InputError(Exception):
    """The inputs disagree in a way the script cannot settle: the message says where."""


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", text.replace("<br>", " "))).strip()


def read_gz(name: str) -> str:
    with gzip.open(INPUTS / name, "rt", encoding="utf-8-sig") as f:
        return f.read()


def read_csv(name: str) -> list[dict[str, str]]:
    text = read_gz(name) if name.endswith(".gz") else (INPUTS / name).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@dataclass
class OldCommune:
    code: str
    name: str
    province: str  # old province code
    district: str = ""  # old district code ("" for the communes dissolved before 2025)
    new: list[str] = field(default_factory=list)  # new commune codes, the main one first
    aliases: list[str] = field(default_factory=list)  # other spellings of the name


def official_communes() -> dict[str, tuple[str, str]]:
    """New commune code -> (name, province name) from the statistics office's list 1027/CTK-CSCL."""
    out = {}
    for line in read_gz("dvhcvn-20250701/official/1027_CTK-CSCL.md.gz").splitlines():
        m = re.match(r"\|\s*\d+\s*\|\s*(\d{5})\s*\|\s*(.+?)\s*\|\s*(.+?)\s*\|", line)
        if m:
            out[m.group(1)] = (nfc(m.group(2)), nfc(m.group(3)).replace("Tp ", "Thành phố "))
    return out


def bare_province(name: str) -> str:
    return re.sub(r"^(Tỉnh|Thành phố) ", "", name)


def load() -> tuple[dict, int]:
    """The registry (see `write`) and the number of disagreements the decisions settled."""
    splits = json.loads(read_gz("dvhcvn-20250701/mapping/splits.json.gz"))["data"]
    merges = json.loads(read_gz("dvhcvn-20250701/mapping/merges.json.gz"))["data"]
    official = official_communes()
    province_list = {r["Mã số"]: nfc(r["Tên 34 tỉnh sau sáp nhập"]) for r in read_csv("dvhcvn-20250701/official/915_CTK-CSCL.csv")}

    # --- the 34 provinces and 3,321 communes after the reform (dvhcvn = the official lists) ---------
    provinces: dict[str, str] = {}
    communes: dict[str, tuple[str, str]] = {}
    district_units: dict[str, str] = {}  # old district code -> new unit (districts that had no commune)
    for p in merges:
        provinces[p["level1_id"]] = nfc(p["name"])
        for unit in p["level2s"]:
            communes[unit["level2_id"]] = (nfc(unit["name"]), p["level1_id"])
            for old in unit["merges"]:
                if len(old["old_id"]) == 3:
                    district_units[old["old_id"]] = unit["level2_id"]
    if set(province_list) != set(provinces) or any(
        bare_province(provinces[c]) != bare_province(n) for c, n in province_list.items()
    ):
        raise InputError("merges.json's provinces are not those of 915/CTK-CSCL")
    for code, (name, province) in official.items():
        if communes.get(code, ("", ""))[0] != name or provinces[communes[code][1]] != province:
            raise InputError(f"new commune {code} {name} ({province}): merges.json has {communes.get(code)}")
    if set(official) != set(communes):
        raise InputError(f"merges.json has communes the official list does not: {sorted(set(communes) - set(official))}")

    # --- before the reform: provinces (dvhcvn), districts and communes (vietnamadminunits) ----------
    old_provinces: dict[str, tuple[str, str]] = {}
    dvhcvn_old: dict[str, OldCommune] = {}
    for p in splits:
        targets = [s["new_id"] for s in p["splits"]]
        if len(targets) != 1:
            raise InputError(f"old province {p['name']} goes to several provinces: {targets}")
        old_provinces[p["level1_id"]] = (nfc(p["name"]), targets[0])
        for unit in p["level3s"]:
            dvhcvn_old[unit["level3_id"]] = OldCommune(unit["level3_id"], nfc(unit["name"]), p["level1_id"],
                                                       new=[s["new_id"] for s in unit["splits"]])
    old_districts: dict[str, tuple[str, str]] = {}
    legacy: dict[str, OldCommune] = {}
    for r in read_csv("vietnamadminunits/legacy_units.csv.gz"):
        old_districts[r["district_code"]] = (nfc(r["district"]), r["province_code"])
        province_name = nfc(r["province"])
        if r["province_code"] not in old_provinces:
            raise InputError(f"legacy_units.csv: unknown province {r['province_code']} {province_name}")
        old_provinces[r["province_code"]] = (province_name, old_provinces[r["province_code"]][1])  # "Hòa", not "Hoà"
        if r["ward_code"]:
            legacy[r["ward_code"]] = OldCommune(r["ward_code"], nfc(r["ward"]), r["province_code"], r["district_code"])
    for code in district_units:
        if code not in old_districts:
            raise InputError(f"merges.json names an old district {code} that legacy_units.csv does not have")

    # --- the two mappings, their disagreements and the reviewed decisions ---------------------------
    theirs: dict[str, list[str]] = defaultdict(list)
    default: dict[str, str] = {}
    for r in read_csv("vietnamadminunits/old_to_new_flat.csv.gz"):
        theirs[r["old_ward_code"]].append(r["new_ward_code"])
        if r["is_default_new_ward"] == "1":
            default[r["old_ward_code"]] = r["new_ward_code"]
    if set(legacy) - set(dvhcvn_old) or set(theirs) != set(legacy):
        raise InputError("the two sets do not list the same old communes")
    decisions = {r["old_code"]: r for r in csv.DictReader(DECISIONS.open(encoding="utf-8"))}
    settled = set()
    for code, mine in dvhcvn_old.items():
        other = theirs.get(code)
        if other is not None and set(other) != set(mine.new):
            decision = decisions.get(code)
            if decision is None:
                raise InputError(f"old commune {code} {mine.name}: dvhcvn says {mine.new}, vietnamadminunits "
                                 f"{other}; add a decision to {DECISIONS.name}")
            if decision["dvhcvn"].split() != sorted(mine.new) or decision["vietnamadminunits"].split() != sorted(other):
                raise InputError(f"{DECISIONS.name}: the inputs of {code} changed; review the decision again")
            mine.new = decision["decision"].split()
            settled.add(code)
        elif code in default and default[code] in mine.new:
            mine.new.sort(key=lambda c: c != default[code])  # the default new commune first, else dvhcvn's order
    if set(decisions) != settled:
        raise InputError(f"{DECISIONS.name}: decisions about communes the sets agree on: {sorted(set(decisions) - settled)}")

    old_communes: list[OldCommune] = []
    for code, mine in sorted(dvhcvn_old.items()):
        unknown = [c for c in mine.new if c not in communes]
        if unknown or not mine.new:
            raise InputError(f"old commune {code} {mine.name} goes to unknown new communes {unknown}")
        theirs_unit = legacy.get(code)
        if theirs_unit is not None:  # vietnamadminunits' names are the current spelling (Hòa, not Hoà)
            if theirs_unit.province != mine.province:
                raise InputError(f"old commune {code}: province {mine.province} or {theirs_unit.province}?")
            if theirs_unit.name != mine.name:
                mine.aliases.append(mine.name)
            mine.name, mine.district = theirs_unit.name, theirs_unit.district
        old_communes.append(mine)

    return {
        "about": ABOUT,
        "provinces": [[c, provinces[c]] for c in sorted(provinces)],
        "communes": [[c, n, p] for c, (n, p) in sorted(communes.items())],
        "old_provinces": [[c, n, new] for c, (n, new) in sorted(old_provinces.items())],
        "old_districts": [[c, n, p, district_units.get(c, "")] for c, (n, p) in sorted(old_districts.items()) if c],
        "old_communes": [[u.code, u.name, u.district, u.province, u.new, u.aliases] for u in old_communes],
    }, len(settled)


def write(data: dict, output: Path) -> bytes:
    """The data as gzipped JSON (no timestamp, sorted: the same inputs give the same bytes)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as f:
        f.write(text.encode("utf-8"))
    payload = buffer.getvalue()
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(payload)
    return payload


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"default: {OUTPUT.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    try:
        data, settled = load()
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    payload = write(data, args.output)
    split = sum(1 for u in data["old_communes"] if len(u[4]) > 1)
    print(f"{args.output}: {len(payload):,} bytes; {len(data['provinces'])} provinces, {len(data['communes'])} communes "
          f"after the reform; {len(data['old_provinces'])} provinces, {len(data['old_districts'])} districts, "
          f"{len(data['old_communes'])} communes before it ({split} split among several); "
          f"{settled} disagreements settled by {DECISIONS.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
