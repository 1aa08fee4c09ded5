"""The wall's pages: members add ideas without JavaScript (POST, redirect), wall.js's JSON
answers, joining by code as a guest (cookie, hash only), wrong and expired codes, the
projector's code and QR, moderation, and user text shown as text everywhere."""

import datetime as dt
import hashlib
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from compact.partnerships.models import Role
from compact.workshops import services
from compact.workshops.live.guest import cookie_name
from compact.workshops.models import Idea, Participant
from compact.workshops.services.ideas import RATE_LIMIT, idea_submit

pytestmark = pytest.mark.django_db
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def wall_url(workshop, suffix=""):
    return reverse("workshop_wall", args=[workshop.partnership.slug, workshop.process.slug, workshop.slug]) + suffix


def idea_post(workshop, text="Buy local", key=None, **extra):
    return {"prompt": workshop.prompts.first().pk, "idempotency_key": str(key or uuid.uuid4()), "text": text, **extra}


def test_a_member_adds_an_idea_without_javascript(client, live_workshop, people):
    client.force_login(people[Role.MEMBER])
    page = client.get(wall_url(live_workshop))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-module="govuk-character-count"' in body and 'data-maxlength="500"' in body
    assert live_workshop.join_code in body
    key = uuid.uuid4()
    response = client.post(wall_url(live_workshop), idea_post(live_workshop, key=key))
    assert response.status_code == 302 and response.url.endswith(f"#prompt-{live_workshop.prompts.first().pk}")
    # Pressing back and resending the same form keeps one idea.
    client.post(wall_url(live_workshop), idea_post(live_workshop, key=key))
    assert Idea.objects.count() == 1
    page = client.get(response.url).content.decode()
    assert "Your idea has been added" in page and "Your ideas" in page and "Buy local" in page


@pytest.mark.parametrize(
    ("text", "message"),
    [("   ", "Enter your idea"), ("x" * 501, "Your idea must be 500 characters or fewer")],
)
def test_bad_ideas_come_back_beside_the_box_with_the_text_kept(client, live_workshop, people, text, message):
    client.force_login(people[Role.MEMBER])
    response = client.post(wall_url(live_workshop), idea_post(live_workshop, text=text))
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body and message in body
    assert "govuk-textarea--error" in body and not Idea.objects.exists()


def test_a_closed_prompt_and_flooding_are_explained(client, live_workshop, people):
    client.force_login(people[Role.MEMBER])
    for _ in range(RATE_LIMIT):
        assert client.post(wall_url(live_workshop), idea_post(live_workshop)).status_code == 302
    body = client.post(wall_url(live_workshop), idea_post(live_workshop)).content.decode()
    assert "Wait a minute" in body
    services.prompt_close(prompt=live_workshop.prompts.first(), actor=people[Role.FACILITATOR])
    body = client.post(wall_url(live_workshop), idea_post(live_workshop)).content.decode()
    assert "is not taking ideas now" in body


def test_wall_js_gets_json(client, live_workshop, people):
    client.force_login(people[Role.MEMBER])
    ok = client.post(wall_url(live_workshop), idea_post(live_workshop), HTTP_ACCEPT="application/json")
    assert ok.status_code == 200 and ok.json()["ok"] and ok.json()["text"] == "Buy local"
    bad = client.post(wall_url(live_workshop), idea_post(live_workshop, text=""), HTTP_ACCEPT="application/json")
    assert bad.status_code == 400 and bad.json()["errors"]["text"] == ["Enter your idea"]
    garbage = client.post(wall_url(live_workshop), {"prompt": "x", "text": "y"}, HTTP_ACCEPT="application/json")
    assert garbage.status_code == 400


def test_user_text_is_escaped_on_the_wall_and_the_projector(client, live_workshop, people):
    idea_submit(workshop=live_workshop, prompt=live_workshop.prompts.first(), text=XSS, idempotency_key=uuid.uuid4(),
                actor=people[Role.MEMBER])  # fmt: skip
    client.force_login(people[Role.FACILITATOR])
    for url in (wall_url(live_workshop), wall_url(live_workshop, "projector/")):
        body = client.get(url).content.decode()
        assert "<script>alert" not in body and "<img src=x" not in body
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body


def test_observers_see_the_wall_but_cannot_add_and_outsiders_get_404(client, live_workshop, people):
    client.force_login(people[Role.OBSERVER])
    assert "Your idea" not in client.get(wall_url(live_workshop)).content.decode()
    assert client.post(wall_url(live_workshop), idea_post(live_workshop)).status_code == 403
    client.force_login(people["outsider"])
    assert client.get(wall_url(live_workshop)).status_code == 404


def test_the_projector_shows_the_code_and_a_qr_code_with_a_text_alternative(client, live_workshop, people):
    client.force_login(people[Role.FACILITATOR])
    body = client.get(wall_url(live_workshop, "projector/")).content.decode()
    assert live_workshop.join_code in body and "<svg" in body and 'aria-hidden="true"' in body
    assert f"/join/{live_workshop.join_code}/" in body and "scan this QR code" in body


