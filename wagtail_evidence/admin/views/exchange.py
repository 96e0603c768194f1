"""Import Evidence records from a file, and export them in the same shape.

The import page takes a file, its format and a dry-run box (ticked by default).
A dry run shows what each row would do; its confirmation carries the file,
signed, so what is imported is exactly what was previewed, and is refused if
the records changed meanwhile (the plan is made again and compared). The rules
are the ``import_evidence`` command's: see wagtail_evidence.exchange.importer.
A file of more than UPLOAD_MAX_ROWS records is refused by the form, so a
web worker plans a bounded number of rows; the command has no such limit.

The upload is read from the uploaded file as it is planned, never whole; the
file a confirmation carries is compressed a chunk at a time, and unpacked
into a spool (memory, then disk) that the import reads the same way.
"""

import base64
import datetime
import shlex
import tempfile
import zlib

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from wagtail_evidence.conf import get_setting
from wagtail_evidence.editorial.permissions import evidence_permission_policy
from wagtail_evidence.exchange import (
    FORMATS,
    KEYS,
    export_evidence,
    guess_format,
    import_evidence,
    require_import_permission,
)
from wagtail_evidence.exchange.codecs import holds_more_rows_than
from wagtail_evidence.exchange.importer import LISTED_ROWS


MAX_UPLOAD_BYTES = 10 * 1024 * 1024
CHUNK_SIZE = 64 * 1024  # bytes of a file read, compressed or unpacked at a time
SIGNING_SALT = "wagtail_evidence.exchange.import"
CONFIRM_WITHIN = 60 * 60  # seconds a preview can be confirmed in
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
}


def may_import(user):
    return evidence_permission_policy.user_has_any_permission(user, {"add", "change"})


def row_limit():
    """The most records an upload may hold (None: no limit)."""
    return get_setting("UPLOAD_MAX_ROWS")


def command_for(name, file_format, username, publish):
    """The import_evidence command that imports the uploaded file on the server."""
    words = ["python", "manage.py", "import_evidence", name, "--user", username]
    if guess_format(name) != file_format:
        words += ["--format", file_format]
    if publish:
        words.append("--publish")
    return shlex.join(words)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "CSV (UTF-8) or JSON, in the shape the export writes; or the sheet of "
            "Bellingcat's auto-archiver, downloaded as CSV."
        ),
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[
            ("", gettext_lazy("From the file name")),
            ("csv", "CSV"),
            ("json", "JSON"),
        ],
        required=False,
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Dry run: show what would change and write nothing"),
        required=False,
        initial=True,
    )
    publish = forms.BooleanField(
        label=gettext_lazy("Publish the records this import creates or changes"),
        required=False,
        help_text=gettext_lazy(
            "Otherwise they are saved as drafts, as an editor's changes are."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not evidence_permission_policy.user_has_permission(user, "publish"):
            del self.fields["publish"]

    def clean(self):
        cleaned_data = super().clean()
        upload = cleaned_data.get("file")
        if upload is None:
            return cleaned_data
        if upload.size > MAX_UPLOAD_BYTES:
            self.add_error(
                "file",
                _(
                    "The file is larger than %(limit)s MB. Split it, or use the import_evidence command."
                )
                % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)},
            )
        cleaned_data["format"] = cleaned_data.get("format") or guess_format(upload.name)
        if not cleaned_data["format"]:
            self.add_error(
                "format", _("Choose the format: the file name does not say.")
            )
        if self.errors:
            return cleaned_data
        cleaned_data["content"] = content = uploaded_file(upload)
        limit = row_limit()
        if limit is not None and holds_more_rows_than(
            content, cleaned_data["format"], limit
        ):
            command = command_for(
                upload.name,
                cleaned_data["format"],
                self.user.get_username(),
                cleaned_data.get("publish"),
            )
            self.add_error(
                "file",
                _(
                    "This file holds more than %(limit)s records, more than the admin imports at once. "
                    "Import it on the server with the import_evidence command (add --dry-run to see "
                    "what it would do first): %(command)s"
                )
                % {"limit": limit, "command": command},
            )
        return cleaned_data


def uploaded_file(upload):
    """The binary file under Django's UploadedFile: in memory for a small
    upload, a temporary file on disk for a larger one."""
    handle = upload.file
    return getattr(handle, "file", handle)  # a NamedTemporaryFile's own file


def pack(handle, limit):
    """The file, compressed a chunk at a time, as text a form can carry; None
    once it would be longer than ``limit`` characters."""
    handle.seek(0)
    compressor, parts, size = zlib.compressobj(), [], 0
    for chunk in iter(lambda: handle.read(CHUNK_SIZE), b""):
        part = compressor.compress(chunk)
        size += len(part)
        if limit is not None and size * 4 / 3 > limit:
            return None
        parts.append(part)
    parts.append(compressor.flush())
    return base64.urlsafe_b64encode(b"".join(parts)).decode("ascii")


