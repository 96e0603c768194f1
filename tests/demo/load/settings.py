"""The demo newsroom's own settings, with three changes for the load test.

``DEBUG``, ``SECRET_KEY`` and the database already come from the environment
(``DJANGO_DEBUG``, ``DJANGO_SECRET_KEY``, ``DATABASE_URL``); the rest cannot:

- uploads (the demo's posters and their renditions) go to a throwaway
  directory, not into example_site/media;
- server errors are logged to stderr, which gunicorn writes to its log, so a
  500 under load comes with its traceback (Django sends them only to mail_admins
  when DEBUG is off);
- the server may connect to loopback only, so the run cannot reach the network.
"""

import os
import socket

from newsroom_site.settings import *  # noqa: F403


MEDIA_ROOT = os.environ["LOADTEST_MEDIA_ROOT"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["stderr"], "level": "ERROR"}},
}

LOOPBACK_PREFIXES = ("127.", "::1", "localhost")
_connect = socket.socket.connect


def _loopback_only(sock, address):
    host = address[0] if isinstance(address, tuple) else address
    if sock.family == socket.AF_UNIX or str(host).startswith(LOOPBACK_PREFIXES):
        return _connect(sock, address)
    raise ConnectionRefusedError(
        f"load test: refusing to reach the network ({address!r})"
    )


socket.socket.connect = _loopback_only
