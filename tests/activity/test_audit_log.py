"""The audit log records who did what, and nobody can rewrite it: not the app, not raw SQL."""

import datetime as dt
from unittest import mock

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from compact.activity.models import AuditEntry
from compact.activity.selectors import audit_actions_for_partnership, audit_entries_for_partnership
from compact.activity.services import audit_record, diff, snapshot
from compact.partnerships.models import Partnership

from ..factories import PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor():
    return UserFactory(full_name="Ada Convenor")


@pytest.fixture
def entry(actor, partnership):
    return audit_record(
        actor=actor,
        action="partnership.update",
        obj=partnership,
        partnership_id=partnership.pk,
        changes={"name": ["Old", "New"]},
    )


def test_audit_record_stores_actor_action_object_partnership_and_changes(actor, partnership):
    before = timezone.now()
    entry = audit_record(
        actor=actor,
        action="partnership.update",
        obj=partnership,
        partnership_id=partnership.pk,
        changes={"name": ["Old", "New"]},
    )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor == actor
    assert stored.action == "partnership.update"
    assert stored.object_type == "partnerships.partnership"
    assert stored.object_id == str(partnership.pk)
    assert stored.object_repr == "South East London"
    assert stored.partnership_id == partnership.pk
    assert stored.changes == {"name": ["Old", "New"]}
    assert before <= stored.at <= timezone.now()
    assert "partnership.update" in str(stored) and "South East London" in str(stored)


def test_anonymous_actor_and_missing_changes(partnership):
    from django.contrib.auth.models import AnonymousUser

    entry = audit_record(actor=AnonymousUser(), action="invitation.accept", obj=partnership)
    assert entry.actor is None
    assert entry.partnership_id is None
    assert entry.changes == {}
    assert audit_record(actor=None, action="x.y", obj=partnership).actor is None


def test_long_object_names_are_cut_to_300_characters(actor, db):
    partnership = Partnership.objects.create(name="P" * 150, slug="long")
    partnership.name = "N" * 400  # not saved: only its str() is recorded
    entry = audit_record(actor=actor, action="x.y", obj=partnership)
    assert len(AuditEntry.objects.get(pk=entry.pk).object_repr) == 300


def test_snapshot_and_diff_summarise_changes(partnership):
    before = snapshot(partnership, ["name", "brand_colour"])
    partnership.name = "Renamed"
    after = snapshot(partnership, ["name", "brand_colour"])
    assert diff(before, after) == {"name": ["South East London", "Renamed"]}
    assert diff(after, after) == {}
    partnership.description = "x" * 600
    assert snapshot(partnership, ["description"])["description"] == "x" * 500 + "…"


def test_entries_survive_the_actor_being_deleted(entry, actor):
    # No FK constraint and no cascade: history is never rewritten by removing a person.
    actor_id = actor.pk
    actor.delete()
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor_id == actor_id


# The app refuses changes -------------------------------------------------------------------


def test_saving_an_existing_entry_is_refused(entry):
    entry.action = "forged"
    with pytest.raises(PermissionError, match="append-only"):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).action == "partnership.update"


def test_saving_a_reloaded_entry_is_refused(entry):
    reloaded = AuditEntry.objects.get(pk=entry.pk)
    reloaded.changes = {}
    with pytest.raises(PermissionError):
        reloaded.save()
    assert AuditEntry.objects.get(pk=entry.pk).changes == {"name": ["Old", "New"]}


def test_deleting_an_entry_is_refused(entry):
    with pytest.raises(PermissionError, match="append-only"):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_queryset_update_and_delete_are_refused(entry):
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="forged")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(action="forged")
    assert AuditEntry.objects.get(pk=entry.pk).action == "partnership.update"
    assert AuditEntry.objects.count() == 1


# The database refuses changes too ----------------------------------------------------------


