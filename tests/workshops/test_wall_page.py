"""A busy wall: each question shows its newest ideas with the count of all and a link to a
paged page of all of them (members, guests and facilitators, who moderate from there and come
back to the same page); what wall.js needs to keep the count true; bounded queries."""

import datetime as dt
import re
import uuid

import pytest
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from compact.partnerships.models import Role
from compact.workshops import selectors_live
from compact.workshops.live.guest import cookie_name, set_guest_cookie
from compact.workshops.models import Idea, WallEvent
from compact.workshops.services.participants import participant_join_guest
from compact.workshops.views import wall_prompt

pytestmark = pytest.mark.django_db
XSS = '<script>alert("x")</script>'


def wall_url(workshop, suffix=""):
    return reverse("workshop_wall", args=[workshop.partnership.slug, workshop.process.slug, workshop.slug]) + suffix


def add_ideas(workshop, n, *, prompt=None, text="Idea {}", hidden=False):
    """n ideas a minute apart (oldest first), written directly: the flood limit is not the point."""
    prompt = prompt or workshop.prompts.first()
    start = timezone.now() - dt.timedelta(hours=1)
    ideas = []
    for i in range(n):
        idea = Idea.objects.create(
            workshop=workshop, prompt=prompt, text=text.format(i), author_name=f"Person {i}", hidden=hidden,
            hidden_reason="Off topic" if hidden else "", idempotency_key=uuid.uuid4(),
        )  # fmt: skip
        Idea.objects.filter(pk=idea.pk).update(created_at=start + dt.timedelta(minutes=len(ideas)))
        ideas.append(idea)
    return ideas


@pytest.fixture
def shown(monkeypatch):
    monkeypatch.setattr(selectors_live, "WALL_SHOWN", 3)
    return 3


def guest_login(client, workshop):
    _participant, raw_key = participant_join_guest(workshop=workshop, display_name="Ada")
    response = HttpResponse()
    set_guest_cookie(response, workshop, raw_key)
    client.cookies[cookie_name(workshop.pk)] = response.cookies[cookie_name(workshop.pk)].value


