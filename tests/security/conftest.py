import pytest
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo world, built once per module inside a transaction that is rolled back at the end (each
    test's own ``db`` transaction nests inside it as a savepoint), with media in a temporary folder."""
    from tests.security.world import build_world

    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=str(media)), django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
