"""Every django-allauth page (account and MFA) renders inside Compact's GOV.UK layout.

The templates are in compact/templates/allauth/ (layouts/ and elements/, helpers in govuk/).
Each page must: return 200, use our base template (skip link, GOV.UK heading), have a unique
<title> of the form "Page – Compact", and keep allauth's own features (CSRF, hidden inputs,
"Forgot your password?", "Send me a sign-in code")."""

import html
import re

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.urls import reverse

pytestmark = [pytest.mark.django_db]

PASSWORD = "a-long-Passphrase-42"
EMAIL = "sam@example.org"


def title_of(content: str) -> str:
    match = re.search(r"<title>(.*?)</title>", content, re.S)
    assert match, "no <title>"
    return " ".join(html.unescape(match.group(1)).split())


def assert_govuk_page(response, status=200):
    assert response.status_code == status, response.status_code
    content = response.content.decode()
    assert "Skip to main content" in content
    assert 'class="govuk-heading-l' in content
    assert 'id="main-content"' in content
    title = title_of(content)
    assert title.endswith(" – Compact"), title
    assert not title.startswith(" – "), title
    # Our markup, not allauth's bare defaults.
    assert "Menu:" not in content
    return content


@pytest.fixture
def user(django_user_model):
    user = django_user_model.objects.create_user(email=EMAIL, password=PASSWORD, full_name="Sam Jones")
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    return user


def sign_in(client, email=EMAIL, password=PASSWORD):
    """Sign in through allauth's form, so the session records how (needed by reauthentication)."""
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def reauthenticate(client, password=PASSWORD):
    """Confirm the password again, as allauth asks before changing two-factor settings."""
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.fixture
def signed_in(client, user):
    sign_in(client)
    reauthenticate(client)
    return client


TOTP_SECRET = generate_totp_secret()


