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

from newsroom_site.settings import *  # noqa: F403

from tests.web_process import ERRORS_TO_STDERR, loopback_only


MEDIA_ROOT = os.environ["LOADTEST_MEDIA_ROOT"]
LOGGING = ERRORS_TO_STDERR
loopback_only("load test")
