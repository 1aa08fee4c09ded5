"""The leadership stage opens proposals and meetings. Outside it, a process's stage settings
decide (processes.registry)."""

from compact.processes.models import StageKind
from compact.processes.registry import registry


def register():
    registry.register(
        "decisions.propose",
        description="Open proposals for a decision",
        stages={StageKind.LEADERSHIP},
    )
    registry.register(
        "decisions.meet",
        description="Hold and minute meetings",
        stages={StageKind.LEADERSHIP},
    )
