from django.urls import path

from .views import amendments, blocks, comments, documents, versions

DOC = "p/<slug:slug>/documents/<int:pk>/"
BLOCK = DOC + "blocks/<int:block_pk>/"
COMMENT = BLOCK + "comments/<int:comment_pk>/"
AMENDMENT = BLOCK + "amendments/<int:amendment_pk>/"

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
]
