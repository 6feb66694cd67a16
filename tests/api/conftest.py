import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

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


@pytest.fixture
def exchange(settings):
    """A real HTTP server on a free port, recording what it is sent; ``status`` is what it answers."""
    received = []
    state = {"status": 200}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            received.append((self.path, self.headers.get("Authorization"), json.loads(self.rfile.read(length))))
            self.send_response(state["status"])
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.TELEPHONY_DIAL_URL = f"http://127.0.0.1:{server.server_port}/dial"
    settings.TELEPHONY_DIAL_TOKEN = "pbx-secret"
    yield received, state
    server.shutdown()
    server.server_close()
