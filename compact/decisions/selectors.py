from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from compact.partnerships.models import Body, BodyMember, Membership, Position, Role, Voters
from compact.partnerships.selectors import roles_for_user

from .models import AgendaItem, Attendance, Meeting, Paper, Proposal, ProposalOption, Statement, StatementKind, Vote

CHAIRS = (Position.CHAIR, Position.CO_CHAIR)
VOTING_POSITIONS = (Position.CHAIR, Position.CO_CHAIR, Position.MEMBER)
VOTING_ROLES = (Role.CONVENOR, Role.FACILITATOR, Role.MEMBER)


def _serving(body_id: int, *, positions):
    today = timezone.localdate()
    return (
        BodyMember.objects.filter(body_id=body_id, position__in=positions)
        .exclude(starts_on__gt=today)
        .exclude(ends_on__lt=today)
    )


def body_position(user, body: Body | None) -> str | None:
    """The person's position in the group today (cached on the user per request)."""
    if body is None or not getattr(user, "is_authenticated", False):
        return None
    cache = user.__dict__.setdefault("_compact_positions", {})
    if body.pk not in cache:
        member = _serving(body.pk, positions=list(Position.values)).filter(user=user).first()
        cache[body.pk] = member.position if member else None
    return cache[body.pk]


def eligible_voter_ids(proposal: Proposal) -> set[int]:
    """Who may vote: the group's voting members today, or the partnership's participants."""
    body = proposal.body
    if body is not None and body.voters == Voters.BODY:
        return set(_serving(body.pk, positions=VOTING_POSITIONS).values_list("user_id", flat=True))
    return set(
        Membership.objects.filter(partnership_id=proposal.partnership_id, role__in=VOTING_ROLES).values_list(
            "user_id", flat=True
        )
    )


def is_eligible_voter(user, proposal: Proposal) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    body = proposal.body
    if body is not None and body.voters == Voters.BODY:
        return body_position(user, body) in VOTING_POSITIONS
    return roles_for_user(user).get(proposal.partnership_id) in VOTING_ROLES


def proposals_awaiting_vote(user, *, limit: int = 10) -> list[Proposal]:
    """Open votes this person may cast and has not, soonest closing first (for the dashboard)."""
    candidates = (
        Proposal.objects.filter(
            status=Proposal.Status.OPEN, closes_at__gt=timezone.now(), partnership__memberships__user=user
        )
        .exclude(votes__voter=user)
        .select_related("partnership", "body")
        .order_by("closes_at")[: limit * 3]
    )
    return [p for p in candidates if is_eligible_voter(user, p)][:limit]


def proposal_get_for_user(*, partnership, pk) -> Proposal:
    """The caller has already resolved the partnership for this person (404 if not a member)."""
    try:
        return (
            Proposal.objects.select_related("body", "process", "meeting", "created_by", "partnership")
            .prefetch_related(Prefetch("options", queryset=ProposalOption.objects.order_by("position")))
            .get(partnership=partnership, pk=pk)
        )
    except (Proposal.DoesNotExist, ValueError, TypeError):
        raise Http404("No such proposal") from None


def vote_of(user, proposal: Proposal) -> Vote | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Vote.objects.filter(proposal=proposal, voter=user).first()


def proposals_for_log(*, partnership, q: str = "", status: str = "", body_id=None, process_id=None):
    """The decision log: every proposal of the partnership, newest first, with its outcome."""
    proposals = Proposal.objects.filter(partnership=partnership).select_related("body", "process", "outcome")
    if q:
        proposals = proposals.filter(Q(title__icontains=q) | Q(text__icontains=q) | Q(outcome__decision__icontains=q))
    if status:
        proposals = proposals.filter(status=status)
    if body_id:
        proposals = proposals.filter(body_id=body_id)
    if process_id:
        proposals = proposals.filter(process_id=process_id)
    return proposals.order_by("-created_at", "-pk")


