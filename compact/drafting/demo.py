"""Demo document, added when South East London's drafting stage starts: the charter's
introduction, a purpose section and commitments under its four key areas, tagged with Civil
Society Covenant principles. Amara saves "First draft for the leadership group", then edits a
commitment, so the versions page has a change to compare. Chloe (a member speaking for a VCSE
organisation) comments on a passage and proposes an amendment, both open for the editors.
The wording is the demo's own, written for Compact."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from compact.processes.demo import register_demo_step
from compact.processes.models import StageKind

from . import services
from .models import Block, BlockKind, Document, Framework, SectionKind

SLUG = "south-east-london"
INTRODUCTION = (
    "This charter sets out how the NHS, the six councils and the voluntary, community and social enterprise "
    "(VCSE) sector in South East London will work together to reduce health inequalities.\n\n"
    "It was written with the sector: leaders of small and large organisations came to workshops, shared "
    "case studies of what works, and commented on every draft."
)
PURPOSE = (
    "VCSE organisations reach people that statutory services often miss. This charter makes the sector a "
    "partner in planning, not only a provider of services, and says what each partner will do about it.\n\n"
    "- It applies to the integrated care board, councils, NHS trusts and VCSE organisations.\n"
    "- Partners will check every year whether the commitments are kept."
)
COMMITMENTS = [
    # key area index, statement, who commits, explanation, tags
    (0, "We will give the VCSE sector seats, with a vote, on the boards that plan health and care in each borough.",
     ["icb", "local_authority"], "A seat with a vote means the sector shapes decisions, not only hears about them.",
     ["Partnership and collaboration"]),
    (0, "We will pay VCSE representatives for the time they spend on partnership boards.",
     ["icb"], "Small organisations cannot spare unpaid staff time. Paying for it widens who can take part.",
     ["Participation and inclusion"]),
    (1, "We will offer grants of at least three years wherever the work is expected to last.",
     ["icb", "local_authority"], "One-year grants make it hard to keep staff and plan ahead.",
     ["Recognition and value"]),
    (1, "We will fund the full cost of services, including a fair share of overheads.",
     ["all"], "", ["Recognition and value"]),
    (2, "We will publish upcoming tenders at least three months before they open.",
     ["icb", "local_authority", "nhs_trust"], "Notice lets small organisations form partnerships and bid together.",
     ["Transparency and access"]),
    (2, "We will keep tender forms short for contracts under £100,000.",
     ["icb", "local_authority"], "", []),
    (3, "We will pay VCSE organisations within 30 days of an invoice.",
     ["all"], "Late payment puts small charities' cash flow at risk.", ["Recognition and value"]),
    (3, "We will agree how success is measured with the organisation before a contract starts.",
     ["icb", "local_authority", "vcse"], "", ["Partnership and collaboration"]),
]  # fmt: skip


def register() -> None:
    register_demo_step(StageKind.DRAFTING, drafting_stage)


def drafting_stage(*, process, stage) -> None:
    if process.partnership.slug != SLUG or Document.objects.filter(process=process).exists():
        return
    users = {u.email: u for u in get_user_model().objects.filter(email__endswith="@example.org")}
    amara, chloe = users["convenor@example.org"], users["member@example.org"]
    partnership = process.partnership
    tags = {
        name: services.framework_tag_create(
            partnership=partnership, actor=amara, framework=Framework.COVENANT, name=name
        )
        for name in services.tags.STANDARD_TAGS[Framework.COVENANT]
    }
    document = services.document_create(process=process, actor=amara, title="South East London VCSE Charter")
    intro = Block.objects.get(document=document, kind=BlockKind.INTRODUCTION)
    services.block_update(block=intro, actor=amara, lock_version=intro.lock_version, body=INTRODUCTION)
    services.block_add(document=document, actor=amara, kind=BlockKind.SECTION, section_kind=SectionKind.PURPOSE,
                       title="Why we need this charter", body=PURPOSE)  # fmt: skip
    areas = list(Block.objects.filter(document=document, kind=BlockKind.KEY_AREA).order_by("position"))
    made = []
    for index, statement, committed_by, body, tag_names in COMMITMENTS:
        made.append(services.block_add(
            document=document, actor=amara, kind=BlockKind.COMMITMENT, parent=areas[index], statement=statement,
            committed_by=committed_by, body=body, tags=[tags[name] for name in tag_names],
        ))  # fmt: skip
    services.version_cut(document=document, actor=amara, name="First draft for the leadership group")
    payment = made[6]
    services.block_update(
        block=payment, actor=amara, lock_version=payment.lock_version,
        statement="We will pay VCSE organisations within 14 days of a correct invoice.",
    )  # fmt: skip
    grants = made[2]
    services.comment_add(
        block=grants, actor=chloe, quote="at least three years", anchor_field="statement",
        body="Three years is good, but please say what happens at the end: a review six months before it ends?",
    )  # fmt: skip
    services.amendment_propose(
        block=made[5], actor=chloe, base_lock_version=made[5].lock_version,
        statement="We will keep tender forms short and in plain English for contracts under £250,000.",
        reason="Most contracts our members bid for are between £100,000 and £250,000.",
    )  # fmt: skip
