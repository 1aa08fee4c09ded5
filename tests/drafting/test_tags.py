"""The partnership's framework tags: the page that lists them by framework with how many
commitments carry each; adding one (with clear errors), adding the standard set, renaming and
removing (after a page that says how many commitments lose it); who may do each, in every
stage; and what commitments and saved versions show afterwards."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compact.activity.models import AuditEntry
from compact.drafting import services
from compact.drafting.models import Framework, FrameworkTag, Version
from compact.drafting.services import tags as tag_services
from compact.partnerships.models import Role

from ..factories import ERROR_SUMMARY, PartnershipFactory, field_errors, messages_shown
from .conftest import add_commitment, page, set_stage

pytestmark = pytest.mark.django_db

TAKEN = "This partnership already has a tag called “{}” under Local priority"
TOO_LONG = "The tag's name must be 120 characters or fewer (it has {})"
STANDARD_COUNT = sum(len(names) for names in tag_services.STANDARD_TAGS.values())


def tags_url(partnership) -> str:
    return reverse("framework_tags", args=[partnership.slug])


def tag_url(name: str, tag) -> str:
    return reverse(name, args=[tag.partnership.slug, tag.pk])


def tag(partnership, name="Anchor spending", framework=Framework.LOCAL) -> FrameworkTag:
    return FrameworkTag.objects.create(partnership=partnership, framework=framework, name=name)


def names(partnership) -> list[tuple[str, str]]:
    return list(FrameworkTag.objects.filter(partnership=partnership).values_list("framework", "name"))


@pytest.fixture
def local(partnership):
    return tag(partnership)


@pytest.fixture
def tagged(document, areas, convenor, local):
    """Two commitments carrying the local tag, and a third that carried it and was removed."""
    first = add_commitment(document, convenor, areas[0], statement="We will pay within 30 days.", tags=[local])
    add_commitment(document, convenor, areas[1], statement="We will buy locally.", tags=[local])
    gone = add_commitment(document, convenor, areas[1], statement="We will stop.", tags=[local])
    services.block_remove(block=gone, actor=convenor, lock_version=gone.lock_version)
    return first


# --- the services ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "framework, name, field, message",
    [
        ("local", "", "name", "Enter the name of the tag"),
        ("local", "   ", "name", "Enter the name of the tag"),
        ("local", "x" * 121, "name", TOO_LONG.format(121)),
        ("local", "Anchor\nspending", "name", "Enter this on one line, without line breaks or control characters"),
        ("local", "anchor SPENDING", "name", TAKEN.format("anchor SPENDING")),
        ("galaxy", "Stars", "framework", "Choose the framework the tag belongs to"),
    ],
)  # fmt: skip
def test_a_bad_tag_is_refused_with_a_clear_reason(partnership, convenor, local, framework, name, field, message):
    with pytest.raises(ValidationError) as error:
        tag_services.framework_tag_create(partnership=partnership, actor=convenor, framework=framework, name=name)

    assert error.value.message_dict[field] == [message]
    assert names(partnership) == [("local", "Anchor spending")]


def test_a_tag_is_saved_trimmed_and_the_same_name_may_sit_under_another_framework(partnership, convenor, local):
    added = tag_services.framework_tag_create(
        partnership=partnership, actor=convenor, framework=Framework.COVENANT, name="  Anchor spending "
    )

    assert (added.framework, added.name) == ("covenant", "Anchor spending")
    entry = AuditEntry.objects.get(action="drafting.tag_create")
    assert (entry.partnership_id, entry.changes["name"]) == (partnership.pk, "Anchor spending")


def test_members_cannot_change_tags(partnership, people, local):
    with pytest.raises(PermissionDenied):
        tag_services.framework_tag_create(
            partnership=partnership, actor=people[Role.MEMBER], framework="local", name="X"
        )
    with pytest.raises(PermissionDenied):
        tag_services.framework_tag_rename(tag=local, actor=people[Role.OBSERVER], name="Y")
    with pytest.raises(PermissionDenied):
        tag_services.framework_tag_remove(tag=local, actor=people[Role.MEMBER])
    assert names(partnership) == [("local", "Anchor spending")]


def test_the_standard_set_adds_only_what_is_missing(partnership, convenor):
    tag(partnership, "core20", Framework.CORE20PLUS5)  # already there, in another case

    added = tag_services.framework_tags_add_standard(partnership=partnership, actor=convenor)
    again = tag_services.framework_tags_add_standard(partnership=partnership, actor=convenor)

    assert len(added) == STANDARD_COUNT - 1 and again == []
    assert ("core20plus5", "Core20") not in names(partnership)
    assert ("covenant", "Recognition and value") in names(partnership)
    assert FrameworkTag.objects.filter(partnership=partnership).count() == STANDARD_COUNT


def test_renaming_changes_what_commitments_show_but_not_saved_versions(document, convenor, tagged, local):
    services.version_cut(document=document, actor=convenor, name="Draft 1")

    tag_services.framework_tag_rename(tag=local, actor=convenor, name="Spending locally")

    assert [t.name for t in tagged.tags.all()] == ["Spending locally"]
    version = Version.objects.get(document=document)
    assert ["Anchor spending"] in [block["tags"] for block in version.snapshot["blocks"]]
    entry = AuditEntry.objects.get(action="drafting.tag_rename")
    assert entry.changes == {"from": "Anchor spending", "to": "Spending locally"}


def test_renaming_may_change_only_the_case_but_not_take_another_tags_name(partnership, convenor, local):
    other = tag(partnership, "Social value")

    tag_services.framework_tag_rename(tag=local, actor=convenor, name="Anchor Spending")
    with pytest.raises(ValidationError) as error:
        tag_services.framework_tag_rename(tag=other, actor=convenor, name="ANCHOR spending")

    assert error.value.message_dict["name"] == [TAKEN.format("ANCHOR spending")]
    assert sorted(n for _, n in names(partnership)) == ["Anchor Spending", "Social value"]


def test_removing_a_tag_takes_it_off_its_commitments(document, convenor, tagged, local):
    services.version_cut(document=document, actor=convenor, name="Draft 1")

    lost = tag_services.framework_tag_remove(tag=local, actor=convenor)

    assert lost == 2  # the removed commitment is not counted
    assert not FrameworkTag.objects.filter(pk=local.pk).exists()
    assert list(tagged.tags.all()) == []
    assert ["Anchor spending"] in [block["tags"] for block in Version.objects.get().snapshot["blocks"]]
    assert AuditEntry.objects.get(action="drafting.tag_remove").changes["commitments"] == 2


# --- the page -------------------------------------------------------------------------------


def test_the_page_lists_tags_by_framework_with_how_many_commitments_carry_each(client, convenor, partnership, tagged):
    tag(partnership, "Recognition and value", Framework.COVENANT)
    client.force_login(convenor)

    content = page(client.get(tags_url(partnership)))

    covenant, local_section = content.index('id="framework-covenant"'), content.index('id="framework-local"')
    assert covenant < content.index("Recognition and value") < local_section < content.index("Anchor spending")
    row = content[content.index("Anchor spending") :]
    assert row[: row.index("</tr>")].count(">2</td>") == 1
    assert "No tags under this framework yet." in content  # NHS integration and Core20PLUS5


def test_a_member_reads_the_list_without_any_way_to_change_it(client, people, partnership, local):
    client.force_login(people[Role.MEMBER])

    content = page(client.get(tags_url(partnership)))

    assert "Anchor spending" in content
    assert "Add a tag" not in content and "Rename" not in content and "standard tags" not in content


def test_adding_a_tag_from_the_page(client, convenor, partnership):
    client.force_login(convenor)

    response = client.post(tags_url(partnership), {"framework": "local", "name": "Social value"}, follow=True)

    assert names(partnership) == [("local", "Social value")]
    assert response.redirect_chain[-1][0] == tags_url(partnership) + "#framework-local"
    assert messages_shown(response) == ["“Social value” is added under Local priority."]


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"framework": "local", "name": ""}, "name", "Enter the name of the tag"),
        ({"framework": "local", "name": "  "}, "name", "Enter the name of the tag"),
        ({"framework": "local", "name": "y" * 130}, "name", TOO_LONG.format(130)),
        ({"framework": "local", "name": "ANCHOR spending"}, "name", TAKEN.format("ANCHOR spending")),
        ({"name": "Stars"}, "framework", "Choose the framework the tag belongs to"),
        ({"framework": "galaxy", "name": "Stars"}, "framework", "Choose the framework the tag belongs to"),
    ],
)  # fmt: skip
def test_a_refused_tag_says_why_and_keeps_what_was_typed(client, convenor, partnership, local, data, field, message):
    client.force_login(convenor)

    response = client.post(tags_url(partnership), data)

    assert response.status_code == 200
    assert ERROR_SUMMARY in page(response)
    assert field_errors(response, field) == [message]
    if data["name"].strip():
        assert f'value="{data["name"]}"' in page(response)
    assert names(partnership) == [("local", "Anchor spending")]


def test_a_hostile_tag_name_is_shown_as_text(client, convenor, partnership, document, areas):
    hostile = tag(partnership, "<script>alert(1)</script>")
    add_commitment(document, convenor, areas[0], tags=[hostile])
    client.force_login(convenor)

    listed = page(client.get(tags_url(partnership)))
    on_document = page(client.get(reverse("document_detail", args=[partnership.slug, document.pk])))

    for content in (listed, on_document):
        assert "<script>alert(1)</script>" not in content
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_adding_the_standard_set_says_how_many_were_added(client, convenor, partnership):
    tag(partnership, "Core20", Framework.CORE20PLUS5)
    client.force_login(convenor)
    listed = page(client.get(tags_url(partnership)))
    assert f"Add these {STANDARD_COUNT - 1} standard tags" in listed

    first = client.post(reverse("framework_tags_add_standard", args=[partnership.slug]), follow=True)
    second = client.post(reverse("framework_tags_add_standard", args=[partnership.slug]), follow=True)

    assert messages_shown(first) == [f"{STANDARD_COUNT - 1} standard tags are added."]
    assert messages_shown(second) == ["The partnership already has every standard tag, so none were added."]
    assert "This partnership has every standard tag." in page(second)
    assert FrameworkTag.objects.filter(partnership=partnership).count() == STANDARD_COUNT


def test_renaming_from_the_page(client, convenor, partnership, tagged, local, document):
    client.force_login(convenor)
    shown = client.get(tag_url("framework_tag_rename", local))
    assert "The 2 commitments that carry this tag will show the new name." in page(shown)
    assert '<div id="div_id_name" class="govuk-form-group">' in page(shown)  # the form's own markup, whole

    refused = client.post(tag_url("framework_tag_rename", local), {"name": "Line\r\nbreak"})
    response = client.post(tag_url("framework_tag_rename", local), {"name": "Spending locally"}, follow=True)

    assert field_errors(refused, "name") == ["Enter this on one line, without line breaks or control characters"]
    assert messages_shown(response) == ["“Anchor spending” is now called “Spending locally”."]
    on_document = page(client.get(reverse("document_detail", args=[partnership.slug, document.pk])))
    assert on_document.count("Spending locally") == 2 and "Anchor spending" not in on_document


def test_removing_asks_first_and_says_how_many_commitments_lose_the_tag(client, convenor, partnership, tagged, local):
    client.force_login(convenor)

    asked = client.get(tag_url("framework_tag_remove", local))
    assert FrameworkTag.objects.filter(pk=local.pk).exists()
    done = client.post(tag_url("framework_tag_remove", local), follow=True)

    assert "2 commitments will lose this tag." in page(asked)
    assert messages_shown(done) == ["“Anchor spending” is removed. 2 commitments no longer carry it."]
    assert not FrameworkTag.objects.filter(pk=local.pk).exists()


def test_another_partnerships_tag_is_not_found(client, convenor, partnership):
    theirs = tag(PartnershipFactory())
    client.force_login(convenor)

    for name in ("framework_tag_rename", "framework_tag_remove"):
        url = reverse(name, args=[partnership.slug, theirs.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"name": "Mine now"}).status_code == 404
    assert FrameworkTag.objects.get(pk=theirs.pk).name == "Anchor spending"


def test_a_tag_added_on_the_page_is_offered_on_the_commitment_form(client, convenor, partnership, document, areas):
    commitment = add_commitment(document, convenor, areas[0])
    client.force_login(convenor)
    client.post(tags_url(partnership), {"framework": "covenant", "name": "Participation and inclusion"})
    edit = reverse("block_edit", args=[partnership.slug, document.pk, commitment.pk])
    new_tag = FrameworkTag.objects.get(partnership=partnership)

    assert "Participation and inclusion" in page(client.get(edit))
    client.post(
        edit,
        {"lock_version": commitment.lock_version, "statement": commitment.statement, "committed_by": ["all"],
         "body": "", "tags": [new_tag.pk]},
    )  # fmt: skip

    assert list(commitment.tags.all()) == [new_tag]


def test_the_documents_page_links_to_the_tags_for_editors_only(client, people, partnership):
    for role, linked in [(Role.CONVENOR, True), (Role.FACILITATOR, True), (Role.MEMBER, False), (Role.OBSERVER, False)]:
        client.force_login(people[role])
        content = page(client.get(reverse("document_list", args=[partnership.slug])))
        assert (tags_url(partnership) in content) is linked, role


def test_the_page_costs_the_same_for_3_or_30_tags(client, convenor, partnership, document, areas):
    client.force_login(convenor)
    for n in range(3):
        add_commitment(document, convenor, areas[0], tags=[tag(partnership, f"Tag {n}")])
    client.get(tags_url(partnership))  # warm up: session and per-page caches
    with CaptureQueriesContext(connection) as few:
        client.get(tags_url(partnership))
    for n in range(3, 30):
        add_commitment(document, convenor, areas[0], tags=[tag(partnership, f"Tag {n}")])

    with CaptureQueriesContext(connection) as many:
        response = client.get(tags_url(partnership))

    assert page(response).count(">1</td>") == 30
    assert len(many) <= len(few), [q["sql"] for q in many.captured_queries]


# --- who may do what, in every stage ------------------------------------------------------
# Tags belong to the partnership, not to one document, so the answers are the same whatever
# stage the process is at: convenors and facilitators manage them, every member reads them.
# Written out by hand. 302 for the anonymous public is the sign-in redirect; 302 from an editor
# means done; 404 for outsiders (nothing leaks); 403 for members whose role refuses.

ROLES = ["convenor", "facilitator", "member", "observer", "outsider", "anonymous"]
STAGES = ["drafting", "consultation", "sign_off", "closed"]
# fmt: off
PAGES = {
    "list": {
        "convenor": "200 200 200 200", "facilitator": "200 200 200 200", "member":    "200 200 200 200",
        "observer": "200 200 200 200", "outsider":    "404 404 404 404", "anonymous": "302 302 302 302",
    },
    "add": {
        "convenor": "302 302 302 302", "facilitator": "302 302 302 302", "member":    "403 403 403 403",
        "observer": "403 403 403 403", "outsider":    "404 404 404 404", "anonymous": "302 302 302 302",
    },
    "standard": {
        "convenor": "302 302 302 302", "facilitator": "302 302 302 302", "member":    "403 403 403 403",
        "observer": "403 403 403 403", "outsider":    "404 404 404 404", "anonymous": "302 302 302 302",
    },
    "rename": {
        "convenor": "302 302 302 302", "facilitator": "302 302 302 302", "member":    "403 403 403 403",
        "observer": "403 403 403 403", "outsider":    "404 404 404 404", "anonymous": "302 302 302 302",
    },
    "remove": {
        "convenor": "302 302 302 302", "facilitator": "302 302 302 302", "member":    "403 403 403 403",
        "observer": "403 403 403 403", "outsider":    "404 404 404 404", "anonymous": "302 302 302 302",
    },
}
# fmt: on


def cells():
    return [
        pytest.param(action, role, stage, row[role].split()[column], id=f"{action}-{role}-{stage}")
        for action, row in PAGES.items()
        for role in ROLES
        for column, stage in enumerate(STAGES)
    ]


def send(client, action: str, partnership, local):
    if action == "list":
        return client.get(tags_url(partnership))
    if action == "add":
        return client.post(tags_url(partnership), {"framework": "local", "name": "Social value"})
    if action == "standard":
        return client.post(reverse("framework_tags_add_standard", args=[partnership.slug]))
    if action == "rename":
        return client.post(tag_url("framework_tag_rename", local), {"name": "Social value"})
    return client.post(tag_url("framework_tag_remove", local))


def test_the_table_covers_every_role_and_stage():
    for row in PAGES.values():
        assert set(row) == set(ROLES)
        assert all(len(codes.split()) == len(STAGES) for codes in row.values())


@pytest.mark.parametrize("action, role, stage, expected", cells())
def test_who_may_manage_tags(client, people, partnership, drafting, local, action, role, stage, expected):
    set_stage(drafting, stage)
    cast = {**{r: people[r] for r in Role.values}, "outsider": people["outsider"], "anonymous": AnonymousUser()}
    if role != "anonymous":
        client.force_login(cast[role])
    before = names(partnership)

    response = send(client, action, partnership, local)

    assert response.status_code == int(expected), (role, response.status_code)
    if role == "anonymous":
        assert reverse("account_login") in response["Location"]
    changed = names(partnership) != before
    assert changed is (action != "list" and expected == "302" and role != "anonymous")
