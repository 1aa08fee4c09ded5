"""The real ONS/NHS geography loader: London boroughs, the 42 ICBs, the 2026 London merger, LSOAs."""

import builtins
import datetime as dt
from pathlib import Path

import pytest
from django.db import transaction

import compact.geography
from compact.geography import services
from compact.geography.models import Area, AreaKind
from compact.geography.selectors import areas_valid_on, place_choices
from compact.geography.services import geography_load

DATA_DIR = Path(compact.geography.__file__).resolve().parent / "data"
NW_LONDON, NC_LONDON, MERGED = "E54000027", "E54000028", "E54000071"
LAST_DAY_BEFORE_MERGER = dt.date(2026, 3, 31)
MERGER_DAY = dt.date(2026, 4, 1)


@pytest.fixture(scope="class")
def loaded(django_db_setup, django_db_blocker):
    """Load once for the class (it takes a second or two) inside a transaction that is
    rolled back afterwards, recording every file the loader opens."""
    opened: list[Path] = []
    real_open, real_read_text = builtins.open, Path.read_text

    def recording_open(file, *args, **kwargs):
        opened.append(Path(file).resolve())
        return real_open(file, *args, **kwargs)

    def recording_read_text(self, *args, **kwargs):
        opened.append(Path(self).resolve())
        return real_read_text(self, *args, **kwargs)

    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as mp:
        mp.setattr(services, "open", recording_open, raising=False)
        mp.setattr(Path, "read_text", recording_read_text)
        with transaction.atomic():
            result = geography_load()
            mp.undo()
            yield {"result": result, "opened": opened}
            transaction.set_rollback(True)


@pytest.fixture
def geo(loaded, db):
    return loaded


