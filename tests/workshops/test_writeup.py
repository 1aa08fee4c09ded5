"""The write-up: what the wall generates (attendance without access needs, ideas by theme with
dots, hidden ideas left out, merged ideas counted together, ideas sent afterwards marked), the
facilitator's words (validated, audited) and publishing (state, results, emails after commit)."""

import datetime as dt
import uuid

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from compact.activity.models import AuditEntry, NotificationPreference
from compact.activity.notifications import KINDS, Kind
from compact.geography.models import AreaKind
from compact.organisations.models import OrganisationKind
from compact.partnerships.models import Role
from compact.workshops import notifications, services, writeup_build
from compact.workshops.models import Registration, Theme, Workshop, WriteUp
from compact.workshops.services import voting
from compact.workshops.services import writeup as writeup_services
from compact.workshops.services.ideas import idea_submit
from compact.workshops.services.moderation import idea_hide, idea_merge
from compact.workshops.services.participants import participant_join_guest

from ..factories import AreaFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
ACCESS_NEED = "Needs a BSL interpreter: Ada's secret"
SCRIPT = '<script>alert("x")</script>'
FORMULA = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture(autouse=True)
def _no_language_model(monkeypatch):
    from compact import theming

    def unavailable(texts):
        raise theming.EmbeddingUnavailable("not in these tests")

    monkeypatch.setattr(theming, "embed", unavailable)


@pytest.fixture(autouse=True)
def _kinds(monkeypatch):
    if notifications.WRITE_UP_PUBLISHED not in KINDS:
        monkeypatch.setitem(KINDS, notifications.WRITE_UP_PUBLISHED, Kind(notifications.WRITE_UP_PUBLISHED, "", ""))


def _idea(workshop, person, text, **kwargs):
    return idea_submit(workshop=workshop, prompt=workshop.prompts.first(), text=text, idempotency_key=uuid.uuid4(),
                       actor=person, **kwargs)  # fmt: skip


@pytest.fixture(name="wall")
def wall_fixture(live_workshop, people):
    """An ended workshop: registrations (one with access needs, one guest), ideas (one hidden,
    one merged, one with script, one formula, one sent after the session), two themes, votes."""
    w, facilitator, member, convenor = (live_workshop, people[Role.FACILITATOR], people[Role.MEMBER],
                                        people[Role.CONVENOR])  # fmt: skip
    lewisham = AreaFactory(name="Lewisham", kind=AreaKind.BOROUGH)
    charity = OrganisationFactory(name="Lewisham Foodbank", kind=OrganisationKind.VCSE)
    Registration.objects.create(workshop=w, user=member, name="Mo", email=member.email, organisation=charity,
                                borough=lewisham, access_needs=ACCESS_NEED)  # fmt: skip
    Registration.objects.create(workshop=w, name="Gita Guest", email="gita@example.org",
                                organisation_name="Deptford Tenants", access_needs=ACCESS_NEED)  # fmt: skip
    Registration.objects.create(workshop=w, name="Wendy Waiting", email="wendy@example.org",
                                organisation_name="Waiting List Org", status=Registration.Status.WAITING)  # fmt: skip
    participant_join_guest(workshop=w, display_name="Sam", organisation_name="Catford Youth")
    a = _idea(w, member, "Pay invoices within 30 days")
    b = _idea(w, convenor, "Pay small suppliers quickly")
    c = _idea(w, facilitator, SCRIPT)
    d = _idea(w, facilitator, FORMULA, table_label="Table 3")
    hidden = _idea(w, member, "Names a council officer")
    idea_hide(idea=hidden, actor=facilitator, reason="Names a person")
    money = Theme.objects.create(workshop=w, name="Paying on time", position=1)
    words = Theme.objects.create(workshop=w, name="Plain words", position=2)
    from compact.workshops.models import Idea

    Idea.objects.filter(pk__in=[a.pk, b.pk]).update(theme=money)
    Idea.objects.filter(pk=c.pk).update(theme=words)
    voting.voting_open(workshop=w, actor=facilitator)
    voting.dots_save(workshop=w, actor=member, dots={a.pk: 2, b.pk: 3})
    voting.dots_save(workshop=w, actor=convenor, dots={d.pk: 1, a.pk: 1})
    idea_merge(idea=b, into=a, actor=facilitator)  # a: 2 + 3 + 1
    Workshop.objects.filter(pk=w.pk).update(async_until=timezone.now() + dt.timedelta(days=3))
    w.refresh_from_db()
    services.workshop_end(workshop=w, actor=facilitator)
    w.refresh_from_db()
    late = _idea(w, member, "Sent after the workshop: share minutes")
    return {"workshop": w, "a": a, "b": b, "c": c, "d": d, "hidden": hidden, "late": late, "money": money,
            "words": words}  # fmt: skip


