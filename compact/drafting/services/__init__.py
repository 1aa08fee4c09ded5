"""Every write in drafting. Keyword-only functions named <entity>_<action>; each checks the
permission, validates (raising ValidationError with nothing saved) and records an audit entry."""

from ._common import FROZEN, EditConflict
from .amendments import amendment_decide, amendment_propose, amendment_support, amendment_withdraw
from .comments import comment_add, comment_hide, comment_report, comment_resolve
from .documents import block_add, block_move, block_remove, block_update, document_create, reanchor_comments
from .outcomes import outcome_record
from .sources import source_link_add, source_link_remove
from .tags import framework_tag_create
from .versions import version_cut

__all__ = [
    "FROZEN", "EditConflict", "block_add", "block_move", "block_remove", "block_update", "document_create",
    "reanchor_comments", "version_cut", "amendment_decide", "amendment_propose", "amendment_support",
    "amendment_withdraw", "comment_add", "comment_hide", "comment_report", "comment_resolve", "framework_tag_create",
    "source_link_add", "source_link_remove",
    "outcome_record",
]  # fmt: skip