def unpack(packed):
    """The file pack() packed, unpacked a chunk at a time into a spool (memory
    up to 1 MB, disk beyond), open for reading."""
    compressed = base64.urlsafe_b64decode(packed.encode("ascii"))
    decompressor = zlib.decompressobj()
    spool = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)
    for start in range(0, len(compressed), CHUNK_SIZE):
        spool.write(decompressor.decompress(compressed[start : start + CHUNK_SIZE]))
    spool.write(decompressor.flush())
    spool.seek(0)
    return spool


class ConfirmForm(forms.Form):
    payload = forms.CharField(widget=forms.HiddenInput)
    fingerprint = forms.CharField(widget=forms.HiddenInput)


class ImportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "wagtail_evidence/admin/import.html"
    page_title = gettext_lazy("Import evidence")
    header_icon = "upload"
    breadcrumbs_items = [
        {"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Home")},
        {
            "url": reverse_lazy("wagtail_evidence:register"),
            "label": gettext_lazy("Evidence register"),
        },
        {"url": "", "label": gettext_lazy("Import evidence")},
    ]

    def dispatch(self, request, *args, **kwargs):
        if not may_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(
            self.get_context_data(form=ImportForm(user=request.user))
        )

    def post(self, request, *args, **kwargs):
        if "payload" in request.POST:
            return self.confirm(request)
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        content = form.cleaned_data["content"]
        options = {
            "format": form.cleaned_data["format"],
            "publish": bool(form.cleaned_data.get("publish")),
            "name": upload.name,
        }
        report = self.run(content, options, dry_run=form.cleaned_data["dry_run"])
        return self.show(report, content, options)

    def run(self, content, options, dry_run, expected_fingerprint=None):
        require_import_permission(self.request.user, options["publish"])
        return import_evidence(
            content,
            options["format"],
            self.request.user,
            dry_run=dry_run,
            publish=options["publish"],
            source=options["name"],
            expected_fingerprint=expected_fingerprint,
            list_rows=row_limit() or LISTED_ROWS,
        )

    def confirm(self, request):
        form = ConfirmForm(request.POST)
        try:
            if not form.is_valid():
                raise signing.BadSignature
            data = signing.loads(
                form.cleaned_data["payload"], salt=SIGNING_SALT, max_age=CONFIRM_WITHIN
            )
            if data.get("user") != request.user.pk or "file" not in data:
                raise signing.BadSignature
            content = unpack(data["file"])
        except (signing.BadSignature, ValueError, zlib.error):
            messages.error(
                request,
                _(
                    "The confirmation was not valid or has expired. Upload the file again."
                ),
            )
            return self.render_to_response(
                self.get_context_data(form=ImportForm(user=request.user))
            )
        options = data["options"]
        with content:
            report = self.run(
                content,
                options,
                dry_run=False,
                expected_fingerprint=form.cleaned_data["fingerprint"],
            )
            return self.show_confirmed(report, content, options)

    def show_confirmed(self, report, content, options):
        if report.stale:
            messages.warning(
                self.request,
                _(
                    "The records changed since the preview. Check what the import would do now, then confirm again."
                ),
            )
        return self.show(report, content, options)

    def show(self, report, content, options):
        if report.written:
            messages.success(self.request, self.summary(report))
        context = self.get_context_data(
            form=ImportForm(user=self.request.user), report=report, options=options
        )
        if (
            report.ok
            and not report.written
            and (report.count("created") or report.count("updated"))
        ):
            context["confirm_form"] = self.confirm_form(report, content, options)
        return self.render_to_response(context)

    def confirm_form(self, report, content, options):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        limit = None if limit is None else limit * 0.9  # the rest of the form too
        packed = pack(content, limit)
        if packed is None:
            return None  # the template asks for the file again, without the dry run
        payload = signing.dumps(
            {"file": packed, "options": options, "user": self.request.user.pk},
            salt=SIGNING_SALT,
        )
        if limit is not None and len(payload) > limit:
            return None
        return ConfirmForm(
            initial={"payload": payload, "fingerprint": report.fingerprint()}
        )

    def summary(self, report):
        values = {
            name: report.count(name) for name in ("created", "updated", "unchanged")
        }
        text = (
            _(
                "Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."
            )
            % values
        )
        if report.published:
            text += " " + _("%(count)s published.") % {"count": report.published}
        return text

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            columns=KEYS,
            export_links=[
                (fmt.upper(), reverse("wagtail_evidence:export") + f"?format={fmt}")
                for fmt in FORMATS
            ],
            may_export=evidence_permission_policy.user_has_permission(
                self.request.user, "change"
            ),
            counts=self.counts(kwargs.get("report")),
        )
        return context

    def counts(self, report):
        if report is None:
            return None
        return {
            name: report.count(name) for name in ("created", "updated", "unchanged")
        } | {"errors": report.bad_count}


class ExportView(View):
    """Every record, in the shape the import reads (the register's exports are
    reports for reading: labels, the derived badge, usage counts)."""

    def get(self, request):
        if not evidence_permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        file_format = request.GET.get("format", "csv")
        if file_format not in FORMATS:
            file_format = "csv"
        export = export_evidence(file_format)
        response = HttpResponse(export.content, content_type=CONTENT_TYPES[file_format])
        response["Content-Disposition"] = (
            f'attachment; filename="evidence-{datetime.date.today():%Y-%m-%d}.{file_format}"'
        )
        return response
