"""What decisions hold about a person, for "Your data". Votes, objections and attendance stay
on the record after an erasure (the decision must still add up): the account they point to is
anonymised, so they read as "Erased user"."""

from __future__ import annotations

from .models import Attendance, Proposal, Vote


def export(user) -> dict:
    votes = Vote.objects.filter(voter=user).select_related("proposal__partnership").order_by("created_at")
    return {
        "votes": [
            {"proposal": v.proposal.title, "partnership": v.proposal.partnership.name, "ballot": v.ballot,
             "reason": v.reason, "cast": v.created_at.isoformat(), "changed": v.updated_at.isoformat()}
            for v in votes
        ],
        "proposals_opened": [
            {"title": p.title, "partnership": p.partnership.name, "opened": p.created_at.isoformat()}
            for p in Proposal.objects.filter(created_by=user).select_related("partnership").order_by("created_at")
        ],
        "meetings_attended": [
            {"meeting": a.meeting.title, "date": a.meeting.starts_at.date().isoformat(), "attendance": a.status,
             "representing": str(a.organisation or "")}
            for a in Attendance.objects.filter(user=user).select_related("meeting", "organisation")
        ],
    }  # fmt: skip
