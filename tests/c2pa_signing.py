"""Files with Content Credentials, signed here with a throwaway certificate chain.

A root CA, an intermediate and an end-entity certificate (ES256, P-256) made
with ``cryptography``, the end entity with the key usage and extended key usage
C2PA asks of a claim signer; a small JPEG made with Pillow, signed with the
c2pa library's Builder. Nothing here reaches the network: the certificates name
OCSP and manifest addresses only where a test gives one on 127.0.0.1.
"""

import datetime
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
from PIL import Image


IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"


@dataclass(frozen=True)
class Chain:
    root_pem: bytes
    signer_chain_pem: bytes  # the end entity, then the intermediate
    signer_key_pem: bytes


def name(common_name, organisation):
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        ]
    )


def certificate(subject, key, issuer, issuer_key, *, ca, path_length=None, ocsp=None):
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
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


def make_chain(signer="Field Camera Unit", organisation="Test Newsroom", ocsp=None):
    def pem(cert):
        return cert.public_bytes(serialization.Encoding.PEM)

    root_key, middle_key, signer_key = (
        ec.generate_private_key(ec.SECP256R1()) for _ in range(3)
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


def small_jpeg(colour=(180, 40, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", (48, 32), colour).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def manifest(*, tool="Test Camera App", source_type="digitalCapture", edited_with=None):
    actions = [
        {
            "action": "c2pa.created",
            "digitalSourceType": IPTC + source_type,
            "when": "2026-11-02T08:30:00Z",
        }
    ]
    if edited_with:
        actions.append(
            {"action": "c2pa.edited", "softwareAgent": {"name": edited_with}}
        )
    return {
        "claim_generator_info": [{"name": tool, "version": "2.1"}],
        "title": "capture.jpg",
        "assertions": [{"label": "c2pa.actions", "data": {"actions": actions}}],
    }


def sign(image, chain, definition, remote_url=None):
    """``image`` (JPEG bytes) with a manifest signed by ``chain``; with
    ``remote_url``, the manifest is not embedded but said to be there."""
    import c2pa

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


def tampered(jpeg):
    """``jpeg`` with bytes of its image data flipped after signing: the
    manifest is intact, the pixels it vouches for are not."""
    data = bytearray(jpeg)
    scan = data.rindex(b"\xff\xda") + 16  # past the last start-of-scan header
    flipped = 0
    for index in range(scan, len(data) - 4):
        if data[index - 1] != 0xFF and data[index] not in (0xFF, 0xFE, 0x00):
            data[index] ^= 0x01
            flipped += 1
            if flipped == 3:
                break
    assert flipped == 3, "no image data to tamper with"
    return bytes(data)
