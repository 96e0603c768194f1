"""Files with Content Credentials, signed here with a throwaway certificate chain.

The chain and the signing are the demo's (example_site/newsroom/desk_capture.py,
where `load_demo` signs the desk's capture with them): a root CA, an
intermediate and an end-entity certificate (ES256, P-256) made with
``cryptography``, the same names giving the same keys. Here: a small JPEG made
with Pillow, the manifests the tests sign, and a file tampered with after
signing. Nothing here reaches the network: the certificates name OCSP and
manifest addresses only where a test gives one on 127.0.0.1.
"""

import io

from newsroom import desk_capture
from newsroom.desk_capture import IPTC, Chain, sign
from PIL import Image


__all__ = ["IPTC", "Chain", "make_chain", "manifest", "sign", "small_jpeg", "tampered"]


def make_chain(signer="Field Camera Unit", organisation="Test Newsroom", ocsp=None):
    return desk_capture.make_chain(signer, organisation, ocsp=ocsp)


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
