import base64
import io

import pytest
from PIL import Image


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png_bytes(size=(60, 40), color=(200, 30, 30), fmt="PNG") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, format=fmt)
    return buf.getvalue()


def signature_data_url() -> str:
    return "data:image/png;base64," + base64.b64encode(png_bytes((300, 100), (255, 255, 255))).decode()


@pytest.fixture
def agent(make_employee):
    return make_employee("agent")


@pytest.fixture
def custodian(make_employee):
    return make_employee("custodian", "agent")


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages (pages, event comments stored by services) are compared in English."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