def test_ideas_by_theme_with_votes(wall):
    content = writeup_build.build(wall["workshop"], show_votes=True)
    names = [g.name for g in content.groups]
    assert names == ["Paying on time", "Plain words", writeup_build.OTHER_IDEAS]
    money, words, other = content.groups
    assert [(i.text, i.votes, i.merged) for i in money.ideas] == [("Pay invoices within 30 days", 6, 1)]
    assert [i.text for i in words.ideas] == [SCRIPT]
    assert [(i.text, i.votes, i.source) for i in other.ideas][0] == (FORMULA, 1, "Table 3")
    late = [i for i in other.ideas if i.after_workshop]
    assert [i.text for i in late] == ["Sent after the workshop: share minutes"]
    texts = [i.text for i in content.ideas]
    assert "Names a council officer" not in texts and "Pay small suppliers quickly" not in texts


def test_votes_are_left_out_when_not_to_be_shown(wall):
    content = writeup_build.build(wall["workshop"], show_votes=False)
    assert all(i.votes is None for i in content.ideas) and all(g.votes is None for g in content.groups)


def test_themes_as_the_vote_target_carry_the_dots_on_the_theme(wall):
    w = wall["workshop"]
    Workshop.objects.filter(pk=w.pk).update(vote_target="themes")
    w.refresh_from_db()
    from compact.workshops.models import DotVote

    DotVote.objects.create(workshop=w, participant=w.participants.first(), theme=wall["words"], dots=2)
    content = writeup_build.build(w, show_votes=True)
    assert [(g.name, g.votes) for g in content.groups][:2] == [("Plain words", 2), ("Paying on time", 0)]
    assert all(i.votes is None for i in content.ideas)


def test_attendance_counts_organisations_by_kind_and_borough_and_never_access_needs(wall, people,
                                                                                     django_assert_max_num_queries):  # fmt: skip
    with django_assert_max_num_queries(3):
        a = writeup_build.attendance(wall["workshop"])
    assert a.registered == 2  # confirmed places only
    names = [o.name for o in a.organisations]
    assert names == ["Catford Youth", "Deptford Tenants", "Lewisham Foodbank"]
    assert "Waiting List Org" not in names
    assert dict(a.by_borough)["Lewisham"] == 1
    assert dict(a.by_kind) == {writeup_build.NOT_IN_DIRECTORY: 2, "Voluntary, community or social enterprise": 1} or (
        dict(a.by_kind)[writeup_build.NOT_IN_DIRECTORY] == 2 and len(a.by_kind) == 2
    )
    assert a.took_part == 4  # three members who added ideas or voted, one guest
    assert ACCESS_NEED not in repr(writeup_build.build(wall["workshop"], show_votes=True))


def test_the_facilitators_words_are_saved_validated_and_audited(wall, people):
    w, facilitator = wall["workshop"], people[Role.FACILITATOR]
    write_up = writeup_services.write_up_update(
        workshop=w, actor=facilitator, summary="  We *agreed* things.\r\n\r\n- one\x00  ", facilitator_notes="Notes",
        theme_notes={f"theme_{wall['money'].pk}": "Everyone wants faster payment", str(wall["words"].pk): " "},
    )  # fmt: skip
    assert write_up.summary == "We *agreed* things.\n\n- one"
    assert write_up.theme_notes == {str(wall["money"].pk): "Everyone wants faster payment"}
    entry = AuditEntry.objects.get(action="workshop.edit_write_up")
    assert entry.actor == facilitator and "summary" in entry.changes
    content = writeup_build.build(w, show_votes=True)
    assert content.groups[0].note == "Everyone wants faster payment"
    # Saving the same again records nothing new.
    writeup_services.write_up_update(workshop=w, actor=facilitator, summary=write_up.summary,
                                     facilitator_notes="Notes", theme_notes={str(wall["money"].pk): write_up.theme_notes[str(wall["money"].pk)]})  # fmt: skip
    assert AuditEntry.objects.filter(action="workshop.edit_write_up").count() == 1


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"summary": "x" * 10001}, "summary"),
        ({"facilitator_notes": "x" * 20001}, "facilitator_notes"),
        ({"theme_notes": {"999999": "Elsewhere"}}, "theme_notes"),
        ({"theme_notes": {"theme_nonsense": "x"}}, "theme_notes"),
    ],
)
def test_bad_write_up_input_saves_nothing(wall, people, kwargs, key):
    with pytest.raises(ValidationError) as exc:
        writeup_services.write_up_update(workshop=wall["workshop"], actor=people[Role.FACILITATOR], **kwargs)
    assert key in exc.value.message_dict
    assert not WriteUp.objects.exists()


