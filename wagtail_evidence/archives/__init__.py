"""Archives that outlive the source: archived copies captured on an editor's
request, the status of each source, and what readers get when it is gone
(docs/how-to/archive-sources.md)."""
