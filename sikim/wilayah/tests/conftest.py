import pytest
from django.utils import translation


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: imports all 91,599 regions (about 12 s); deselect with -m 'not slow'")


@pytest.fixture
def english(settings):
    """For the tests that read interface texts: English, so they pass once Indonesian is translated."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
