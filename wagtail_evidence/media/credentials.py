"""Content Credentials (C2PA): read, offline, what an attached file says of itself.

When a record is saved with an original file, a self-hosted video or a poster,
each such file is read once with the C2PA reference library's Python binding
(``pip install "wagtail-evidence[c2pa]"``) and what its manifest says is kept
in models.credentials.ContentCredentials. The file is read again only when it
changes (another file chosen, or the document or image replaced in place) or
when the site's trust list does: never per render.

The reading is offline: the library may fetch a manifest stored elsewhere and
check certificates over OCSP; both are turned off, and no network host is
allowed (``offline_settings``; tests/test_content_credentials.py proves that no
request leaves the machine). There is no trust list by default: a site that
wants the signer checked names its own PEM anchors in ``C2PA_TRUST_ANCHORS``.

This module reads; models/credentials.py keeps what was read in step with the
record's files. The credentials inform the desk; they never set a facet or a
verdict.
"""

import errno
import hashlib
import json
import logging
import mimetypes
import os
import stat
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from wagtail_evidence.conf import get_setting


logger = logging.getLogger(__name__)


class CredentialsState(models.TextChoices):
    ABSENT = "absent", _("no manifest")
    VALID = "valid", _("validates")
    INVALID = "invalid", _("does not validate")
    REMOTE = "remote", _("manifest stored elsewhere, not fetched")
    UNREADABLE = "unreadable", _("could not be read")


class CredentialsFile(models.TextChoices):
    """The record's files that can carry a manifest (Evidence field names)."""

    ORIGINAL_FILE = "original_file", _("original file")
    VIDEO_FILE = "video_file", _("self-hosted video")
    POSTER = "poster", _("poster image")


IPTC_SOURCE_TYPES = "http://cv.iptc.org/newscodes/digitalsourcetype/"
# The IPTC digital source types that name generative AI, strongest first: made
# by a model, then a composite with parts made by one.
AI_SOURCE_TYPES = ("trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia")
# Codes about the signer's place on a trust list, not the file's integrity.
TRUST_CODES = {"signingCredential.trusted", "signingCredential.untrusted"}
# Manifest strings are the signer's words: kept to the columns' length.
MAX_TEXT = 255


def c2pa_library():
    """The c2pa module, or None where the extra is not installed."""
    try:
        import c2pa
    except (ImportError, OSError):  # OSError: its native library would not load
        return None
    return c2pa


def is_available():
    return c2pa_library() is not None


# The site's trust list


@dataclass(frozen=True)
class TrustList:
    pem: str = ""
    digest: str = ""  # SHA-256 of the anchors: rows read with other anchors are stale
    problem: str = ""  # why the configured file could not be used


# Far more than any list of root certificates needs (a whole CA bundle is
# some 200 KB); a bound on what a mistaken path makes the server read.
MAX_TRUST_LIST_BYTES = 5 * 2**20


