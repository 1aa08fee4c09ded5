from django.urls import path

from .views import blocks, documents, versions

DOC = "p/<slug:slug>/documents/<int:pk>/"
BLOCK = DOC + "blocks/<int:block_pk>/"

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
]
