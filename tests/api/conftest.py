import pytest


@pytest.fixture
def integration(make_employee, db):
    """integration("calls.write", ...) -> (Integration, token), made by a manager through the service."""
    from csmgmt.api.services import integration_create

    manager = make_employee("manager")

    def make(*abilities, rate=60, name="话务交换机"):
        made = integration_create(by=manager, name=name, abilities=list(abilities), rate_per_minute=rate)
        return made.integration, made.token

    return make


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    from django.core.cache import cache

    cache.clear()
    yield


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": "en"}
