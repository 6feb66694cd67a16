"""gunicorn settings for production (docker-compose's web service)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = 60
# Longer than a client's pause between two requests on one connection, so that an idle keep-alive
# connection is not closed just as the next request arrives (a "connection reset" at the client).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "20"))
graceful_timeout = 30
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# The access log carries the request id and never a phone or ID number (a search like ?phone=138...
# would otherwise be written as it was typed): every field is masked like the app's own JSON logs.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}o)s'

try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # pragma: no cover - gunicorn is only installed where it serves
    _GunicornLogger = object


class MaskingLogger(_GunicornLogger):
    def atoms(self, resp, req, environ, request_time):
        from csmgmt.core.logging import scrub

        return {key: scrub(value) if isinstance(value, str) else value
                for key, value in super().atoms(resp, req, environ, request_time).items()}


logger_class = MaskingLogger
