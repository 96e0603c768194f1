"""A frontend-cache backend that records what it is asked to purge, in memory."""

from wagtail.contrib.frontend_cache.backends import BaseBackend


BATCHES = []


class RecordingBackend(BaseBackend):
    def purge(self, url):
        BATCHES.append([url])

    def purge_batch(self, urls):
        BATCHES.append(sorted(urls))
