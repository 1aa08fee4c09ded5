"""Traceability: what shaped a commitment. Each link names exactly one idea, theme, case study,
decision or comment, with an optional note on how it was used."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from compact.casestudies.models import CaseStudy
from compact.decisions.models import Outcome as DecisionOutcome
from compact.workshops.models import Idea, Theme

from .document import Block
from .feedback import Comment

SOURCE_FIELDS = ["idea", "theme", "case_study", "decision", "comment"]


class SourceLink(models.Model):
    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="sources")
    idea = models.ForeignKey(Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    case_study = models.ForeignKey(CaseStudy, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    decision = models.ForeignKey(DecisionOutcome, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    note = models.CharField(max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(idea__isnull=False, theme=None, case_study=None, decision=None, comment=None)
                    | Q(idea=None, theme__isnull=False, case_study=None, decision=None, comment=None)
                    | Q(idea=None, theme=None, case_study__isnull=False, decision=None, comment=None)
                    | Q(idea=None, theme=None, case_study=None, decision__isnull=False, comment=None)
                    | Q(idea=None, theme=None, case_study=None, decision=None, comment__isnull=False)
                ),
                name="source_names_one_thing",
            ),
            *[
                models.UniqueConstraint(
                    fields=["block", name], condition=Q(**{f"{name}__isnull": False}), name=f"unique_source_{name}"
                )
                for name in SOURCE_FIELDS
            ],
        ]

    def __str__(self):
        return f"{self.kind} behind block {self.block_id}"

    @property
    def kind(self) -> str:
        return next(name for name in SOURCE_FIELDS if getattr(self, f"{name}_id") is not None)