def test_a_guest_joins_with_the_code_and_adds_ideas(client, live_workshop):
    assert client.get(reverse("workshop_join")).status_code == 200
    code = live_workshop.join_code
    response = client.post(reverse("workshop_join"), {"code": f" {code[:3].lower()}-{code[3:]} "})
    assert response.status_code == 302 and response.url == f"/join/{code}/"
    assert "Your name" in client.get(response.url).content.decode()
    response = client.post(response.url, {"display_name": "  ", "organisation_name": ""})
    assert "Enter your name" in response.content.decode()
    response = client.post(f"/join/{code}/", {"display_name": "Ada", "organisation_name": "Age UK Lewisham"})
    assert response.status_code == 302
    cookie = response.cookies[cookie_name(live_workshop.pk)]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    guest = Participant.objects.get(display_name="Ada")
    raw = cookie.value.split(":")[0]
    assert guest.key_hash == hashlib.sha256(raw.encode()).hexdigest() and raw not in guest.key_hash
    response = client.post(f"/join/{code}/", idea_post(live_workshop, text=XSS))
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert (idea.participant, idea.author_name, idea.organisation_name) == (guest, "Ada", "Age UK Lewisham")
    body = client.get(f"/join/{code}/").content.decode()
    assert "&lt;script&gt;" in body and "<script>alert" not in body


def test_a_forged_cookie_is_not_a_guest(client, live_workshop):
    client.cookies[cookie_name(live_workshop.pk)] = "made-up:value"
    body = client.get(f"/join/{live_workshop.join_code}/").content.decode()
    assert "Your name" in body
    # An idea from a browser that is not joined: nothing saved, nobody joined by accident, and
    # the words come back so they are not lost (wall.js gets the same as JSON).
    response = client.post(f"/join/{live_workshop.join_code}/", idea_post(live_workshop, text="Fund <b>core</b> costs"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Your idea was not sent" in body and "Fund &lt;b&gt;core&lt;/b&gt; costs" in body
    as_json = client.post(f"/join/{live_workshop.join_code}/", idea_post(live_workshop), HTTP_ACCEPT="application/json")
    assert as_json.status_code == 403 and "Your idea was not sent" in as_json.json()["errors"]["text"][0]
    assert not Idea.objects.exists() and not Participant.objects.exists()


def test_joining_is_rate_limited_per_connection(client, live_workshop, monkeypatch):
    from compact.workshops.views import live

    monkeypatch.setattr(live, "JOINS", 2)
    url = f"/join/{live_workshop.join_code}/"
    for n in range(2):
        client.cookies.clear()
        assert client.post(url, {"display_name": f"Guest {n}"}).status_code == 302
    client.cookies.clear()
    response = client.post(url, {"display_name": "Guest 3"})
    assert "Too many people have joined from this connection" in response.content.decode()
    assert Participant.objects.count() == 2


def test_words_typed_into_a_prompt_that_closed_meanwhile_come_back(client, live_workshop, people):
    client.force_login(people[Role.MEMBER])
    services.prompt_close(prompt=live_workshop.prompts.first(), actor=people[Role.FACILITATOR])
    body = client.post(wall_url(live_workshop), idea_post(live_workshop, text="Pay within 30 days")).content.decode()
    assert "is not taking ideas now" in body
    assert 'id="unsent-idea"' in body and "Pay within 30 days" in body and 'href="#unsent-idea"' in body


def test_wrong_and_expired_codes_are_explained(client, live_workshop, people):
    response = client.post(reverse("workshop_join"), {"code": "ZZZZZZ"})
    assert response.status_code == 400 and "There is no workshop with that code" in response.content.decode()
    assert client.get("/join/ZZZZZZ/").status_code == 404
    assert "Enter the workshop code" in client.post(reverse("workshop_join"), {"code": " - "}).content.decode()
    services.workshop_end(workshop=live_workshop, actor=people[Role.FACILITATOR])
    response = client.get(f"/join/{live_workshop.join_code}/")
    assert response.status_code == 410 and "not taking ideas" in response.content.decode()
    live_workshop.refresh_from_db()
    live_workshop.async_until = timezone.now() + dt.timedelta(days=1)
    live_workshop.save()
    assert client.get(f"/join/{live_workshop.join_code}/").status_code == 200


def test_members_who_follow_the_code_go_to_their_wall(client, live_workshop, people):
    client.force_login(people[Role.MEMBER])
    response = client.get(f"/join/{live_workshop.join_code}/")
    assert response.status_code == 302 and response.url == wall_url(live_workshop)


def test_facilitators_moderate_from_the_wall(client, live_workshop, people):
    prompt = live_workshop.prompts.first()
    a, b = (
        idea_submit(workshop=live_workshop, prompt=prompt, text=t, idempotency_key=uuid.uuid4(), actor=people[r])
        for t, r in [("Pay on tiem", Role.MEMBER), ("Pay on time", Role.CONVENOR)]
    )
    client.force_login(people[Role.FACILITATOR])
    table = client.post(wall_url(live_workshop), idea_post(live_workshop, text="Paper note", table_label="Table 2"))
    assert table.status_code == 302 and Idea.objects.get(text="Paper note").table_label == "Table 2"
    url = wall_url(live_workshop, f"ideas/{a.pk}/")
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "edit", "edit-text": "Pay on time!"}).status_code == 302
    a.refresh_from_db()
    assert a.text == "Pay on time!" and a.original_text == "Pay on tiem"
    assert "Enter why" in client.post(url, {"action": "hide", "hide-reason": ""}).content.decode()
    assert client.post(url, {"action": "merge", "merge-into": str(b.pk)}).status_code == 302
    a.refresh_from_db()
    assert a.merged_into == b
    url_b = wall_url(live_workshop, f"ideas/{b.pk}/")
    assert client.post(url_b, {"action": "hide", "hide-reason": "Duplicate of another"}).status_code == 302
    assert client.post(url_b, {"action": "show"}).status_code == 302
    client.force_login(people[Role.MEMBER])
    assert client.get(url).status_code == 403
