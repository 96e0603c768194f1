from wagtail.snippets.models import register_snippet

from wagtail_evidence.viewsets import EvidenceViewSet


register_snippet(EvidenceViewSet)
