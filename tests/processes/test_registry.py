"""The stage registry: which features each stage allows, and process settings that open them early."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from compact.activity.models import AuditEntry
from compact.partnerships.models import Role
from compact.processes import services
from compact.processes.models import StageKind
from compact.processes.registry import CLOSED, SETUP, StageRegistry, registry
from compact.processes.rules import stage_allows

from ..factories import at_stage

ALL_STAGES = [SETUP, *StageKind.values, CLOSED]


def test_register_and_allow():
    reg = StageRegistry()
    feature = reg.register("demo.vote", description="Vote on the draft", stages={"consultation", "sign_off"})
    assert feature.stage_kinds == frozenset({"consultation", "sign_off"})
    assert reg.allows("consultation", "demo.vote")
    assert not reg.allows("drafting", "demo.vote")
    assert not reg.allows(SETUP, "demo.vote")
    assert not reg.allows(None, "demo.vote")
    assert [f.name for f in reg.features_for("sign_off")] == ["demo.vote"]
    assert reg.features_for("drafting") == []


def test_always_features_are_allowed_in_every_stage():
    reg = StageRegistry()
    reg.register("demo.read", description="Read the published agreement", always=True)
    for kind in [*ALL_STAGES, None]:
        assert reg.allows(kind, "demo.read")


def test_registering_twice_raises():
    reg = StageRegistry()
    reg.register("demo.vote", description="Vote", stages={"drafting"})
    with pytest.raises(ValueError, match="registered twice"):
        reg.register("demo.vote", description="Vote again", stages={"consultation"})
    # The first registration stands.
    assert reg.allows("drafting", "demo.vote") and not reg.allows("consultation", "demo.vote")


def test_registering_an_existing_app_feature_twice_raises():
    with pytest.raises(ValueError, match="processes.edit_timeline"):
        registry.register("processes.edit_timeline", description="Again", stages={CLOSED})
    assert not registry.allows(CLOSED, "processes.edit_timeline")


def test_unknown_feature_raises_key_error():
    with pytest.raises(KeyError, match="Unknown stage feature 'nobody.registered.this'"):
        registry.allows("drafting", "nobody.registered.this")
    with pytest.raises(KeyError):
        StageRegistry().allows(SETUP, "demo.anything")


@pytest.mark.parametrize(
    ("feature", "allowed_in"),
    [
        ("processes.edit_timeline", {SETUP, *StageKind.values}),
        ("processes.edit_purpose", {SETUP, "leadership", "workshops", "evidence", "drafting"}),
    ],
)
def test_processes_app_registers_its_features_at_startup(feature, allowed_in):
    assert {kind for kind in ALL_STAGES if registry.allows(kind, feature)} == allowed_in


@pytest.mark.django_db
def test_an_unregistered_feature_in_a_rule_is_an_error_not_a_yes(process, people):
    with pytest.raises(KeyError):
        stage_allows("nobody.registered.this").test(people[Role.CONVENOR], process)
    assert stage_allows("processes.edit_purpose").test(people[Role.CONVENOR], None) is False


@pytest.mark.django_db
def test_feature_settings_open_a_feature_outside_its_stages(process, people):
    convenor, facilitator = people[Role.CONVENOR], people[Role.FACILITATOR]
    consulting = at_stage(process, "consultation")
    assert not convenor.has_perm("processes.change_process", consulting)

    services.process_feature_settings_update(process=consulting, actor=convenor, enabled={"processes.edit_purpose"})
    consulting.refresh_from_db()
    assert consulting.feature_settings == {"processes.edit_purpose": True}
    assert convenor.has_perm("processes.change_process", consulting)
    # The setting opens the stage gate only: roles still apply.
    assert not facilitator.has_perm("processes.change_process", consulting)
    services.process_update(process=consulting, actor=convenor, purpose_summary="Updated after consultation")

    # And it can be closed again.
    services.process_feature_settings_update(process=consulting, actor=convenor, enabled=set())
    consulting.refresh_from_db()
    assert consulting.feature_settings == {}
    assert not convenor.has_perm("processes.change_process", consulting)
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "process.settings_update",
        "process.update",
        "process.settings_update",
    ]


@pytest.mark.django_db
def test_feature_settings_reopen_the_timeline_of_a_closed_process(process, people):
    convenor = people[Role.CONVENOR]
    closed = at_stage(process, "closed")
    assert not convenor.has_perm("processes.edit_timeline", closed)
    services.process_feature_settings_update(process=closed, actor=convenor, enabled={"processes.edit_timeline"})
    assert convenor.has_perm("processes.edit_timeline", closed)
    assert people[Role.FACILITATOR].has_perm("processes.edit_timeline", closed)
    assert not people[Role.MEMBER].has_perm("processes.edit_timeline", closed)


@pytest.mark.django_db
def test_unknown_features_in_settings_refused(process, people):
    with pytest.raises(ValidationError) as info:
        services.process_feature_settings_update(
            process=process,
            actor=people[Role.CONVENOR],
            enabled={"processes.edit_purpose", "made.up"},
        )
    assert info.value.message_dict == {"features": ["Unknown features: made.up"]}
    process.refresh_from_db()
    assert process.feature_settings == {}
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.MEMBER, Role.OBSERVER, "outsider"])
def test_only_convenors_change_settings(process, people, role):
    with pytest.raises(PermissionDenied):
        services.process_feature_settings_update(
            process=process, actor=people[role], enabled={"processes.edit_purpose"}
        )
    process.refresh_from_db()
    assert process.feature_settings == {}
