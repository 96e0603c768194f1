"""A small HTTP/1.1 client: one keep-alive connection and its cookies, like one browser tab.

Only the standard library, so the load test needs nothing that is not already
installed, and little CPU on a machine it shares with the server.
"""

import http.client
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode()

    @property
    def location(self):
        """The redirect target's path (and query), whatever host it names."""
        target = urlsplit(self.headers.get("Location", ""))
        return target.path + (f"?{target.query}" if target.query else "")


class Client:
    """Sends requests one after another on one connection, reopened only when
    the server closes it; redirects are returned, never followed."""

    def __init__(self, host, port, timeout=60):
        self.host = host
        self.port = port
        self.timeout = timeout
        self.origin = f"http://{host}:{port}"
        self.cookies = {}
        self.connection = None
        self.connections_opened = 0

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, fields):
        """POST form fields (a dict, or (name, value) pairs for repeated names)."""
        body = urlencode(fields, doseq=True).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": self.origin,
            "Referer": self.origin + path,
        }
        return self.request("POST", path, body, headers)

    def request(self, method, path, body=None, headers=None):
        headers = {"Accept": "text/html", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(
                f"{name}={value}" for name, value in self.cookies.items()
            )
        if self.connection is None:
            self.connection = http.client.HTTPConnection(
                self.host, self.port, timeout=self.timeout
            )
            self.connections_opened += 1
        try:
            self.connection.request(method, path, body=body, headers=headers)
            raw = self.connection.getresponse()
            payload = raw.read()
        except Exception:
            self.close()
            raise
        if raw.will_close:  # the server ended keep-alive; the next request reconnects
            self.close()
        self.keep_cookies(raw.msg.get_all("Set-Cookie") or [])
        return Response(raw.status, raw.msg, payload)

    def keep_cookies(self, headers):
        for header in headers:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None
