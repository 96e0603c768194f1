"""The desk's capture tool, as the demo has it: the verification desk's own
captures carry Content Credentials (C2PA), signed when `load_demo` runs.

The certificate chain is a throwaway made here with ``cryptography``: a root
CA, an intermediate and an end entity (ES256, P-256), the end entity with the
key usage and extended key usage C2PA asks of a claim signer. No site should
trust it: its keys come from a hash of the names in it, so anyone can remake
them. That keeps the demo deterministic in what it shows (the same signer,
tool and actions on every run); the signed file itself is not byte-identical
from run to run, as every C2PA manifest gets a fresh identifier.

Import it only where the c2pa extra (``pip install "wagtail-evidence[c2pa]"``,
which brings ``cryptography``) is installed; without it, `load_demo` attaches
the same capture unsigned, and the demo loads as before.
tests/c2pa_signing.py signs the suite's files with the same chain maker.
"""

import datetime
import hashlib
import io
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import (
    AuthorityInformationAccessOID,
    ExtendedKeyUsageOID,
    NameOID,
)

from wagtail_evidence.media.credentials import c2pa_library


IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
# Who signs the desk's captures, and with what (demo_content.py, "capture").
DESK_SIGNER = "Observers desk"
DESK_ORGANISATION = "Demo newsroom"
DESK_TOOL = {"name": "Desk capture", "version": "1.0"}
# Fixed, so that the chain is the same on every run; long, so that a reading
# years from now (read_content_credentials) still finds it in force.
NOT_BEFORE = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
NOT_AFTER = datetime.datetime(2049, 12, 31, tzinfo=datetime.UTC)
P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


@dataclass(frozen=True)
class Chain:
    root_pem: bytes
    signer_chain_pem: bytes  # the end entity, then the intermediate
    signer_key_pem: bytes


def seed(*parts):
    return hashlib.sha256("\x1f".join(parts).encode()).digest()


def private_key(*parts):
    secret = int.from_bytes(seed("key", *parts)) % (P256_ORDER - 1) + 1
    return ec.derive_private_key(secret, ec.SECP256R1())


def name(common_name, organisation):
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        ]
    )


def certificate(subject, key, issuer, issuer_key, *, ca, path_length=None, ocsp=None):
    serial = int.from_bytes(seed("serial", subject.rfc4514_string())[:16]) >> 1 | 1
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=path_length), True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            False,
        )
    )
    if not ca:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False
        )
    if ocsp:
        builder = builder.add_extension(
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.OCSP,
                        x509.UniformResourceIdentifier(ocsp),
                    )
                ]
            ),
            False,
        )
    return builder.sign(issuer_key, hashes.SHA256())


def make_chain(signer=DESK_SIGNER, organisation=DESK_ORGANISATION, ocsp=None):
    """A throwaway chain for ``signer``; the same names give the same keys.
    With ``ocsp``, the end entity names that OCSP responder."""

    def pem(cert):
        return cert.public_bytes(serialization.Encoding.PEM)

    root_key, middle_key, signer_key = (
        private_key(role, signer, organisation) for role in ("root", "middle", "end")
    )
    root_name = name("Throwaway Root CA", organisation)
    root = certificate(root_name, root_key, root_name, root_key, ca=True, path_length=1)
    middle_name = name("Throwaway Intermediate CA", organisation)
    middle = certificate(
        middle_name, middle_key, root_name, root_key, ca=True, path_length=0
    )
    end = certificate(
        name(signer, organisation),
        signer_key,
        middle_name,
        middle_key,
        ca=False,
        ocsp=ocsp,
    )
    return Chain(
        root_pem=pem(root),
        signer_chain_pem=pem(end) + pem(middle),
        signer_key_pem=signer_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )


def sign(image, chain, definition, remote_url=None):
    """``image`` (JPEG bytes) with a manifest signed by ``chain``; with
    ``remote_url``, the manifest is not embedded but said to be there."""
    c2pa = c2pa_library()
    signer = c2pa.Signer.from_info(
        c2pa.C2paSignerInfo(
            c2pa.C2paSigningAlg.ES256,
            chain.signer_chain_pem,
            chain.signer_key_pem,
            None,
        )
    )
    with signer, c2pa.Builder(definition) as builder:
        if remote_url:
            builder.set_no_embed()
            builder.set_remote_url(remote_url)
        signed = io.BytesIO()
        builder.sign(signer, "image/jpeg", io.BytesIO(image), signed)
    return signed.getvalue()


def capture_manifest(title):
    """What the desk's tool says of a capture: a screen capture, made with it.
    No date: the demo's story does not say when the desk made it."""
    return {
        "claim_generator_info": [DESK_TOOL],
        "title": title,
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [
                        {
                            "action": "c2pa.created",
                            "digitalSourceType": IPTC + "screenCapture",
                        }
                    ]
                },
            }
        ],
    }


def signed_capture(jpeg, title):
    """``jpeg`` as the desk's capture tool saves it, with its credentials."""
    return sign(jpeg, make_chain(), capture_manifest(title))
