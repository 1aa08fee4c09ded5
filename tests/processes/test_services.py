"""Process services: creating a process, its timeline of stages, and moving from stage to stage."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from compact.activity.models import AuditEntry
from compact.partnerships.models import Role
from compact.processes import services
from compact.processes.models import Process, Stage, StageKind, StageStatus
from compact.processes.registry import CLOSED, SETUP
from compact.processes.selectors import current_stage, current_stage_kind
from compact.processes.services import StageDates, validate_timeline

from ..factories import ProcessFactory, at_stage

pytestmark = pytest.mark.django_db

CANONICAL = [
    "leadership",
    "workshops",
    "evidence",
    "drafting",
    "consultation",
    "sign_off",
    "publication",
    "delivery",
]
D = dt.date


def stage(process, kind) -> Stage:
    return process.stages.get(kind=kind)


def statuses(process) -> dict[str, str]:
    return dict(process.stages.order_by("position").values_list("kind", "status"))


def timeline(process) -> list[tuple]:
    return list(process.stages.order_by("position").values_list("kind", "starts_on", "ends_on", "title"))


def audit_actions() -> list[str]:
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


def dates(process, spec: dict) -> list[StageDates]:
    """{kind: (start, end) or (start, end, title)} -> StageDates for those stages."""
    out = []
    for kind, value in spec.items():
        start, end, *title = value
        out.append(StageDates(stage(process, kind).pk, start, end, *(title or [""])))
    return out


def counts():
    return Process.objects.count(), Stage.objects.count(), AuditEntry.objects.count()


@pytest.fixture
def convenor(people):
    return people[Role.CONVENOR]


# Creating a process ------------------------------------------------------------------------


def test_default_process_has_the_eight_stages_in_order(partnership, convenor):
    process = services.process_create(partnership=partnership, actor=convenor, title="  SEL VCSE Charter ")
    assert process.title == "SEL VCSE Charter"
    assert process.slug == "sel-vcse-charter"
    assert process.created_by == convenor
    assert list(process.stages.order_by("position").values_list("kind", "position")) == [
        (kind, i) for i, kind in enumerate(CANONICAL, 1)
    ]
    assert set(statuses(process).values()) == {StageStatus.PLANNED}
    assert audit_actions() == ["process.create"]
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.partnership_id) == (convenor, partnership.pk)
    assert entry.changes["after"]["stages"] == CANONICAL


@pytest.mark.parametrize(
    "given_kinds",
    [
        ["delivery", "leadership", "drafting"],
        ["drafting", "delivery", "leadership"],
        ["sign_off", "consultation", "workshops", "evidence"],
        list(reversed(CANONICAL)),
    ],
)
def test_stages_are_kept_in_the_usual_order_whatever_order_given(partnership, convenor, given_kinds):
    process = services.process_create(
        partnership=partnership, actor=convenor, title="Strategy", stage_kinds=given_kinds
    )
    expected = [k for k in CANONICAL if k in given_kinds]
    assert list(process.stages.order_by("position").values_list("kind", flat=True)) == expected
    assert list(process.stages.order_by("position").values_list("position", flat=True)) == list(
        range(1, len(expected) + 1)
    )


@pytest.mark.parametrize(
    ("kinds", "message"),
    [
        ([], "Choose at least one stage"),
        (["leadership", "brainstorming"], "Choose each stage once, from the list"),
        (["LEADERSHIP"], "Choose each stage once, from the list"),
        (["drafting", "leadership", "drafting"], "Choose each stage once, from the list"),
    ],
)
def test_bad_stage_choices_refused_and_nothing_saved(partnership, convenor, kinds, message):
    before = counts()
    with pytest.raises(ValidationError) as info:
        services.process_create(partnership=partnership, actor=convenor, title="Compact", stage_kinds=kinds)
    assert info.value.message_dict == {"stage_kinds": [message]}
    assert counts() == before


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.MEMBER, Role.OBSERVER, "outsider"])
def test_only_a_convenor_starts_a_process(partnership, people, role):
    before = counts()
    with pytest.raises(PermissionDenied):
        services.process_create(partnership=partnership, actor=people[role], title="Compact")
    assert counts() == before


def test_slugs_are_unique_within_a_partnership(partnership, convenor, people):
    first = services.process_create(partnership=partnership, actor=convenor, title="VCSE Charter")
    second = services.process_create(partnership=partnership, actor=convenor, title="VCSE: Charter!")
    assert (first.slug, second.slug) == ("vcse-charter", "vcse-charter-2")


def test_update_process_is_audited_and_stage_limited(partnership, convenor, process):
    services.process_update(process=process, actor=convenor, purpose_summary="Why we are doing this")
    assert audit_actions() == ["process.update"]
    consulting = at_stage(process, "consultation")
    with pytest.raises(PermissionDenied):
        services.process_update(process=consulting, actor=convenor, title="Too late")
    consulting.refresh_from_db()
    assert consulting.title == "SEL VCSE Charter"
    assert audit_actions() == ["process.update"]


# The timeline ------------------------------------------------------------------------------


def test_valid_timeline_is_saved_and_audited(process, people):
    facilitator = people[Role.FACILITATOR]
    result = services.timeline_update(
        process=process,
        actor=facilitator,
        dates=dates(
            process,
            {
                "leadership": (D(2026, 1, 5), D(2026, 1, 30), " Kick-off "),
                "workshops": (D(2026, 2, 2), D(2026, 3, 13)),
                "evidence": (D(2026, 3, 14), D(2026, 3, 14)),  # a one-day stage, the day after the last
            },
        ),
    )
    assert [s.kind for s in result] == CANONICAL
    assert timeline(process)[:4] == [
        ("leadership", D(2026, 1, 5), D(2026, 1, 30), "Kick-off"),
        ("workshops", D(2026, 2, 2), D(2026, 3, 13), ""),
        ("evidence", D(2026, 3, 14), D(2026, 3, 14), ""),
        ("drafting", None, None, ""),
    ]
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_id) == ("process.timeline_update", facilitator.pk)
    assert set(entry.changes) == {"Leadership group", "Workshops", "Evidence and case studies"}
    assert entry.changes["Leadership group"]["title"] == ["", "Kick-off"]
    # Saving the same dates again records nothing new.
    services.timeline_update(
        process=process, actor=facilitator, dates=dates(process, {"workshops": (D(2026, 2, 2), D(2026, 3, 13))})
    )
    assert AuditEntry.objects.count() == 1


def test_end_before_start_refused(process, convenor):
    with pytest.raises(ValidationError) as info:
        services.timeline_update(
            process=process, actor=convenor, dates=dates(process, {"drafting": (D(2026, 5, 2), D(2026, 5, 1))})
        )
    assert info.value.message_dict == {
        f"stage_{stage(process, 'drafting').pk}": ["Drafting must end on or after the day it starts"]
    }


@pytest.mark.parametrize("which", ["start", "end"])
def test_only_one_of_the_two_dates_refused(process, convenor, which):
    start, end = (D(2026, 5, 1), None) if which == "start" else (None, D(2026, 5, 1))
    with pytest.raises(ValidationError) as info:
        services.timeline_update(process=process, actor=convenor, dates=dates(process, {"sign_off": (start, end)}))
    assert info.value.message_dict == {
        f"stage_{stage(process, 'sign_off').pk}": ["Enter both a start and an end date for Sign-off, or neither"]
    }


def test_overlapping_stages_refused_naming_both(process, convenor):
    with pytest.raises(ValidationError) as info:
        services.timeline_update(
            process=process,
            actor=convenor,
            dates=dates(
                process,
                {
                    "leadership": (D(2026, 1, 5), D(2026, 1, 31)),
                    "workshops": (D(2026, 1, 31), D(2026, 2, 28)),  # starts on the day leadership ends
                },
            ),
        )
    assert info.value.message_dict == {
        f"stage_{stage(process, 'workshops').pk}": [
            "Workshops must start after Leadership group ends (31 January 2026), because stages follow one another"
        ]
    }


def test_out_of_order_stages_refused_naming_both_with_custom_titles(process, convenor):
    with pytest.raises(ValidationError) as info:
        services.timeline_update(
            process=process,
            actor=convenor,
            dates=dates(
                process,
                {
                    "drafting": (D(2026, 6, 1), D(2026, 6, 30), "Writing the charter"),
                    "consultation": (D(2026, 3, 1), D(2026, 3, 31)),  # a later stage dated earlier
                },
            ),
        )
    [message] = info.value.message_dict[f"stage_{stage(process, 'consultation').pk}"]
    assert message == (
        "Consultation must start after Writing the charter ends (30 June 2026), because stages follow one another"
    )


def test_gaps_in_undated_stages_are_skipped_when_comparing(process, convenor):
    # Leadership and delivery dated, everything between undated: still compared with each other.
    with pytest.raises(ValidationError, match="Delivery must start after Leadership group ends"):
        services.timeline_update(
            process=process,
            actor=convenor,
            dates=dates(
                process,
                {
                    "leadership": (D(2026, 3, 1), D(2026, 3, 31)),
                    "delivery": (D(2026, 1, 1), D(2026, 12, 31)),
                },
            ),
        )


def test_every_error_is_reported_and_nothing_saved_when_any_stage_is_invalid(process, convenor):
    before = timeline(process)
    spec = {kind: (D(2026, i, 1), D(2026, i, 20)) for i, kind in enumerate(CANONICAL, 1)}
    spec["evidence"] = (D(2026, 3, 20), D(2026, 3, 1))  # end before start
    spec["drafting"] = (D(2026, 2, 10), D(2026, 4, 20))  # overlaps evidence
    spec["delivery"] = (D(2026, 8, 1), None)  # only a start
    with pytest.raises(ValidationError) as info:
        services.timeline_update(process=process, actor=convenor, dates=dates(process, spec))
    errors = info.value.message_dict
    assert set(errors) == {f"stage_{stage(process, k).pk}" for k in ("evidence", "drafting", "delivery")}
    assert errors[f"stage_{stage(process, 'evidence').pk}"] == [
        "Evidence and case studies must end on or after the day it starts"
    ]
    assert errors[f"stage_{stage(process, 'drafting').pk}"] == [
        "Drafting must start after Evidence and case studies ends (1 March 2026), because stages follow one another"
    ]
    assert errors[f"stage_{stage(process, 'delivery').pk}"] == [
        "Enter both a start and an end date for Delivery, or neither"
    ]
    assert timeline(process) == before
    assert AuditEntry.objects.count() == 0


def test_stage_from_another_process_refused(process, convenor, partnership):
    other = ProcessFactory(partnership=partnership)
    foreign = StageDates(stage(other, "leadership").pk, D(2026, 1, 1), D(2026, 1, 2))
    with pytest.raises(ValidationError, match="does not belong to this process"):
        services.timeline_update(process=process, actor=convenor, dates=[foreign])
    assert timeline(other)[0][1:3] == (None, None)


@pytest.mark.parametrize("role", [Role.MEMBER, Role.OBSERVER, "outsider"])
def test_only_organisers_edit_the_timeline(process, people, role):
    with pytest.raises(PermissionDenied):
        services.timeline_update(
            process=process, actor=people[role], dates=dates(process, {"leadership": (D(2026, 1, 1), D(2026, 1, 2))})
        )
    assert timeline(process)[0][1] is None


def test_closed_process_timeline_is_frozen(process, convenor):
    closed = at_stage(process, "closed")
    with pytest.raises(PermissionDenied):
        services.timeline_update(
            process=closed, actor=convenor, dates=dates(process, {"leadership": (D(2026, 1, 1), D(2026, 1, 2))})
        )


def test_validate_timeline_without_the_database():
    def s(pk, position, start, end, title=""):
        return Stage(pk=pk, position=position, kind=CANONICAL[position - 1], starts_on=start, ends_on=end, title=title)

    assert validate_timeline([]) == {}
    assert validate_timeline([s(1, 1, None, None), s(2, 2, None, None)]) == {}
    # Given out of position order, they are still compared in position order.
    ok = [s(2, 2, D(2026, 2, 1), D(2026, 2, 5)), s(1, 1, D(2026, 1, 1), D(2026, 1, 31))]
    assert validate_timeline(ok) == {}
    assert set(validate_timeline([s(2, 2, D(2026, 1, 1), D(2026, 1, 5)), s(1, 1, D(2026, 1, 1), D(2026, 1, 31))])) == {
        2
    }


# Property: timeline_update accepts exactly the sequential, non-overlapping timelines ---------

BASE = D(2026, 1, 1)


@st.composite
def slot(draw):
    """One stage's dates as (gap after the previous stage, length in days), mostly sensible,
    sometimes overlapping, backwards, half-filled or empty."""
    shape = draw(st.sampled_from(["ok"] * 14 + ["none"] * 3 + ["overlap", "backwards", "half"]))
    if shape == "overlap":
        return (draw(st.integers(-6, 0)), draw(st.integers(0, 30)))  # starts on or before the last end
    if shape == "backwards":
        return (draw(st.integers(1, 20)), draw(st.integers(-3, -1)))  # ends before it starts
    if shape == "half":
        return (draw(st.integers(-6, 20)), None)  # a start date only
    if shape == "none":
        return None  # no dates
    return (draw(st.integers(1, 20)), draw(st.integers(0, 30)))


def to_dates(slots):
    """Turn (gap, length) slots into (start, end) dates laid out one after another."""
    cursor, out = BASE, []
    for item in slots:
        if item is None:
            out.append((None, None))
            continue
        gap, length = item
        start = cursor + dt.timedelta(days=gap)
        end = None if length is None else start + dt.timedelta(days=length)
        out.append((start, end))
        cursor = max(cursor, end or start)
    return out


def is_sequential(pairs) -> bool:
    """Every stage has both dates or neither, ends on or after it starts, and starts after the
    previous dated stage ends."""
    previous_end = None
    for start, end in pairs:
        if start is None and end is None:
            continue
        if start is None or end is None or end < start:
            return False
        if previous_end is not None and start <= previous_end:
            return False
        previous_end = end
    return True


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(slots=st.lists(slot(), min_size=8, max_size=8))
@example(slots=[(0, 5), (1, 5), (1, 5), (1, 5), (1, 5), (1, 5), (1, 5), (1, 5)])
@example(slots=[(0, 5), (0, 5), None, None, None, None, None, None])
@example(slots=[None] * 8)
@example(slots=[(0, 0), (1, 0), (1, -1), None, None, None, None, None])
def test_timeline_update_accepts_exactly_sequential_timelines(process, convenor, slots):
    pairs = to_dates(slots)
    stages = list(process.stages.order_by("position"))
    request = [StageDates(s.pk, start, end) for s, (start, end) in zip(stages, pairs, strict=True)]
    before, audited_before = timeline(process), AuditEntry.objects.count()
    try:
        services.timeline_update(process=process, actor=convenor, dates=request)
    except ValidationError as error:
        event("refused")
        assert not is_sequential(pairs), f"refused a sequential timeline: {error.messages}"
        assert timeline(process) == before
        assert AuditEntry.objects.count() == audited_before
        assert error.message_dict and all(k.startswith("stage_") for k in error.message_dict)
    else:
        event("accepted")
        assert is_sequential(pairs), f"accepted {pairs}"
        assert [(s, e) for _, s, e, _ in timeline(process)] == pairs
        assert AuditEntry.objects.count() == audited_before + (timeline(process) != before)


# Moving through the stages -----------------------------------------------------------------


def test_setup_before_any_stage_starts(process):
    assert current_stage_kind(process) == SETUP
    assert current_stage(process) is None


def test_stage_start_and_jumping_ahead(process, convenor):
    started = services.stage_start(process=process, actor=convenor, stage=stage(process, "leadership"))
    assert started.status == StageStatus.ACTIVE
    assert current_stage_kind(process) == "leadership"
    assert current_stage(process).kind == "leadership"

    services.stage_start(process=process, actor=convenor, stage=stage(process, "drafting"))
    assert statuses(process) == {
        "leadership": "done",
        "workshops": "skipped",
        "evidence": "skipped",
        "drafting": "active",
        "consultation": "planned",
        "sign_off": "planned",
        "publication": "planned",
        "delivery": "planned",
    }
    assert current_stage_kind(process) == "drafting"
    assert process.stages.filter(status=StageStatus.ACTIVE).count() == 1
    assert audit_actions() == ["process.stage_start", "process.stage_start"]
    assert AuditEntry.objects.order_by("id").last().changes == {
        "started": "Drafting",
        "closed": ["Leadership group", "Workshops", "Evidence and case studies"],
    }


def test_stage_that_already_started_cannot_start_again(process, convenor):
    services.stage_start(process=process, actor=convenor, stage=stage(process, "leadership"))
    services.stage_start(process=process, actor=convenor, stage=stage(process, "evidence"))
    for kind, title in (
        ("leadership", "Leadership group"),
        ("workshops", "Workshops"),
        ("evidence", "Evidence and case studies"),
    ):
        with pytest.raises(ValidationError) as info:
            services.stage_start(process=process, actor=convenor, stage=stage(process, kind))
        assert info.value.messages == [f"{title} has already started."]
    assert len(audit_actions()) == 2


def test_stage_of_another_process_cannot_be_started(process, convenor, partnership):
    other = ProcessFactory(partnership=partnership)
    with pytest.raises(ValidationError, match="does not belong to this process"):
        services.stage_start(process=process, actor=convenor, stage=stage(other, "leadership"))
    assert set(statuses(other).values()) == {StageStatus.PLANNED}


def test_only_one_stage_can_be_active_in_the_database(process):
    Stage.objects.filter(pk=stage(process, "leadership").pk).update(status=StageStatus.ACTIVE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Stage.objects.filter(pk=stage(process, "workshops").pk).update(status=StageStatus.ACTIVE)
    assert process.stages.filter(status=StageStatus.ACTIVE).count() == 1
    # Another process may have its own active stage.
    other = ProcessFactory(partnership=process.partnership)
    Stage.objects.filter(pk=stage(other, "leadership").pk).update(status=StageStatus.ACTIVE)


def test_stage_finish_and_closing(partnership, convenor):
    process = services.process_create(
        partnership=partnership, actor=convenor, title="Short", stage_kinds=["drafting", "sign_off"]
    )
    drafting, sign_off = stage(process, "drafting"), stage(process, "sign_off")
    with pytest.raises(ValidationError, match="Drafting is not in progress"):
        services.stage_finish(process=process, actor=convenor, stage=drafting)

    services.stage_start(process=process, actor=convenor, stage=drafting)
    services.stage_finish(process=process, actor=convenor, stage=drafting)
    assert statuses(process) == {"drafting": "done", "sign_off": "planned"}
    # Between stages the process has not gone back to setup: it is still at the stage just done.
    fresh = Process.objects.get(pk=process.pk)
    assert current_stage(fresh) is None
    assert current_stage_kind(fresh) == "drafting"

    services.stage_start(process=process, actor=convenor, stage=sign_off)
    assert current_stage_kind(process) == "sign_off"
    services.stage_finish(process=process, actor=convenor, stage=sign_off)
    assert current_stage_kind(process) == CLOSED
    assert current_stage_kind(Process.objects.get(pk=process.pk)) == CLOSED
    assert audit_actions() == [
        "process.create",
        "process.stage_start",
        "process.stage_finish",
        "process.stage_start",
        "process.stage_finish",
    ]
    # Once closed, nobody can start or finish stages.
    with pytest.raises(PermissionDenied):
        services.stage_finish(process=process, actor=convenor, stage=sign_off)


def test_closed_counts_skipped_stages_as_finished(process, convenor):
    services.stage_start(process=process, actor=convenor, stage=stage(process, "delivery"))
    assert statuses(process)["leadership"] == StageStatus.SKIPPED
    services.stage_finish(process=process, actor=convenor, stage=stage(process, "delivery"))
    assert current_stage_kind(Process.objects.get(pk=process.pk)) == CLOSED


def test_after_finishing_a_middle_stage_purpose_stays_locked(process, convenor):
    # Purpose can be edited up to drafting; finishing consultation must not reopen it.
    consulting = at_stage(process, "consultation")
    services.stage_finish(process=consulting, actor=convenor, stage=stage(process, "consultation"))
    fresh = Process.objects.get(pk=process.pk)
    assert current_stage_kind(fresh) == "consultation"
    assert not convenor.has_perm("processes.change_process", fresh)


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.MEMBER, Role.OBSERVER, "outsider"])
def test_only_a_convenor_moves_stages(process, people, role):
    with pytest.raises(PermissionDenied):
        services.stage_start(process=process, actor=people[role], stage=stage(process, "leadership"))
    active = at_stage(process, "leadership")
    with pytest.raises(PermissionDenied):
        services.stage_finish(process=active, actor=people[role], stage=stage(process, "leadership"))
    assert statuses(process)["leadership"] == StageStatus.ACTIVE
    assert audit_actions() == []


def test_stage_kind_values_match_the_canonical_order():
    assert list(StageKind.values) == CANONICAL
    assert services.DEFAULT_STAGES == CANONICAL
