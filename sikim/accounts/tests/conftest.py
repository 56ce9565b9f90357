import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english(settings):
    """The accounts tests read the English texts, so they keep passing once Indonesian is translated."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
