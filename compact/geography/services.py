"""Load the real ONS/NHS geography shipped in compact/geography/data (see its LICENCE.md)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .models import Area, AreaKind

DATA_DIR = Path(__file__).resolve().parent / "data"
ICB_ESTABLISHED = dt.date(2022, 7, 1)
LONDON_MERGER = dt.date(2026, 4, 1)
# Reported name of the April 2026 merger of North West and North Central London ICBs.
MERGED_ICB_NAMES = {"E54000071": ("NHS West and North London Integrated Care Board", "")}


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0

    def add(self, created: bool) -> None:
        if created:
            self.created += 1
        else:
            self.updated += 1


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _upsert(result: LoadResult, code: str, **fields) -> Area:
    area, created = Area.objects.update_or_create(code=code, defaults=fields)
    result.add(created)
    return area


@transaction.atomic
def geography_load(*, with_lsoas: bool = True) -> LoadResult:
    """Create or refresh regions, ICBs, sub-ICB locations, London boroughs and LSOAs.
    Safe to run again: rows are matched on their ONS code."""
    result = LoadResult()
    regions = {
        code: _upsert(result, code, name=name, kind=AreaKind.REGION)
        for code, name in json.loads((DATA_DIR / "nhs_regions.json").read_text()).items()
    }
    icbs = {}
    for row in _read_csv("icb_2023_42_boards.csv"):
        icbs[row["icb23cd"]] = _upsert(
            result,
            row["icb23cd"],
            ods_code=row["icb23cdh_ods"],
            name=row["icb23nm"].strip(),
            kind=AreaKind.ICB,
            parent=regions.get(row["nhser_cd"]),
            valid_from=ICB_ESTABLISHED,
        )
    boroughs = _read_csv("london_boroughs_nhs_geography.csv")
    sub_icb_names = json.loads((DATA_DIR / "ccgs.json").read_text())
    for row in boroughs:
        old_code, new_code = row["icb23cd"], row["icb_from_2026_cd_reported"]
        if new_code and new_code != old_code:
            name, ods = MERGED_ICB_NAMES.get(new_code, (f"ICB {new_code}", ""))
            successor = icbs.get(new_code) or _upsert(
                result,
                new_code,
                name=name,
                ods_code=ods,
                kind=AreaKind.ICB,
                parent=regions.get(row["nhser_cd"]),
                valid_from=LONDON_MERGER,
            )
            icbs[new_code] = successor
            old = icbs[old_code]
            if old.successor_id != successor.pk:
                old.successor = successor
                old.valid_to = LONDON_MERGER - dt.timedelta(days=1)
                old.save(update_fields=["successor", "valid_to"])
        sub_code = row["sub_icb_location_cd"]
        sub_icb = _upsert(
            result,
            sub_code,
            ods_code=row["sub_icb_location_ods"],
            name=sub_icb_names.get(sub_code, {}).get("name", f"Sub-ICB location {sub_code}"),
            kind=AreaKind.SUB_ICB,
            parent=icbs[old_code],
            valid_from=ICB_ESTABLISHED,
        )
        _upsert(
            result,
            row["lad_cd"],
            ods_code="",
            name=row["lad_nm"],
            kind=AreaKind.BOROUGH,
            parent=sub_icb,
        )
    if with_lsoas:
        borough_by_code = {a.code: a for a in Area.objects.filter(kind=AreaKind.BOROUGH)}
        for row in _read_csv("sel_kcw_lsoa11_imd2019_ccg_lookup.csv"):
            _upsert(
                result,
                row["lsoa11cd"],
                name=row["lsoa11nm"],
                kind=AreaKind.LSOA,
                parent=borough_by_code.get(row["lad19cd"]),
                imd_rank=int(row["imd19_rank"]),
                imd_decile=int(row["imd19_decile_derived"]),
                core20=row["core20_derived"] == "Y",
            )
    return result
