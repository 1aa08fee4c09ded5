"""Adding ideas: who may, to which prompt, bad input, idempotent retries, flooding, after the
workshop, attribution, events and embeddings."""

import datetime as dt
import threading
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compact.activity.models import AuditEntry
from compact.partnerships.models import Role
from compact.workshops import services
from compact.workshops.models import MAX_IDEA_CHARS, Idea, Prompt, WallEvent, Workshop
from compact.workshops.services.ideas import RATE_LIMIT, RATE_LIMITED, idea_submit
from compact.workshops.services.participants import participant_for_user, participant_join_guest

pytestmark = pytest.mark.django_db


def submit(workshop, person, text="Buy from local charities", **kwargs):
    kwargs.setdefault("prompt", workshop.prompts.first())
    kwargs.setdefault("idempotency_key", uuid.uuid4())
    return idea_submit(workshop=workshop, text=text, actor=person, **kwargs)


def test_a_member_adds_an_idea_attributed_to_them(live_workshop, people):
    member = people[Role.MEMBER]
    idea = submit(live_workshop, member, text="  Pay   invoices\n in 30 days ")
    assert idea.text == "Pay invoices in 30 days"
    assert idea.author == member and idea.participant.user == member
    assert idea.author_name == member.full_name and not idea.after_workshop
    event = WallEvent.objects.filter(workshop=live_workshop, kind="idea").last()
    assert event.data["id"] == idea.pk and event.data["text"] == "Pay invoices in 30 days"
    assert event.data["by"].startswith(member.full_name) and not event.facilitators_only
    assert AuditEntry.objects.filter(action="workshop.add_idea", object_id=str(idea.pk)).exists()


def test_a_guest_adds_an_idea_with_their_name_and_organisation(live_workshop):
    guest, _key = participant_join_guest(
        workshop=live_workshop, display_name="Ada", organisation_name="Age UK Lewisham"
    )
    idea = submit(live_workshop, None, participant=guest)
    assert (idea.author, idea.author_name, idea.organisation_name) == (None, "Ada", "Age UK Lewisham")
    assert WallEvent.objects.filter(kind="idea").last().data["by"] == "Ada, Age UK Lewisham"


def test_nobody_adds_without_joining_and_observers_cannot_add(live_workshop, people):
    with pytest.raises(PermissionDenied):
        submit(live_workshop, None)
    with pytest.raises(PermissionDenied):
        submit(live_workshop, people[Role.OBSERVER])
    with pytest.raises(PermissionDenied):
        submit(live_workshop, people["outsider"])
    assert not Idea.objects.exists()


def test_a_guest_of_another_workshop_cannot_add(live_workshop, workshop_process, people):
    other = services.workshop_create(
        process=workshop_process, actor=people[Role.FACILITATOR], title="Other", starts_at=live_workshop.starts_at,
        ends_at=live_workshop.ends_at, venue="Hall",
    )  # fmt: skip
    other.state = Workshop.State.LIVE
    other.save()
    guest, _ = participant_join_guest(workshop=other, display_name="Bo")
    with pytest.raises(PermissionDenied):
        submit(live_workshop, None, participant=guest)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter your idea"),
        ("   \n\t ", "Enter your idea"),
        ("\x00\x01\u200e \u200b", "Enter your idea"),
        ("x" * (MAX_IDEA_CHARS + 1), f"Your idea must be {MAX_IDEA_CHARS} characters or fewer"),
    ],
)
def test_empty_and_over_long_ideas_are_refused(live_workshop, people, text, message):
    with pytest.raises(ValidationError) as exc:
        submit(live_workshop, people[Role.MEMBER], text=text)
    assert exc.value.message_dict["text"] == [message]
    assert not Idea.objects.exists()


def test_html_is_kept_as_text(live_workshop, people):
    idea = submit(live_workshop, people[Role.MEMBER], text="<script>alert(1)</script> & <b>bold</b>")
    assert idea.text == "<script>alert(1)</script> & <b>bold</b>"


def test_closed_and_unopened_prompts_refuse_ideas(live_workshop, people):
    closed = live_workshop.prompts.first()
    services.prompt_close(prompt=closed, actor=people[Role.FACILITATOR])
    for prompt in (closed, live_workshop.prompts.last()):
        with pytest.raises(ValidationError) as exc:
            submit(live_workshop, people[Role.MEMBER], prompt=prompt)
        assert "is not taking ideas now" in exc.value.message_dict["prompt"][0]


