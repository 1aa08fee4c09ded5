"""Dot voting on ideas or themes (Workshop.vote_target).

Each participant has `dots_per_participant` dots for the workshop and spreads them freely
(several on one item is fine). Facilitators open and close voting and reveal the results; until
then only organisers see counts (the live tally travels as facilitators_only wall events) and a
participant sees only their own dots and how many they have left.

Saving is all-or-nothing: the workshop row, then the participant's row and their votes are
locked (select_for_update) and the whole ballot is checked against the budget in one
transaction, so two tabs saving at once cannot overspend.

Dots on an idea merged into another count toward the idea it went into (and are shown to their
owner there); dots on a hidden idea stay counted against the budget, but their owner may take
them back. Nobody can add dots to a hidden or merged idea."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum

from compact.activity.services import audit_record
from compact.core.services import require_perm
from compact.partnerships.rules import is_participant

from ..models import DotVote, Idea, Participant, Theme, VoteTarget, Workshop
from ..rules import voting_now
from .events import wall_event
from .participants import participant_for_user

FACILITATE = "Only a convenor or facilitator can run voting, while the workshop is live or has ended."
CLOSED = "Voting is not open at the moment."
NOT_A_NUMBER = "Enter the number of dots as a whole number, like 2"
NEGATIVE = "The number of dots cannot be less than 0"
NOT_HERE = "Choose an idea or theme from this workshop"
MAX_ITEMS = 3000  # at most this many ideas or themes are listed on a ballot


def field_name(pk: int) -> str:
    """The ballot's field (and ValidationError key) for one idea or theme."""
    return f"dots_{pk}"


def _target_field(workshop: Workshop) -> str:
    return "theme" if workshop.vote_target == VoteTarget.THEMES else "idea"


# Reads ---------------------------------------------------------------------------------------


def items(workshop: Workshop) -> list:
    """What people can put dots on now: the wall's visible ideas (not hidden, not merged), or
    the workshop's themes. One query."""
    if workshop.vote_target == VoteTarget.THEMES:
        return list(Theme.objects.filter(workshop=workshop).select_related("prompt")[:MAX_ITEMS])
    return list(
        Idea.objects.filter(workshop=workshop, hidden=False, merged_into__isnull=True)
        .select_related("prompt")
        .order_by("prompt__position", "created_at", "pk")[:MAX_ITEMS]
    )


def _has_items(workshop: Workshop) -> bool:
    if workshop.vote_target == VoteTarget.THEMES:
        return Theme.objects.filter(workshop=workshop).exists()
    return Idea.objects.filter(workshop=workshop, hidden=False, merged_into__isnull=True).exists()


def _surviving(votes) -> dict[int, int]:
    """Sum dots per idea or theme, with merged ideas counted on the idea they went into."""
    totals: dict[int, int] = {}
    for target, merged_into, dots in votes:
        key = merged_into or target
        totals[key] = totals.get(key, 0) + dots
    return totals


def _votes(workshop: Workshop, **filters):
    if workshop.vote_target == VoteTarget.THEMES:
        return DotVote.objects.filter(workshop=workshop, theme__isnull=False, **filters).values_list(
            "theme_id", "theme__workshop_id", "dots"
        )
    return DotVote.objects.filter(workshop=workshop, idea__isnull=False, **filters).values_list(
        "idea_id", "idea__merged_into_id", "dots"
    )


def tally(workshop: Workshop) -> dict[int, int]:
    """Dots per visible idea (merged ideas' dots included) or per theme. Organisers only, or
    everyone once results are revealed: callers check `workshops.view_results`. Two queries."""
    if workshop.vote_target == VoteTarget.THEMES:
        rows = DotVote.objects.filter(workshop=workshop, theme__isnull=False).values_list("theme_id")
        return {pk: n for pk, n in rows.annotate(n=Sum("dots")).values_list("theme_id", "n") if n}
    totals = _surviving(_votes(workshop))
    hidden = (
        set(Idea.objects.filter(pk__in=list(totals), hidden=True).values_list("pk", flat=True)) if totals else set()
    )
    return {pk: n for pk, n in totals.items() if n and pk not in hidden}


def voter_count(workshop: Workshop) -> int:
    field = _target_field(workshop)
    return (
        DotVote.objects.filter(workshop=workshop, **{f"{field}__isnull": False})
        .values("participant_id")
        .distinct()
        .count()
    )


def my_dots(workshop: Workshop, participant: Participant | None) -> dict[int, int]:
    """The participant's own dots per idea or theme they can see them on (merged ideas' dots
    shown on the idea they went into). Hidden ideas are included, so they can take dots back."""
    if participant is None:
        return {}
    if workshop.vote_target == VoteTarget.THEMES:
        return {pk: dots for pk, _w, dots in _votes(workshop, participant=participant)}
    return _surviving(_votes(workshop, participant=participant))