def test_raw_sql_update_is_refused_by_the_database(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE activity_auditentry SET action = %s WHERE id = %s", ["forged", entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "partnership.update"


def test_raw_sql_update_of_every_row_is_refused(entry, actor, partnership):
    audit_record(actor=actor, action="body.create", obj=partnership, partnership_id=partnership.pk)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE activity_auditentry SET actor_id = NULL")
    assert AuditEntry.objects.filter(actor=actor).count() == 2


def test_raw_sql_delete_is_refused_by_the_database(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM activity_auditentry")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM activity_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_raw_sql_insert_is_still_allowed(entry):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO activity_auditentry (at, action, object_type, object_id, object_repr, changes) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            [timezone.now(), "raw.insert", "x.y", "1", "raw", "{}"],
        )
    assert AuditEntry.objects.filter(action="raw.insert").count() == 1


# Reading the log ---------------------------------------------------------------------------


def record_at(when: dt.datetime, **kwargs) -> AuditEntry:
    with mock.patch("django.utils.timezone.now", return_value=when):
        return audit_record(**kwargs)


@pytest.fixture
def log(partnership):
    """A small history: two people, several actions, on three days; plus another partnership's entry."""
    ada, ben = UserFactory(full_name="Ada"), UserFactory(full_name="Ben")
    other = PartnershipFactory()
    tz = timezone.get_current_timezone()
    day = lambda d, h=12: dt.datetime(2026, 3, d, h, 0, tzinfo=tz)  # noqa: E731
    entries = {
        "p_create": record_at(
            day(1), actor=ada, action="partnership.create", obj=partnership, partnership_id=partnership.pk
        ),
        "p_update": record_at(
            day(2), actor=ben, action="partnership.update", obj=partnership, partnership_id=partnership.pk
        ),
        "inv": record_at(
            day(2, 23), actor=ada, action="invitation.create", obj=partnership, partnership_id=partnership.pk
        ),
        "body": record_at(day(3, 0), actor=ben, action="body.create", obj=partnership, partnership_id=partnership.pk),
        "other": record_at(day(2), actor=ada, action="partnership.create", obj=other, partnership_id=other.pk),
    }
    return {"ada": ada, "ben": ben, "other": other, "entries": entries, "partnership": partnership}


def actions(qs):
    return [e.action for e in qs]


def test_selector_lists_only_this_partnership_newest_first(log):
    qs = audit_entries_for_partnership(partnership_id=log["partnership"].pk)
    assert actions(qs) == ["body.create", "invitation.create", "partnership.update", "partnership.create"]
    assert log["entries"]["other"] not in qs


def test_selector_filters_by_action_prefix(log):
    pid = log["partnership"].pk
    assert actions(audit_entries_for_partnership(partnership_id=pid, action="partnership.")) == [
        "partnership.update",
        "partnership.create",
    ]
    assert actions(audit_entries_for_partnership(partnership_id=pid, action="partnership.update")) == [
        "partnership.update"
    ]
    assert actions(audit_entries_for_partnership(partnership_id=pid, action="invitation")) == ["invitation.create"]
    assert actions(audit_entries_for_partnership(partnership_id=pid, action="membership")) == []


def test_selector_filters_by_actor(log):
    pid = log["partnership"].pk
    assert actions(audit_entries_for_partnership(partnership_id=pid, actor_id=log["ada"].pk)) == [
        "invitation.create",
        "partnership.create",
    ]
    assert actions(audit_entries_for_partnership(partnership_id=pid, actor_id=log["ben"].pk)) == [
        "body.create",
        "partnership.update",
    ]


def test_selector_filters_by_date_range_in_local_time(log):
    pid = log["partnership"].pk
    on = lambda d: dt.date(2026, 3, d)  # noqa: E731
    assert actions(audit_entries_for_partnership(partnership_id=pid, since=on(2), until=on(2))) == [
        "invitation.create",
        "partnership.update",
    ]
    assert actions(audit_entries_for_partnership(partnership_id=pid, since=on(3))) == ["body.create"]
    assert actions(audit_entries_for_partnership(partnership_id=pid, until=on(1))) == ["partnership.create"]
    assert actions(audit_entries_for_partnership(partnership_id=pid, since=on(4))) == []


def test_selector_filters_combine(log):
    pid = log["partnership"].pk
    qs = audit_entries_for_partnership(
        partnership_id=pid,
        action="partnership",
        actor_id=log["ben"].pk,
        since=dt.date(2026, 3, 2),
        until=dt.date(2026, 3, 2),
        object_type="partnerships.partnership",
    )
    assert actions(qs) == ["partnership.update"]
    assert not audit_entries_for_partnership(partnership_id=pid, object_type="processes.process").exists()


def test_distinct_actions_for_the_filter_menu(log):
    assert audit_actions_for_partnership(partnership_id=log["partnership"].pk) == [
        "body.create",
        "invitation.create",
        "partnership.create",
        "partnership.update",
    ]
    assert audit_actions_for_partnership(partnership_id=log["other"].pk) == ["partnership.create"]