def test_a_prompt_of_another_workshop_is_refused(live_workshop, people, workshop_process):
    other = services.workshop_create(
        process=workshop_process, actor=people[Role.FACILITATOR], title="Other", starts_at=live_workshop.starts_at,
        ends_at=live_workshop.ends_at, venue="Hall",
    )  # fmt: skip
    prompt = Prompt.objects.create(workshop=other, position=1, text="Q", state=Prompt.State.OPEN)
    with pytest.raises(ValidationError) as exc:
        submit(live_workshop, people[Role.MEMBER], prompt=prompt)
    assert "prompt" in exc.value.message_dict


def test_a_planned_or_ended_workshop_takes_no_ideas_unless_async(live_workshop, people):
    services.workshop_end(workshop=live_workshop, actor=people[Role.FACILITATOR])
    with pytest.raises(ValidationError) as exc:
        submit(live_workshop, people[Role.MEMBER])
    assert "not taking ideas" in exc.value.message_dict["text"][0]


def test_ideas_after_the_session_are_marked(live_workshop, people):
    live_workshop.async_until = timezone.now() + dt.timedelta(days=3)
    live_workshop.save()
    services.workshop_end(workshop=live_workshop, actor=people[Role.FACILITATOR])
    live_workshop.refresh_from_db()
    idea = submit(live_workshop, people[Role.MEMBER])
    assert idea.after_workshop
    live_workshop.async_until = timezone.now() - dt.timedelta(minutes=1)
    live_workshop.save()
    with pytest.raises(ValidationError):
        submit(live_workshop, people[Role.MEMBER])


def test_a_retry_with_the_same_key_returns_the_same_idea(live_workshop, people):
    key = uuid.uuid4()
    first = submit(live_workshop, people[Role.MEMBER], idempotency_key=key)
    again = submit(live_workshop, people[Role.MEMBER], idempotency_key=str(key), text="Different text")
    assert again.pk == first.pk and Idea.objects.count() == 1
    assert WallEvent.objects.filter(kind="idea").count() == 1
    # Even after the prompt closed, the retry is answered with the saved idea.
    services.prompt_close(prompt=first.prompt, actor=people[Role.FACILITATOR])
    assert submit(live_workshop, people[Role.MEMBER], idempotency_key=key).pk == first.pk


def test_someone_elses_key_is_refused_not_returned(live_workshop, people):
    key = uuid.uuid4()
    submit(live_workshop, people[Role.MEMBER], idempotency_key=key)
    with pytest.raises(ValidationError):
        submit(live_workshop, people[Role.CONVENOR], idempotency_key=key)


def test_a_bad_key_is_a_validation_error(live_workshop, people):
    with pytest.raises(ValidationError) as exc:
        submit(live_workshop, people[Role.MEMBER], idempotency_key="not-a-uuid")
    assert "idempotency_key" in exc.value.message_dict


def test_a_lost_race_on_the_key_returns_the_winner(live_workshop, people, monkeypatch):
    """The unique constraint decides: simulate the other request saving between our look-up and
    our insert."""
    from compact.workshops.services import ideas

    key = uuid.uuid4()
    member = people[Role.MEMBER]
    winner = submit(live_workshop, member, idempotency_key=key)
    calls = {"n": 0}
    real = ideas._existing

    def first_miss(*args):
        calls["n"] += 1
        return None if calls["n"] == 1 else real(*args)

    monkeypatch.setattr(ideas, "_existing", first_miss)
    assert submit(live_workshop, member, idempotency_key=key).pk == winner.pk
    assert Idea.objects.count() == 1


def test_flooding_is_refused_with_a_clear_message(live_workshop, people):
    member = people[Role.MEMBER]
    for _ in range(RATE_LIMIT):
        submit(live_workshop, member)
    with pytest.raises(ValidationError) as exc:
        submit(live_workshop, member)
    assert exc.value.message_dict["text"] == [RATE_LIMITED]
    assert Idea.objects.count() == RATE_LIMIT
    submit(live_workshop, people[Role.CONVENOR])  # others are not held up


