"""French and Arabic ship complete, compiled, and with their placeholders intact;
the package's templates and script hold no text a translator cannot reach.

To translate strings added since, see docs/how-to/translate.md.
"""

import ast
import gettext
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import call_command

import wagtail_evidence
from tests.paths import SOURCE


PACKAGE = Path(wagtail_evidence.__file__).parent
LANGUAGES = ["fr", "ar"]
PLURAL_FORMS = {"fr": 2, "ar": 6}
# Placeholders a plural form may leave out: the number itself, where the form
# says it in words (Arabic "مقال واحد", one article; "مقالان", two articles).
COUNT_PLACEHOLDERS = {"%(count)s", "%(counter)s"}
PLACEHOLDER = re.compile(
    r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc]|%[sdifr]|\{\w*\}"
)


# A .po reader: enough for what makemessages writes (no polib needed).


def unquote(line):
    return ast.literal_eval(line)


def read_po(path):
    """Entries as dicts: context, id, plural, strings (index -> text), flags, obsolete."""
    entries, entry, field = [], None, None

    def start():
        return {
            "context": None,
            "id": None,
            "plural": None,
            "strings": {},
            "flags": set(),
            "obsolete": False,
        }

    entry = start()
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry["id"] is not None:
                entries.append(entry)
            entry, field = start(), None
            continue
        if line.startswith("#~"):
            entry["obsolete"] = True
            continue
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        keyword, _space, rest = line.partition(" ")
        if line.startswith('"'):
            text = unquote(line)
            if field[0] == "strings":
                entry["strings"][field[1]] += text
            else:
                entry[field[0]] += text
        elif keyword == "msgctxt":
            entry["context"], field = unquote(rest), ("context",)
        elif keyword == "msgid":
            entry["id"], field = unquote(rest), ("id",)
        elif keyword == "msgid_plural":
            entry["plural"], field = unquote(rest), ("plural",)
        elif keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if "[" in keyword else 0
            entry["strings"][index], field = unquote(rest), ("strings", index)
        else:
            raise AssertionError(f"{path}: cannot read {line!r}")
    return entries


def po_path(language, root=PACKAGE):
    return root / "locale" / language / "LC_MESSAGES" / "django.po"


def messages(language):
    return [
        entry
        for entry in read_po(po_path(language))
        if entry["id"] and not entry["obsolete"]
    ]


def label(entry):
    return (
        f"{entry['context']!r} {entry['id']!r}"
        if entry["context"]
        else repr(entry["id"])
    )


def placeholders(text):
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text))