def dots_left(workshop: Workshop, participant: Participant | None) -> int:
    return workshop.dots_per_participant - sum(my_dots(workshop, participant).values())


def hidden_with_my_dots(workshop: Workshop, mine: Mapping[int, int]) -> list[Idea]:
    """Ideas taken off the wall that still hold some of this person's dots."""
    if workshop.vote_target == VoteTarget.THEMES or not mine:
        return []
    return list(Idea.objects.filter(workshop=workshop, pk__in=list(mine), hidden=True).order_by("pk"))


# Writes --------------------------------------------------------------------------------------


def _set_flag(workshop: Workshop, actor, field: str, value: bool, action: str, event: str) -> Workshop:
    require_perm(actor, "workshops.facilitate", workshop, FACILITATE)
    locked = Workshop.objects.select_for_update().get(pk=workshop.pk)
    before = getattr(locked, field)
    if before == value:
        setattr(workshop, field, value)
        return workshop
    setattr(workshop, field, value)
    Workshop.objects.filter(pk=workshop.pk).update(**{field: value})
    audit_record(
        actor=actor, action=action, obj=workshop, partnership_id=workshop.partnership_id,
        changes={field: [before, value]},
    )  # fmt: skip
    # Everyone's pages learn that voting changed; never with counts.
    wall_event(workshop, event, {"voting_open": workshop.voting_open, "results_revealed": workshop.results_revealed})
    return workshop


@transaction.atomic
def voting_open(*, workshop: Workshop, actor) -> Workshop:
    require_perm(actor, "workshops.facilitate", workshop, FACILITATE)
    if not _has_items(workshop):
        what = "themes" if workshop.vote_target == VoteTarget.THEMES else "ideas on the wall"
        raise ValidationError({"voting_open": f"There are no {what} to vote on yet"})
    return _set_flag(workshop, actor, "voting_open", True, "workshop.open_voting", "voting")


@transaction.atomic
def voting_close(*, workshop: Workshop, actor) -> Workshop:
    return _set_flag(workshop, actor, "voting_open", False, "workshop.close_voting", "voting")


@transaction.atomic
def results_reveal(*, workshop: Workshop, actor) -> Workshop:
    return _set_flag(workshop, actor, "results_revealed", True, "workshop.reveal_results", "results")


def _voter(workshop: Workshop, actor, participant: Participant | None) -> Participant:
    """The participant whose dots these are: the signed-in person (their row is made on first
    use), or the guest whose browser holds the workshop's cookie."""
    signed_in = actor is not None and getattr(actor, "is_authenticated", False)
    if signed_in:
        if participant is not None and participant.user_id != actor.pk:
            raise PermissionDenied("Sign in as yourself to vote.")
        if not is_participant.test(actor, workshop):
            raise PermissionDenied("Your role in this partnership does not allow voting.")
        if not actor.has_perm("workshops.vote", workshop):
            raise ValidationError({"dots": CLOSED})
        return participant_for_user(workshop=workshop, user=actor)
    if participant is None or participant.workshop_id != workshop.pk or participant.user_id is not None:
        raise PermissionDenied("Join this workshop with its code before voting.")
    return participant


def _whole_number(raw) -> int:
    if isinstance(raw, bool):
        raise ValueError
    if isinstance(raw, int):
        return raw
    text = str(raw if raw is not None else "").strip()
    if text == "":
        return 0
    if not text.lstrip("-").isascii() or not text.lstrip("-").isdigit() or len(text) > 6:
        raise ValueError
    return int(text)


def _parse(dots: Mapping) -> tuple[dict[int, int], dict[str, str]]:
    """{item id: dots} from a mapping of ids (or "dots_<id>" names) to raw values."""
    wanted: dict[int, int] = {}
    errors: dict[str, str] = {}
    for key, raw in dots.items():
        text = str(key).removeprefix("dots_")
        if not text.isascii() or not text.isdigit() or len(text) > 18:
            errors["dots"] = NOT_HERE
            continue
        pk = int(text)
        try:
            value = _whole_number(raw)
        except (TypeError, ValueError):
            errors[field_name(pk)] = NOT_A_NUMBER
            continue
        if value < 0:
            errors[field_name(pk)] = NEGATIVE
            continue
        wanted[pk] = value
    return wanted, errors