def cards(body: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<li class="compact-idea" id="idea-(\d+)"', body)]


def test_the_wall_shows_the_newest_ideas_and_the_count_of_all(client, live_workshop, people, shown):
    ideas = add_ideas(live_workshop, 5)
    prompt = live_workshop.prompts.first()
    other = live_workshop.prompts.last()
    client.force_login(people[Role.MEMBER])
    body = client.get(wall_url(live_workshop)).content.decode()
    assert cards(body) == [i.pk for i in ideas[2:]]  # the newest three, oldest first
    assert f'Ideas (<span data-count-for="{prompt.pk}">5</span>)' in body
    assert f'data-older-ids="{ideas[1].pk} {ideas[0].pk}"' in body and 'data-shown="3"' in body
    assert (
        f'<a class="govuk-link" href="?prompt={prompt.pk}">Show all <span data-count-for="{prompt.pk}">5</span>' in body
    )
    assert f'<p class="govuk-body-s" data-more-for="{other.pk}" hidden>' in body  # nothing left out there
    last = WallEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    assert f'data-wall-stream="/live/workshops/{live_workshop.pk}/events/?since={last}"' in body


def test_the_queries_do_not_grow_with_the_ideas(client, live_workshop, people, django_assert_max_num_queries):
    client.force_login(people[Role.FACILITATOR])
    add_ideas(live_workshop, 3)
    with django_assert_max_num_queries(16) as few:
        client.get(wall_url(live_workshop))
    add_ideas(live_workshop, 40)
    add_ideas(live_workshop, 5, hidden=True)
    with django_assert_max_num_queries(len(few)):
        client.get(wall_url(live_workshop))
    with django_assert_max_num_queries(len(few)):
        client.get(wall_url(live_workshop, "projector/"))


def test_the_page_of_all_ideas_is_paged_oldest_first_and_escaped(client, live_workshop, people, monkeypatch):
    monkeypatch.setattr(wall_prompt, "PROMPT_PAGE", 2)
    ideas = add_ideas(live_workshop, 4, text=XSS + " {}")
    prompt = live_workshop.prompts.first()
    client.force_login(people[Role.MEMBER])
    page = client.get(wall_url(live_workshop, f"?prompt={prompt.pk}"))
    body = page.content.decode()
    assert page.status_code == 200 and cards(body) == [ideas[0].pk, ideas[1].pk]
    assert "Ideas (4)" in body and "Page 1 of 2" in body and f'href="?prompt={prompt.pk}&amp;page=2"' in body
    assert "<script>alert" not in body and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; 0" in body
    assert "Moderate" not in body and f'href="{wall_url(live_workshop)}#prompt-{prompt.pk}"' in body
    body = client.get(wall_url(live_workshop, f"?prompt={prompt.pk}&page=2")).content.decode()
    assert cards(body) == [ideas[2].pk, ideas[3].pk]
    for bad in ("x", "999999", ""):
        assert client.get(wall_url(live_workshop, f"?prompt={bad}")).status_code == 404


def test_guests_see_the_newest_and_the_page_of_all(client, live_workshop, shown):
    ideas = add_ideas(live_workshop, 5)
    prompt = live_workshop.prompts.first()
    guest_login(client, live_workshop)
    here = f"/join/{live_workshop.join_code}/"
    body = client.get(here).content.decode()
    assert cards(body) == [i.pk for i in ideas[2:]] and f'href="?prompt={prompt.pk}">Show all' in body
    body = client.get(f"{here}?prompt={prompt.pk}").content.decode()
    assert cards(body) == [i.pk for i in ideas] and f'href="{here}#prompt-{prompt.pk}">Back to the wall' in body
    assert "Moderate" not in body and "Hidden ideas" not in body


def test_facilitators_moderate_from_the_page_of_all_and_come_back_to_it(client, live_workshop, people, monkeypatch):
    monkeypatch.setattr(wall_prompt, "PROMPT_PAGE", 2)
    ideas = add_ideas(live_workshop, 3)
    hidden = add_ideas(live_workshop, 1, text="Names a person", hidden=True)[0]
    prompt = live_workshop.prompts.first()
    client.force_login(people[Role.FACILITATOR])
    body = client.get(wall_url(live_workshop, f"?prompt={prompt.pk}&page=2")).content.decode()
    link = wall_url(live_workshop, f"ideas/{ideas[2].pk}/?page=2")
    assert f'href="{link}">Moderate' in body and "Hidden ideas (1)" in body and "Names a person" in body
    page = client.get(link).content.decode()
    back = wall_url(live_workshop, f"?prompt={prompt.pk}&amp;page=2#ideas")
    assert f'href="{back}">Back to the ideas for this question' in page
    response = client.post(link, {"action": "hide", "hide-reason": "Off topic"})
    assert response.status_code == 302 and response.url == wall_url(live_workshop, f"?prompt={prompt.pk}&page=2#ideas")
    response = client.post(wall_url(live_workshop, f"ideas/{hidden.pk}/"), {"action": "show"})
    assert response.url == wall_url(live_workshop, f"#prompt-{prompt.pk}")


def test_the_projector_shows_the_newest_and_counts_all(client, live_workshop, people, shown):
    ideas = add_ideas(live_workshop, 4)
    prompt = live_workshop.prompts.first()
    client.force_login(people[Role.FACILITATOR])
    body = client.get(wall_url(live_workshop, "projector/")).content.decode()
    assert cards(body) == [i.pk for i in ideas[1:]] and f'data-older-ids="{ideas[0].pk}"' in body
    assert f'(<span data-count-for="{prompt.pk}">4</span>)' in body and "Moderate" not in body
