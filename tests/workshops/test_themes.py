"""Grouping ideas into themes by hand: create, rename, reorder, delete (ideas stay, unthemed),
move an idea into a theme of its prompt or a workshop-wide one. Audited, and sent to the wall."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from compact.activity.models import AuditEntry
from compact.partnerships.models import Role
from compact.workshops.models import DotVote, Idea, Theme, WallEvent
from compact.workshops.services.moderation import idea_hide
from compact.workshops.services.participants import participant_for_user
from compact.workshops.services.themes import (
    idea_move_to_theme,
    theme_create,
    theme_delete,
    theme_move,
    theme_rename,
)

from .theme_helpers import add_ideas

pytestmark = pytest.mark.django_db


@pytest.fixture
def facilitator(people):
    return people[Role.FACILITATOR]


@pytest.fixture
def ideas(live_workshop):
    return add_ideas(live_workshop, live_workshop.prompts.first())


def test_a_facilitator_creates_renames_and_deletes_a_theme(live_workshop, facilitator, ideas):
    prompt = live_workshop.prompts.first()
    theme = theme_create(workshop=live_workshop, actor=facilitator, name="  Paying   on time ", prompt=prompt)
    assert theme.name == "Paying on time" and theme.prompt == prompt and not theme.suggested
    event = WallEvent.objects.last()
    assert event.kind == "theme" and event.data == {"id": theme.pk, "name": "Paying on time", "prompt": prompt.pk,
                                                    "position": 0, "suggested": False}  # fmt: skip
    theme = theme_rename(theme=theme, actor=facilitator, name="Prompt payment")
    assert Theme.objects.get().name == "Prompt payment"
    assert WallEvent.objects.last().data["name"] == "Prompt payment"
    idea_move_to_theme(idea=ideas[0], actor=facilitator, theme=theme)
    idea_move_to_theme(idea=ideas[1], actor=facilitator, theme=theme)
    assert theme_delete(theme=theme, actor=facilitator) == [ideas[0].pk, ideas[1].pk]
    assert not Theme.objects.exists() and Idea.objects.count() == len(ideas)
    assert not Idea.objects.filter(theme__isnull=False).exists()
    event = WallEvent.objects.last()
    assert event.kind == "theme_removed" and event.data == {"id": theme.pk, "ideas": [ideas[0].pk, ideas[1].pk]}
    actions = list(AuditEntry.objects.filter(action__contains="theme").order_by("pk").values_list("action", flat=True))
    assert actions == ["workshop.create_theme", "workshop.rename_theme", "workshop.theme_idea",
                       "workshop.theme_idea", "workshop.delete_theme"]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "message"),
    [("   ", "Enter a name for the theme"), ("x" * 121, "The name must be 120 characters or fewer")],
)
def test_theme_names_are_checked(live_workshop, facilitator, name, message):
    with pytest.raises(ValidationError) as exc:
        theme_create(workshop=live_workshop, actor=facilitator, name=name)
    assert exc.value.message_dict == {"name": [message]}


def test_a_name_is_used_once_per_question_or_workshop(live_workshop, facilitator):
    first, second = live_workshop.prompts.all()
    theme_create(workshop=live_workshop, actor=facilitator, name="Funding", prompt=first)
    theme_create(workshop=live_workshop, actor=facilitator, name="Funding", prompt=second)
    theme_create(workshop=live_workshop, actor=facilitator, name="Funding")
    with pytest.raises(ValidationError) as exc:
        theme_create(workshop=live_workshop, actor=facilitator, name="funding", prompt=first)
    assert "already a theme" in exc.value.message_dict["name"][0]
    other = theme_create(workshop=live_workshop, actor=facilitator, name="Grants")
    with pytest.raises(ValidationError):
        theme_rename(theme=other, actor=facilitator, name="FUNDING")


def test_only_facilitators_of_a_running_workshop_theme(workshop, live_workshop, people, ideas):
    theme = theme_create(workshop=live_workshop, actor=people[Role.CONVENOR], name="Data")
    for person in (people[Role.MEMBER], people[Role.OBSERVER], people["outsider"]):
        for action in (
            lambda p=person: theme_create(workshop=live_workshop, actor=p, name="Mine"),
            lambda p=person: theme_rename(theme=theme, actor=p, name="Mine"),
            lambda p=person: theme_move(theme=theme, actor=p, to=0),
            lambda p=person: theme_delete(theme=theme, actor=p),
            lambda p=person: idea_move_to_theme(idea=ideas[0], actor=p, theme=theme),
        ):
            with pytest.raises(PermissionDenied):
                action()


def test_themes_cannot_be_made_before_the_workshop_starts(workshop, facilitator):
    with pytest.raises(PermissionDenied):
        theme_create(workshop=workshop, actor=facilitator, name="Too early")


def test_reordering(live_workshop, facilitator):
    a, b, c = (theme_create(workshop=live_workshop, actor=facilitator, name=n) for n in "ABC")
    assert theme_move(theme=c, actor=facilitator, to=0) == [c.pk, a.pk, b.pk]
    assert list(Theme.objects.values_list("name", flat=True)) == ["C", "A", "B"]
    assert WallEvent.objects.last().data == {"ids": [c.pk, a.pk, b.pk]}
    assert theme_move(theme=c, actor=facilitator, to=99) == [a.pk, b.pk, c.pk]
    assert theme_move(theme=a, actor=facilitator, to=-5) == [a.pk, b.pk, c.pk]  # already first: nothing changes
    assert AuditEntry.objects.filter(action="workshop.move_theme").count() == 2
    with pytest.raises(ValidationError):
        theme_move(theme=a, actor=facilitator, to="first")


def test_an_idea_goes_into_its_prompts_theme_or_a_workshop_wide_one(live_workshop, facilitator, ideas):
    first, second = live_workshop.prompts.all()
    mine = theme_create(workshop=live_workshop, actor=facilitator, name="Payment", prompt=first)
    wide = theme_create(workshop=live_workshop, actor=facilitator, name="Everything")
    other = theme_create(workshop=live_workshop, actor=facilitator, name="Fairness", prompt=second)
    idea = idea_move_to_theme(idea=ideas[0], actor=facilitator, theme=mine)
    assert idea.theme == mine and not idea.themed_by_suggestion
    assert WallEvent.objects.last().data == {"ids": [idea.pk], "theme": mine.pk}
    idea = idea_move_to_theme(idea=idea, actor=facilitator, theme=wide)
    assert Idea.objects.get(pk=idea.pk).theme == wide
    with pytest.raises(ValidationError) as exc:
        idea_move_to_theme(idea=idea, actor=facilitator, theme=other)
    assert set(exc.value.message_dict) == {"theme"}
    idea = idea_move_to_theme(idea=idea, actor=facilitator, theme=None)
    assert Idea.objects.get(pk=idea.pk).theme is None
    assert WallEvent.objects.last().data == {"ids": [idea.pk], "theme": None}


def test_a_theme_of_another_workshop_or_a_hidden_idea_is_refused(live_workshop, facilitator, ideas, workshop_process):
    from compact.workshops import services

    from .conftest import at

    elsewhere = services.workshop_create(process=workshop_process, actor=facilitator, title="Another", starts_at=at(),
                                         ends_at=at(hour=12), venue="Hall")  # fmt: skip
    stranger = Theme.objects.create(workshop=elsewhere, name="Elsewhere")
    with pytest.raises(ValidationError) as exc:
        idea_move_to_theme(idea=ideas[0], actor=facilitator, theme=stranger)
    assert set(exc.value.message_dict) == {"theme"}
    theme = theme_create(workshop=live_workshop, actor=facilitator, name="Data")
    idea_hide(idea=ideas[1], actor=facilitator, reason="Off topic")
    with pytest.raises(ValidationError) as exc:
        idea_move_to_theme(idea=ideas[1], actor=facilitator, theme=theme)
    assert set(exc.value.message_dict) == {"idea"}


def test_moving_to_the_same_theme_is_quiet_but_confirms_a_suggestions_placement(live_workshop, facilitator, ideas):
    theme = theme_create(workshop=live_workshop, actor=facilitator, name="Data")
    idea_move_to_theme(idea=ideas[0], actor=facilitator, theme=theme)
    events = WallEvent.objects.count()
    idea_move_to_theme(idea=ideas[0], actor=facilitator, theme=theme)
    assert WallEvent.objects.count() == events
    Idea.objects.filter(pk=ideas[0].pk).update(themed_by_suggestion=True)
    idea_move_to_theme(idea=ideas[0], actor=facilitator, theme=theme)
    assert not Idea.objects.get(pk=ideas[0].pk).themed_by_suggestion


def test_a_theme_with_dots_is_not_deleted(live_workshop, facilitator, people):
    theme = theme_create(workshop=live_workshop, actor=facilitator, name="Data")
    voter = participant_for_user(workshop=live_workshop, user=people[Role.MEMBER])
    DotVote.objects.create(workshop=live_workshop, participant=voter, theme=theme, dots=1)
    with pytest.raises(ValidationError) as exc:
        theme_delete(theme=theme, actor=facilitator)
    assert set(exc.value.message_dict) == {"theme"} and Theme.objects.filter(pk=theme.pk).exists()


def test_theme_names_with_control_characters_are_refused(live_workshop, people):
    from compact.workshops.services import themes

    with pytest.raises(ValidationError) as exc:
        themes.theme_create(workshop=live_workshop, actor=people[Role.FACILITATOR], name="Pay\x00ments")
    assert exc.value.message_dict["name"] == ["Remove the hidden control characters from this text"]