@transaction.atomic
def dots_save(*, workshop: Workshop, dots: Mapping, actor=None, participant: Participant | None = None) -> dict:
    """Set how many dots the voter has on each idea or theme named in `dots` ({id or
    "dots_<id>": number}); items not named keep their dots. Everything is checked before
    anything is written: a bad number, an item of another workshop, a hidden or merged idea
    (unless taking dots off it), going over the budget or voting while closed saves nothing.
    Returns the voter's dots afterwards ({item id: dots})."""
    voter = _voter(workshop, actor, participant)
    wanted, errors = _parse(dots)
    if errors:
        raise ValidationError(errors)
    # Lock order (always the same, so no deadlocks): the workshop, the participant, their votes.
    fresh = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if not voting_now(fresh) or fresh.vote_target != workshop.vote_target:
        raise ValidationError({"dots": CLOSED})
    workshop = fresh
    voter = Participant.objects.select_for_update().get(pk=voter.pk)
    field = _target_field(workshop)
    mine = list(
        DotVote.objects.select_for_update()
        .filter(participant=voter, workshop=workshop, **{f"{field}__isnull": False})
        .select_related(field)
        .order_by("pk")
    )
    if field == "theme":
        found = {t.pk: t for t in Theme.objects.filter(workshop=workshop, pk__in=list(wanted))}
    else:
        found = {i.pk: i for i in Idea.objects.filter(workshop=workshop, pk__in=list(wanted))}
    # What the voter has now, per item they see (merged ideas' dots on the idea they went into).
    current: dict[int, int] = {}
    for vote in mine:
        current[_key(vote, field)] = current.get(_key(vote, field), 0) + vote.dots
    for pk, value in wanted.items():
        item = found.get(pk)
        if item is None:
            errors[field_name(pk)] = NOT_HERE
        elif field == "idea" and value > current.get(pk, 0) and (item.hidden or item.merged_into_id):
            errors[field_name(pk)] = (
                "This idea has been taken off the wall: you cannot add dots to it"
                if item.hidden
                else "This idea has been merged into another: put your dots on that one"
            )
        elif field == "idea" and item.merged_into_id and value != current.get(pk, 0):
            errors[field_name(pk)] = "This idea has been merged into another: change your dots on that one"
    if errors:
        raise ValidationError(errors)
    after = {**current, **wanted}
    budget = workshop.dots_per_participant
    spent = sum(after.values())
    if spent > budget:
        raise ValidationError(
            {"dots": f"You have {budget} dots and this would use {spent}. Take {spent - budget} off first."}
        )
    changes = {pk: [current.get(pk, 0), n] for pk, n in wanted.items() if current.get(pk, 0) != n}
    if not changes:
        return {pk: n for pk, n in after.items() if n}
    for pk, (before, now) in changes.items():
        _apply(voter, workshop, field, pk, before, now, [v for v in mine if _key(v, field) == pk])
    audit_record(
        actor=actor, action="workshop.vote", obj=voter, partnership_id=workshop.partnership_id,
        changes={"target": field, "dots": {str(pk): change for pk, change in changes.items()}},
    )  # fmt: skip
    totals = _item_totals(workshop, field, list(changes))
    wall_event(
        workshop, "tally",
        {"target": field, "items": [{"id": pk, "dots": totals.get(pk, 0)} for pk in changes],
         "voters": voter_count(workshop)},
        facilitators_only=True,
    )  # fmt: skip
    return {pk: n for pk, n in after.items() if n}


def _key(vote: DotVote, field: str) -> int:
    return (vote.idea.merged_into_id or vote.idea_id) if field == "idea" else vote.theme_id


def _apply(voter, workshop, field: str, pk: int, before: int, now: int, votes: list[DotVote]) -> None:
    """Move this voter's dots on one item from `before` to `now`: more go on the item itself;
    fewer come off the item itself first, then off ideas merged into it."""
    own = next((v for v in votes if getattr(v, f"{field}_id") == pk), None)
    if now > before:
        if own is None:
            DotVote.objects.create(workshop=workshop, participant=voter, dots=now - before, **{f"{field}_id": pk})
        else:
            own.dots += now - before
            own.save(update_fields=["dots"])
        return
    remove = before - now
    ordered = ([own] if own is not None else []) + [v for v in votes if v is not own]
    for vote in ordered:
        if remove <= 0:
            break
        take = min(remove, vote.dots)
        remove -= take
        if take == vote.dots:
            vote.delete()
        else:
            vote.dots -= take
            vote.save(update_fields=["dots"])


def _item_totals(workshop: Workshop, field: str, pks: list[int]) -> dict[int, int]:
    """Everyone's dots on these items now (for the facilitators' live tally). One query."""
    if field == "theme":
        rows = DotVote.objects.filter(workshop=workshop, theme_id__in=pks).values_list("theme_id")
        return dict(rows.annotate(n=Sum("dots")).values_list("theme_id", "n"))
    votes = DotVote.objects.filter(workshop=workshop, idea__isnull=False).filter(
        idea_id__in=pks
    ) | DotVote.objects.filter(workshop=workshop, idea__merged_into_id__in=pks)
    return _surviving(votes.values_list("idea_id", "idea__merged_into_id", "dots"))
