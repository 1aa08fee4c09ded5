"""Stage features owned by the processes app itself."""

from .models import StageKind
from .registry import SETUP, registry

ALL = {k.value for k in StageKind}


def register():
    registry.register(
        "processes.edit_timeline",
        description="Change stage dates, titles and notes",
        stages=ALL | {SETUP},
    )
    registry.register(
        "processes.edit_purpose",
        description="Change the process's title and purpose summary",
        stages={SETUP, StageKind.LEADERSHIP, StageKind.WORKSHOPS, StageKind.EVIDENCE, StageKind.DRAFTING},
    )
