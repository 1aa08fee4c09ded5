import pytest
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
