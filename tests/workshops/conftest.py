"""Workshop fixtures: a process at its workshops stage, a planned workshop with two prompts."""

import datetime as dt

import pytest
from django.utils import timezone

from compact.partnerships.models import Role
from compact.processes.models import KeyArea, StageKind
from compact.workshops import services

from ..factories import at_stage


def at(days=7, hour=10, minute=0) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture(autouse=True)
def _one_rate_window(monkeypatch):
    """Rate limits count per clock minute: a test running across a minute's end would start
    counting again. The cache is emptied between tests, so a fixed minute is safe."""
    from compact.workshops.services import ideas

    monkeypatch.setattr(ideas, "clock", lambda: 1_800_000_010.0)


@pytest.fixture
def workshop_process(process):
    """The process in its workshops stage, with two key areas."""
    KeyArea.objects.create(process=process, title="Procurement", position=1)
    KeyArea.objects.create(process=process, title="Funding", position=2)
    return at_stage(process, StageKind.WORKSHOPS)


@pytest.fixture
def workshop(workshop_process, people):
    facilitator = people[Role.FACILITATOR]
    workshop = services.workshop_create(
        process=workshop_process, actor=facilitator, title="Shaping the charter", purpose="Gather ideas.",
        starts_at=at(), ends_at=at(hour=13), venue="Civic Centre, Lewisham", capacity=30,
    )  # fmt: skip
    procurement = workshop_process.key_areas.get(title="Procurement")
    services.prompt_add(workshop=workshop, actor=facilitator, text="What should the ICB commit to on procurement?",
                        key_area=procurement)  # fmt: skip
    services.prompt_add(workshop=workshop, actor=facilitator, text="What would make funding fairer?")
    return workshop


@pytest.fixture
def live_workshop(workshop, people):
    """Started, with its first prompt open."""
    services.workshop_start(workshop=workshop, actor=people[Role.FACILITATOR])
    services.prompt_open(prompt=workshop.prompts.first(), actor=people[Role.FACILITATOR])
    workshop.refresh_from_db()
    return workshop


# The live-stream tests (see live_clients.py) ------------------------------------------------------


@pytest.fixture
def keep_the_test_connection(monkeypatch):
    """Channels closes "old" database connections around every consumer call; in a test that
    would close the connection holding the test's transaction (PostgreSQL then fails every
    later query). Requests in production still get the real clean-up."""
    import channels.consumer
    import channels.db
    import channels.generic.http
    import channels.generic.websocket

    async def nothing():
        return None

    monkeypatch.setattr(channels.db, "close_old_connections", lambda: None)
    for module in (channels.db, channels.consumer, channels.generic.http, channels.generic.websocket):
        if hasattr(module, "aclose_old_connections"):
            monkeypatch.setattr(module, "aclose_old_connections", nothing)


@pytest.fixture
def no_language_model(monkeypatch):
    """Ideas are embedded after commit; loading the model here would only slow the tests."""
    from compact import theming

    def unavailable(texts):
        raise theming.EmbeddingUnavailable("not in these tests")

    monkeypatch.setattr(theming, "embed", unavailable)
