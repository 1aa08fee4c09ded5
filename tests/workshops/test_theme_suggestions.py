"""Suggested themes: runs over visible ideas (stored vectors, missing ones embedded on the spot,
word overlap for the whole run without the model), accept without overwriting manual work,
rename, merge, split, discard, more or fewer themes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compact import theming
from compact.activity.models import AuditEntry
from compact.partnerships.models import Role
from compact.workshops.models import Idea, SuggestedTheme, Theme, WallEvent
from compact.workshops.services.moderation import idea_hide, idea_merge
from compact.workshops.services.suggestions import (
    suggestion_accept,
    suggestion_discard,
    suggestion_merge,
    suggestion_rename,
    suggestion_run,
    suggestion_split,
)
from compact.workshops.services.themes import idea_move_to_theme, theme_create

from .theme_helpers import TEXTS, add_ideas, fake_embed, use_language_model, use_no_language_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def language_model(monkeypatch):
    return use_language_model(monkeypatch)


@pytest.fixture
def no_language_model(monkeypatch):
    use_no_language_model(monkeypatch)


@pytest.fixture
def facilitator(people):
    return people[Role.FACILITATOR]


@pytest.fixture
def prompt(live_workshop):
    return live_workshop.prompts.first()


@pytest.fixture
def ideas(live_workshop, prompt):
    return add_ideas(live_workshop, prompt)


def members(run) -> list[list[int]]:
    return [sorted(s.ideas.values_list("pk", flat=True)) for s in run.suggestions.order_by("pk")]


def test_a_run_groups_visible_ideas_and_embeds_the_missing_ones(live_workshop, facilitator, ideas, language_model):
    idea_hide(idea=ideas[0], actor=facilitator, reason="Duplicate")
    idea_merge(idea=ideas[1], into=ideas[2], actor=facilitator)
    stored = Idea.objects.get(pk=ideas[3].pk)
    stored.embedding, stored.embedding_model = theming.pack_vector(fake_embed([stored.text])[0]), theming.model_name()
    stored.save()
    run = suggestion_run(workshop=live_workshop, actor=facilitator, k=3)
    assert run.semantic and run.k == 3 and run.prompt is None
    grouped = [pk for group in members(run) for pk in group]
    assert sorted(grouped) == sorted(i.pk for i in ideas[2:])  # each visible idea once; hidden and merged left out
    assert language_model == [[i.text for i in ideas[2:] if i.pk != stored.pk]]  # only the missing ones
    assert all(i.embedding_model == theming.model_name() for i in Idea.objects.filter(pk__in=grouped))
    suggestion = run.suggestions.first()
    assert suggestion.label and suggestion.terms and suggestion.status == SuggestedTheme.Status.PENDING
    assert AuditEntry.objects.filter(action="workshop.suggest_themes").get().changes["k"] == 3


def test_without_the_model_the_whole_run_uses_word_overlap(live_workshop, facilitator, ideas, no_language_model):
    run = suggestion_run(workshop=live_workshop, actor=facilitator, prompt=ideas[0].prompt)
    assert not run.semantic and run.prompt == ideas[0].prompt and run.k >= 1
    assert sorted(pk for group in members(run) for pk in group) == sorted(i.pk for i in ideas)
    assert not Idea.objects.exclude(embedding=None).exists()


def test_a_model_that_cannot_load_falls_back_to_word_overlap(live_workshop, facilitator, ideas, monkeypatch):
    from compact.theming.embedding import SEMANTIC

    def unavailable(texts):
        raise theming.EmbeddingUnavailable("missing weights")

    monkeypatch.setattr(theming, "embedding_backend", lambda: SEMANTIC)
    monkeypatch.setattr(theming, "embed", unavailable)
    assert not suggestion_run(workshop=live_workshop, actor=facilitator).semantic


def test_too_few_ideas_or_a_bad_k_are_refused(live_workshop, facilitator, prompt, language_model):
    add_ideas(live_workshop, prompt, TEXTS[:2])
    with pytest.raises(ValidationError) as exc:
        suggestion_run(workshop=live_workshop, actor=facilitator)
    assert set(exc.value.message_dict) == {"prompt"}
    add_ideas(live_workshop, prompt, TEXTS[2:4])
    for k in (0, 5, "many"):
        with pytest.raises(ValidationError) as exc:
            suggestion_run(workshop=live_workshop, actor=facilitator, k=k)
        assert set(exc.value.message_dict) == {"k"}


def test_members_cannot_ask_for_or_act_on_suggestions(live_workshop, facilitator, people, ideas, language_model):
    run = suggestion_run(workshop=live_workshop, actor=facilitator, k=2)
    a, b = run.suggestions.order_by("pk")
    member = people[Role.MEMBER]
    for action in (
        lambda: suggestion_run(workshop=live_workshop, actor=member),
        lambda: suggestion_accept(suggestion=a, actor=member),
        lambda: suggestion_rename(suggestion=a, actor=member, label="x"),
        lambda: suggestion_merge(suggestion=a, other=b, actor=member),
        lambda: suggestion_split(suggestion=a, actor=member, ideas=[]),
        lambda: suggestion_discard(suggestion=a, actor=member),
    ):
        with pytest.raises(PermissionDenied):
            action()


def test_accepting_never_moves_ideas_placed_by_hand(live_workshop, facilitator, ideas, language_model):
    run = suggestion_run(workshop=live_workshop, actor=facilitator, k=1)
    (suggestion,) = run.suggestions.all()
    mine = theme_create(workshop=live_workshop, actor=facilitator, name="Placed by hand")
    idea_move_to_theme(idea=ideas[0], actor=facilitator, theme=mine)
    idea_move_to_theme(idea=ideas[1], actor=facilitator, theme=mine)
    theme, left = suggestion_accept(suggestion=suggestion, actor=facilitator, name="Everything else")
    assert left == 2 and theme.suggested and theme.name == "Everything else" and theme.prompt is None
    assert set(Idea.objects.filter(theme=mine).values_list("pk", flat=True)) == {ideas[0].pk, ideas[1].pk}
    assert not Idea.objects.filter(theme=mine, themed_by_suggestion=True).exists()
    rest = Idea.objects.filter(theme=theme)
    assert rest.count() == len(ideas) - 2 and all(i.themed_by_suggestion for i in rest)
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestedTheme.Status.ACCEPTED and suggestion.theme == theme
    assert [e.kind for e in WallEvent.objects.order_by("-pk")[:2]][::-1] == ["theme", "idea_theme"]
    with pytest.raises(ValidationError) as exc:
        suggestion_accept(suggestion=suggestion, actor=facilitator)
    assert "already been accepted" in exc.value.message_dict["suggestion"][0]


def test_a_later_suggestion_does_not_take_ideas_an_earlier_one_themed(
    live_workshop, facilitator, ideas, language_model
):
    first = suggestion_run(workshop=live_workshop, actor=facilitator, k=1).suggestions.get()
    theme, _ = suggestion_accept(suggestion=first, actor=facilitator)
    second = suggestion_run(workshop=live_workshop, actor=facilitator, k=1).suggestions.get()
    other, left = suggestion_accept(suggestion=second, actor=facilitator, name="Second")
    assert left == len(ideas) and not other.ideas.exists() and theme.ideas.count() == len(ideas)


def test_accepting_with_a_prompt_scope_makes_a_prompt_theme(live_workshop, facilitator, prompt, ideas, language_model):
    run = suggestion_run(workshop=live_workshop, actor=facilitator, prompt=prompt, k=2)
    theme, left = suggestion_accept(suggestion=run.suggestions.first(), actor=facilitator)
    assert theme.prompt == prompt and left == 0 and theme.name == run.suggestions.first().label


def test_rename_discard_merge_and_split(live_workshop, facilitator, ideas, language_model):
    run = suggestion_run(workshop=live_workshop, actor=facilitator, k=3)
    a, b, c = run.suggestions.order_by("pk")
    everything = sorted(i.pk for i in ideas)
    with pytest.raises(ValidationError) as exc:
        suggestion_rename(suggestion=a, actor=facilitator, label=" ")
    assert set(exc.value.message_dict) == {"label"}
    assert suggestion_rename(suggestion=a, actor=facilitator, label="Paying on time").label == "Paying on time"
    merged = suggestion_merge(suggestion=a, other=b, actor=facilitator)
    assert not SuggestedTheme.objects.filter(pk=b.pk).exists() and merged.label == "Paying on time"
    assert sorted(pk for group in members(run) for pk in group) == everything
    moved = sorted(merged.ideas.values_list("pk", flat=True))[:2]
    new = suggestion_split(suggestion=merged, actor=facilitator, ideas=moved)
    assert sorted(new.ideas.values_list("pk", flat=True)) == moved and new.label and new.run_id == run.pk
    assert sorted(pk for group in members(run) for pk in group) == everything
    with pytest.raises(ValidationError) as exc:
        suggestion_split(suggestion=new, actor=facilitator, ideas=moved)
    assert "at least one" in exc.value.message_dict["ideas"][0]
    with pytest.raises(ValidationError):
        suggestion_split(suggestion=new, actor=facilitator, ideas=[ideas[0].pk + 10_000])
    with pytest.raises(ValidationError):
        suggestion_merge(suggestion=new, other=new, actor=facilitator)
    suggestion_discard(suggestion=c, actor=facilitator)
    c.refresh_from_db()
    assert c.status == SuggestedTheme.Status.DISCARDED
    with pytest.raises(ValidationError):
        suggestion_merge(suggestion=new, other=c, actor=facilitator)
    other_run = suggestion_run(workshop=live_workshop, actor=facilitator, k=2)
    with pytest.raises(ValidationError) as exc:
        suggestion_merge(suggestion=new, other=other_run.suggestions.first(), actor=facilitator)
    assert set(exc.value.message_dict) == {"other"}
    assert not Theme.objects.exists()  # none of this touches the wall


def test_more_or_fewer_themes(live_workshop, facilitator, ideas, language_model):
    run = suggestion_run(workshop=live_workshop, actor=facilitator)
    more = suggestion_run(workshop=live_workshop, actor=facilitator, k=run.k + 1)
    fewer = suggestion_run(workshop=live_workshop, actor=facilitator, k=run.k - 1 or 1)
    assert more.k == run.k + 1 and fewer.k == (run.k - 1 or 1)


class Rollback(Exception):
    """Undo one hypothesis example (the fixtures' rows are shared between examples)."""


moves = st.lists(st.tuples(st.integers(0, len(TEXTS) - 1), st.integers(-1, 2)), max_size=12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=moves, accept=st.lists(st.integers(0, 3), min_size=1, max_size=4, unique=True))
def test_manual_moves_survive_any_accepted_suggestion(live_workshop, facilitator, ideas, language_model, moves, accept):
    try:
        with transaction.atomic():
            themes = [theme_create(workshop=live_workshop, actor=facilitator, name=f"By hand {n}") for n in range(3)]
            for index, target in moves:
                theme = themes[target] if target >= 0 else None
                idea_move_to_theme(idea=ideas[index], actor=facilitator, theme=theme)
            by_hand = dict(Idea.objects.filter(theme__isnull=False).values_list("pk", "theme_id"))
            run = suggestion_run(workshop=live_workshop, actor=facilitator, k=4)
            suggestions = list(run.suggestions.order_by("pk"))
            for n in accept:
                theme, left = suggestion_accept(suggestion=suggestions[n], actor=facilitator, name=f"Suggested {n}")
                ids = list(suggestions[n].ideas.values_list("pk", flat=True))
                assert left == Idea.objects.filter(pk__in=ids).exclude(theme=theme).count()
            after = dict(Idea.objects.values_list("pk", "theme_id"))
            assert all(after[pk] == theme_id for pk, theme_id in by_hand.items())
            assert not Idea.objects.filter(pk__in=by_hand, themed_by_suggestion=True).exists()
            raise Rollback
    except Rollback:
        pass


operations = st.lists(
    st.tuples(st.sampled_from(["merge", "split"]), st.integers(0, 10), st.integers(0, 10), st.integers(1, 2**9)),
    max_size=8,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=operations)
def test_merge_and_split_keep_every_idea_exactly_once(live_workshop, facilitator, ideas, language_model, operations):
    try:
        with transaction.atomic():
            run = suggestion_run(workshop=live_workshop, actor=facilitator, k=3)
            everything = sorted(i.pk for i in ideas)
            for op, x, y, mask in operations:
                pending = list(run.suggestions.order_by("pk"))
                first, second = pending[x % len(pending)], pending[y % len(pending)]
                try:
                    if op == "merge":
                        suggestion_merge(suggestion=first, other=second, actor=facilitator)
                    else:
                        pks = sorted(first.ideas.values_list("pk", flat=True))
                        chosen = [pk for n, pk in enumerate(pks) if mask >> n & 1]
                        suggestion_split(suggestion=first, actor=facilitator, ideas=chosen)
                except ValidationError:
                    pass
                grouped = [pk for group in members(run) for pk in group]
                assert sorted(grouped) == everything
                assert all(members(run))  # no suggestion is left empty
            raise Rollback
    except Rollback:
        pass
