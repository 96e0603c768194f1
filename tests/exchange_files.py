"""Files to import and ways to import them, shared by the exchange tests
(tests/test_exchange*.py): through the command, as a desk runs it, and
through the admin's upload, as an editor does."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from wagtail.models import ModelLogEntry, Revision

from wagtail_evidence.models import Evidence


IMPORT_URL = reverse("wagtail_evidence:import")
# The columns of new_rows(): a desk's spreadsheet, children and tags included.
HEADER = ["media_url", "title", "place", "account", "tags", "credits", "verdict"]


def csv_file(header, *rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def new_rows(count, start=0, title="Convoy {}", tags="Aleppo, convoy"):
    """Rows of HEADER for records numbered from ``start``."""
    return [
        [
            f"https://t.me/demo_observers/{n}",
            title.format(n),
            "Aleppo",
            "A channel",
            tags,
            "Obretix | geolocation",
            "verified",
        ]
        for n in range(start, start + count)
    ]


def many_rows(count, title="Clip {}"):
    """A CSV file of ``count`` records with an address and a title only."""
    return csv_file(
        ["media_url", "title"],
        *[
            [f"https://t.me/demo_observers/{n}", title.format(n)]
            for n in range(1, count + 1)
        ],
    )


def json_records(count, start=0):
    """A JSON file of ``count`` records, one key a line, as the export writes it."""
    return json.dumps(
        [
            {
                "media_url": f"https://t.me/demo_observers/{n}",
                "title": f"Convoy {n}",
                "place": "Aleppo",
                "tags": ["Aleppo", "convoy"],
                "credits": [{"name": "Obretix", "role": "geolocation"}],
                "latitude": 36.2,
                "longitude": 37.1,
            }
            for n in range(start, start + count)
        ],
        indent=2,
    )


def state():
    """What an import could write: records, revisions, log entries."""
    return (
        Evidence.objects.count(),
        Revision.objects.count(),
        ModelLogEntry.objects.count(),
    )


def run_import(tmp_path, content, *args, name="evidence.csv"):
    """(stdout, stderr) of import_evidence on a file holding ``content``; raises CommandError."""
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_evidence", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_import_catching(tmp_path, content, *args, name="evidence.csv"):
    """(stdout, stderr, CommandError or None) of import_evidence on ``content``."""
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_evidence", str(path), *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def upload(client, content, name="evidence.csv", **data):
    """The admin's response to uploading ``content`` (text or bytes)."""
    content = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(
        IMPORT_URL, {"file": SimpleUploadedFile(name, content), "format": "", **data}
    )


def confirmation(html):
    """The fields of the confirm form on a preview page, as the browser posts them."""
    from bs4 import BeautifulSoup

    return {
        field["name"]: field.get("value", "")
        for field in BeautifulSoup(html, "html.parser").select(
            "form input[name=payload], form input[name=fingerprint]"
        )
    }


def refused_import_stderr(tmp_path, content, *args, name="evidence.csv", match=None):
    """What import_evidence writes to stderr on a file holding ``content`` that
    it must refuse (a CommandError, matching ``match`` where given)."""
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    err = io.StringIO()
    with pytest.raises(CommandError, match=match):
        call_command(
            "import_evidence", str(path), *args, stdout=io.StringIO(), stderr=err
        )
    return err.getvalue()
