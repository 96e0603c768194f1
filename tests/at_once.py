"""Posts that reach the server at the same moment, as a browser's autosave and
its Save draft can: each in a thread of its own, with its own database
connection (a transactional test's)."""

import threading

from django.test import Client


def post_at_once(user, url, data, times=2):
    """Post ``data`` to ``url`` ``times`` times at once, as ``user``; the
    answers' redirects, in the order they came back."""
    from django.db import connections

    start = threading.Barrier(times)
    redirects = []

    def post():
        client = Client()
        client.force_login(user)
        start.wait()
        try:
            redirects.append(client.post(url, data)["Location"])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return redirects
