"""E002-E004 and W005: a ``C2PA_TRUST_ANCHORS`` that does not do what it says.

At run time a trust list that cannot be used is no trust list
(media/credentials.py), and the C2PA library skips a certificate it cannot
parse without a word; when it can parse none, every signer is said to be off
the site's trust list. A site that names anchors wants signers checked, so
each way the file can fail is an error here, before an editor meets it. The
certificates are parsed with Python's ssl module (OpenSSL), so the check needs
neither the c2pa extra nor ``cryptography``.
"""

import base64
import binascii
import re
import ssl

from django.core.checks import Error, Warning, register
from django.utils import translation

from wagtail_evidence.checks.common import TAG
from wagtail_evidence.conf import get_setting
from wagtail_evidence.media import credentials


SETTING = "WAGTAIL_EVIDENCE['C2PA_TRUST_ANCHORS']"
PEM_CERTIFICATE = re.compile(
    r"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", re.DOTALL
)
FIX_OR_UNSET = (
    f"Point {SETTING} at a readable PEM file of root certificates (a regular "
    f"file, UTF-8 text, of at most {credentials.MAX_TRUST_LIST_BYTES // 2**20} MB), "
    "or set it to None."
)


@register(TAG)
def check_trust_anchors(app_configs, **kwargs):
    path = get_setting("C2PA_TRUST_ANCHORS")
    if not path:
        return []
    messages = []
    if not credentials.is_available():
        messages.append(
            Warning(
                f"{SETTING} is set, but the C2PA reader is not installed, so no "
                "file's Content Credentials are read and the trust list is not used.",
                hint="Install the package with its c2pa extra (pip install "
                '"wagtail-evidence[c2pa]"), then run manage.py '
                "read_content_credentials; or remove the setting.",
                id="wagtail_evidence.W005",
            )
        )
    return messages + anchor_file_problems(path)


def anchor_file_problems(path):
    # The file is read as the package reads it at run time; check messages
    # stay in English, as Django's own.
    with translation.override(None):
        try:
            pem = credentials.read_trust_anchors(path)
        except credentials.UnreadableTrustList as error:
            return [unreadable(path, str(error.reason))]
    blocks = PEM_CERTIFICATE.findall(pem)
    if not blocks:
        return [
            Error(
                f"{SETTING} names {path}, which holds no PEM certificate (no "
                "'-----BEGIN CERTIFICATE-----' block), so it is not used: signers "
                "are shown as not checked against a trust list.",
                hint="Give a file of PEM certificates. A DER certificate converts "
                "with: openssl x509 -inform der -in root.der -out root.pem",
                id="wagtail_evidence.E003",
            )
        ]
    failed = [
        f"certificate {number} ({reason})"
        for number, block in enumerate(blocks, start=1)
        if (reason := certificate_problem(block))
    ]
    if not failed:
        return []
    return [
        Error(
            f"{len(failed)} of the {len(blocks)} certificates in {path}, named by "
            f"{SETTING}, cannot be parsed: {'; '.join(failed)}. The C2PA library "
            "skips such a certificate silently, so a signer it should vouch for is "
            "said to be off the site's trust list.",
            hint="Replace each one with its PEM export (openssl x509 -in cert "
            "-outform pem), or remove it. Certificates are counted from the top "
            "of the file.",
            id="wagtail_evidence.E004",
        )
    ]


def unreadable(path, reason):
    return Error(
        f"{SETTING} names {path}, which cannot be read ({reason}), so no signer is "
        "checked against a trust list: editors and readers are told so.",
        hint=FIX_OR_UNSET,
        id="wagtail_evidence.E002",
    )


def certificate_problem(block):
    """Why one PEM block is not an X.509 certificate; empty if it is one."""
    try:
        der = base64.b64decode("".join(block.split()), validate=True)
    except binascii.Error:
        return "its base64 is broken"
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_verify_locations(cadata=der)
    except ssl.SSLError as error:
        return f"not an X.509 certificate: {error.reason or error}"
    return ""