def untranslated_or_fuzzy(entries):
    return [
        label(entry)
        for entry in entries
        if entry["id"]
        and not entry["obsolete"]
        and (
            "fuzzy" in entry["flags"]
            or not entry["strings"]
            or not all(entry["strings"].values())
        )
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    entries = read_po(po_path(language))
    header = entries[0]
    assert header["id"] == "" and "fuzzy" not in header["flags"], (
        "the header is still marked fuzzy"
    )
    assert f"Language: {language}\n" in header["strings"][0]
    assert f"nplurals={PLURAL_FORMS[language]};" in header["strings"][0]
    problems = untranslated_or_fuzzy(entries[1:])
    assert not problems, f"{language}: untranslated or fuzzy: {problems}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_messages_have_every_form_of_the_language(language):
    for entry in messages(language):
        if entry["plural"] is not None:
            assert sorted(entry["strings"]) == list(range(PLURAL_FORMS[language])), (
                label(entry)
            )


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_of_the_source(language):
    wrong = []
    for entry in messages(language):
        if entry["plural"] is None:
            if placeholders(entry["id"]) != placeholders(entry["strings"][0]):
                wrong.append((label(entry), entry["strings"][0]))
            continue
        source = set(placeholders(entry["id"])) | set(placeholders(entry["plural"]))
        for index, form in entry["strings"].items():
            used = set(placeholders(form))
            if not used <= source or not source - COUNT_PLACEHOLDERS <= used:
                wrong.append((label(entry), index, form))
    assert not wrong, f"{language}: placeholders differ from the source: {wrong}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_the_po_file(language):
    """The committed .mo is the .po compiled: edit one without compiling and this fails."""
    path = po_path(language)
    with open(path.with_suffix(".mo"), "rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    expected = {}
    for entry in messages(language):
        key = (
            f"{entry['context']}\x04{entry['id']}" if entry["context"] else entry["id"]
        )
        if entry["plural"] is None:
            expected[key] = entry["strings"][0]
        else:
            for index, form in entry["strings"].items():
                expected[(key, index)] = form
    compiled = {
        key: value for key, value in compiled.items() if key != ""
    }  # the header
    assert compiled == expected, (
        f"{language}: run compilemessages (see docs/how-to/translate.md)"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_package_renders_in_the_language(language):
    from django.utils import translation

    from wagtail_evidence.choices import Badge

    with translation.override(language):
        assert str(Badge.PARTIALLY_VERIFIED.label) != "Partially verified"


@pytest.mark.skipif(
    not shutil.which("xgettext"),
    reason="needs GNU gettext (xgettext, msgmerge), as makemessages does",
)
def test_no_string_of_the_source_is_left_out_of_the_catalogues(tmp_path, monkeypatch):
    """Extract the strings again, from a copy of the package: a string added to
    the code or a template since the last makemessages shows up here."""
    copy = tmp_path / "wagtail_evidence"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=LANGUAGES, no_obsolete=True, verbosity=0)
    for language in LANGUAGES:
        problems = untranslated_or_fuzzy(read_po(po_path(language, copy))[1:])
        assert not problems, (
            f"{language}: strings to translate (run makemessages, see docs/how-to/translate.md): {problems}"
        )


# Templates and script: no text outside the translation tags.


class TextCollector(HTMLParser):
    """The text nodes and the human-readable attributes of an HTML template."""

    READABLE_ATTRIBUTES = {
        "title",
        "alt",
        "aria-label",
        "placeholder",
        "aria-description",
    }

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.extend(
            value for name, value in attrs if name in self.READABLE_ATTRIBUTES and value
        )

    def handle_data(self, data):
        self.found.append(data)


TEMPLATE_NOISE = [
    re.compile(r"{%\s*comment.*?%}.*?{%\s*endcomment\s*%}", re.S),
    re.compile(r"{#.*?#}", re.S),
    re.compile(r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", re.S),
    re.compile(r"{%.*?%}", re.S),
    re.compile(r"{{.*?}}", re.S),
]


def literal_text(template):
    source = template.read_text(encoding="utf-8")
    for pattern in TEMPLATE_NOISE:
        source = pattern.sub(" ", source)
    collector = TextCollector()
    collector.feed(source)
    return [
        text.strip() for text in collector.found if re.search(r"[^\W\d_]{2,}", text)
    ]


@pytest.mark.parametrize(
    "template",
    sorted((PACKAGE / "templates").rglob("*.html")),
    ids=lambda path: str(path.relative_to(PACKAGE / "templates")),
)
def test_templates_hold_no_text_outside_translation_tags(template):
    assert literal_text(template) == []


@pytest.mark.parametrize("script", ["evidence.js", "admin-warned-media.js"])
def test_the_scripts_hold_no_text_for_people(script):
    """Everything a script shows comes from the server, translated there
    (buttons, labels): its own strings are selectors and keys, never phrases."""
    script = (PACKAGE / "static" / "wagtail_evidence" / "js" / script).read_text()
    script = re.sub(r"/\*.*?\*/|//[^\n]*", "", script, flags=re.S)
    strings = re.findall(r"\"((?:[^\"\\]|\\.)*)\"|'((?:[^'\\]|\\.)*)'", script)
    phrases = [
        a or b
        for a, b in strings
        if re.search(r"[A-Za-z]+ [A-Za-z]+", a or b) and (a or b) != "use strict"
    ]
    assert phrases == []


@pytest.mark.parametrize("stylesheet", ["evidence.css", "admin.css"])
def test_the_styles_use_logical_properties_only(stylesheet):
    """Physical directions would not mirror in right-to-left languages."""
    css = (PACKAGE / "static" / "wagtail_evidence" / "css" / stylesheet).read_text()
    physical = re.findall(
        r"(?:margin|padding|border)-(?:left|right)\b|(?<![-\w])(?:left|right)\s*:|"
        r"text-align\s*:\s*(?:left|right)|float\s*:\s*(?:left|right)",
        css,
    )
    assert physical == []


def test_locale_files_are_committed_not_ignored():
    """The compiled catalogues ship in the wheel, which is built from a clone: git
    must track them and not ignore them. Asked of the checkout (tests.paths.SOURCE),
    since under nox the tests run from a copy beside the installed wheel."""
    git = shutil.which("git")

    def run_git(*args):
        return subprocess.run(  # noqa: S603 - git, with our own paths
            [git, "-C", str(SOURCE), *args], capture_output=True, text=True
        )

    if (
        not git
        or run_git("rev-parse", "--is-inside-work-tree").stdout.strip() != "true"
    ):
        pytest.skip(f"{SOURCE} is not a git checkout")
    files = sorted(
        str(path.relative_to(SOURCE))
        for path in (SOURCE / "wagtail_evidence" / "locale").glob(
            "*/LC_MESSAGES/*.[mp]o"
        )
    )
    for language in LANGUAGES:
        for suffix in (".po", ".mo"):
            expected = po_path(language, SOURCE / "wagtail_evidence").with_suffix(
                suffix
            )
            assert str(expected.relative_to(SOURCE)) in files
    assert run_git("check-ignore", "--no-index", *files).stdout.split() == []
    tracked = run_git("ls-files", "--", *files).stdout.split()
    assert sorted(tracked) == files, "not tracked by git: " + ", ".join(
        sorted(set(files) - set(tracked))
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "A, &lt;b&gt;B&lt;/b&gt; and <a>C</a>"),
        ("fr", "A, &lt;b&gt;B&lt;/b&gt; et <a>C</a>"),
        ("ar", "A، &lt;b&gt;B&lt;/b&gt; و<a>C</a>"),
    ],
)
def test_lists_are_whole_patterns_that_escape_what_they_join(language, expected):
    from django.utils import translation
    from django.utils.safestring import mark_safe

    from wagtail_evidence.i18n import format_list, join_labels

    with translation.override(language):
        assert format_list(["A", "<b>B</b>", mark_safe("<a>C</a>")]) == expected  # noqa: S308
        assert format_list(["A", None, ""]) == "A"
        assert join_labels(["x", "<y>"]).endswith("&lt;y&gt;")
