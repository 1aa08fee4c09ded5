"""Seed one large document: 12 key areas of 100 commitments each (each with a statement of 20 to
35 words and an explanation of 60 to 120 words in Markdown), 5,000 comments (two thirds start a thread,
a fifth of those on a quoted passage; the rest are replies; a third of the threads have an outcome for
"You said, we did"), 500 amendments (most open, some decided) and 20 versions, each cut after about 5% of
the commitments were reworded. A consultation round on the last version asks, for each key area, how far
people agree and what they would change, and what else they would say about the whole document; 1,000
responses (a quarter on behalf of an organisation) answer two key areas each and sometimes the whole
document: about 2,000 answers with words (a third with an outcome) and 2,000 marks on the scale.

The partnership, people and process are made directly; the blocks, comments and amendments with
bulk inserts (services bypassed for speed; no audit entries: the pages measured do not read
them). Versions are real snapshots (versioning.snapshot), so diffs compare what the app would
have frozen. Deterministic: the same seed gives the same document on every run."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from compact.drafting.models import (
    Amendment,
    AmendmentStatus,
    Answer,
    Block,
    BlockKind,
    Comment,
    Document,
    Framework,
    FrameworkTag,
    Outcome,
    Question,
    QuestionKind,
    Response,
    Round,
    Version,
)  # fmt: skip
from compact.drafting.versioning import snapshot
from compact.organisations.models import Organisation
from compact.partnerships.models import Membership, Partnership, Role
from compact.processes.models import KeyArea, Process, Stage, StageKind, StageStatus

from .seed import ACTIVITIES, AUDIENCES, PASSWORD, THEMES

SEED = 2030
KEY_AREAS, PER_AREA = 12, 100
COMMENTS, AMENDMENTS, VERSIONS = 5000, 500, 20
RESPONSES, RESPONDING_ORGANISATIONS = 1000, 40
OUTCOME_NOTES = [
    "We reworded the commitment to say who does what, and by when.",
    "The governance section already covers this; we added a cross-reference.",
    "We kept the wording: the ICB's funding rules do not allow this yet. We will raise it at the board.",
    "Noted for the action plan's first year.",
]
REWORDED = 0.05  # share of commitments reworded between versions
VERBS = ["fund", "involve", "pay", "publish", "share", "train", "review", "support", "consult", "report on"]
COMMITTERS = [["icb"], ["icb", "local_authority"], ["all"], ["nhs_trust"], ["vcse"], ["icb", "vcse"]]


@dataclass
class DraftingSeed:
    partnership: Partnership
    editor: object
    member: object
    document: Document
    first: Version
    last: Version
    commitments: int
    comments: int
    amendments: int
    answers: int = 0
    accounted: int = 0  # what "You said, we did" lists: threads, amendments and answers with words

    @property
    def counts(self) -> dict:
        return {"commitments": self.commitments, "comments": self.comments, "amendments": self.amendments,
                "consultation answers": self.answers}  # fmt: skip


def _sentence(rng: random.Random, words: int) -> str:
    out = ["We will", rng.choice(VERBS)]
    while len(" ".join(out).split()) < words:
        out.append(
            rng.choice(
                [rng.choice(AUDIENCES), rng.choice(ACTIVITIES), rng.choice(THEMES), "and", "with", "in every borough"]
            )
        )
    return " ".join(out) + "."


def _explanation(rng: random.Random, words: int) -> str:
    lines, count = [], 0
    while count < words:
        line = " ".join(
            rng.choice([rng.choice(THEMES), rng.choice(ACTIVITIES), rng.choice(AUDIENCES)]) for _ in range(8)
        )
        lines.append(f"- **{line.split()[0].capitalize()}** {line}." if rng.random() < 0.3 else line.capitalize() + ".")
        count += len(line.split())
    return "\n\n".join(lines)


@transaction.atomic
def seed_drafting() -> DraftingSeed:
    rng = random.Random(SEED)
    User = get_user_model()
    partnership = Partnership.objects.create(
        name="Large Charter Partnership", slug="large-charter", brand_name="Charter"
    )
    password = make_password(PASSWORD)
    editor = User.objects.create(email="bench.dr.editor@example.org", full_name="Ruth Mensah", password=password)
    member = User.objects.create(email="bench.dr.member@example.org", full_name="Omar Haddad", password=password)
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in (editor, member)]
    )
    org = Organisation.objects.create(org_id="GB-CHC-1299001", name="Bench Community Trust", kind="vcse")
    Membership.objects.bulk_create(
        [Membership(partnership=partnership, user=editor, role=Role.CONVENOR),
         Membership(partnership=partnership, user=member, role=Role.MEMBER, organisation=org)]
    )  # fmt: skip
    process = Process.objects.create(partnership=partnership, title="Large charter", slug="charter", created_by=editor)
    Stage.objects.bulk_create(
        [Stage(process=process, kind=kind, position=i,
               status=StageStatus.DONE if i < 4 else StageStatus.ACTIVE if i == 4 else StageStatus.PLANNED)
         for i, kind in enumerate(StageKind.values, 1)]
    )  # fmt: skip
    areas = KeyArea.objects.bulk_create(
        [
            KeyArea(process=process, title=f"Key area {i}: {THEMES[i % len(THEMES)]}", position=i)
            for i in range(1, KEY_AREAS + 1)
        ]
    )
    tags = FrameworkTag.objects.bulk_create(
        [FrameworkTag(partnership=partnership, framework=Framework.COVENANT, name=n)
         for n in ("Recognition and value", "Partnership and collaboration", "Participation and inclusion", "Transparency and access")]
    )  # fmt: skip
    document = Document.objects.create(
        process=process, partnership=partnership, title="Large charter", created_by=editor
    )
    Block.objects.create(document=document, kind=BlockKind.INTRODUCTION, position=0, body=_explanation(rng, 200))
    heads = Block.objects.bulk_create(
        [Block(document=document, kind=BlockKind.KEY_AREA, key_area=a, title=a.title, position=a.position,
               body=_explanation(rng, 80)) for a in areas]
    )  # fmt: skip
    commitments = Block.objects.bulk_create(
        [Block(document=document, kind=BlockKind.COMMITMENT, parent=head, position=n,
               statement=_sentence(rng, rng.randint(20, 35)), body=_explanation(rng, rng.randint(60, 120)),
               committed_by=rng.choice(COMMITTERS))
         for head in heads for n in range(1, PER_AREA + 1)]
    )  # fmt: skip
    Through = Block.tags.through
    Through.objects.bulk_create(
        [Through(block_id=b.pk, frameworktag_id=t.pk) for b in commitments for t in rng.sample(tags, rng.randint(0, 2))]
    )
    versions = []
    for number in range(1, VERSIONS + 1):
        if number > 1:
            changed = rng.sample(commitments, int(len(commitments) * REWORDED))
            for block in changed:
                block.statement = _sentence(rng, rng.randint(20, 35))
                block.lock_version += 1
            Block.objects.bulk_update(changed, ["statement", "lock_version"])
        versions.append(Version.objects.create(document=document, number=number, name=f"Draft {number}",
                                               snapshot=snapshot(document), created_by=editor))  # fmt: skip
    threads = []
    for i in range(COMMENTS * 2 // 3):
        block = rng.choice(commitments)
        comment = Comment(document=document, block=block, author=rng.choice([editor, member]),
                          body=_sentence(rng, rng.randint(10, 40)), written_on=1)  # fmt: skip
        if i % 5 == 0:  # a fifth on a passage of the statement
            start = rng.randint(0, 20)
            comment.anchor_field, comment.quote = "statement", block.statement[start : start + 25]
            comment.anchor_start, comment.anchor_end = start, start + len(comment.quote)
        if i % 3 == 0:  # a third already accounted for
            _account(comment, editor, i)
        threads.append(comment)
    comments = Comment.objects.bulk_create(threads)
    replies = []
    for _ in range(COMMENTS - len(comments)):
        parent = rng.choice(comments)
        replies.append(Comment(document=document, block_id=parent.block_id, parent=parent, author=editor,
                               body=_sentence(rng, 15), written_on=1))  # fmt: skip
    Comment.objects.bulk_create(replies)
    decided = [AmendmentStatus.ACCEPTED, AmendmentStatus.REJECTED, AmendmentStatus.PARTLY]
    Amendment.objects.bulk_create(
        [Amendment(document=document, block=b, proposer=member, statement=_sentence(rng, 25), body=b.body,
                   reason=_sentence(rng, 20), base_lock_version=b.lock_version, base_statement=b.statement,
                   base_body=b.body, status=rng.choice(decided) if i % 5 == 0 else AmendmentStatus.OPEN,
                   outcome=Outcome.NOTED if i % 5 == 0 else "",
                   outcome_note=OUTCOME_NOTES[i % len(OUTCOME_NOTES)] if i % 5 == 0 else "")
         for i, b in enumerate(rng.sample(commitments, AMENDMENTS))]
    )  # fmt: skip
    answers, with_words = _consultation(rng, document, versions[-1], heads, editor)
    return DraftingSeed(
        partnership=partnership, editor=editor, member=member, document=document, first=versions[0],
        last=versions[-1], commitments=len(commitments), comments=COMMENTS, amendments=AMENDMENTS, answers=answers,
        accounted=len(comments) + AMENDMENTS + with_words,  # no thread is hidden, no amendment withdrawn
    )  # fmt: skip


def _account(item, editor, i: int) -> None:
    """Give `item` an outcome and a reason, as an editor would in "You said, we did"."""
    item.outcome = Outcome.values[i % len(Outcome.values)]
    item.outcome_note = OUTCOME_NOTES[i % len(OUTCOME_NOTES)]
    item.outcome_by, item.outcome_at = editor, timezone.now()


def _consultation(rng: random.Random, document, version, heads, editor) -> tuple[int, int]:
    """One round with two questions per key area and one about the whole document, answered by
    RESPONSES people. Returns the number of answers, and of those with words."""
    now = timezone.now()
    round_ = Round.objects.create(
        document=document, version=version, title="Public consultation", opens_at=now - dt.timedelta(days=40),
        closes_at=now - dt.timedelta(days=10), for_public=True, public_key="bench-drafting-consultation",
        created_by=editor,
    )  # fmt: skip
    questions = []
    for head in heads:
        questions += [
            Question(
                round=round_, block=head, kind=QuestionKind.AGREE, text=f"How far do you agree with {head.title}?"
            ),
            Question(round=round_, block=head, kind=QuestionKind.TEXT, text=f"What would you change in {head.title}?"),
        ]
    questions.append(Question(round=round_, kind=QuestionKind.TEXT, text="Is there anything else you want to tell us?"))
    for position, question in enumerate(questions, 1):
        question.position = position
    questions = Question.objects.bulk_create(questions)
    by_area = [questions[i : i + 2] for i in range(0, len(heads) * 2, 2)]
    organisations = Organisation.objects.bulk_create(
        [Organisation(org_id=f"GB-CHC-13{n:05d}", name=f"Bench Respondent Group {n}", kind="vcse")
         for n in range(1, RESPONDING_ORGANISATIONS + 1)]
    )  # fmt: skip
    responses = Response.objects.bulk_create(
        [Response(round=round_, name=f"Respondent {n}", email=f"respondent{n}@example.org",
                  on_behalf_of=rng.choice(organisations) if n % 4 == 0 else None)
         for n in range(1, RESPONSES + 1)]
    )  # fmt: skip
    answers = []
    for response in responses:
        for agree, change in rng.sample(by_area, 2):
            scale = rng.randint(1, 5)
            answers.append(Answer(response=response, question=agree, scale=scale,
                                  text=_sentence(rng, 20) if rng.random() < 0.3 else ""))  # fmt: skip
            if rng.random() < 0.6:
                answers.append(Answer(response=response, question=change, text=_sentence(rng, rng.randint(15, 60))))
        if rng.random() < 0.2:
            answers.append(Answer(response=response, question=questions[-1], text=_sentence(rng, 40)))
    for i, answer in enumerate(answers):
        if answer.text and i % 3 == 0:
            _account(answer, editor, i)
    Answer.objects.bulk_create(answers)
    return len(answers), sum(1 for answer in answers if answer.text)


def drafting_seed(ctx) -> DraftingSeed:
    return ctx.seed("drafting", seed_drafting)
