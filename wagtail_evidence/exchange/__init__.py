"""Evidence records to and from CSV and JSON: the shape a verification desk keeps
in a spreadsheet. Used by the ``import_evidence`` and ``export_evidence``
commands and by the admin's import view (docs/how-to/import-and-export.md)."""

from wagtail_evidence.exchange.codecs import FORMATS, guess_format
from wagtail_evidence.exchange.columns import KEYS
from wagtail_evidence.exchange.exporter import Export, export_evidence
from wagtail_evidence.exchange.importer import (
    CREATED,
    UNCHANGED,
    UPDATED,
    ImportReport,
    import_evidence,
    require_import_permission,
)


__all__ = [
    "CREATED",
    "FORMATS",
    "KEYS",
    "UNCHANGED",
    "UPDATED",
    "Export",
    "ImportReport",
    "require_import_permission",
    "export_evidence",
    "guess_format",
    "import_evidence",
]
