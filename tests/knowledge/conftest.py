import pytest


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages are compared in English."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
