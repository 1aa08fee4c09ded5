from django.urls import path

from .views import accounting as accounting_views
from .views import amendments, blocks, comments, documents, responding, rounds, versions
from .views import sources as source_views
from .views import tags as tag_views

DOC = "p/<slug:slug>/documents/<int:pk>/"
BLOCK = DOC + "blocks/<int:block_pk>/"
COMMENT = BLOCK + "comments/<int:comment_pk>/"
AMENDMENT = BLOCK + "amendments/<int:amendment_pk>/"
ROUND = DOC + "rounds/<int:round_pk>/"

urlpatterns = [
    path("p/<slug:slug>/documents/", documents.document_list, name="document_list"),
    path(
        "p/<slug:slug>/processes/<slug:process_slug>/documents/new/", documents.document_create, name="document_create"
    ),
    path(DOC, documents.document_detail, name="document_detail"),
    path(DOC + "preview/", documents.markdown_preview, name="document_preview"),
    path(DOC + "add/<str:kind>/", blocks.block_add, name="block_add"),
    path(BLOCK + "edit/", blocks.block_edit, name="block_edit"),
    path(BLOCK + "move/<str:direction>/", blocks.block_move, name="block_move"),
    path(BLOCK + "remove/", blocks.block_remove, name="block_remove"),
    path(DOC + "versions/", versions.version_list, name="version_list"),
    path(DOC + "versions/new/", documents.version_cut, name="version_cut"),
    path(DOC + "versions/<int:number>/", versions.version_detail, name="version_detail"),
    path(DOC + "compare/", versions.version_compare, name="version_compare"),
    path(BLOCK + "discussion/", comments.block_discussion, name="block_discussion"),
    path(COMMENT + "resolve/", comments.comment_resolve, name="comment_resolve"),
    path(COMMENT + "reopen/", comments.comment_reopen, name="comment_reopen"),
    path(COMMENT + "hide/", comments.comment_hide, name="comment_hide"),
    path(COMMENT + "report/", comments.comment_report, name="comment_report"),
    path(BLOCK + "amend/", amendments.amendment_propose, name="amendment_propose"),
    path(AMENDMENT + "decide/", amendments.amendment_decide, name="amendment_decide"),
    path(AMENDMENT + "support/", amendments.amendment_support, name="amendment_support"),
    path(AMENDMENT + "unsupport/", amendments.amendment_unsupport, name="amendment_unsupport"),
    path(AMENDMENT + "withdraw/", amendments.amendment_withdraw, name="amendment_withdraw"),
    path("p/<slug:slug>/documents/tags/", tag_views.framework_tags, name="framework_tags"),
    path(
        "p/<slug:slug>/documents/tags/standard/",
        tag_views.framework_tags_add_standard,
        name="framework_tags_add_standard",
    ),
    path(
        "p/<slug:slug>/documents/tags/<int:tag_pk>/rename/", tag_views.framework_tag_rename, name="framework_tag_rename"
    ),
    path(
        "p/<slug:slug>/documents/tags/<int:tag_pk>/remove/", tag_views.framework_tag_remove, name="framework_tag_remove"
    ),
    path(DOC + "you-said-we-did/", accounting_views.you_said_we_did, name="you_said_we_did"),
    path(DOC + "you-said-we-did/<str:kind>/<int:item_pk>/", accounting_views.outcome_record, name="outcome_record"),
    path(DOC + "you-said-we-did.docx", accounting_views.you_said_we_did_docx, name="you_said_we_did_docx"),
    path(DOC + "you-said-we-did.csv", accounting_views.you_said_we_did_csv, name="you_said_we_did_csv"),
    path(BLOCK + "sources/", source_views.block_sources, name="block_sources"),
    path(BLOCK + "sources/<int:link_pk>/unlink/", source_views.source_unlink, name="source_unlink"),
    path(DOC + "coverage/", source_views.document_coverage, name="document_coverage"),
    path(DOC + "rounds/", rounds.round_list, name="round_list"),
    path(DOC + "rounds/new/", rounds.round_create, name="round_create"),
    path(ROUND, rounds.round_detail, name="round_detail"),
    path(ROUND + "edit/", rounds.round_edit, name="round_edit"),
    path(ROUND + "questions/add/", rounds.round_question_add, name="round_question_add"),
    path(ROUND + "questions/<int:question_pk>/remove/", rounds.round_question_remove, name="round_question_remove"),
    path(ROUND + "invite/", rounds.round_invite, name="round_invite"),
    path(ROUND + "send/", rounds.round_send, name="round_send"),
    path(ROUND + "remind/", rounds.round_remind, name="round_remind"),
    path(ROUND + "analysis/", rounds.round_analysis, name="round_analysis"),
    path(ROUND + "respond/", responding.round_respond, name="round_respond"),
    path("consult/invited/<str:token>/", responding.round_invited, name="round_invited"),
    path("consult/<str:key>/", responding.round_public, name="round_public"),
]
