"""Process pages, the dashboard, the partnership overview and the public pages: who reaches
what, and that each form and button does what the person expects."""

import html
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from compact.activity.models import AuditEntry
from compact.partnerships.models import Role
from compact.processes.models import Process, Stage, StageKind, StageStatus
from tests.factories import PartnershipFactory, ProcessFactory, days_from_today, member

pytestmark = pytest.mark.django_db

ALL_ROLES = list(Role.values)
CONVENOR = [Role.CONVENOR]
ORGANISERS = [Role.CONVENOR, Role.FACILITATOR]


def body_text(response):
    return html.unescape(response.content.decode())


def plain(response):
    """The page's text without tags, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def stage(process, kind):
    return process.stages.get(kind=kind)


def page_urls(slug, process_slug):
    return [
        ("partnership_detail", reverse("partnership_detail", args=[slug]), ALL_ROLES),
        ("process_create", reverse("process_create", args=[slug]), CONVENOR),
        ("process_detail", reverse("process_detail", args=[slug, process_slug]), ALL_ROLES),
        ("process_edit", reverse("process_edit", args=[slug, process_slug]), CONVENOR),
        ("timeline_edit", reverse("timeline_edit", args=[slug, process_slug]), ORGANISERS),
        ("process_settings", reverse("process_settings", args=[slug, process_slug]), CONVENOR),
    ]


def post_urls(slug, process_slug, stage_id):
    return [
        ("process_create", reverse("process_create", args=[slug]), CONVENOR),
        ("process_edit", reverse("process_edit", args=[slug, process_slug]), CONVENOR),
        ("timeline_edit", reverse("timeline_edit", args=[slug, process_slug]), ORGANISERS),
        ("process_settings", reverse("process_settings", args=[slug, process_slug]), CONVENOR),
        ("stage_start", reverse("stage_start", args=[slug, process_slug, stage_id]), CONVENOR),
        ("stage_finish", reverse("stage_finish", args=[slug, process_slug, stage_id]), CONVENOR),
    ]


POST_ONLY = {"stage_start", "stage_finish"}


# Public and personal pages --------------------------------------------------------------


def test_home_is_public_and_signed_in_people_go_to_their_dashboard(client, people):
    response = client.get("/")
    assert response.status_code == 200
    assert "Sign in" in body_text(response)
    client.force_login(people["member"])
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")


def test_accessibility_statement_is_public(client, people):
    assert client.get("/accessibility/").status_code == 200
    client.force_login(people["outsider"])
    assert client.get("/accessibility/").status_code == 200


def test_dashboard_needs_sign_in(client, people):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/dashboard/"
    client.force_login(people["outsider"])
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert "You are not in a partnership yet" in body_text(response)


def test_dashboard_lists_partnerships_processes_and_what_needs_attention(client, partnership, people, process):
    s = stage(process, StageKind.LEADERSHIP)
    Stage.objects.filter(pk=s.pk).update(
        status=StageStatus.ACTIVE, starts_on=days_from_today(-10), ends_on=days_from_today(3)
    )
    overdue = ProcessFactory(partnership=partnership, title="Strategy 2025", stages=[StageKind.DRAFTING])
    Stage.objects.filter(process=overdue).update(
        status=StageStatus.ACTIVE, starts_on=days_from_today(-20), ends_on=days_from_today(-2)
    )
    ProcessFactory(partnership=partnership, title="Undated compact", stages=[StageKind.WORKSHOPS])
    client.force_login(people["convenor"])
    text = plain(client.get("/dashboard/"))
    assert "South East London" in text and "Convenor" in text
    assert "SEL VCSE Charter" in text and "now: Leadership group" in text
    assert "Ending soon" in text and "Overdue" in text
    assert "Strategy 2025" in text and "The timeline has no dates yet" in text
    # Members do not get the 'no dates' to-do: they cannot set dates.
    client.force_login(people["member"])
    assert "The timeline has no dates yet" not in body_text(client.get("/dashboard/"))


# Access ---------------------------------------------------------------------------------


def test_anonymous_people_are_sent_to_sign_in(client, partnership, process):
    login = reverse("account_login")
    s = process.stages.first()
    for name, url, _ in page_urls(partnership.slug, process.slug) + post_urls(partnership.slug, process.slug, s.pk):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (name, method)
            assert response["Location"].startswith(f"{login}?next="), (name, method)
    assert Process.objects.count() == 1


def test_outsider_gets_404_everywhere_even_for_a_process_that_exists(client, partnership, people, process):
    client.force_login(people["outsider"])
    s = process.stages.first()
    for name, url, _ in page_urls(partnership.slug, process.slug):
        response = client.get(url)
        assert response.status_code == 404, name
        assert "SEL VCSE Charter" not in body_text(response)
    for name, url, _ in post_urls(partnership.slug, process.slug, s.pk):
        assert (
            client.post(url, {"title": "Hijacked", "kind": "charter", "stage_kinds": ["drafting"]}).status_code == 404
        ), name
        if name in POST_ONLY:
            # GET is refused the same way whether or not the partnership exists.
            fake = url.replace(partnership.slug, "no-such-partnership")
            assert client.get(url).status_code == client.get(fake).status_code == 405
    s.refresh_from_db()
    assert s.status == StageStatus.PLANNED
    assert AuditEntry.objects.count() == 0
    assert Process.objects.count() == 1


def test_process_of_another_partnership_is_404_through_your_own(client, partnership, people, process):
    other = PartnershipFactory(name="Elsewhere", slug="elsewhere")
    their_convenor = member(other, Role.CONVENOR)
    client.force_login(their_convenor)
    for name, url, _ in page_urls(other.slug, process.slug):
        if name != "partnership_detail" and name != "process_create":
            assert client.get(url).status_code == 404, name
    assert (
        client.post(reverse("stage_start", args=[other.slug, process.slug, process.stages.first().pk])).status_code
        == 404
    )


def test_stage_of_another_process_is_404(client, partnership, people, process):
    other = ProcessFactory(partnership=partnership)
    client.force_login(people["convenor"])
    foreign = other.stages.first()
    assert client.post(reverse("stage_start", args=[partnership.slug, process.slug, foreign.pk])).status_code == 404
    assert client.post(reverse("stage_finish", args=[partnership.slug, process.slug, foreign.pk])).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == StageStatus.PLANNED


def test_unknown_process_is_404(client, partnership, people):
    client.force_login(people["convenor"])
    assert client.get(reverse("process_detail", args=[partnership.slug, "nope"])).status_code == 404


@pytest.mark.parametrize("index", range(6))
def test_each_role_gets_200_or_a_friendly_403(client, partnership, people, process, index):
    name, url, allowed = page_urls(partnership.slug, process.slug)[index]
    for role in ALL_ROLES:
        client.force_login(people[role])
        response = client.get(url)
        if role in allowed:
            assert response.status_code == 200, (name, role)
        else:
            assert response.status_code == 403, (name, role)
            assert "You cannot do this" in body_text(response)


def test_roles_without_the_right_get_403_on_every_post(client, partnership, people, process):
    s = stage(process, StageKind.LEADERSHIP)
    Stage.objects.filter(pk=s.pk).update(status=StageStatus.ACTIVE)
    for name, url, allowed in post_urls(partnership.slug, process.slug, s.pk):
        for role in ALL_ROLES:
            if role in allowed:
                continue
            client.force_login(people[role])
            response = client.post(
                url, {"title": "Changed", "kind": "charter", "stage_kinds": ["drafting"], "features": []}
            )
            assert response.status_code == 403, (name, role)
            assert "You cannot do this" in body_text(response)
    assert AuditEntry.objects.count() == 0
    assert Process.objects.count() == 1
    process.refresh_from_db()
    assert process.title == "SEL VCSE Charter"


def test_allowed_roles_can_use_stage_buttons(client, partnership, people, process):
    client.force_login(people["convenor"])
    s = stage(process, StageKind.LEADERSHIP)
    assert client.post(reverse("stage_start", args=[partnership.slug, process.slug, s.pk])).status_code == 302
    assert client.post(reverse("stage_finish", args=[partnership.slug, process.slug, s.pk])).status_code == 302


def test_stage_decides_what_is_allowed(client, partnership, people, process):
    """Editing the purpose stops after drafting unless the settings open it; nothing is
    editable once every stage is finished."""
    client.force_login(people["convenor"])
    edit = reverse("process_edit", args=[partnership.slug, process.slug])
    consultation = stage(process, StageKind.CONSULTATION)
    Stage.objects.filter(pk=consultation.pk).update(status=StageStatus.ACTIVE)
    response = client.get(edit)
    assert response.status_code == 403
    assert "the stage this process is at" in body_text(response)
    assert "Edit title and purpose" not in body_text(
        client.get(reverse("process_detail", args=[partnership.slug, process.slug]))
    )

    client.post(
        reverse("process_settings", args=[partnership.slug, process.slug]), {"features": ["processes.edit_purpose"]}
    )
    assert client.get(edit).status_code == 200

    Stage.objects.filter(process=process).update(status=StageStatus.DONE)
    assert client.get(reverse("timeline_edit", args=[partnership.slug, process.slug])).status_code == 403
    assert (
        client.post(reverse("stage_start", args=[partnership.slug, process.slug, consultation.pk])).status_code == 403
    )


# Forms ----------------------------------------------------------------------------------


def test_create_process(client, partnership, people):
    client.force_login(people["convenor"])
    response = client.post(
        reverse("process_create", args=[partnership.slug]),
        {
            "title": "Lambeth VCSE Strategy",
            "kind": "strategy",
            "purpose_summary": "Why we are doing this.",
            "stage_kinds": ["drafting", "leadership", "sign_off"],
        },
        follow=True,
    )
    process = Process.objects.get(title="Lambeth VCSE Strategy")
    assert response.redirect_chain == [(reverse("timeline_edit", args=[partnership.slug, process.slug]), 302)]
    assert "Lambeth VCSE Strategy has been created. Next, set the dates of its stages." in body_text(response)
    assert (process.slug, process.kind, process.created_by) == ("lambeth-vcse-strategy", "strategy", people["convenor"])
    assert [s.kind for s in process.stages.order_by("position")] == ["leadership", "drafting", "sign_off"]
    assert AuditEntry.objects.filter(action="process.create", partnership_id=partnership.pk).count() == 1


def test_same_title_twice_gets_a_new_slug(client, partnership, people, process):
    client.force_login(people["convenor"])
    client.post(
        reverse("process_create", args=[partnership.slug]),
        {"title": "SEL VCSE Charter", "kind": "charter", "stage_kinds": ["drafting"]},
    )
    assert set(partnership.processes.values_list("slug", flat=True)) == {"sel-vcse-charter", "sel-vcse-charter-2"}


def test_edit_process(client, partnership, people, process):
    """The fixture's process has no created_by, as when its author's account is gone."""
    assert process.created_by is None
    client.force_login(people["convenor"])
    response = client.post(
        reverse("process_edit", args=[partnership.slug, process.slug]),
        {
            "title": "SEL VCSE Compact",
            "kind": "compact",
            "purpose_summary": "Updated purpose",
        },
        follow=True,
    )
    assert response.redirect_chain == [(reverse("process_detail", args=[partnership.slug, process.slug]), 302)]
    assert "Process details saved." in body_text(response)
    process.refresh_from_db()
    assert (process.title, process.kind, process.purpose_summary) == ("SEL VCSE Compact", "compact", "Updated purpose")
    assert process.slug == "sel-vcse-charter"  # links keep working
    assert AuditEntry.objects.get(action="process.update").changes["title"] == ["SEL VCSE Charter", "SEL VCSE Compact"]


def timeline_data(process, dates=None, titles=None):
    """Form data for every stage: dates[kind] = (start, end) as ISO strings."""
    dates, titles = dates or {}, titles or {}
    data = {}
    for s in process.stages.all():
        start, end = dates.get(s.kind, ("", ""))
        data |= {
            f"stage_{s.pk}_starts_on": start,
            f"stage_{s.pk}_ends_on": end,
            f"stage_{s.pk}_title": titles.get(s.kind, ""),
        }
    return data


def test_edit_timeline(client, partnership, people, process):
    client.force_login(people["facilitator"])
    url = reverse("timeline_edit", args=[partnership.slug, process.slug])
    data = timeline_data(
        process,
        {
            "leadership": ("2027-01-04", "2027-02-26"),
            "workshops": ("2027-03-01", "2027-04-30"),
        },
        {"workshops": "Community workshops"},
    )
    response = client.post(url, data, follow=True)
    assert response.redirect_chain == [(reverse("process_detail", args=[partnership.slug, process.slug]), 302)]
    assert "Timeline saved." in body_text(response)
    leadership, workshops = stage(process, "leadership"), stage(process, "workshops")
    assert (str(leadership.starts_on), str(leadership.ends_on)) == ("2027-01-04", "2027-02-26")
    assert workshops.title == "Community workshops"
    assert "Community workshops" in body_text(response)
    assert AuditEntry.objects.filter(action="process.timeline_update").count() == 1
    # The form shows the saved dates back.
    page = client.get(url).content.decode()
    assert 'value="2027-01-04"' in page


def test_start_and_finish_stages(client, partnership, people, process):
    client.force_login(people["convenor"])
    detail = reverse("process_detail", args=[partnership.slug, process.slug])
    leadership, evidence = stage(process, "leadership"), stage(process, "evidence")

    response = client.post(reverse("stage_start", args=[partnership.slug, process.slug, leadership.pk]), follow=True)
    assert response.redirect_chain == [(detail, 302)]
    assert "Leadership group has started." in body_text(response)
    assert "Now: Leadership group" in plain(response)

    response = client.post(reverse("stage_start", args=[partnership.slug, process.slug, evidence.pk]), follow=True)
    assert "Evidence and case studies has started." in body_text(response)
    statuses = dict(process.stages.values_list("kind", "status"))
    assert statuses["leadership"] == StageStatus.DONE
    assert statuses["workshops"] == StageStatus.SKIPPED
    assert statuses["evidence"] == StageStatus.ACTIVE

    response = client.post(reverse("stage_finish", args=[partnership.slug, process.slug, evidence.pk]), follow=True)
    assert response.redirect_chain == [(detail, 302)]
    assert "Evidence and case studies is done." in body_text(response)
    assert stage(process, "evidence").status == StageStatus.DONE

    # Finishing a stage that is not in progress, or restarting one, explains why not.
    response = client.post(reverse("stage_finish", args=[partnership.slug, process.slug, evidence.pk]), follow=True)
    assert "Evidence and case studies is not in progress." in body_text(response)
    response = client.post(reverse("stage_start", args=[partnership.slug, process.slug, leadership.pk]), follow=True)
    assert "Leadership group has already started." in body_text(response)
    assert [e.action for e in AuditEntry.objects.order_by("id")] == [
        "process.stage_start",
        "process.stage_start",
        "process.stage_finish",
    ]


def test_process_settings(client, partnership, people, process):
    client.force_login(people["convenor"])
    url = reverse("process_settings", args=[partnership.slug, process.slug])
    response = client.post(url, {"features": ["processes.edit_purpose"]}, follow=True)
    assert response.redirect_chain == [(reverse("process_detail", args=[partnership.slug, process.slug]), 302)]
    assert "Settings saved." in body_text(response)
    process.refresh_from_db()
    assert process.feature_settings == {"processes.edit_purpose": True}
    assert re.search(r'value="processes.edit_purpose"\s+checked', client.get(url).content.decode())
    # Unticking every box: a browser still sends the CSRF token, so the form is bound.
    client.post(url, {"csrfmiddlewaretoken": "sent-by-every-browser"})
    process.refresh_from_db()
    assert process.feature_settings == {}


def test_partnership_overview(client, partnership, people, process):
    s = stage(process, StageKind.WORKSHOPS)
    Stage.objects.filter(pk=s.pk).update(status=StageStatus.ACTIVE)
    for role in ALL_ROLES:
        client.force_login(people[role])
        response = client.get(reverse("partnership_detail", args=[partnership.slug]))
        text = plain(response)
        assert "SEL VCSE Charter" in text and "now: Workshops" in text
        assert "4 people" in text
        assert ("Start a process" in text) == (role == Role.CONVENOR)
        assert ("Edit partnership details" in text) == (role == Role.CONVENOR)
        assert ("Create a group" in text) == (role == Role.CONVENOR)


def test_process_page_shows_buttons_only_to_those_who_can_use_them(client, partnership, people, process):
    url = reverse("process_detail", args=[partnership.slug, process.slug])
    expectations = SimpleNamespace(
        timeline={Role.CONVENOR, Role.FACILITATOR},
        start={Role.CONVENOR},
        settings={Role.CONVENOR},
    )
    for role in ALL_ROLES:
        client.force_login(people[role])
        text = body_text(client.get(url))
        assert ("Set stage dates" in text) == (role in expectations.timeline), role
        assert ("Start leadership group" in text) == (role in expectations.start), role
        assert ("Stage settings" in text) == (role in expectations.settings), role
