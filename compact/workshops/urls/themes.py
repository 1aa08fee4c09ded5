from django.urls import path

from ..views import themes

THEMES = "p/<slug:slug>/processes/<slug:process_slug>/workshops/<slug:workshop_slug>/themes/"

urlpatterns = [
    path(THEMES, themes.themes, name="workshop_themes"),
    path(f"{THEMES}<int:theme_id>/", themes.theme_edit, name="workshop_theme_edit"),
    path(f"{THEMES}<int:theme_id>/move/", themes.theme_move, name="workshop_theme_move"),
    path(f"{THEMES}ideas/<int:idea_id>/", themes.idea_theme, name="workshop_idea_theme"),
    path(f"{THEMES}suggest/", themes.suggest, name="workshop_theme_suggest"),
    path(f"{THEMES}suggestions/<int:run_id>/", themes.suggestions, name="workshop_theme_suggestions"),
]
