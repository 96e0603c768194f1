"""A frontend-cache backend that records what it is asked to purge, in memory;
and one that refuses some requests, as a CDN that is down for a while."""

from wagtail.contrib.frontend_cache.backends import BaseBackend


BATCHES = []
# What the unreliable backend does with each next request, in order: True
# refuses it, False lets it through. Once it is empty, every request goes through.
REFUSALS = []


class RecordingBackend(BaseBackend):
    def purge(self, url):
        BATCHES.append([url])

    def purge_batch(self, urls):
        BATCHES.append(sorted(urls))


class UnreliableBackend(RecordingBackend):
    def purge_batch(self, urls):
        if REFUSALS and REFUSALS.pop(0):
            raise ConnectionError("the CDN did not answer")
        super().purge_batch(urls)
