from .consultation import AGREE_SCALE, Answer, Invitation, Question, QuestionKind, Response, Round
from .document import (
    ALL_PARTNERS,
    BODY_MAX,
    COMMITTER_CHOICES,
    STATEMENT_MAX,
    TITLE_MAX,
    Block,
    BlockKind,
    Document,
    Framework,
    FrameworkTag,
    SectionKind,
    Version,
)  # fmt: skip
from .feedback import (
    COMMENT_MAX,
    CONTEXT_CHARS,
    QUOTE_MAX,
    REASON_MAX,
    Amendment,
    AmendmentStatus,
    AmendmentSupport,
    AnchorField,
    Comment,
    CommentReport,
    Outcome,
)  # fmt: skip
from .sources import SOURCE_FIELDS, SourceLink

__all__ = [
    "AGREE_SCALE", "ALL_PARTNERS", "BODY_MAX", "COMMENT_MAX", "QUOTE_MAX", "REASON_MAX", "COMMITTER_CHOICES", "CONTEXT_CHARS", "SOURCE_FIELDS", "STATEMENT_MAX",
    "TITLE_MAX", "AnchorField", "Amendment", "AmendmentStatus", "AmendmentSupport", "Answer", "Block", "BlockKind",
    "Comment", "CommentReport", "Document", "Framework", "FrameworkTag", "Invitation", "Outcome", "Question",
    "QuestionKind", "Response", "Round", "SectionKind", "SourceLink", "Version",
]  # fmt: skip
