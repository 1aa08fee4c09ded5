"""Dot voting: budgets, bad input (nothing half-saved), merged and hidden ideas, themes, the
facilitators-only live tally, guests, and the role x state matrix of the voting permissions."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from compact.activity.models import AuditEntry
from compact.partnerships.models import Role
from compact.workshops.models import DotVote, Theme, VoteTarget, WallEvent, Workshop
from compact.workshops.services import voting
from compact.workshops.services.ideas import idea_submit
from compact.workshops.services.moderation import idea_hide, idea_merge
from compact.workshops.services.participants import participant_for_user, participant_join_guest

from ..factories import ProcessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_language_model(monkeypatch):
    from compact import theming

    def unavailable(texts):
        raise theming.EmbeddingUnavailable("not in these tests")

    monkeypatch.setattr(theming, "embed", unavailable)


def add_idea(workshop, person, text):
    return idea_submit(
        workshop=workshop, prompt=workshop.prompts.first(), text=text, idempotency_key=uuid.uuid4(), actor=person
    )


@pytest.fixture
def ideas(live_workshop, people):
    return [
        add_idea(live_workshop, people[Role.MEMBER], "Pay invoices within 30 days"),
        add_idea(live_workshop, people[Role.CONVENOR], "Ring-fence funding for small groups"),
        add_idea(live_workshop, people[Role.FACILITATOR], "Publish contracts in plain English"),
    ]


@pytest.fixture
def voting_workshop(live_workshop, ideas, people):
    """Live, three ideas, voting open, 5 dots each."""
    voting.voting_open(workshop=live_workshop, actor=people[Role.FACILITATOR])
    live_workshop.refresh_from_db()
    return live_workshop


def save(workshop, person, **dots):
    return voting.dots_save(workshop=workshop, actor=person, dots=dots)


def dots_of(person, workshop):
    participant = participant_for_user(workshop=workshop, user=person)
    return voting.my_dots(workshop, participant), voting.dots_left(workshop, participant)


def test_dots_spread_freely_within_the_budget_and_are_audited(voting_workshop, ideas, people):
    member = people[Role.MEMBER]
    a, b, c = ideas
    mine = save(voting_workshop, member, **{f"dots_{a.pk}": "3", f"dots_{b.pk}": "2"})
    assert mine == {a.pk: 3, b.pk: 2}
    assert dots_of(member, voting_workshop) == ({a.pk: 3, b.pk: 2}, 0)
    # Items not named keep their dots; 0 takes them off.
    assert save(voting_workshop, member, **{f"dots_{a.pk}": 0, f"dots_{c.pk}": "3"}) == {b.pk: 2, c.pk: 3}
    assert DotVote.objects.filter(idea=a).count() == 0
    entry = AuditEntry.objects.filter(action="workshop.vote").order_by("pk").last()
    assert entry.actor == member and entry.changes["dots"] == {str(a.pk): [3, 0], str(c.pk): [0, 3]}
    assert voting.tally(voting_workshop) == {b.pk: 2, c.pk: 3}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("-1", voting.NEGATIVE),
        ("1.5", voting.NOT_A_NUMBER),
        ("two", voting.NOT_A_NUMBER),
        ("٣", voting.NOT_A_NUMBER),  # Arabic-Indic three: isdigit() but not what the form means
        ("1e3", voting.NOT_A_NUMBER),
        ("99999999", voting.NOT_A_NUMBER),
    ],
)
def test_bad_numbers_are_refused_beside_the_field_and_nothing_is_saved(voting_workshop, ideas, people, raw, message):
    a, b, _ = ideas
    with pytest.raises(ValidationError) as exc:
        save(voting_workshop, people[Role.MEMBER], **{f"dots_{a.pk}": "1", f"dots_{b.pk}": raw})
    assert exc.value.message_dict == {f"dots_{b.pk}": [message]}
    assert not DotVote.objects.exists()


def test_going_over_the_budget_saves_nothing(voting_workshop, ideas, people):
    member = people[Role.MEMBER]
    a, b, _ = ideas
    save(voting_workshop, member, **{f"dots_{a.pk}": 4})
    with pytest.raises(ValidationError) as exc:
        save(voting_workshop, member, **{f"dots_{a.pk}": 3, f"dots_{b.pk}": 3})
    assert exc.value.message_dict["dots"] == ["You have 5 dots and this would use 6. Take 1 off first."]
    assert dots_of(member, voting_workshop) == ({a.pk: 4}, 1)
    assert not WallEvent.objects.filter(kind="tally", data__items__0__dots=3).exists()


def test_unknown_hidden_or_merged_ideas_are_refused(voting_workshop, ideas, people):
    member, facilitator = people[Role.MEMBER], people[Role.FACILITATOR]
    a, b, c = ideas
    for key in (f"dots_{c.pk + 10_000}", "dots_nonsense", "dots_", "dots_-1"):
        with pytest.raises(ValidationError) as exc:
            save(voting_workshop, member, **{key: 1})
        assert voting.NOT_HERE in str(exc.value)
    idea_hide(idea=b, actor=facilitator, reason="Duplicate of a hidden note")
    with pytest.raises(ValidationError) as exc:
        save(voting_workshop, member, **{f"dots_{b.pk}": 1})
    assert exc.value.message_dict == {
        f"dots_{b.pk}": ["This idea has been taken off the wall: you cannot add dots to it"]
    }
    idea_merge(idea=c, into=a, actor=facilitator)
    with pytest.raises(ValidationError) as exc:
        save(voting_workshop, member, **{f"dots_{c.pk}": 1})
    assert "merged into another" in exc.value.message_dict[f"dots_{c.pk}"][0]
    assert not DotVote.objects.exists()


def _other_workshop(workshop, actor):
    from compact.workshops import services

    return services.workshop_create(
        process=workshop.process, actor=actor, title="Another", starts_at=workshop.starts_at,
        ends_at=workshop.ends_at, venue="Elsewhere",
    )  # fmt: skip


def test_another_workshops_idea_is_refused(voting_workshop, ideas, people):
    other = _other_workshop(voting_workshop, people[Role.FACILITATOR])
    from compact.workshops import services

    services.workshop_start(workshop=other, actor=people[Role.FACILITATOR])
    services.prompt_add(workshop=other, actor=people[Role.FACILITATOR], text="Q?")
    services.prompt_open(prompt=other.prompts.first(), actor=people[Role.FACILITATOR])
    foreign = add_idea(other, people[Role.MEMBER], "Elsewhere")
    with pytest.raises(ValidationError) as exc:
        save(voting_workshop, people[Role.MEMBER], **{f"dots_{foreign.pk}": 1})
    assert exc.value.message_dict == {f"dots_{foreign.pk}": [voting.NOT_HERE]}


def test_dots_on_merged_ideas_count_toward_the_surviving_idea(voting_workshop, ideas, people):
    member, convenor, facilitator = people[Role.MEMBER], people[Role.CONVENOR], people[Role.FACILITATOR]
    a, b, c = ideas
    save(voting_workshop, member, **{f"dots_{c.pk}": 2, f"dots_{a.pk}": 1})
    save(voting_workshop, convenor, **{f"dots_{c.pk}": 4})
    idea_merge(idea=c, into=a, actor=facilitator)
    assert voting.tally(voting_workshop) == {a.pk: 7}
    assert dots_of(member, voting_workshop) == ({a.pk: 3}, 2)
    # Fewer dots come off the surviving idea first, then off the merged one; the rows stay put.
    save(voting_workshop, member, **{f"dots_{a.pk}": 1})
    assert dict(DotVote.objects.filter(participant__user=member).values_list("idea_id", "dots")) == {c.pk: 1}
    save(voting_workshop, member, **{f"dots_{a.pk}": 5})
    assert dict(DotVote.objects.filter(participant__user=member).values_list("idea_id", "dots")) == {c.pk: 1, a.pk: 4}
    assert voting.tally(voting_workshop) == {a.pk: 9}


def test_dots_on_a_hidden_idea_stay_counted_and_can_be_taken_back(voting_workshop, ideas, people):
    member = people[Role.MEMBER]
    a, b, _ = ideas
    save(voting_workshop, member, **{f"dots_{b.pk}": 3})
    idea_hide(idea=b, actor=people[Role.FACILITATOR], reason="Off topic")
    assert voting.tally(voting_workshop) == {}
    assert dots_of(member, voting_workshop)[1] == 2
    participant = participant_for_user(workshop=voting_workshop, user=member)
    assert [
        i.pk for i in voting.hidden_with_my_dots(voting_workshop, voting.my_dots(voting_workshop, participant))
    ] == [b.pk]
    save(voting_workshop, member, **{f"dots_{b.pk}": 1})
    assert dots_of(member, voting_workshop)[1] == 4


def test_voting_closed_or_not_yet_open_saves_nothing(live_workshop, ideas, people):
    member, facilitator = people[Role.MEMBER], people[Role.FACILITATOR]
    with pytest.raises(ValidationError) as exc:
        save(live_workshop, member, **{f"dots_{ideas[0].pk}": 1})
    assert exc.value.message_dict == {"dots": [voting.CLOSED]}
    voting.voting_open(workshop=live_workshop, actor=facilitator)
    stale = Workshop.objects.get(pk=live_workshop.pk)
    voting.voting_close(workshop=live_workshop, actor=facilitator)
    # A page loaded while voting was open, posted after it closed: the locked re-read refuses it.
    with pytest.raises(ValidationError):
        voting.dots_save(workshop=stale, actor=member, dots={ideas[0].pk: 1})
    assert not DotVote.objects.exists()


def test_observers_and_outsiders_cannot_vote(voting_workshop, ideas, people):
    for who in (people[Role.OBSERVER], people["outsider"]):
        with pytest.raises(PermissionDenied):
            save(voting_workshop, who, **{f"dots_{ideas[0].pk}": 1})
    assert not DotVote.objects.exists()


def test_guests_vote_with_their_own_participant_only(voting_workshop, ideas, people):
    guest, _key = participant_join_guest(workshop=voting_workshop, display_name="Ada")
    mine = voting.dots_save(workshop=voting_workshop, participant=guest, dots={ideas[0].pk: 2})
    assert mine == {ideas[0].pk: 2} and voting.dots_left(voting_workshop, guest) == 3
    member_row = participant_for_user(workshop=voting_workshop, user=people[Role.MEMBER])
    with pytest.raises(PermissionDenied):  # a guest cannot use a member's row
        voting.dots_save(workshop=voting_workshop, participant=member_row, dots={ideas[0].pk: 1})
    with pytest.raises(PermissionDenied):  # nor a row of another workshop
        voting.dots_save(workshop=_other_workshop(voting_workshop, people[Role.FACILITATOR]), participant=guest,
                         dots={ideas[0].pk: 1})  # fmt: skip
    with pytest.raises(PermissionDenied):
        voting.dots_save(workshop=voting_workshop, participant=None, dots={ideas[0].pk: 1})


def test_the_live_tally_is_for_facilitators_only_and_carries_no_names(voting_workshop, ideas, people):
    save(voting_workshop, people[Role.MEMBER], **{f"dots_{ideas[0].pk}": 2})
    save(voting_workshop, people[Role.CONVENOR], **{f"dots_{ideas[0].pk}": 1})
    events = list(WallEvent.objects.filter(kind="tally"))
    assert all(e.facilitators_only for e in events)
    # Everyone's dots on what changed, and how many people have voted (the tally's "People who voted").
    assert events[-1].data == {"target": "idea", "items": [{"id": ideas[0].pk, "dots": 3}], "voters": 2}
    public = WallEvent.objects.filter(facilitators_only=False, kind__in=["voting", "results"])
    assert all(set(e.data) == {"voting_open", "results_revealed"} for e in public)


def test_opening_closing_and_revealing_are_for_organisers_and_audited(live_workshop, ideas, people):
    for who in (people[Role.MEMBER], people[Role.OBSERVER], people["outsider"]):
        with pytest.raises(PermissionDenied):
            voting.voting_open(workshop=live_workshop, actor=who)
        with pytest.raises(PermissionDenied):
            voting.results_reveal(workshop=live_workshop, actor=who)
    convenor = people[Role.CONVENOR]
    voting.voting_open(workshop=live_workshop, actor=convenor)
    voting.voting_open(workshop=live_workshop, actor=convenor)  # twice: nothing more happens
    voting.voting_close(workshop=live_workshop, actor=convenor)
    voting.results_reveal(workshop=live_workshop, actor=convenor)
    live_workshop.refresh_from_db()
    assert not live_workshop.voting_open and live_workshop.results_revealed
    actions = list(AuditEntry.objects.filter(action__contains="voting").order_by("pk").values_list("action", flat=True))
    assert actions == ["workshop.open_voting", "workshop.close_voting"]
    assert AuditEntry.objects.filter(action="workshop.reveal_results").count() == 1


def test_voting_cannot_open_with_nothing_to_vote_on(live_workshop, people):
    with pytest.raises(ValidationError) as exc:
        voting.voting_open(workshop=live_workshop, actor=people[Role.FACILITATOR])
    assert exc.value.message_dict == {"voting_open": ["There are no ideas on the wall to vote on yet"]}
    live_workshop.vote_target = VoteTarget.THEMES
    with pytest.raises(ValidationError) as exc:
        voting.voting_open(workshop=live_workshop, actor=people[Role.FACILITATOR])
    assert exc.value.message_dict == {"voting_open": ["There are no themes to vote on yet"]}


def test_voting_on_themes(live_workshop, ideas, people):
    Workshop.objects.filter(pk=live_workshop.pk).update(vote_target=VoteTarget.THEMES)
    live_workshop.refresh_from_db()
    money = Theme.objects.create(workshop=live_workshop, name="Money", position=1)
    words = Theme.objects.create(workshop=live_workshop, name="Plain words", position=2)
    voting.voting_open(workshop=live_workshop, actor=people[Role.FACILITATOR])
    save(live_workshop, people[Role.MEMBER], **{f"dots_{money.pk}": 4, f"dots_{words.pk}": 1})
    save(live_workshop, people[Role.CONVENOR], **{f"dots_{money.pk}": 2})
    assert voting.tally(live_workshop) == {money.pk: 6, words.pk: 1}
    assert [t.pk for t in voting.items(live_workshop)] == [money.pk, words.pk]
    with pytest.raises(ValidationError):  # an idea id is not a theme
        save(live_workshop, people[Role.MEMBER], **{f"dots_{ideas[0].pk + 1000}": 1})
    assert voting.voter_count(live_workshop) == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_tabs_saving_at_once_cannot_overspend(people, workshop_process):  # pragma: no cover - PostgreSQL only
    import threading

    from django.db import connection

    from compact.workshops import services

    facilitator, member = people[Role.FACILITATOR], people[Role.MEMBER]
    from .conftest import at

    w = services.workshop_create(process=workshop_process, actor=facilitator, title="Race", starts_at=at(),
                                 ends_at=at(hour=13), venue="Hall")  # fmt: skip
    services.prompt_add(workshop=w, actor=facilitator, text="Q?")
    services.workshop_start(workshop=w, actor=facilitator)
    services.prompt_open(prompt=w.prompts.first(), actor=facilitator)
    a = add_idea(w, member, "A")
    b = add_idea(w, member, "B")
    voting.voting_open(workshop=w, actor=facilitator)
    w.refresh_from_db()
    barrier, results = threading.Barrier(2), []

    def tab(pk):
        try:
            barrier.wait()
            results.append(voting.dots_save(workshop=w, actor=member, dots={pk: 4}))
        except ValidationError as exc:
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=tab, args=(pk,)) for pk in (a.pk, b.pk)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(d.dots for d in DotVote.objects.filter(workshop=w)) == 4
    assert sum(isinstance(r, ValidationError) for r in results) == 1


# Role x workshop state -------------------------------------------------------------------------

ROLES = [Role.CONVENOR, Role.FACILITATOR, Role.MEMBER, Role.OBSERVER, "outsider"]
STATES = [s.value for s in Workshop.State]
ORGANISERS = {Role.CONVENOR, Role.FACILITATOR}
MEMBERS = {Role.CONVENOR, Role.FACILITATOR, Role.MEMBER, Role.OBSERVER}
PARTICIPANTS = {Role.CONVENOR, Role.FACILITATOR, Role.MEMBER}


def expected(perm, role, state, *, voting_open, revealed):
    if perm == "workshops.vote":
        return role in PARTICIPANTS and voting_open and state in ("live", "ended")
    if perm == "workshops.view_results":
        return role in ORGANISERS or (role in MEMBERS and revealed)
    if perm == "workshops.publish":
        return role in ORGANISERS and state in ("ended", "published")
    if perm == "workshops.export":
        return role in ORGANISERS or (role in MEMBERS and state == "published")
    raise AssertionError(perm)


@pytest.mark.parametrize("voting_open", [True, False])
@pytest.mark.parametrize("revealed", [True, False])
def test_role_by_state_matrix(workshop, people, voting_open, revealed):
    other = ProcessFactory()  # an outsider's partnership: membership there counts for nothing here
    assert other.partnership_id != workshop.partnership_id
    for state in STATES:
        Workshop.objects.filter(pk=workshop.pk).update(state=state, voting_open=voting_open, results_revealed=revealed)
        fresh = Workshop.objects.get(pk=workshop.pk)
        for role in ROLES:
            person = people[role]
            for perm in ("workshops.vote", "workshops.view_results", "workshops.publish", "workshops.export"):
                want = expected(perm, role, state, voting_open=voting_open, revealed=revealed)
                assert person.has_perm(perm, fresh) is want, (perm, role, state, voting_open, revealed)
