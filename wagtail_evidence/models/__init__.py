"""``wagtail_evidence.models`` is split into submodules; import public names from here."""

from wagtail_evidence.models.archives import ArchivedCopy, SourceCheck, SourceTask
from wagtail_evidence.models.article import ArticleWarning, EvidenceArticleMixin
from wagtail_evidence.models.citation import Citation
from wagtail_evidence.models.create_forms import CreateFormKey
from wagtail_evidence.models.credentials import ContentCredentials
from wagtail_evidence.models.evidence import Evidence
from wagtail_evidence.models.fields import SanitizedRichTextField
from wagtail_evidence.models.fingerprints import MediaFingerprint, NearDuplicate
from wagtail_evidence.models.history import PublicChange
from wagtail_evidence.models.preferences import AdminPreferences
from wagtail_evidence.models.related import Appearance, Credit, EvidenceTag
from wagtail_evidence.models.stored_render import StoredRender
from wagtail_evidence.models.workflow import EvidenceCheckTask


__all__ = [
    "AdminPreferences",
    "ArchivedCopy",
    "Appearance",
    "ArticleWarning",
    "Citation",
    "ContentCredentials",
    "CreateFormKey",
    "Credit",
    "Evidence",
    "EvidenceArticleMixin",
    "EvidenceCheckTask",
    "EvidenceTag",
    "MediaFingerprint",
    "NearDuplicate",
    "PublicChange",
    "SanitizedRichTextField",
    "SourceCheck",
    "SourceTask",
    "StoredRender",
]
