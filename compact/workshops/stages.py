"""The workshops stage lets a workshop go live. Outside it, a process's stage settings decide
(e.g. a consultation event run as a workshop)."""

from compact.processes.models import StageKind
from compact.processes.registry import registry

RUN = "workshops.run"


def register():
    registry.register(RUN, description="Run workshops live", stages={StageKind.WORKSHOPS})
