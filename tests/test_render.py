"""`discloser render`: every artefact, in every locale, deterministic, atomic, and inert."""

from __future__ import annotations

import hashlib
import json
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, run_cli
from hostile_payloads import PAYLOADS

from discloser.load.discover import Source
from discloser.model.declaration import Declaration
from discloser.validate import read_declaration

DECLARATIONS = ROOT / "declarations"
EXAMPLES = sorted(p.stem for p in DECLARATIONS.glob("*.yaml"))


def tree(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under ``folder``: sha256 of its bytes and its modification time."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            out[str(path.relative_to(folder))] = (
                hashlib.sha256(path.read_bytes()).hexdigest(),
                int(path.stat().st_mtime),
            )
    return out


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("render") / "out"
    proc = run_cli("render", "declarations", "--out", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def load(name: str) -> Declaration:
    path = DECLARATIONS / f"{name}.yaml"
    return read_declaration(Source(str(path), path))[0]


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_artefact_in_every_locale(rendered: Path, name: str) -> None:
    d = load(name)
    base = rendered / name
    for locale in d.locales:
        for file in (f"{locale}.html", f"{locale}.md", f"{locale}.txt", f"demo.{locale}.html"):
            assert (base / file).stat().st_size > 0
        assert (base / "ios" / f"{locale}.lproj" / "InfoPlist.strings").is_file()
    assert (base / "android" / "values" / "strings.xml").is_file()
    assert (base / "android" / "values-ar" / "strings.xml").is_file()
    for file in ("notice.json", "prompt.json", "embed.html"):
        assert (base / file).is_file()
    assert (rendered / "notice.schema.json").is_file()


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_fragment_is_the_pages_own_section(rendered: Path, name: str) -> None:
    """The fragment to embed is ``<section id="dsc-<id>">`` of the page, whole: it carries
    its styles, every class of it is ``dsc-``, and nothing of the page shell is inside."""
    from html.parser import HTMLParser

    class Section(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.depth = 0
            self.tags: list[tuple[str, dict[str, str | None]]] = []
            self.sections = 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if self.depth == 0 and tag == "section" and ("id", f"dsc-{name}") in attrs:
                self.sections += 1
                self.depth = 1
            elif self.depth and tag == "section":
                self.depth += 1
            if self.depth:
                self.tags.append((tag, dict(attrs)))

        def handle_endtag(self, tag: str) -> None:
            if self.depth and tag == "section":
                self.depth -= 1

    d = load(name)
    for locale in d.locales:
        parser = Section()
        parser.feed((rendered / name / f"{locale}.html").read_text(encoding="utf-8"))
        assert parser.sections == 1
        tags = [t for t, _ in parser.tags]
        assert "style" in tags and not {"html", "head", "body", "main", "title"} & set(tags)
        classes = [c for _, a in parser.tags for c in (a.get("class") or "").split()]
        assert classes and all(c.startswith("dsc-") for c in classes)
        assert parser.tags[0][1]["lang"] == locale


def test_twin_carries_a_recomputable_notice_hash(rendered: Path) -> None:
    from discloser.model.twin import NoticeTwin
    from discloser.notice import notice_hash

    for name in EXAMPLES:
        doc = json.loads((rendered / name / "notice.json").read_text(encoding="utf-8"))
        NoticeTwin.model_validate(doc)
        canonical = json.dumps(
            doc["material"], sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        assert doc["notice_hash"] == "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()
        assert doc["notice_hash"] == notice_hash(load(name))


def test_committed_twin_schema_is_current(rendered: Path) -> None:
    committed = (ROOT / "schema" / "notice.schema.json").read_text(encoding="utf-8")
    assert committed == (rendered / "notice.schema.json").read_text(encoding="utf-8")


def test_right_to_left_and_localised_words(rendered: Path) -> None:
    page = (rendered / "camera-roll-suggestions" / "ar.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in page
    fr = (rendered / "camera-roll-suggestions" / "fr.html").read_text(encoding="utf-8")
    assert '<html lang="fr" dir="ltr">' in fr
    fr = fr.replace("\u202f", " ").replace("\xa0", " ")  # CLDR's no-break spaces
    assert "30 jours" in fr
    assert "États-Unis" in fr


def test_native_strings_follow_access(rendered: Path) -> None:
    library = (
        rendered / "camera-roll-suggestions" / "ios" / "en.lproj" / "InfoPlist.strings"
    ).read_text(encoding="utf-8")
    assert '"NSPhotoLibraryUsageDescription" = "' in library
    assert "including photos you never shared" in library
    picker = (rendered / "ai-restyle" / "ios" / "en.lproj" / "InfoPlist.strings").read_text(
        encoding="utf-8"
    )
    assert "NSPhotoLibraryUsageDescription" not in picker
    xml = (
        rendered / "camera-roll-suggestions" / "android" / "values-fr" / "strings.xml"
    ).read_text(encoding="utf-8")
    assert "android.permission.READ_MEDIA_IMAGES" in xml
    import xml.etree.ElementTree as ET

    for name in EXAMPLES:
        for path in (rendered / name / "android").rglob("strings.xml"):
            ET.parse(path)  # well-formed


def test_two_renders_are_identical_and_honour_source_date_epoch(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    assert run_cli("render", "declarations", "--out", str(a)).returncode == 0
    assert run_cli("render", "declarations", "--out", str(b)).returncode == 0
    assert tree(a) == tree(b)
    c = tmp_path / "c"
    assert (
        run_cli(
            "render", "declarations", "--out", str(c), env={"SOURCE_DATE_EPOCH": "1700000000"}
        ).returncode
        == 0
    )
    assert {mtime for _, mtime in tree(c).values()} == {1700000000}


def test_failed_render_leaves_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("render", "declarations", "--out", str(out)).returncode == 0
    before = tree(out)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.yaml").write_text("discloser: 1\nid: x\n", encoding="utf-8")
    proc = run_cli("render", str(bad), "--out", str(out))
    assert proc.returncode == 1
    assert tree(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")] == []


def test_one_wrong_declaration_among_many_writes_nothing(tmp_path: Path) -> None:
    """Validation and rendering run in one pass: the clean files rendered before the wrong
    one is found are thrown away with the staging folder, and no folder is left behind."""
    import shutil

    tree_in = tmp_path / "declarations"
    shutil.copytree(DECLARATIONS, tree_in)
    (tree_in / "zz-wrong.yaml").write_text("discloser: 1\nid: zz-wrong\n", encoding="utf-8")
    out = tmp_path / "new" / "deeper" / "out"
    proc = run_cli("render", str(tree_in), "--out", str(out))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "zz-wrong.yaml" in proc.stdout + proc.stderr
    assert not (tmp_path / "new").exists()


def test_killed_render_leaves_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("render", "declarations", "--out", str(out)).returncode == 0
    before = tree(out)
    many = tmp_path / "many"
    many.mkdir()
    text = (DECLARATIONS / "camera-roll-suggestions.yaml").read_text(encoding="utf-8")
    for i in range(300):
        (many / f"f{i}.yaml").write_text(
            text.replace("id: camera-roll-suggestions", f"id: f{i}"), encoding="utf-8"
        )
    proc = subprocess.Popen(
        [sys.executable, "-m", "discloser", "render", str(many), "--out", str(out)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not any(p.name.endswith(".staging") for p in tmp_path.iterdir()):
        assert time.monotonic() < deadline and proc.poll() is None, "render never started writing"
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert tree(out) == before


@pytest.mark.parametrize(
    "target",
    ["declarations", "declarations/sub", ".", "/", "~", "notempty"],
)
def test_refuses_dangerous_output_folders(tmp_path: Path, target: str) -> None:
    project = tmp_path / "project"
    (project / "declarations").mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project]\nname='x'\n", encoding="utf-8")
    src = DECLARATIONS / "ai-restyle.yaml"
    (project / "declarations" / "ai-restyle.yaml").write_text(
        src.read_text(encoding="utf-8"), encoding="utf-8"
    )
    (project / "notempty").mkdir()
    (project / "notempty" / "keep.txt").write_text("mine", encoding="utf-8")
    out = str(Path(target).expanduser()) if target == "~" else target
    proc = run_cli("render", "declarations", "--out", out, cwd=project)
    assert proc.returncode == 2, proc.stderr
    assert "refusing" in proc.stderr
    assert (project / "notempty" / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert not (project / "declarations" / "sub").exists()


# ----------------------------------------------------------------- hostile text stays text


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _hostile_declaration(payload: str, example: str = "camera-roll-suggestions") -> Declaration:
    """Every free-text field of an example, in every locale, set to ``payload`` (schema-valid)."""
    from discloser.load.yaml12 import load as load_yaml

    text = (DECLARATIONS / f"{example}.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = load_yaml(text)[0]  # YAML 1.2, as discloser reads it (NO is Norway)
    data["name"] = data["summary"] = data["controller"] = payload
    for p in data["purposes"]:
        p["text"] = payload
    for r in data["sharing"]:
        r["name"] = payload
    data["storage"]["deletion"] = data["consent"]["withdraw"] = payload
    data["waivers"] = [{"rule": "D704", "reason": payload}]
    for t in data["translations"].values():
        t["name"] = t["summary"] = t["deletion"] = t["withdraw"] = payload
        t["purposes"] = dict.fromkeys(t["purposes"], payload)
        t["recipients"] = dict.fromkeys(t.get("recipients", {}), payload)
        t["waivers"] = {"D704": payload}
    return Declaration.model_validate(data)


def _assert_inert_html(html: str, where: str) -> None:
    parser = _Collect()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag not in ("script", "img", "iframe", "object", "embed", "title") or (
            tag == "title" and where.endswith("page")
        ), (where, tag)
        for name, value in attrs:
            assert not name.startswith("on"), (where, tag, name)
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                assert (value or "").startswith(("https://", "mailto:")), (where, tag, name, value)
    assert html.count("<title>") <= 1


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_text_is_inert_in_every_format(payload: str, tmp_path: Path) -> None:

    from discloser.render.disclosure import make_environment

    env = make_environment(None)
    for example in EXAMPLES:
        _check_inert_everywhere(_hostile_declaration(payload, example), payload, tmp_path, env)


def _check_inert_everywhere(d: Declaration, payload: str, tmp_path: Path, env: Any) -> None:
    import markdown as python_markdown

    from discloser.render.disclosure import render_feature

    render_feature(d, tmp_path, env)
    base = tmp_path / d.id
    for locale in d.locales:
        html = (base / f"{locale}.html").read_text(encoding="utf-8")
        _assert_inert_html(html, f"{locale} page")
        if "7*7" in payload:  # template syntax is shown, never evaluated
            assert "{{ 7*7 }}" in html
        md = (base / f"{locale}.md").read_text(encoding="utf-8")
        _assert_inert_html(
            python_markdown.markdown(md, extensions=["attr_list", "md_in_html"]), f"{locale}/md"
        )
    import xml.etree.ElementTree as ET

    for path in base.rglob("strings.xml"):
        texts = [e.text or "" for e in ET.parse(path).getroot()]
        assert any(
            payload[:10].replace("'", "\\'").replace('"', '\\"') in t for t in texts
        ) or payload.startswith(("@", "?"))


def test_hostile_text_is_refused_by_validation(tmp_path: Path) -> None:
    text = (DECLARATIONS / "ai-restyle.yaml").read_text(encoding="utf-8")
    bad = text.replace("summary: ", "summary: <script>alert(1)</script> ", 1)
    (tmp_path / "ai-restyle.yaml").write_text(bad, encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("render", str(tmp_path / "ai-restyle.yaml"), "--out", str(out))
    assert proc.returncode == 1
    assert "D703" in proc.stdout
    assert not out.exists()


def test_hostile_page_runs_nothing_in_a_browser(browser: Any, tmp_path: Path) -> None:
    from conftest import Server

    from discloser.render.disclosure import make_environment, render_feature
    from discloser.render.markdown import to_text

    env = make_environment(None)
    for i, payload in enumerate(PAYLOADS):
        d = _hostile_declaration(payload)
        render_feature(d, tmp_path / str(i), env)
    server = Server(tmp_path)
    try:
        page = browser.new_page()
        dialogs: list[str] = []
        errors: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        for i in range(len(PAYLOADS)):
            for locale in ("en", "ar"):
                page.goto(f"{server.base}{i}/camera-roll-suggestions/{locale}.html")
                page.hover("body")
                for link in page.locator("a").all():
                    href = link.get_attribute("href") or ""
                    assert href.startswith(("https://", "mailto:")), href
                assert page.evaluate("document.scripts.length") == 0
                shown = " ".join(page.inner_text("h1.dsc-title").split())
                assert shown == " ".join(to_text(PAYLOADS[i]).split())  # visible, as text
        assert dialogs == [] and errors == []
        outside = [r for r in server.requests if not r.startswith("/")]
        assert outside == []
    finally:
        server.close()


def test_project_template_replaces_one_block(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "templates").mkdir(parents=True)
    (project / "templates" / "disclosure.j2.html").write_text(
        '{% extends "default:disclosure.j2.html" %}\n'
        '{% block meta %}<p class="acme-meta">Questions? Ask Lumen.</p>{% endblock %}\n',
        encoding="utf-8",
    )
    out = project / "out"
    proc = run_cli("render", str(DECLARATIONS / "ai-restyle.yaml"), "--out", "out", cwd=project)
    assert proc.returncode == 0, proc.stderr
    page = (out / "ai-restyle" / "en.html").read_text(encoding="utf-8")
    assert '<p class="acme-meta">Questions? Ask Lumen.</p>' in page  # the override, in the page too
    assert '<p class="dsc-meta">' not in page
    assert 'class="dsc-label"' in page  # every other block still from the shipped template


def test_every_valid_declaration_renders_in_every_locale(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    from hypothesis import HealthCheck, given, settings
    from test_properties import declarations

    from discloser.load.yaml12 import load as load_yaml
    from discloser.render.disclosure import make_environment, render_feature

    env = make_environment(None)

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(declarations())
    def check(data: dict[str, Any]) -> None:
        d = Declaration.model_validate(load_yaml(yaml.safe_dump(data, allow_unicode=True))[0])
        out = tmp_path_factory.mktemp("any")
        render_feature(d, out, env)
        for locale in d.locales:
            assert (out / d.id / f"{locale}.html").stat().st_size > 0

    check()
