"""A site built from nothing but the README's "Install in your site" section:
Wagtail's own project template, then each of the section's steps, taken from
the README's code blocks as they are written (the settings, the article model,
the commands, the template). An administrator then publishes a first article
through the admin (tests/readme_site/walkthrough.py); the gate's refusals reach
them as messages, never a server error.

The section's first step, installing the package, is what the suite's own
environment has already done (from the wheel, under nox). Its last, putting the
Evidence check into a workflow in the admin, is left out: the administrator
here may publish without a workflow, and system check W002 says so.
"""

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import SOURCE


pytestmark = pytest.mark.readme

README = SOURCE / "README.md"
PASSWORD = "readme-site-password"  # noqa: S105


def install_section():
    text = README.read_text(encoding="utf-8")
    section = text.split("## Install in your site", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```(\w+)\n(.*?)```", section, re.S)


def blocks(language):
    return [code for lang, code in install_section() if lang == language]


def settings_from_readme():
    """The README's settings block, as Python to append to the site's settings:
    each setting it names, merged the way its comments say."""
    (code, _model) = blocks("python")
    values = {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in ast.parse(code).body
        if isinstance(node, ast.Assign)
    }
    apps = [app for app in values.pop("INSTALLED_APPS") if app != "yourapp"]
    lines = ["", "# From the README's install section."]
    for app in apps:  # "above wagtail"
        lines.append(f"INSTALLED_APPS.insert(INSTALLED_APPS.index('wagtail'), {app!r})")
    lines.append("INSTALLED_APPS.insert(0, 'news')")
    lines.append(f"MIDDLEWARE += {values.pop('MIDDLEWARE')!r}")
    for name, value in values.items():
        lines.append(f"{name} = {value!r}")
    return "\n".join(lines) + "\n"


def run(site, *command):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    env.update(
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
        PYTHONPATH=os.pathsep.join([str(site), str(Path(__file__).parents[2])]),
        DJANGO_SETTINGS_MODULE="newsroom.settings.dev",
    )
    result = subprocess.run(  # noqa: S603 (the suite's own commands)
        command, cwd=site, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = tmp_path_factory.mktemp("readme-site")
    python = sys.executable
    run(site, python, "-m", "wagtail.bin.wagtail", "start", "newsroom", str(site))
    run(site, python, "manage.py", "startapp", "news")
    with open(site / "newsroom" / "settings" / "base.py", "a", encoding="utf-8") as f:
        f.write(settings_from_readme())
    (_settings, model) = blocks("python")
    (site / "news" / "models.py").write_text(model, encoding="utf-8")
    (template,) = blocks("django")
    templates = site / "news" / "templates" / "news"
    templates.mkdir(parents=True)
    (templates / "article_page.html").write_text(template, encoding="utf-8")
    (_install, commands) = blocks("sh")
    for line in commands.splitlines():
        command = line.split("#")[0].split()
        if not command:
            continue
        assert command[:2] == ["python", "manage.py"], line
        run(site, python, *[part.replace("yourapp", "news") for part in command[1:]])
    run(
        site,
        python,
        "manage.py",
        "createsuperuser",
        "--noinput",
        "--username",
        "admin",
        "--email",
        "admin@example.org",
    )
    return site


def test_the_readme_names_every_step(site):
    checked = run(site, sys.executable, "manage.py", "check")
    assert "wagtail_evidence.E" not in checked.stdout + checked.stderr


def test_a_first_article_is_published_through_the_admin_without_a_server_error(site):
    result = run(
        site, sys.executable, str(Path(__file__).with_name("walkthrough.py")), PASSWORD
    )
    steps = json.loads(result.stdout.strip().splitlines()[-1])
    answers = {name: step for name, step in steps.items() if isinstance(step, dict)}
    assert all(step["status"] == 200 for step in answers.values()), answers
    assert steps["evidence live after saving"] is False
    new = steps["new article published citing a draft"]
    assert any("Convoy in Horadiz" in message for message in new["messages"]), new
    assert steps["new article made by the refused publish"] is False
    refused = steps["article published citing a draft"]
    assert steps["article live after refusal"] is False
    assert any("not published" in message for message in refused["messages"]), refused
    assert steps["article live after bulk refusal"] is False
    assert any(
        "Convoy in Horadiz" in message
        for message in steps["bulk publish citing a draft"]["messages"]
    ), steps["bulk publish citing a draft"]
    assert steps["article live"] is True
    assert steps["reader page"] == {"status": 200, "cites the record": True}
