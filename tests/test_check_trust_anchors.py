"""E002-E004 and W005: a C2PA_TRUST_ANCHORS that does not do what it says,
found by `manage.py check` (docs/reference/system-checks.md)."""

import base64
import io
import os
import sys
from pathlib import Path

import pytest
from django.core.checks import ERROR, WARNING, run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from tests import c2pa_signing
from wagtail_evidence import checks
from wagtail_evidence.media import credentials


def anchors_setting(path):
    return override_settings(WAGTAIL_EVIDENCE={"C2PA_TRUST_ANCHORS": str(path)})


def ours():
    return [
        message
        for message in run_checks(tags=[checks.TAG], databases=[])
        if message.id.startswith("wagtail_evidence.")
    ]


def check_fails_with(check_id):
    """`manage.py check` stops on the error, and names its id."""
    with pytest.raises(SystemCheckError) as raised:
        call_command("check", stdout=io.StringIO(), stderr=io.StringIO())
    assert check_id in str(raised.value)
    return str(raised.value)


@pytest.fixture(scope="module")
def roots():
    return [c2pa_signing.make_chain(organisation=f"Desk {n}").root_pem for n in (1, 2)]


@pytest.fixture
def c2pa_missing(monkeypatch):
    """The extra not installed: importing c2pa fails, as it would."""
    monkeypatch.setitem(sys.modules, "c2pa", None)


def test_no_trust_list_is_no_message():
    with override_settings(WAGTAIL_EVIDENCE={"C2PA_TRUST_ANCHORS": None}):
        assert ours() == []


def test_a_file_of_pem_certificates_passes(tmp_path, roots):
    pytest.importorskip("c2pa")
    anchors = tmp_path / "anchors.pem"
    anchors.write_bytes(b"# The desk's roots\n" + b"".join(roots))
    with anchors_setting(anchors):
        assert ours() == []
        call_command("check", stdout=io.StringIO(), stderr=io.StringIO())


def test_e002_a_path_that_does_not_exist(tmp_path):
    missing = tmp_path / "nowhere" / "anchors.pem"
    with anchors_setting(missing):
        [error] = ours()
        output = check_fails_with("wagtail_evidence.E002")
    assert error.level == ERROR
    assert str(missing) in error.msg and "No such file or directory" in error.msg
    assert "or set it to None" in error.hint
    assert str(missing) in output


def test_e002_a_path_that_cannot_be_read_as_a_file(tmp_path):
    with anchors_setting(tmp_path):  # a directory
        [error] = ours()
    assert error.id == "wagtail_evidence.E002"
    assert "Is a directory" in error.msg


def test_e002_a_file_that_is_not_utf8_text(tmp_path, roots):
    anchors = tmp_path / "anchors.pem"
    anchors.write_bytes("# Racines de la rédaction\n".encode("latin-1") + roots[0])
    with anchors_setting(anchors):
        [error] = ours()
    assert error.id == "wagtail_evidence.E002"
    assert "not UTF-8 text" in error.msg


def test_utf8_comments_pass_as_the_c2pa_library_reads_them(tmp_path, roots):
    anchors = tmp_path / "anchors.pem"
    anchors.write_bytes("# Racines de la rédaction\n".encode() + roots[0])
    with anchors_setting(anchors):
        assert ours() == []


@pytest.mark.parametrize("kind", ["fifo", "device", "link to a device"])
def test_e002_a_path_that_is_not_a_regular_file_is_not_read(tmp_path, kind):
    """A FIFO is not waited on, a device not read: the check ends at once."""
    anchors = tmp_path / "anchors.pem"
    if kind == "fifo":
        os.mkfifo(anchors)
    elif kind == "link to a device":
        anchors.symlink_to("/dev/zero")
    else:
        anchors = Path("/dev/zero")
    with anchors_setting(anchors):
        [error] = ours()
        check_fails_with("wagtail_evidence.E002")
    assert str(anchors) in error.msg
    assert "it is not a regular file" in error.msg
    assert "a regular file" in error.hint and "or set it to None" in error.hint