class TestLoaded:
    """Everything the full load produces (loaded once for these tests)."""

    def test_loads_33_london_boroughs(self, geo):
        boroughs = Area.objects.filter(kind=AreaKind.BOROUGH)
        assert boroughs.count() == 33
        assert set(boroughs.values_list("code", flat=True)) == {f"E09{n:06d}" for n in range(1, 34)}
        assert boroughs.get(code="E09000022").name == "Lambeth"
        assert boroughs.get(code="E09000001").name == "City of London"

    def test_loads_42_icbs_plus_the_merged_successor(self, geo):
        icbs = Area.objects.filter(kind=AreaKind.ICB)
        assert icbs.count() == 43
        assert icbs.exclude(code=MERGED).count() == 42
        assert icbs.exclude(code=MERGED).filter(valid_from=dt.date(2022, 7, 1)).count() == 42
        sel = icbs.get(code="E54000030")
        assert sel.name == "NHS South East London Integrated Care Board"
        assert sel.ods_code == "QKK"
        assert sel.parent.code == "E40000003" and sel.parent.name == "London"
        assert sel.valid_to is None and sel.successor is None

        merged = icbs.get(code=MERGED)
        assert merged.valid_from == MERGER_DAY
        assert merged.valid_to is None
        assert merged.parent.name == "London"
        assert "West and North London" in merged.name

    def test_seven_nhs_regions_parent_every_icb(self, geo):
        assert Area.objects.filter(kind=AreaKind.REGION).count() == 7
        assert not Area.objects.filter(kind=AreaKind.ICB, parent__isnull=True).exists()
        assert Area.objects.filter(kind=AreaKind.ICB, parent__code="E40000003").count() == 6  # 5 + merged

    @pytest.mark.parametrize("code", [NW_LONDON, NC_LONDON])
    def test_merged_london_icbs_expire_and_point_to_their_successor(self, geo, code):
        icb = Area.objects.get(code=code)
        assert icb.valid_to == LAST_DAY_BEFORE_MERGER
        assert icb.successor.code == MERGED
        assert icb.current().code == MERGED
        assert icb.is_valid_on(LAST_DAY_BEFORE_MERGER)
        assert not icb.is_valid_on(MERGER_DAY)

    def test_unmerged_icb_is_its_own_current(self, geo):
        sel = Area.objects.get(code="E54000030")
        assert sel.current() == sel
        merged = Area.objects.get(code=MERGED)
        assert merged.current() == merged
        assert set(merged.predecessors.values_list("code", flat=True)) == {NW_LONDON, NC_LONDON}

    @pytest.mark.parametrize(
        ("borough", "sub_icb", "icb", "current_icb"),
        [
            ("E09000022", "E38000244", "E54000030", "E54000030"),  # Lambeth, South East London
            ("E09000005", "E38000256", NW_LONDON, MERGED),  # Brent, North West London
            ("E09000007", "E38000240", NC_LONDON, MERGED),  # Camden, North Central London
        ],
    )
    def test_borough_parent_chain_reaches_its_icb_and_region(self, geo, borough, sub_icb, icb, current_icb):
        area = Area.objects.get(code=borough)
        chain = []
        while area.parent_id:
            area = area.parent
            chain.append((area.kind, area.code))
        assert chain == [
            (AreaKind.SUB_ICB, sub_icb),
            (AreaKind.ICB, icb),
            (AreaKind.REGION, "E40000003"),
        ]
        assert Area.objects.get(code=icb).current().code == current_icb

    def test_loads_1238_lsoas_with_deprivation(self, geo):
        lsoas = Area.objects.filter(kind=AreaKind.LSOA)
        assert lsoas.count() == 1238
        assert not lsoas.filter(imd_rank__isnull=True).exists()
        assert not lsoas.filter(imd_decile__isnull=True).exists()
        assert not lsoas.filter(parent__isnull=True).exists()
        # Core20 is the 20% most deprived: deciles 1 and 2, and only those.
        assert lsoas.filter(core20=True).count() == 214
        assert not lsoas.filter(core20=True, imd_decile__gt=2).exists()
        assert not lsoas.filter(core20=False, imd_decile__lte=2).exists()

        bexley_014a = lsoas.get(code="E01000325")
        assert (bexley_014a.name, bexley_014a.imd_rank, bexley_014a.imd_decile, bexley_014a.core20) == (
            "Bexley 014A",
            29599,
            10,
            False,
        )
        assert bexley_014a.parent.code == "E09000004"
        bexley_019a = lsoas.get(code="E01000374")
        assert (bexley_019a.imd_rank, bexley_019a.imd_decile, bexley_019a.core20) == (3624, 2, True)
        # LSOAs cover South East London and Kensington & Chelsea / Westminster only.
        assert set(lsoas.values_list("parent__name", flat=True).distinct()) == {
            "Bexley",
            "Bromley",
            "Greenwich",
            "Lambeth",
            "Lewisham",
            "Southwark",
            "Kensington and Chelsea",
            "Westminster",
        }
        assert lsoas.filter(parent__name="Lambeth").count() == 178

    def test_first_load_reports_what_it_created(self, geo):
        # 7 regions + 42 ICBs + 1 merged ICB + 5 London sub-ICB locations + 33 boroughs + 1,238 LSOAs
        assert geo["result"].created == 7 + 42 + 1 + 5 + 33 + 1238
        assert Area.objects.count() == geo["result"].created

    def test_loader_reads_only_its_own_data_folder(self, geo):
        opened = geo["opened"]
        assert services.DATA_DIR.resolve() == DATA_DIR
        assert {p.name for p in opened} >= {
            "nhs_regions.json",
            "icb_2023_42_boards.csv",
            "london_boroughs_nhs_geography.csv",
            "ccgs.json",
            "sel_kcw_lsoa11_imd2019_ccg_lookup.csv",
        }
        outside = [p for p in opened if p.parent != DATA_DIR]
        assert outside == []
        assert all("shared" not in p.parts for p in opened)

    def test_loading_twice_creates_no_duplicates_and_keeps_the_merger(self, geo):
        before = Area.objects.count()
        again = geography_load()
        assert again.created == 0
        assert Area.objects.count() == before
        assert Area.objects.filter(kind=AreaKind.ICB).count() == 43
        assert Area.objects.filter(kind=AreaKind.LSOA).count() == 1238
        for code in (NW_LONDON, NC_LONDON):
            icb = Area.objects.get(code=code)
            assert icb.valid_to == LAST_DAY_BEFORE_MERGER
            assert icb.successor.code == MERGED

    def test_reload_refreshes_edited_names(self, geo):
        Area.objects.filter(code="E09000022").update(name="Lambeth (typo)")
        geography_load(with_lsoas=False)
        assert Area.objects.get(code="E09000022").name == "Lambeth"

    def test_areas_valid_on_follows_the_merger(self, geo):
        def icb_codes(day):
            return set(areas_valid_on(day).filter(kind=AreaKind.ICB).values_list("code", flat=True))

        before = icb_codes(LAST_DAY_BEFORE_MERGER)
        after = icb_codes(MERGER_DAY)
        assert len(before) == 42
        assert {NW_LONDON, NC_LONDON} <= before and MERGED not in before
        assert len(after) == 41
        assert MERGED in after and not {NW_LONDON, NC_LONDON} & after
        assert icb_codes(dt.date(2027, 1, 1)) == after
        # Before ICBs were established none was valid.
        assert icb_codes(dt.date(2022, 6, 30)) == set()
        # Boroughs have no end date, so they are valid on every day.
        assert areas_valid_on(MERGER_DAY).filter(kind=AreaKind.BOROUGH).count() == 33

    def test_place_choices_offers_icbs_and_boroughs_only(self, geo):
        kinds = set(place_choices().values_list("kind", flat=True))
        assert kinds == {AreaKind.ICB, AreaKind.BOROUGH}
        assert place_choices().filter(kind=AreaKind.BOROUGH).count() == 33


def test_without_lsoas(db):
    geography_load(with_lsoas=False)
    assert not Area.objects.filter(kind=AreaKind.LSOA).exists()
    assert Area.objects.filter(kind=AreaKind.BOROUGH).count() == 33
    assert Area.objects.get(code=NW_LONDON).successor.code == MERGED
