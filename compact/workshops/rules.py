"""Who may plan, join, add ideas to, moderate, vote in and export a workshop, by role, by the
process's stage and by the workshop's state (planned, live, ended, published, cancelled).

Guests who joined with the code have no account: views check them with the same state
predicates (`accepting_ideas`, `voting_now`) that these rules use for signed-in people."""

from __future__ import annotations

import rules
from django.utils import timezone

from compact.partnerships.rules import is_organiser, is_participant, is_partnership_member
from compact.processes.registry import CLOSED
from compact.processes.rules import stage_allows
from compact.processes.selectors import current_stage_kind

from .models import Workshop
from .stages import RUN

State = Workshop.State


def in_state(*states: str):
    allowed = frozenset(states)

    @rules.predicate(name=f"in_state({'|'.join(states)})")
    def predicate(user, workshop) -> bool:
        return workshop.state in allowed

    return predicate


def accepting_ideas(workshop: Workshop, now=None) -> bool:
    """Live, or ended with prompts still open online (async_until in the future)."""
    now = now or timezone.now()
    if workshop.state == State.LIVE:
        return True
    return workshop.state == State.ENDED and workshop.async_until is not None and workshop.async_until > now


def voting_now(workshop: Workshop) -> bool:
    return workshop.voting_open and workshop.state in (State.LIVE, State.ENDED)


@rules.predicate
def is_accepting_ideas(user, workshop) -> bool:
    return accepting_ideas(workshop)


@rules.predicate
def is_voting(user, workshop) -> bool:
    return voting_now(workshop)


@rules.predicate
def results_revealed(user, workshop) -> bool:
    return workshop.results_revealed


@rules.predicate
def process_open(user, process) -> bool:
    return current_stage_kind(process) != CLOSED


@rules.predicate
def stage_runs_workshops(user, workshop) -> bool:
    return stage_allows(RUN).test(user, workshop.process)


planning = in_state(State.PLANNED, State.LIVE, State.ENDED)
running = in_state(State.LIVE, State.ENDED)

rules.add_perm("workshops.add_workshop", is_organiser & process_open)
rules.add_perm("workshops.view_workshop", is_partnership_member)
rules.add_perm("workshops.change_workshop", is_organiser & planning)
rules.add_perm("workshops.start_workshop", is_organiser & in_state(State.PLANNED) & stage_runs_workshops)
rules.add_perm("workshops.facilitate", is_organiser & running)
rules.add_perm("workshops.publish", is_organiser & in_state(State.ENDED, State.PUBLISHED))
rules.add_perm("workshops.register", is_participant & in_state(State.PLANNED, State.LIVE))
rules.add_perm("workshops.invite_guests", is_organiser & in_state(State.PLANNED, State.LIVE))
rules.add_perm("workshops.submit_idea", is_participant & is_accepting_ideas)
rules.add_perm("workshops.vote", is_participant & is_voting)
rules.add_perm("workshops.view_results", is_organiser | (is_partnership_member & results_revealed))
rules.add_perm("workshops.view_registrations", is_organiser)
rules.add_perm("workshops.view_access_needs", is_organiser)
rules.add_perm("workshops.export", is_organiser | (is_partnership_member & in_state(State.PUBLISHED)))