def test_e002_a_file_larger_than_any_trust_list_is_not_read_whole(
    tmp_path, roots, monkeypatch
):
    """Past the cap, the file is refused, and no more than the cap (and a
    byte) is read of it."""
    anchors = tmp_path / "anchors.pem"
    with anchors.open("wb") as handle:
        handle.write(roots[0])
        handle.truncate(credentials.MAX_TRUST_LIST_BYTES + 1)  # sparse: no disk
    sizes = []
    real_fdopen = os.fdopen

    def fdopen(*args, **kwargs):
        handle = real_fdopen(*args, **kwargs)
        read = handle.read
        handle.read = lambda size=-1: sizes.append(size) or read(size)
        return handle

    monkeypatch.setattr(os, "fdopen", fdopen)
    with anchors_setting(anchors):
        [error] = ours()
    assert error.id == "wagtail_evidence.E002"
    assert "larger than 5 MB" in error.msg
    assert sizes == [credentials.MAX_TRUST_LIST_BYTES + 1]


def test_a_file_at_the_cap_is_read(tmp_path, roots):
    anchors = tmp_path / "anchors.pem"
    padding = credentials.MAX_TRUST_LIST_BYTES - len(roots[0])
    anchors.write_bytes(b"#" * (padding - 1) + b"\n" + roots[0])
    with anchors_setting(anchors):
        assert ours() == []


def test_e003_a_file_with_no_pem_certificate(tmp_path):
    anchors = tmp_path / "key.pem"
    anchors.write_text("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
    with anchors_setting(anchors):
        [error] = ours()
        check_fails_with("wagtail_evidence.E003")
    assert error.level == ERROR and str(anchors) in error.msg
    assert "openssl x509 -inform der" in error.hint


def test_e004_names_each_certificate_that_does_not_parse(tmp_path, roots):
    not_a_certificate = (
        b"-----BEGIN CERTIFICATE-----\n"
        + base64.encodebytes(b"a public key, not a certificate")
        + b"-----END CERTIFICATE-----\n"
    )
    broken_base64 = b"-----BEGIN CERTIFICATE-----\nMII*!\n-----END CERTIFICATE-----\n"
    anchors = tmp_path / "anchors.pem"
    anchors.write_bytes(roots[0] + not_a_certificate + roots[1] + broken_base64)
    with anchors_setting(anchors):
        [error] = ours()
        check_fails_with("wagtail_evidence.E004")
    assert error.level == ERROR
    assert error.msg.startswith("2 of the 4 certificates in")
    assert "certificate 2 (not an X.509 certificate" in error.msg
    assert "certificate 4 (its base64 is broken)" in error.msg
    assert "certificate 1 " not in error.msg and "certificate 3 " not in error.msg


def test_e004_is_no_false_alarm_the_library_does_skip_what_it_cannot_parse(
    tmp_path, roots
):
    """What E004 warns of: a root that does not parse vouches for no one, and
    the reader is told the signer is off the site's trust list."""
    pytest.importorskip("c2pa")
    from wagtail_evidence.media import credentials

    chain = c2pa_signing.make_chain()
    signed = c2pa_signing.sign(
        c2pa_signing.small_jpeg(), chain, c2pa_signing.manifest()
    )
    damaged = chain.root_pem.replace(b"MII", b"MIJ", 1)
    anchors = credentials.TrustList(pem=damaged.decode(), digest="damaged")
    facts = credentials.read_credentials(io.BytesIO(signed), "a.jpg", anchors)
    assert facts["state"] == "valid" and facts["trusted"] is False

    path = tmp_path / "anchors.pem"
    path.write_bytes(damaged)
    with anchors_setting(path):
        assert [message.id for message in ours()] == ["wagtail_evidence.E004"]


def test_w005_the_setting_without_the_extra_is_a_warning(tmp_path, roots, c2pa_missing):
    anchors = tmp_path / "anchors.pem"
    anchors.write_bytes(roots[0])
    with anchors_setting(anchors):
        [warning] = ours()
        err = io.StringIO()
        call_command("check", stdout=io.StringIO(), stderr=err)  # does not stop
    assert (warning.id, warning.level) == ("wagtail_evidence.W005", WARNING)
    assert "wagtail-evidence[c2pa]" in warning.hint
    assert "wagtail_evidence.W005" in err.getvalue()


def test_w005_comes_with_the_file_problem_when_there_is_one(tmp_path, c2pa_missing):
    with anchors_setting(tmp_path / "missing.pem"):
        assert [message.id for message in ours()] == [
            "wagtail_evidence.W005",
            "wagtail_evidence.E002",
        ]