def test_anonymous_only_where_allowed_and_the_name_is_not_kept_on_the_idea(live_workshop, people):
    with pytest.raises(ValidationError) as exc:
        submit(live_workshop, people[Role.MEMBER], anonymous=True)
    assert "anonymous" in exc.value.message_dict
    live_workshop.allow_anonymous = True
    live_workshop.save()
    idea = submit(live_workshop, people[Role.MEMBER], anonymous=True)
    assert idea.anonymous and idea.author_name == "" and idea.organisation_name == ""
    assert WallEvent.objects.filter(kind="idea").last().data["by"] == "Anonymous"


def test_facilitators_add_ideas_for_a_table_and_members_cannot(live_workshop, people):
    idea = submit(live_workshop, people[Role.FACILITATOR], table_label="  Table 3 ")
    assert idea.table_label == "Table 3" and idea.participant is None
    assert WallEvent.objects.filter(kind="idea").last().data["by"] == "Table 3"
    with pytest.raises(PermissionDenied):
        submit(live_workshop, people[Role.MEMBER], table_label="Table 4")
    with pytest.raises(ValidationError):
        submit(live_workshop, people[Role.FACILITATOR], table_label="T" * 61)


def test_participant_for_user_is_made_once(live_workshop, people):
    member = people[Role.MEMBER]
    assert participant_for_user(workshop=live_workshop, user=member) == participant_for_user(
        workshop=live_workshop, user=member
    )


def test_an_idea_is_embedded_after_commit(live_workshop, people, django_capture_on_commit_callbacks, monkeypatch):
    import numpy as np

    from compact import theming

    monkeypatch.setattr(theming, "embed", lambda texts: np.ones((len(texts), theming.dimensions()), dtype="float32"))
    with django_capture_on_commit_callbacks(execute=True):
        idea = submit(live_workshop, people[Role.MEMBER])
    idea.refresh_from_db()
    assert idea.embedding_model == theming.model_name() and len(bytes(idea.embedding)) == 384 * 4


def test_embedding_without_the_language_model_stores_nothing(live_workshop, people, monkeypatch):
    from compact import theming
    from compact.workshops.embedding_tasks import embed_idea

    def unavailable(texts):
        raise theming.EmbeddingUnavailable("not installed")

    monkeypatch.setattr(theming, "embed", unavailable)
    idea = submit(live_workshop, people[Role.MEMBER])
    assert embed_idea.call(idea.pk) is False
    idea.refresh_from_db()
    assert idea.embedding is None and idea.embedding_model == ""


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(max_size=700), st.text(alphabet="<>&\"' \n\t\x00", max_size=50)))
def test_fuzzing_submit_never_half_saves(live_workshop, people, text):
    from django.core.cache import cache

    cache.clear()
    before = Idea.objects.count()
    try:
        idea = submit(live_workshop, people[Role.CONVENOR], text=text)
    except ValidationError as exc:
        assert set(exc.message_dict) <= {"text"}
        assert Idea.objects.count() == before
    else:
        assert 0 < len(idea.text) <= MAX_IDEA_CHARS and "\x00" not in idea.text
        assert Idea.objects.count() == before + 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submissions_with_one_key_make_one_idea(live_workshop, people):
    key, results, errors = uuid.uuid4(), [], []
    member = people[Role.MEMBER]
    participant_for_user(workshop=live_workshop, user=member)
    barrier = threading.Barrier(4)

    def go():
        try:
            barrier.wait()
            results.append(submit(Workshop.objects.get(pk=live_workshop.pk), member, idempotency_key=key).pk)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=go) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(set(results)) == 1 and Idea.objects.filter(idempotency_key=key).count() == 1


def test_a_guest_cannot_speak_for_a_table(live_workshop):
    from compact.workshops.services.participants import participant_join_guest

    guest, _key = participant_join_guest(workshop=live_workshop, display_name="Ada")
    with pytest.raises(ValidationError) as exc:
        idea_submit(workshop=live_workshop, prompt=live_workshop.prompts.first(), text="From table 9",
                    idempotency_key=uuid.uuid4(), participant=guest, table_label="Table 9")  # fmt: skip
    assert exc.value.message_dict["table_label"] == ["Only a facilitator can add ideas for a table."]
    assert not Idea.objects.exists()
