"""A load test of the demo newsroom under gunicorn: ``make loadtest`` (see run.py)."""
