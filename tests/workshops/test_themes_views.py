"""Theming pages: the board with a move control on every idea (no JavaScript needed), themes
added, renamed, reordered and deleted, suggestions reviewed; who may see them; the wall grouped
by theme for participants; bounded queries."""

import html
import re

import pytest
from django.urls import reverse

from compact.partnerships.models import Role
from compact.workshops.models import Idea, SuggestedTheme, SuggestionRun, Theme
from compact.workshops.services.suggestions import suggestion_run
from compact.workshops.services.themes import idea_move_to_theme, theme_create

from ..factories import ERROR_SUMMARY, field_errors
from .theme_helpers import add_ideas, use_language_model, use_no_language_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def language_model(monkeypatch):
    return use_language_model(monkeypatch)


@pytest.fixture
def no_language_model(monkeypatch):
    use_no_language_model(monkeypatch)


def text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def url(name, workshop, *extra):
    return reverse(name, args=[workshop.partnership.slug, workshop.process.slug, workshop.slug, *extra])


@pytest.fixture
def facilitator(people):
    return people[Role.FACILITATOR]


@pytest.fixture
def ideas(live_workshop):
    return add_ideas(live_workshop, live_workshop.prompts.first())


@pytest.fixture
def board(client, facilitator, live_workshop):
    client.force_login(facilitator)
    return url("workshop_themes", live_workshop)


def test_members_are_refused_and_strangers_see_nothing(client, people, live_workshop, workshop_process):
    board = url("workshop_themes", live_workshop)
    client.force_login(people[Role.MEMBER])
    assert client.get(board).status_code == 403
    assert client.post(url("workshop_theme_suggest", live_workshop)).status_code == 403
    client.force_login(people["outsider"])
    assert client.get(board).status_code == 404


def test_a_planned_workshop_has_no_theming_yet(client, facilitator, workshop):
    client.force_login(facilitator)
    assert client.get(url("workshop_themes", workshop)).status_code == 403


def test_add_a_theme_and_move_an_idea_without_javascript(client, board, live_workshop, ideas):
    prompt = live_workshop.prompts.first()
    response = client.post(board, {"name": "  ", "prompt": ""})
    assert response.status_code == 400 and ERROR_SUMMARY in response.content.decode()
    assert field_errors(response, "name") == ["Enter a name for the theme"]
    response = client.post(board, {"name": "Paying on time", "prompt": prompt.pk}, follow=True)
    assert "The theme “Paying on time” has been added." in text(response)
    theme = Theme.objects.get()
    assert theme.prompt == prompt
    page = client.get(board).content.decode()
    assert f'id="move-{ideas[0].pk}"' in page and f'<option value="{theme.pk}">Paying on time</option>' in page
    response = client.post(f"{board}ideas/{ideas[0].pk}/", {"theme": theme.pk})
    assert response.status_code == 302 and response["Location"].endswith(f"#idea-{ideas[0].pk}")
    assert Idea.objects.get(pk=ideas[0].pk).theme == theme
    response = client.post(f"{board}ideas/{ideas[0].pk}/", {"theme": ""}, follow=True)
    assert "The idea is no longer in a theme." in text(response)
    assert Idea.objects.get(pk=ideas[0].pk).theme is None


def test_a_bad_move_shows_the_error_beside_the_idea(client, board, ideas):
    response = client.post(f"{board}ideas/{ideas[0].pk}/", {"theme": "99999"})
    assert response.status_code == 400
    page = response.content.decode()
    assert ERROR_SUMMARY in page and f'href="#move-{ideas[0].pk}"' in page and "That theme has been deleted" in page
    assert f'id="move-{ideas[0].pk}-error"' in page


