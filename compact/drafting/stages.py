"""What each stage allows in drafting. Editors write and reply while the text is being drafted
and consulted on; from sign-off on, the text is frozen and only read. Consultation rounds open
only in the consultation stage (a process's settings can open them earlier)."""

from compact.processes.models import StageKind
from compact.processes.registry import registry

EDIT = "drafting.edit"
DISCUSS = "drafting.discuss"
CONSULT = "drafting.consult"

WORKING = {StageKind.DRAFTING, StageKind.CONSULTATION}


def register():
    registry.register(EDIT, description="Draft and edit the document", stages=WORKING)
    registry.register(DISCUSS, description="Comment on the draft and propose amendments", stages=WORKING)
    registry.register(CONSULT, description="Run consultation rounds", stages={StageKind.CONSULTATION})
