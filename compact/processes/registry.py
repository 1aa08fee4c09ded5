"""The stage registry: which features each kind of stage allows.

Apps declare their features in their own stages.py and register them when Django starts
(AppConfig.ready), so "can X happen now?" is one check, `stage_allows(process, feature)`,
instead of scattered ifs. A feature not registered is refused, never assumed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Pseudo-stages: before the first stage starts, and after the last one ends.
SETUP = "setup"
CLOSED = "closed"


@dataclass(frozen=True)
class Feature:
    name: str
    description: str
    stage_kinds: frozenset[str]
    # Allowed whatever the current stage (e.g. reading the document once published).
    always: bool = False


@dataclass
class StageRegistry:
    features: dict[str, Feature] = field(default_factory=dict)

    def register(self, name: str, *, description: str, stages: set[str] | None = None, always: bool = False) -> Feature:
        if name in self.features:
            raise ValueError(f"Stage feature {name!r} is registered twice")
        feature = Feature(name, description, frozenset(stages or ()), always)
        self.features[name] = feature
        return feature

    def allows(self, stage_kind: str | None, name: str) -> bool:
        feature = self.features.get(name)
        if feature is None:
            raise KeyError(f"Unknown stage feature {name!r}: register it in the app's stages.py")
        return feature.always or (stage_kind is not None and stage_kind in feature.stage_kinds)

    def features_for(self, stage_kind: str) -> list[Feature]:
        return [f for f in self.features.values() if f.always or stage_kind in f.stage_kinds]


registry = StageRegistry()