def test_the_move_answers_json_for_themes_js(client, board, live_workshop, facilitator, ideas):
    theme = theme_create(workshop=live_workshop, actor=facilitator, name="Data")
    response = client.post(f"{board}ideas/{ideas[1].pk}/", {"theme": theme.pk}, HTTP_ACCEPT="application/json")
    assert response.json() == {"ok": True, "idea": ideas[1].pk, "theme": theme.pk,
                               "message": "The idea is now in “Data”."}  # fmt: skip
    response = client.post(f"{board}ideas/{ideas[1].pk}/", {"theme": "x"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and set(response.json()["errors"]) == {"theme"}


def test_rename_reorder_and_delete(client, board, live_workshop, facilitator, ideas):
    a = theme_create(workshop=live_workshop, actor=facilitator, name="Alpha")
    b = theme_create(workshop=live_workshop, actor=facilitator, name="Beta")
    idea_move_to_theme(idea=ideas[0], actor=facilitator, theme=a)
    edit = f"{board}{a.pk}/"
    assert "Change the theme “Alpha”" in text(client.get(edit))
    response = client.post(edit, {"action": "rename", "name": "Beta"})
    assert response.status_code == 400 and "There is already a theme called “Beta”" in text(response)
    client.post(edit, {"action": "rename", "name": "Payment"})
    assert Theme.objects.get(pk=a.pk).name == "Payment"
    response = client.post(f"{board}{b.pk}/move/", {"direction": "up"}, follow=True)
    assert "“Beta” is now number 1 of 2." in text(response)
    assert list(Theme.objects.values_list("pk", flat=True)) == [b.pk, a.pk]
    response = client.post(edit, {"action": "delete"}, follow=True)
    assert "The theme “Payment” has been deleted. The idea in it stays on the wall, not in a theme." in text(response)
    assert not Theme.objects.filter(pk=a.pk).exists() and Idea.objects.get(pk=ideas[0].pk).theme is None


def test_a_theme_with_dots_is_kept_and_the_page_says_why(client, board, live_workshop, facilitator, people):
    from compact.workshops.models import DotVote
    from compact.workshops.services.participants import participant_for_user

    theme = theme_create(workshop=live_workshop, actor=facilitator, name="Data")
    voter = participant_for_user(workshop=live_workshop, user=people[Role.MEMBER])
    DotVote.objects.create(workshop=live_workshop, participant=voter, theme=theme, dots=1)
    response = client.post(f"{board}{theme.pk}/", {"action": "delete"})
    assert response.status_code == 400 and 'href="#delete"' in response.content.decode()
    assert "People have put dots on this theme" in text(response) and Theme.objects.filter(pk=theme.pk).exists()


def test_the_board_is_a_fixed_number_of_queries(
    client, board, live_workshop, facilitator, django_assert_max_num_queries
):
    prompt = live_workshop.prompts.first()
    themes = [theme_create(workshop=live_workshop, actor=facilitator, name=f"Theme {n}") for n in range(4)]
    many = add_ideas(live_workshop, prompt, [f"Idea number {n}" for n in range(60)])
    for n, idea in enumerate(many[:20]):
        idea_move_to_theme(idea=idea, actor=facilitator, theme=themes[n % 4])
    with django_assert_max_num_queries(12):
        response = client.get(board)
    assert response.status_code == 200 and response.content.decode().count("data-move-form") == 60


def test_suggest_review_and_accept_keeps_manual_work(client, board, live_workshop, facilitator, ideas, language_model):
    mine = theme_create(workshop=live_workshop, actor=facilitator, name="By hand")
    idea_move_to_theme(idea=ideas[0], actor=facilitator, theme=mine)
    response = client.post(url("workshop_theme_suggest", live_workshop), {"prompt": "", "k": "1"})
    run = SuggestionRun.objects.get()
    assert response["Location"] == url("workshop_theme_suggestions", live_workshop, run.pk)
    page = client.get(response["Location"])
    shown = text(page)
    assert "1 is already in a theme and will be left where it is." in shown
    assert "word overlap" not in shown
    suggestion = run.suggestions.get()
    response = client.post(response["Location"], {"suggestion": suggestion.pk, "action": "accept", "name": "Everything"},
                           follow=True)  # fmt: skip
    shown = text(response)
    assert f"“Everything” is now a theme with {len(ideas) - 1} ideas." in shown
    assert "1 of its ideas was already in a theme or no longer on the wall, and was left where it was." in shown
    assert Idea.objects.get(pk=ideas[0].pk).theme == mine
    assert "Accepted as “Everything”" in shown


def test_review_actions_and_errors(client, board, live_workshop, facilitator, ideas, language_model,
                                   django_assert_max_num_queries):  # fmt: skip
    run = suggestion_run(workshop=live_workshop, actor=facilitator, k=3)
    page = url("workshop_theme_suggestions", live_workshop, run.pk)
    with django_assert_max_num_queries(10):
        assert client.get(page).status_code == 200
    a, b, c = run.suggestions.order_by("pk")
    response = client.post(page, {"suggestion": a.pk, "action": "rename", "name": " "})
    assert response.status_code == 400 and f'href="#name-{a.pk}"' in response.content.decode()
    client.post(page, {"suggestion": a.pk, "action": "merge", "other": b.pk})
    assert not SuggestedTheme.objects.filter(pk=b.pk).exists()
    response = client.post(page, {"suggestion": a.pk, "action": "split"})
    assert response.status_code == 400 and "Choose the ideas to move" in text(response)
    first = a.ideas.order_by("pk").first()
    response = client.post(page, {"suggestion": a.pk, "action": "split", "ideas": [first.pk],
                                  "split_label": "On its own"}, follow=True)  # fmt: skip
    assert "The ideas you chose are now a new suggestion, “On its own”." in text(response)
    client.post(page, {"suggestion": c.pk, "action": "discard"})
    assert SuggestedTheme.objects.get(pk=c.pk).status == SuggestedTheme.Status.DISCARDED
    response = client.post(page, {"suggestion": b.pk, "action": "accept"})
    assert response.status_code == 400 and "no longer here" in text(response)
    more = client.post(url("workshop_theme_suggest", live_workshop), {"prompt": "", "k": run.k + 1})
    assert SuggestionRun.objects.order_by("-pk").first().k == run.k + 1 and more.status_code == 302


def test_too_few_ideas_and_word_overlap_are_explained(client, board, live_workshop, no_language_model):
    response = client.post(url("workshop_theme_suggest", live_workshop), {"prompt": ""})
    assert response.status_code == 400 and "at least 3 ideas" in text(response)
    add_ideas(live_workshop, live_workshop.prompts.first())
    response = client.post(url("workshop_theme_suggest", live_workshop), {"prompt": ""}, follow=True)
    assert "Suggestions use word overlap only because the language model is not installed" in text(response)


def test_participants_see_the_wall_grouped_by_theme_as_text(client, people, live_workshop, facilitator, ideas):
    theme = theme_create(workshop=live_workshop, actor=facilitator, name="<b>Data</b>")
    Idea.objects.filter(pk=ideas[0].pk).update(text="<script>alert(1)</script>")
    idea_move_to_theme(idea=ideas[0], actor=facilitator, theme=theme)
    client.force_login(people[Role.MEMBER])
    page = client.get(url("workshop_wall", live_workshop)).content.decode()
    assert f'data-theme-list="{theme.pk}"' in page and "&lt;b&gt;Data&lt;/b&gt;" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "Not in a theme yet" in page and "Group ideas into themes" not in page
    client.force_login(facilitator)
    assert "Group ideas into themes" in client.get(url("workshop_wall", live_workshop)).content.decode()


# After an error, what was typed comes back, with the error linked from the summary ---------------


def value_of(response, input_id: str) -> str | None:
    """The value an <input> is rendered with (None: no value attribute)."""
    tag = re.search(r'<input[^>]*\bid="' + re.escape(input_id) + r'"[^>]*>', response.content.decode())
    assert tag is not None, f"no input #{input_id}"
    found = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return html.unescape(found.group(1)) if found else None


def linked_error(response, anchor: str, message: str) -> bool:
    """The error summary links to the field, and the message is beside it, read with it."""
    page = response.content.decode()
    beside = re.search(r'id="' + re.escape(anchor) + r'-error"[^>]*>.*?</p>', page, re.DOTALL)
    read_with_it = re.search(r'aria-describedby="[^"]*\b' + re.escape(anchor) + r'-error"', page)
    return (ERROR_SUMMARY in page and f'href="#{anchor}"' in page and beside is not None
            and message in html.unescape(beside.group(0)) and read_with_it is not None)  # fmt: skip


def test_a_suggestions_name_comes_back_as_typed_after_an_error(client, board, live_workshop, facilitator, ideas,
                                                                 language_model):  # fmt: skip
    run = suggestion_run(workshop=live_workshop, actor=facilitator, k=3)
    page = url("workshop_theme_suggestions", live_workshop, run.pk)
    a, b, _c = run.suggestions.order_by("pk")
    response = client.post(page, {"suggestion": a.pk, "action": "rename", "name": "  "})
    assert response.status_code == 400 and value_of(response, f"name-{a.pk}") == "  "  # not the old name
    assert linked_error(response, f"name-{a.pk}", "Enter a name for the theme")
    assert value_of(response, f"name-{b.pk}") == b.label  # the other suggestions are as they were
    assert "<title>Error: " in response.content.decode()
    too_long = "Prompt payment for small charities " * 4
    for action in ("rename", "accept"):
        response = client.post(page, {"suggestion": a.pk, "action": action, "name": too_long})
        assert response.status_code == 400 and value_of(response, f"name-{a.pk}") == too_long
        assert linked_error(response, f"name-{a.pk}", "The name must be 120 characters or fewer")
    assert SuggestedTheme.objects.get(pk=a.pk).label == a.label and not Theme.objects.exists()


def test_a_split_keeps_the_ticked_ideas_and_the_new_name_after_an_error(client, board, live_workshop, facilitator,
                                                                         ideas, language_model):  # fmt: skip
    run = suggestion_run(workshop=live_workshop, actor=facilitator, k=2)
    page = url("workshop_theme_suggestions", live_workshop, run.pk)
    suggestion = run.suggestions.order_by("pk").first()
    first, second = suggestion.ideas.order_by("pk")[:2]
    too_long = "x" * 130
    response = client.post(page, {"suggestion": suggestion.pk, "action": "split", "ideas": [second.pk],
                                  "split_label": too_long})  # fmt: skip
    assert response.status_code == 400 and value_of(response, f"split-label-{suggestion.pk}") == too_long
    assert linked_error(response, f"split-label-{suggestion.pk}", "The name must be 120 characters or fewer")
    boxes = {m.group(1): "checked" in m.group(0) for m in re.finditer(
        r'<input class="govuk-checkboxes__input"[^>]*value="(\d+)"[^>]*>', response.content.decode())}  # fmt: skip
    assert boxes[str(second.pk)] is True and boxes[str(first.pk)] is False
    assert value_of(response, f"name-{suggestion.pk}") == suggestion.label  # the name box was not in that form


def test_the_number_of_themes_and_the_question_come_back_after_an_error(client, board, live_workshop, ideas):
    prompt = live_workshop.prompts.first()
    suggest = url("workshop_theme_suggest", live_workshop)
    for typed, message in [("lots", "Enter a number of themes"), ("99", f"Ask for between 1 and {len(ideas)} themes")]:
        response = client.post(suggest, {"prompt": prompt.pk, "k": typed})
        assert response.status_code == 400 and value_of(response, "suggest-k") == typed
        assert linked_error(response, "suggest-k", message)
        assert f'<option value="{prompt.pk}" selected>' in response.content.decode()
    response = client.post(suggest, {"prompt": live_workshop.prompts.last().pk, "k": ""})  # no ideas there
    assert response.status_code == 400 and value_of(response, "suggest-k") == ""
    assert linked_error(response, "suggest-scope", "There must be at least 3 ideas on the wall")
    assert not SuggestionRun.objects.exists()


def test_a_theme_name_that_is_too_long_comes_back(client, board):
    too_long = "Paying small charities on time " * 5
    response = client.post(board, {"name": too_long, "prompt": ""})
    assert response.status_code == 400 and value_of(response, "id_name") == too_long
    assert field_errors(response, "name") == ["The name must be 120 characters or fewer"]
    assert 'href="#id_name"' in response.content.decode()
