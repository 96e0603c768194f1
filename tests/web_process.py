"""What every web process the tests start (gunicorn, for the load test and the
shared-cache test) adds to its settings: errors logged to stderr, which
gunicorn writes to its log, so that a 500 comes with its traceback; and
connections to loopback only, so that the process cannot reach the network."""

import socket


ERRORS_TO_STDERR = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["stderr"], "level": "ERROR"}},
}

LOOPBACK_PREFIXES = ("127.", "::1", "localhost")


def loopback_only(who):
    """From now on, this process refuses to connect anywhere but here."""
    connect = socket.socket.connect

    def guarded(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if sock.family == socket.AF_UNIX or str(host).startswith(LOOPBACK_PREFIXES):
            return connect(sock, address)
        raise ConnectionRefusedError(f"{who}: refusing to reach {address!r}")

    socket.socket.connect = guarded
