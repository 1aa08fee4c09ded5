"""Drafting fixtures: a process with two key areas, put at a stage, and a document made through
the service (an introduction and one block per key area)."""

import html
import re

import pytest

from compact.drafting import services
from compact.drafting.models import Block, BlockKind, Document
from compact.partnerships.models import Role
from compact.processes.models import KeyArea, StageKind

from ..factories import at_stage

KEY_AREA_TITLES = ["Sustainability and funding", "Procurement and commissioning"]


def set_stage(process, stage: str):
    """Put the process at `stage` (a StageKind value, "setup" or "closed"); a fresh copy back."""
    return at_stage(process, stage)


def fresh(document: Document) -> Document:
    """The document reloaded, with its process's cached stage kind forgotten."""
    return Document.objects.select_related("process", "partnership").get(pk=document.pk)


def reload(block: Block) -> Block:
    return Block.objects.get(pk=block.pk)


def key_area_blocks(document: Document) -> list[Block]:
    return list(Block.objects.filter(document=document, kind=BlockKind.KEY_AREA, removed_at=None).order_by("position"))


def intro_block(document: Document) -> Block:
    return Block.objects.get(document=document, kind=BlockKind.INTRODUCTION, removed_at=None)


def add_commitment(document, actor, parent, statement="We will pay within 30 days.", **extra) -> Block:
    return services.block_add(
        document=document, actor=actor, kind=BlockKind.COMMITMENT, parent=parent, statement=statement,
        committed_by=extra.pop("committed_by", ["all"]), **extra,
    )  # fmt: skip


@pytest.fixture
def key_areas(process):
    # Made out of order, so "in order" means by position, not by creation.
    second = KeyArea.objects.create(process=process, title=KEY_AREA_TITLES[1], position=2)
    first = KeyArea.objects.create(
        process=process, title=KEY_AREA_TITLES[0], description="Money that lasts.", position=1
    )
    return [first, second]


@pytest.fixture
def drafting(process, key_areas):
    """The process in its drafting stage (earlier stages done)."""
    return set_stage(process, StageKind.DRAFTING)


@pytest.fixture
def convenor(people):
    return people[Role.CONVENOR]


@pytest.fixture
def facilitator(people):
    return people[Role.FACILITATOR]


@pytest.fixture
def document(drafting, convenor):
    return services.document_create(process=drafting, actor=convenor, title="SEL VCSE Charter")


@pytest.fixture
def areas(document):
    """The document's key area blocks, in order."""
    return key_area_blocks(document)


# Reading pages ----------------------------------------------------------------------------


def page(response) -> str:
    return response.content.decode()


def textarea(response, name: str) -> str | None:
    """What a textarea holds, unescaped (Django adds a newline after the opening tag)."""
    found = re.search(r'<textarea[^>]*name="' + re.escape(name) + r'"[^>]*>\n?(.*?)</textarea>', page(response), re.S)
    return html.unescape(found.group(1)) if found else None


def hidden(response, name: str) -> str | None:
    """A hidden input's value, whichever order its attributes are in."""
    for pattern in (r'<input[^>]*name="{}"[^>]*value="([^"]*)"', r'<input[^>]*value="([^"]*)"[^>]*name="{}"'):
        found = re.search(pattern.format(re.escape(name)), page(response))
        if found:
            return found.group(1)
    return None