class UnreadableTrustList(Exception):
    """The anchors file cannot be used; ``reason`` says why."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def read_trust_anchors(path):
    """The text of the PEM file at ``path``, read as the C2PA library reads
    it (UTF-8); UnreadableTrustList if it cannot be. Shared by the system
    check and the reading, so both refuse the same files.

    Only a regular file is read, and at most MAX_TRUST_LIST_BYTES of it: a
    path naming a device (/dev/zero), a FIFO or a huge file would otherwise
    be read until memory runs out, at every start and every save."""
    try:
        path = os.fspath(path)
    except TypeError:
        raise UnreadableTrustList(
            _("%(type)s is not a path") % {"type": type(path).__name__}
        ) from None
    try:
        kind = os.stat(path).st_mode
        if not stat.S_ISDIR(kind) and not stat.S_ISREG(kind):
            raise UnreadableTrustList(not_a_file())
        # O_NONBLOCK: should the path be swapped for a FIFO since, opening it
        # does not wait for a writer; fstat below then refuses it.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as handle:
            kind = os.fstat(handle.fileno()).st_mode
            if stat.S_ISDIR(kind):
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
            if not stat.S_ISREG(kind):
                raise UnreadableTrustList(not_a_file())
            data = handle.read(MAX_TRUST_LIST_BYTES + 1)
    except OSError as error:
        raise UnreadableTrustList(error.strerror or str(error)) from None
    if len(data) > MAX_TRUST_LIST_BYTES:
        raise UnreadableTrustList(
            _("it is larger than %(size)s MB, far more than a trust list needs")
            % {"size": MAX_TRUST_LIST_BYTES // 2**20}
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UnreadableTrustList(_("it is not UTF-8 text, as a PEM file is")) from None


def not_a_file():
    return _("it is not a regular file, but a device, a FIFO or a socket")


_trust_cache = {}


def trust_list():
    """The PEM anchors named by ``C2PA_TRUST_ANCHORS``; empty when it is None
    (the default) or when the file cannot be used (``problem`` says why)."""
    path = get_setting("C2PA_TRUST_ANCHORS")
    if not path:
        return TrustList()
    path = os.fspath(path)
    try:
        stamp = os.stat(path).st_mtime_ns
    except OSError as error:
        return TrustList(problem=f"{path}: {error.strerror or error}")
    key = (path, stamp)
    if key not in _trust_cache:
        try:
            pem = read_trust_anchors(path)
        except UnreadableTrustList as error:
            return TrustList(problem=f"{path}: {error.reason}")
        if "-----BEGIN CERTIFICATE-----" not in pem:
            return TrustList(problem=f"{path}: no PEM certificate in the file")
        _trust_cache.clear()
        _trust_cache[key] = TrustList(
            pem=pem, digest=hashlib.sha256(pem.encode()).hexdigest()
        )
    return _trust_cache[key]


def offline_settings(anchors):
    """The library's settings for a reading that never leaves the machine: no
    manifest fetched from elsewhere, no OCSP, no network host allowed. The
    signer is checked against ``anchors`` only when the site gives some;
    timestamps are not checked against any authority list (none is shipped)."""
    settings = {
        "verify": {
            "verify_after_reading": True,
            "remote_manifest_fetch": False,
            "ocsp_fetch": False,
            "verify_trust": bool(anchors.pem),
            "verify_timestamp_trust": False,
        },
        "core": {"allowed_network_hosts": []},
    }
    if anchors.pem:
        settings["trust"] = {"trust_anchors": anchors.pem}
    return settings


# Reading one file


def read_credentials(stream, name, anchors=None):
    """What the C2PA manifest of ``stream`` (a file named ``name``) says, as
    the fields of a ContentCredentials row."""
    c2pa = c2pa_library()
    anchors = anchors or TrustList()
    facts = {"trust_list": anchors.digest, "read_at": timezone.now()}
    mime_type = mimetypes.guess_type(name)[0]
    if mime_type not in c2pa.Reader.get_supported_mime_types():
        mime_type = None  # the library recognises the container itself, if it can
    try:
        context = c2pa.Context.from_dict(offline_settings(anchors))
        reader = c2pa.Reader.try_create(mime_type, stream, None, context)
        if reader is None:
            return {**facts, "state": CredentialsState.ABSENT}
        with reader:
            found = manifest_facts(json.loads(reader.json()), anchors)
    except c2pa.C2paError as error:
        return {**facts, **unread(error)}
    except Exception as error:  # a stranger's file: never a failed save
        logger.exception("Content Credentials: cannot read %s", name)
        return {**facts, **unread(error)}
    return {**facts, **found}


def unread(error):
    """A file whose manifest could not be read: why, in the library's words."""
    kind = type(error).__name__.lstrip("_").removeprefix("C2pa")
    if kind == "RemoteManifest" or str(error).startswith("Remote"):
        state = CredentialsState.REMOTE
        code = "manifest.remote.notFetched"
    elif kind in ("NotSupported", "ManifestNotFound"):
        return {"state": CredentialsState.ABSENT}
    else:
        state = CredentialsState.UNREADABLE
        code = f"manifest.{kind[:1].lower()}{kind[1:]}" if kind else "manifest.error"
    return {
        "state": state,
        "failures": [{"code": code, "explanation": str(error)[:MAX_TEXT]}],
    }


def manifest_facts(store, anchors):
    manifest = store.get("manifests", {}).get(store.get("active_manifest")) or {}
    results = (store.get("validation_results") or {}).get("activeManifest") or {}
    failures = results.get("failure") or []
    success_codes = {status.get("code") for status in results.get("success") or []}
    integrity = [status for status in failures if status.get("code") not in TRUST_CODES]
    signature = manifest.get("signature_info") or {}
    actions = list(manifest_actions(manifest))
    return {
        "state": CredentialsState.INVALID if integrity else CredentialsState.VALID,
        "failures": [
            {
                "code": str(status.get("code", ""))[:MAX_TEXT],
                "explanation": str(status.get("explanation", ""))[:MAX_TEXT],
            }
            for status in integrity
        ],
        "signer_issuer": text(signature.get("issuer")),
        "signer_name": text(signature.get("common_name")),
        "signed_at": signature_time(signature.get("time")),
        "claim_generator": claim_generator(manifest),
        "actions": actions,
        "ai_source_type": ai_source_type(actions),
        "trusted": ("signingCredential.trusted" in success_codes)
        if anchors.pem
        else None,
    }


def signature_time(value):
    try:
        return parse_datetime(str(value or "")) or None
    except ValueError:  # well formed, but no such time: the signer's word only
        return None


def manifest_actions(manifest):
    for assertion in manifest.get("assertions") or []:
        if not str(assertion.get("label", "")).startswith("c2pa.actions"):
            continue
        for action in (assertion.get("data") or {}).get("actions") or []:
            agent = action.get("softwareAgent") or ""
            if isinstance(agent, dict):  # C2PA 2: {"name": ..., "version": ...}
                agent = " ".join(
                    str(agent[key]) for key in ("name", "version") if agent.get(key)
                )
            yield {
                "action": text(action.get("action")),
                "when": text(action.get("when")),
                "software_agent": text(agent),
                "digital_source_type": text(
                    str(action.get("digitalSourceType") or "").removeprefix(
                        IPTC_SOURCE_TYPES
                    )
                ),
            }


def claim_generator(manifest):
    for info in manifest.get("claim_generator_info") or []:
        if isinstance(info, dict) and info.get("name"):
            return text(
                " ".join(str(info[k]) for k in ("name", "version") if info.get(k))
            )
    return text(manifest.get("claim_generator"))


def ai_source_type(actions):
    declared = {action["digital_source_type"] for action in actions}
    return next((kind for kind in AI_SOURCE_TYPES if kind in declared), "")


def text(value):
    return str(value or "").strip()[:MAX_TEXT]


# The record's files


FILE_FIELDS = {
    CredentialsFile.ORIGINAL_FILE: "document",
    CredentialsFile.VIDEO_FILE: "document",
    CredentialsFile.POSTER: "image",
}


def file_version(attached):
    return attached.file_hash or attached.file.name