def objections_for(proposal: Proposal) -> list[Vote]:
    """Consent votes that object or block, with their reasons (callers check view_results)."""
    return list(
        Vote.objects.filter(proposal=proposal, ballot__position__in=["object", "block"])
        .select_related("voter")
        .order_by("created_at")
    )


def statements_for_process(process) -> dict[str, list]:
    """Every version of the process's purpose, vision and priorities, newest first, by kind."""
    by_kind: dict[str, list] = {kind: [] for kind in StatementKind.values}
    for statement in (
        Statement.objects.filter(process=process)
        .select_related("adopted_by__proposal__meeting")
        .annotate(votes_cast=Count("adopted_by__proposal__votes"))
        .order_by("kind", "-version")
    ):
        by_kind[statement.kind].append(statement)
    return by_kind


def current_statement(process, kind: str):
    return Statement.objects.filter(process=process, kind=kind).order_by("-version").first()


# Meetings ---------------------------------------------------------------------------------


def _pk(raw) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise Http404("Not found") from None


def meeting_get(*, body, pk) -> Meeting:
    """A meeting of this group with its agenda and papers (the caller resolved the group)."""
    agenda = AgendaItem.objects.order_by("position").prefetch_related("papers")
    try:
        meeting = Meeting.objects.prefetch_related(Prefetch("agenda", queryset=agenda)).get(body=body, pk=_pk(pk))
    except Meeting.DoesNotExist:
        raise Http404("No such meeting") from None
    meeting.body = body
    return meeting


def agenda_item_of(meeting: Meeting, raw_pk) -> AgendaItem:
    pk = _pk(raw_pk)
    for item in meeting.agenda.all():  # prefetched by meeting_get
        if item.pk == pk:
            return item
    raise Http404("No such agenda item")


def paper_of(meeting: Meeting, raw_pk) -> Paper:
    try:
        return Paper.objects.get(pk=_pk(raw_pk), item__meeting=meeting)
    except Paper.DoesNotExist:
        raise Http404("No such paper") from None


def timed_agenda(meeting: Meeting) -> list[dict]:
    """Each item with its start time: the meeting's start plus the lengths of the items before it."""
    when, rows = timezone.localtime(meeting.starts_at), []
    for number, item in enumerate(meeting.agenda.all(), 1):
        rows.append({"item": item, "number": number, "starts": when})
        when += dt.timedelta(minutes=item.duration_minutes)
    return rows


def attendance_of(meeting: Meeting):
    return (
        Attendance.objects.filter(meeting=meeting)
        .select_related("user", "organisation")
        .order_by("user__full_name", "user__email")
    )


def attendees(body) -> list[tuple]:
    """Everyone in the group, with the organisation they represent by default: their
    organisation in the group, or else in the partnership."""
    members = list(body.body_members.all())
    in_partnership = {
        m.user_id: m.organisation
        for m in Membership.objects.filter(
            partnership_id=body.partnership_id, user_id__in=[bm.user_id for bm in members]
        ).select_related("organisation")
    }
    members.sort(key=lambda bm: (bm.user.full_name.lower(), bm.user.email))
    return [(bm.user, bm.organisation or in_partnership.get(bm.user_id)) for bm in members]


def meeting_delete_blocker(meeting: Meeting) -> str:
    """Why a meeting cannot be deleted, or "" if it can. Minutes, attendance and decisions make
    a meeting part of the group's record, which is kept."""
    if meeting.proposals.exists():
        return "Proposals were put to this meeting, so it is part of the decision record and cannot be deleted."
    if meeting.attendance.exists() or meeting.agenda.exclude(minutes="").exists():
        return "This meeting has minutes or attendance recorded, so it is part of the record and cannot be deleted."
    return ""


def agenda_item_remove_blocker(item: AgendaItem) -> str:
    if item.minutes:
        return "This item has minutes, so it is part of the record and cannot be removed."
    return ""