def test_a_theme_note_too_long_is_refused_beside_its_field(wall, people):
    pk = wall["money"].pk
    with pytest.raises(ValidationError) as exc:
        writeup_services.write_up_update(workshop=wall["workshop"], actor=people[Role.FACILITATOR],
                                         theme_notes={pk: "x" * 2001})  # fmt: skip
    assert exc.value.message_dict == {f"theme_{pk}": ["The note must be 2,000 characters or fewer"]}


def test_only_organisers_of_an_ended_workshop_edit_and_publish(wall, people, live_workshop):
    for who in (people[Role.MEMBER], people[Role.OBSERVER], people["outsider"]):
        with pytest.raises(PermissionDenied):
            writeup_services.write_up_update(workshop=wall["workshop"], actor=who, summary="x")
        with pytest.raises(PermissionDenied):
            writeup_services.write_up_publish(workshop=wall["workshop"], actor=who)


def test_publishing_reveals_closes_emails_after_commit_and_only_once(wall, people, django_capture_on_commit_callbacks):
    w, facilitator = wall["workshop"], people[Role.FACILITATOR]
    member, convenor = people[Role.MEMBER], people[Role.CONVENOR]
    NotificationPreference.objects.create(user=convenor, kind=notifications.WRITE_UP_PUBLISHED, enabled=False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        writeup_services.write_up_publish(workshop=w, actor=facilitator)
        assert mail.outbox == []  # nothing before commit
    for callback in callbacks:
        callback()
    w.refresh_from_db()
    assert w.state == Workshop.State.PUBLISHED and w.results_revealed and not w.voting_open
    assert w.write_up.published_at and w.write_up.published_by == facilitator
    to = sorted(m.to[0] for m in mail.outbox)
    # The member and facilitator (participants), the guest; not the convenor (turned off), not the waiting list.
    assert to == sorted([member.email, facilitator.email, "gita@example.org"])
    guest_mail = next(m for m in mail.outbox if m.to == ["gita@example.org"])
    assert "/write-ups/" in guest_mail.body and "Hello Gita Guest" in guest_mail.body
    member_mail = next(m for m in mail.outbox if m.to == [member.email])
    assert "/write-up/" in member_mail.body and "turn" not in member_mail.subject
    assert all(m.subject == "Write-up published: Shaping the charter" for m in mail.outbox)
    assert all(ACCESS_NEED not in m.body for m in mail.outbox)
    assert AuditEntry.objects.get(action="workshop.publish_write_up").changes["recipients"] == 4  # before opt-outs
    with pytest.raises(ValidationError) as exc:
        writeup_services.write_up_publish(workshop=w, actor=facilitator)
    assert exc.value.message_dict == {"publish": ["This write-up has already been published"]}


def test_a_live_workshop_cannot_be_published(live_workshop, people):
    with pytest.raises(PermissionDenied):
        writeup_services.write_up_publish(workshop=live_workshop, actor=people[Role.FACILITATOR])


def test_subject_lines_cannot_inject_headers(wall, people, django_capture_on_commit_callbacks):
    w = wall["workshop"]
    Workshop.objects.filter(pk=w.pk).update(title="Evil\r\nBcc: everyone@example.org")
    w.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        writeup_services.write_up_publish(workshop=w, actor=people[Role.FACILITATOR])
    assert mail.outbox and all("\n" not in m.subject and "\r" not in m.subject for m in mail.outbox)
    assert all(m.message()["Bcc"] is None for m in mail.outbox)


def test_guest_tokens_are_signed(wall):
    registration = Registration.objects.get(email="gita@example.org")
    token = writeup_services.guest_token(registration)
    assert writeup_services.guest_token_read(token) == (wall["workshop"].pk, registration.pk)
    assert writeup_services.guest_token_read(token[:-2] + "xx") is None
    assert writeup_services.guest_token_read("nonsense") is None


def test_members_who_left_the_partnership_are_not_emailed(wall, people):
    gone = UserFactory()
    Registration.objects.create(workshop=wall["workshop"], user=gone, name="Gone", email=gone.email)
    members, guests = writeup_services.recipients(wall["workshop"])
    assert gone not in members and [g.email for g in guests] == ["gita@example.org"]
