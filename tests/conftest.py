import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from compact.partnerships.models import Role

from .factories import PartnershipFactory, ProcessFactory, member


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters live in the cache; each test starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_memory(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.fixture
def partnership(db):
    return PartnershipFactory(name="South East London", slug="south-east-london")


@pytest.fixture
def people(partnership):
    """One person per role in `partnership`, plus an outsider with no membership."""
    from .factories import UserFactory

    return {
        **{role: member(partnership, role) for role in Role.values},
        "outsider": UserFactory(),
    }


@pytest.fixture
def process(partnership):
    return ProcessFactory(partnership=partnership, title="SEL VCSE Charter", slug="sel-vcse-charter")


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need real concurrent transactions. On SQLite they are deselected
    (reported as such, not skipped); CI runs them in its PostgreSQL pass."""
    if django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    keep, drop = [], []
    for item in items:
        (drop if item.get_closest_marker("postgres") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