def current_totp_code():
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(TOTP_SECRET, counters[len(counters) // 2]))


@pytest.fixture
def totp_user(user):
    TOTP.activate(user, TOTP_SECRET)
    RecoveryCodes.activate(user)
    return user


ANONYMOUS_PAGES = [
    ("account_login", "Sign in – Compact"),
    ("account_signup", "Create an account – Compact"),
    ("account_request_login_code", "Get a sign-in code by email – Compact"),
    ("account_reset_password", "Reset your password – Compact"),
    ("account_reset_password_done", "Check your email for a reset link – Compact"),
    ("account_reset_password_from_key_done", "Your password has been changed – Compact"),
    ("account_inactive", "This account is not active – Compact"),
]


@pytest.mark.parametrize(("url_name", "title"), ANONYMOUS_PAGES)
def test_anonymous_pages_use_the_govuk_layout(client, url_name, title):
    content = assert_govuk_page(client.get(reverse(url_name)))
    assert title_of(content) == title


SIGNED_IN_PAGES = [
    ("account_email", "Your email addresses – Compact"),
    ("account_change_password", "Change your password – Compact"),
    ("account_logout", "Sign out – Compact"),
    ("account_reauthenticate", "Enter your password to continue – Compact"),
    ("mfa_index", "Two-factor authentication – Compact"),
    ("mfa_activate_totp", "Set up an authenticator app – Compact"),
]
# Pages in allauth's "manage" layout get the account settings menu.
MANAGE_PAGES = {"account_email", "account_change_password", "account_logout", "mfa_index", "mfa_activate_totp"}


@pytest.mark.parametrize(("url_name", "title"), SIGNED_IN_PAGES)
def test_account_pages_use_the_govuk_layout(signed_in, url_name, title):
    content = assert_govuk_page(signed_in.get(reverse(url_name)))
    assert title_of(content) == title
    # Account settings have their own menu, marked up as navigation.
    assert ('aria-label="Account settings menu"' in content) == (url_name in MANAGE_PAGES)


def test_authenticator_app_set_up_page(signed_in):
    content = assert_govuk_page(signed_in.get(reverse("mfa_activate_totp")))
    assert 'alt="QR code to scan with your authenticator app"' in content
    assert "Key for your authenticator app" in content
    assert 'autocomplete="one-time-code"' in content


def test_set_password_page(client, django_user_model):
    user = django_user_model.objects.create_user(email="nopass@example.org", password=None, full_name="No Pass")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    content = assert_govuk_page(client.get(reverse("account_set_password")))
    assert title_of(content) == "Create a password – Compact"
    assert 'autocomplete="new-password"' in content


def test_pages_for_people_with_an_authenticator_app(client, totp_user):
    sign_in(client)
    response = client.get(reverse("mfa_authenticate"))
    content = assert_govuk_page(response)
    assert title_of(content) == "Enter the code from your authenticator app – Compact"
    assert 'autocomplete="one-time-code"' in content
    assert 'id="logout-from-stage"' in content  # allauth's Cancel still works

    # A wrong code gets a GOV.UK error.
    content = client.post(reverse("mfa_authenticate"), {"code": "000000x"}).content.decode()
    assert 'class="govuk-error-summary"' in content
    assert "The code is not correct" in content

    # Finish signing in with a current code from the app, then confirm it's you again.
    response = client.post(reverse("mfa_authenticate"), {"code": current_totp_code()})
    assert response.status_code == 302, response.content.decode()[:2000]
    reauthenticate(client)

    for url_name, title in [
        ("mfa_index", "Two-factor authentication – Compact"),
        ("mfa_deactivate_totp", "Turn off your authenticator app – Compact"),
        ("mfa_view_recovery_codes", "Your recovery codes – Compact"),
        ("mfa_generate_recovery_codes", "Create new recovery codes – Compact"),
        ("mfa_reauthenticate", "Enter your authenticator code to continue – Compact"),
    ]:
        content = assert_govuk_page(client.get(reverse(url_name)))
        assert title_of(content) == title, url_name

    download = client.get(reverse("mfa_download_recovery_codes"))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/plain")


def test_recovery_codes_page_lists_codes_in_a_labelled_field(client, totp_user):
    sign_in(client)
    client.post(reverse("mfa_authenticate"), {"code": current_totp_code()})
    reauthenticate(client)
    content = assert_govuk_page(client.get(reverse("mfa_view_recovery_codes")))
    assert '<label class="govuk-label govuk-label--s" for="recovery_codes">' in content
    assert 'class="govuk-textarea govuk-!-width-one-third"' in content
    assert "You have 10 of your 10 recovery codes left" in content


def test_login_page_keeps_allauth_features(client):
    content = assert_govuk_page(client.get(reverse("account_login") + "?next=/somewhere/"))
    assert "csrfmiddlewaretoken" in content
    assert 'name="next" value="/somewhere/"' in content  # redirect_field
    assert "Send me a sign-in code" in content
    assert reverse("account_request_login_code") in content
    assert "Forgot your password?" in content
    assert f'href="{reverse("account_reset_password")}"' in content
    # GOV.UK form markup, with autocomplete and labels that say what to type.
    assert 'class="govuk-input' in content
    assert 'autocomplete="email"' in content
    assert 'autocomplete="current-password"' in content
    assert '<label class="govuk-label" for="id_login">Email address</label>' in content
    assert 'data-module="govuk-password-input"' in content
    assert 'class="govuk-checkboxes__input"' in content
    assert 'class="govuk-button"' in content


def test_failed_login_shows_govuk_error_summary_and_keeps_email(client, user):
    response = client.post(reverse("account_login"), {"login": "Sam@Example.org", "password": "wrong-password"})
    assert response.status_code == 200
    content = response.content.decode()
    assert title_of(content) == "Error: Sign in – Compact"
    assert 'class="govuk-error-summary"' in content
    assert 'role="alert"' in content
    summary = content.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    assert '<a href="#id_login">' in summary
    assert "The email address or password is not correct" in summary
    # What they typed is still there (the password is not).
    assert 'value="Sam@Example.org"' in content
    assert "wrong-password" not in content


def test_missing_fields_get_messages_next_to_them(client):
    response = client.post(reverse("account_login"), {"login": "", "password": ""})
    content = response.content.decode()
    assert 'class="govuk-form-group govuk-form-group--error"' in content
    assert '<p id="id_login-error" class="govuk-error-message">' in content
    assert '<span class="govuk-visually-hidden">Error:</span> Enter your email address' in content
    assert 'aria-describedby="id_login-error"' in content
    assert "Enter your password" in content
    assert 'class="govuk-input govuk-input--error"' in content


def test_successful_login_redirects(client, user):
    response = client.post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_signup_with_full_name_creates_user(client, django_user_model):
    content = assert_govuk_page(client.get(reverse("account_signup")))
    assert 'autocomplete="name"' in content
    assert 'autocomplete="new-password"' in content
    assert "Full name" in content
    response = client.post(
        reverse("account_signup"),
        {"email": "new.person@example.org", "full_name": "New Person", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == reverse("account_email_verification_sent")
    new_user = django_user_model.objects.get(email="new.person@example.org")
    assert new_user.full_name == "New Person"
    content = assert_govuk_page(client.get(response["Location"]))
    assert title_of(content) == "Check your email – Compact"
    assert len(mail.outbox) == 1


def test_signup_errors_use_govuk_markup(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "not-an-email", "full_name": "", "password1": PASSWORD, "password2": PASSWORD + "x"},
    )
    content = assert_govuk_page(response)
    assert "Enter an email address in the correct format, like name@example.com" in content
    assert "Enter your full name" in content
    assert "The passwords you entered do not match" in content
    assert 'value="not-an-email"' in content
    assert PASSWORD not in content


def test_confirm_login_code_page_title(client, user):
    client.post(reverse("account_request_login_code"), {"email": EMAIL})
    content = client.get(reverse("account_confirm_login_code")).content.decode()
    assert title_of(content) == "Enter your sign-in code – Compact"


def test_login_by_code_pages(client, user):
    response = client.post(reverse("account_request_login_code"), {"email": EMAIL})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_confirm_login_code")
    response = client.get(reverse("account_confirm_login_code"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Skip to main content" in content
    assert '<h1 class="govuk-heading-l' in content and "Enter your sign-in code</h1>" in content
    assert 'autocomplete="one-time-code"' in content
    assert 'id="resend"' in content

    response = client.post(reverse("account_confirm_login_code"), {"code": "WRONG1"})
    content = response.content.decode()
    assert 'class="govuk-error-summary"' in content
    assert "The code is not correct" in content


def test_password_reset_from_key_pages(client, user):
    url = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    response = client.get(url, follow=True)
    content = assert_govuk_page(response)
    assert title_of(content) == "Choose a new password – Compact"
    assert 'autocomplete="new-password"' in content

    bad = reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": "bad-key"})
    content = assert_govuk_page(client.get(bad))
    assert title_of(content) == "Your reset link has expired or been used – Compact"


def test_email_confirmation_page(client, django_user_model):
    new_user = django_user_model.objects.create_user(email="pending@example.org", password=PASSWORD)
    address = EmailAddress.objects.create(user=new_user, email=new_user.email, verified=False, primary=True)
    key = EmailConfirmationHMAC(address).key
    content = assert_govuk_page(client.get(reverse("account_confirm_email", args=[key])))
    assert title_of(content) == "Confirm your email address – Compact"
    assert 'class="govuk-button"' in content

    content = assert_govuk_page(client.get(reverse("account_confirm_email", args=["not-a-key"])))
    assert "The link may have expired, or it may have been used already" in content


def test_email_page_lists_addresses_as_radios_with_text_labels(signed_in):
    content = assert_govuk_page(signed_in.get(reverse("account_email")))
    assert 'class="govuk-radios__input"' in content
    assert '<legend class="govuk-fieldset__legend' in content
    assert "Confirmed" in content and "Main address" in content  # status in words, not colour only
    assert 'class="govuk-button govuk-button--warning"' in content


def test_password_reset_when_signed_in_shows_a_notification_banner(signed_in):
    content = assert_govuk_page(signed_in.get(reverse("account_reset_password")))
    assert 'class="govuk-notification-banner"' in content
    assert "You are already logged in as" in content


def test_page_titles_are_unique():
    titles = [title for _, title in ANONYMOUS_PAGES + SIGNED_IN_PAGES]
    assert len(titles) == len(set(titles))


def test_signup_can_be_closed_by_setting(client, settings):
    settings.ACCOUNT_SIGNUP_OPEN = False
    response = client.get(reverse("account_signup"))
    assert title_of(response.content.decode()) == "You cannot create an account at the moment – Compact"
    client.post(
        reverse("account_signup"),
        {"email": "new@example.org", "full_name": "New Person", "password1": PASSWORD, "password2": PASSWORD},
    )
    from compact.accounts.models import User

    assert not User.objects.filter(email="new@example.org").exists()
