"""Moderating the wall: hide with a reason (audited), fix typos (first wording kept), merge
duplicates (authors and votes stay on the merged rows)."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from compact.activity.models import AuditEntry
from compact.partnerships.models import Role
from compact.workshops.models import DotVote, Idea, WallEvent
from compact.workshops.selectors_live import merge_targets, wall
from compact.workshops.services.ideas import idea_submit
from compact.workshops.services.moderation import idea_edit, idea_hide, idea_merge, idea_show
from compact.workshops.services.participants import participant_for_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def ideas(live_workshop, people):
    prompt = live_workshop.prompts.first()
    return [
        idea_submit(workshop=live_workshop, prompt=prompt, text=text, idempotency_key=uuid.uuid4(), actor=person)
        for text, person in [
            ("Pay invocies on time", people[Role.MEMBER]),
            ("Pay invoices within 30 days", people[Role.CONVENOR]),
            ("Pay on time please", people[Role.FACILITATOR]),
        ]
    ]


def test_hiding_needs_a_reason_and_is_audited(ideas, people):
    facilitator = people[Role.FACILITATOR]
    with pytest.raises(ValidationError) as exc:
        idea_hide(idea=ideas[0], actor=facilitator, reason="  ")
    assert exc.value.message_dict["reason"] == ["Enter why you are hiding this idea"]
    idea = idea_hide(idea=ideas[0], actor=facilitator, reason="Names a person")
    assert idea.hidden and idea.hidden_reason == "Names a person"
    entry = AuditEntry.objects.get(action="workshop.hide_idea")
    assert entry.changes["reason"] == "Names a person" and entry.actor == facilitator
    event = WallEvent.objects.last()
    assert event.kind == "idea_removed" and event.data == {"id": idea.pk, "prompt": idea.prompt_id}
    assert "Names a person" not in str(event.data)
    assert [i.pk for i in wall(idea.workshop)[0]["ideas"]] == [ideas[1].pk, ideas[2].pk]
    assert [i.pk for i in wall(idea.workshop, include_hidden=True)[0]["hidden"]] == [idea.pk]
    with pytest.raises(ValidationError):
        idea_hide(idea=idea, actor=facilitator, reason="Again")
    idea_show(idea=idea, actor=facilitator)
    idea.refresh_from_db()
    assert not idea.hidden


def test_members_cannot_moderate(ideas, people):
    for action in (
        lambda: idea_hide(idea=ideas[0], actor=people[Role.MEMBER], reason="x"),
        lambda: idea_edit(idea=ideas[0], actor=people[Role.MEMBER], text="x"),
        lambda: idea_merge(idea=ideas[0], into=ideas[1], actor=people[Role.MEMBER]),
    ):
        with pytest.raises(PermissionDenied):
            action()


def test_editing_keeps_the_first_wording(ideas, people):
    facilitator = people[Role.FACILITATOR]
    idea = idea_edit(idea=ideas[0], actor=facilitator, text="Pay invoices on time")
    idea = idea_edit(idea=idea, actor=facilitator, text="Pay invoices on time, always")
    assert idea.text == "Pay invoices on time, always" and idea.original_text == "Pay invocies on time"
    assert idea.edited_at is not None
    event = WallEvent.objects.filter(kind="idea").last()
    assert event.data["text"] == "Pay invoices on time, always" and event.data["edited"]
    assert AuditEntry.objects.filter(action="workshop.edit_idea").count() == 2
    with pytest.raises(ValidationError) as exc:
        idea_edit(idea=idea, actor=facilitator, text=" ")
    assert exc.value.message_dict["text"] == ["Enter your idea"]


def test_merging_keeps_authors_and_votes_and_never_chains(ideas, people, live_workshop):
    facilitator = people[Role.FACILITATOR]
    a, b, c = ideas
    voter = participant_for_user(workshop=live_workshop, user=people[Role.MEMBER])
    DotVote.objects.create(workshop=live_workshop, participant=voter, idea=a, dots=2)
    assert idea_merge(idea=a, into=b, actor=facilitator) == b
    a.refresh_from_db()
    assert a.merged_into == b and a.author == people[Role.MEMBER] and a.dot_votes.get().dots == 2
    event = WallEvent.objects.filter(kind="idea").last()
    assert event.data["id"] == b.pk and event.data["merged"] == 1
    # Merging b into c takes a along; merging c into a (merged into c) lands on c itself: refused.
    idea_merge(idea=b, into=c, actor=facilitator)
    assert set(Idea.objects.filter(merged_into=c).values_list("pk", flat=True)) == {a.pk, b.pk}
    with pytest.raises(ValidationError):
        idea_merge(idea=c, into=a, actor=facilitator)
    with pytest.raises(ValidationError):
        idea_merge(idea=c, into=c, actor=facilitator)
    (only,) = wall(live_workshop)[0]["ideas"]
    assert only.pk == c.pk and only.merged_count == 2


def test_merging_into_a_hidden_idea_is_refused(ideas, people):
    facilitator = people[Role.FACILITATOR]
    idea_hide(idea=ideas[1], actor=facilitator, reason="Off topic")
    with pytest.raises(ValidationError) as exc:
        idea_merge(idea=ideas[0], into=ideas[1], actor=facilitator)
    assert "hidden" in exc.value.message_dict["into"][0]


def test_merge_choices_put_the_most_alike_first_however_many_ideas(live_workshop, people):
    prompt = live_workshop.prompts.first()

    def note(text):
        return Idea.objects.create(workshop=live_workshop, prompt=prompt, text=text, idempotency_key=uuid.uuid4())

    twin = note("Pay small charities within 30 days")
    others = [note(f"Idea number {i}") for i in range(120)]
    idea = note("Pay charities within 30 days, please")
    targets = merge_targets(idea)
    assert targets[0] == twin and len(targets) == 100 and idea not in targets
    assert targets[1:4] == others[::-1][:3]  # then the newest
