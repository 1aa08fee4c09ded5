"""CSRF, sign-in rate limits, production settings, secure cookies, and that people see only
their own partnerships."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management.utils import get_random_secret_key
from django.test import Client
from django.urls import reverse

from compact.partnerships.models import Body, Role
from tests.factories import PASSWORD, PartnershipFactory, ProcessFactory, UserFactory, invitation_for, member

BASE_DIR = Path(__file__).resolve().parent.parent
LOGIN = "/accounts/login/"


# CSRF -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_posts_without_a_csrf_token_are_refused(partnership, people, process):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["convenor"])
    for url, data in [
        (reverse("body_create", args=[partnership.slug]), {"name": "Board", "kind": "governance"}),
        (reverse("partnership_create"), {"name": "New", "brand_colour": "#1d4f7a"}),
        (reverse("stage_start", args=[partnership.slug, process.slug, process.stages.first().pk]), {}),
        (reverse("account_logout"), {}),
    ]:
        assert client.post(url, data).status_code == 403, url
    assert not Body.objects.exists()
    assert process.stages.first().status == "planned"


@pytest.mark.django_db
def test_the_same_post_with_the_token_from_the_form_works(partnership, people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["convenor"])
    url = reverse("body_create", args=[partnership.slug])
    token = client.get(url).context["csrf_token"]
    response = client.post(url, {"name": "Board", "kind": "governance", "csrfmiddlewaretoken": str(token)})
    assert response.status_code == 302
    assert Body.objects.filter(name="Board").exists()


@pytest.mark.django_db
def test_sign_in_and_invitation_forms_need_the_token_too(partnership, people):
    client = Client(enforce_csrf_checks=True)
    UserFactory(email="lee@example.org")
    assert client.post(LOGIN, {"login": "lee@example.org", "password": PASSWORD}).status_code == 403
    _, token = invitation_for(partnership, by=people["convenor"], email="new@example.org")
    response = client.post(
        reverse("invitation_accept", args=[token]),
        {"full_name": "New", "password1": "plum-orchard-lantern", "password2": "plum-orchard-lantern"},
    )
    assert response.status_code == 403
    assert not partnership.memberships.filter(user__email="new@example.org").exists()


# Sign-in rate limit ---------------------------------------------------------------------------


def _signed_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_repeated_failed_sign_ins_lock_the_account_for_a_while(client):
    UserFactory(email="target@example.org")
    for _ in range(5):
        response = client.post(LOGIN, {"login": "target@example.org", "password": "wrong-guess"})
        assert response.status_code == 200
        assert not _signed_in(client)
    # The next try is refused even with the right password.
    response = client.post(LOGIN, {"login": "target@example.org", "password": PASSWORD})
    assert not _signed_in(client)
    text = response.content.decode().lower()
    assert response.status_code == 429 or "too many" in text
    if response.status_code == 200:
        assert "there is a problem" in text  # shown as a GOV.UK error, not a crash


@pytest.mark.django_db
def test_the_lock_is_per_account(client):
    UserFactory(email="target@example.org")
    UserFactory(email="bystander@example.org")
    for _ in range(5):
        client.post(LOGIN, {"login": "target@example.org", "password": "wrong-guess"})
    response = client.post(LOGIN, {"login": "bystander@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert _signed_in(client)


@pytest.mark.django_db
def test_sign_in_does_not_redirect_off_site(client):
    UserFactory(email="lee@example.org")
    response = client.post(f"{LOGIN}?next=https://evil.example/", {"login": "lee@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


# Production settings ----------------------------------------------------------------------

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.core.management import call_command
call_command("check", "--deploy", "--fail-level", "WARNING")
names = ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SECURE_SSL_REDIRECT",
         "SECURE_HSTS_SECONDS", "DEBUG", "ALLOWED_HOSTS", "X_FRAME_OPTIONS"]
print("SETTINGS=" + json.dumps({n: getattr(settings, n) for n in names}))
"""


@pytest.fixture(scope="module")
def production():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "DATABASE_URL", "REDIS_URL", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"}
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        # Starts with "$" on purpose: django-environ would read that as a reference to another
        # variable, and generated keys often start with it.
        "SECRET_KEY": "$" + get_random_secret_key()[1:],
        "ALLOWED_HOSTS": "compact.example.org",
    }
    assert len(env["SECRET_KEY"]) == 50
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    found = [line for line in result.stdout.splitlines() if line.startswith("SETTINGS=")]
    return result, json.loads(found[0].removeprefix("SETTINGS=")) if found else {}


def test_production_settings_pass_the_deploy_check(production):
    result, _ = production
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr


def test_production_settings_are_locked_down(production):
    _, values = production
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["compact.example.org"]
    assert values["X_FRAME_OPTIONS"] == "DENY"


@pytest.mark.django_db
def test_cookies_are_sent_secure_with_production_cookie_settings(client, settings, production):
    _, values = production
    settings.SESSION_COOKIE_SECURE = values["SESSION_COOKIE_SECURE"]
    settings.CSRF_COOKIE_SECURE = values["CSRF_COOKIE_SECURE"]
    UserFactory(email="lee@example.org")
    page = client.get(LOGIN)
    assert page.cookies["csrftoken"]["secure"] is True
    response = client.post(LOGIN, {"login": "lee@example.org", "password": PASSWORD})
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


# Isolation --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_dashboard_shows_only_your_own_partnerships(client, partnership, people, process):
    other = PartnershipFactory(name="North Central London", slug="north-central-london")
    stranger = member(other, Role.CONVENOR)
    ProcessFactory(partnership=other, title="NCL Secret Strategy")
    invitation_for(other, by=stranger, email="somebody-else@example.org")

    client.force_login(people["member"])
    text = client.get("/dashboard/").content.decode()
    assert "South East London" in text and "SEL VCSE Charter" in text
    assert "North Central London" not in text
    assert "NCL Secret Strategy" not in text
    assert reverse("partnership_detail", args=[other.slug]) not in text

    client.force_login(stranger)
    text = client.get("/dashboard/").content.decode()
    assert "North Central London" in text and "NCL Secret Strategy" in text
    assert "South East London" not in text and "SEL VCSE Charter" not in text

    client.force_login(people["outsider"])
    text = client.get("/dashboard/").content.decode()
    for name in ["South East London", "SEL VCSE Charter", "North Central London", "NCL Secret Strategy"]:
        assert name not in text


@pytest.mark.django_db
def test_dashboard_shows_invitations_only_for_your_own_email(client, partnership, people):
    other = PartnershipFactory(name="North Central London")
    invitation_for(other, by=member(other, Role.CONVENOR), email=people["outsider"].email)
    invitation_for(partnership, by=people["convenor"], email="someone-else@example.org")
    client.force_login(people["outsider"])
    text = client.get("/dashboard/").content.decode()
    assert "You are invited to join <strong>North Central London</strong>" in text
    assert "South East London" not in text


def test_production_refuses_to_start_without_a_real_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "ALLOWED_HOSTS": "compact.example.org",
        "SECRET_KEY": "short",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY to a random value of at least 50 characters" in result.stderr
