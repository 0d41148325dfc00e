"""Stage the transparency site as plain mkdocs projects, one per locale.

Each ``<root>/<locale>/`` holds ``mkdocs.yml``, Markdown under ``docs/`` and Material theme
overrides under ``overrides/``: no plugin or hook of ours, so ``mkdocs build`` (or any builder
that reads ``mkdocs.yml``) builds it, and a team can add pages or overrides of its own.

Escaping is the whole game here. Markdown pages come from ``site/*.j2.md`` templates, which are
not autoescaped: every declaration string goes through ``|md`` (inline Markdown kept safe) or
``|mdname``/``|mdplain`` (text), our words through :class:`~discloser.site.words.Words`. Page
titles go in front matter as HTML-escaped text (``|fm``), because mkdocs and Material put
``page.meta.title`` into ``<title>``, the header and the search index without escaping. Widgets
that need markup (the label, the home table) are ``*.j2.html`` templates, autoescaped, whose
declaration text goes through ``|html``; Markdown then passes them through as raw HTML blocks.
Nothing from a declaration reaches ``mkdocs.yml`` or the navigation: the navigation is a fixed
set of sections, and feature pages are reached from index tables (``not_in_nav``), so a page
weighs the same with ten features or ten thousand.
"""

from __future__ import annotations

import html
import json
import posixpath
import shutil
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import yaml
from markupsafe import Markup

from discloser.findings import BUILTIN_CHECKS
from discloser.load.discover import Source
from discloser.load.yaml12 import Marks
from discloser.model.declaration import Declaration
from discloser.notice import notice_hash
from discloser.output import write_file
from discloser.release.diff import Kind
from discloser.render import i18n, native
from discloser.render.disclosure import (
    css,
    make_environment,
    twin,
    write_prompt,
    write_prompt_assets,
)
from discloser.render.markdown import escape_markdown, to_text
from discloser.render.view import build_view
from discloser.site import words as site_words
from discloser.site.content import (
    ASKED_ROWS,
    LISTED,
    PUBLISHED,
    Release,
    Row,
    revision_view,
    row,
)

if TYPE_CHECKING:
    from discloser.release.log import Proofs

SOURCE = ".source"  # where the projects are staged, inside the site's staging folder
DOWNLOADS = "downloads"
# Index pages list a bounded number of features each, so a page weighs the same with ten
# features or ten thousand: page 1 keeps its address (``index.md``, ``features.md``...), the
# next ones are ``pages/<listing>/<n>.md``, outside the navigation like feature pages.
PAGES = "pages"
PAGE_SIZE = {
    "home": 25,  # the home table: eight answers per feature
    "question": 40,  # a question page: the label rows that answer it, per feature
    "features": 100,  # plain lists: one line per feature or release
    "changes": 100,
    "downloads": 100,
}
HOME_ASKED = 10  # features named under each question on the home page (then: all of them)
STORES_ABSENT_SHOWN = 10  # features the store answers leave out, named on the downloads page
THEME_FEATURES = [
    "navigation.tabs",
    "navigation.sections",
    "navigation.prune",
    "search.highlight",
]
MARKDOWN_EXTENSIONS = [
    "toc",
    "tables",
    "attr_list",
    # Backslash escapes any character, so text escaped for CommonMark (escape_markdown) reads
    # the same in python-markdown, which would otherwise show "\<" and "\&" literally.
    "pymdownx.escapeall",
]
# Which label question a material change is about (diff field prefix -> answer key).
CHANGE_AREA = {
    "photos.cadence": "when",
    "photos.lookback": "when",
    "photos": "which",
    "purposes": "why",
    "processing": "processed",
    "storage": "stored",
    "ai_training": "ai",
    "advertising": "ads",
    "sharing": "shared",
    "consent": "controls",
}


def _assets() -> Path:
    """Our site files (theme overrides, stylesheet, shim): package data on disk."""
    return Path(str(resources.files("discloser"))) / "templates" / "site"


def front_matter_text(text: str) -> str:
    """Plain text as a front-matter value mkdocs and Material can print unescaped."""
    return json.dumps(html.escape(text), ensure_ascii=False)


def site_environment(project_templates: Path | None) -> jinja2.Environment:
    """The disclosure environment (project templates first), plus the site's filters."""
    env = make_environment(project_templates)
    env.filters.update(
        fm=lambda s: front_matter_text(to_text(str(s))),
        fmplain=lambda s: front_matter_text(str(s)),
        mdname=lambda s: escape_markdown(to_text(str(s))),
    )
    env.globals["anchor"] = heading_attributes
    # What page templates before the anchors used (a project may override them): still works.
    env.globals["unsearched"] = "{ data-search-exclude }"
    return env


def heading_attributes(key: object, searched: bool = True) -> str:
    """attr_list attributes after a Markdown heading: the anchor ``#key``, the same in every
    locale (the toc slugs of Arabic headings are ``_1``, ``_2``: it drops what is not ASCII),
    and, unless ``searched``, the mark that keeps the section out of the search index."""
    return "{ #" + str(key) + ("" if searched else " data-search-exclude") + " }"


def sort_key(r: Row) -> tuple[str, str]:
    return (to_text(r.name).casefold(), r.id)


# ------------------------------------------------------------------------------ locales


@dataclass(frozen=True)
class Locales:
    """The locales the site is built in, the default first, and the theme language of each."""

    order: tuple[str, ...]
    theme: dict[str, str]

    @property
    def default(self) -> str:
        return self.order[0]

    @classmethod
    def of(cls, firsts: Iterable[str], every: Iterable[str], theme_languages: set[str]) -> Locales:
        """``firsts``: each published declaration's first locale; the most common is default."""
        counts = Counter(firsts)
        pool = sorted(set(every) | set(counts)) or ["en"]
        default = min(pool, key=lambda loc: (-counts[loc], loc))
        order = (default, *[loc for loc in pool if loc != default])
        theme = {}
        for loc in order:
            language = loc.split("-", 1)[0]
            theme[loc] = next(
                (c for c in (loc, language) if c in theme_languages),
                "en",
            )
        return cls(order, theme)


# ------------------------------------------------------------------------------ listings


@dataclass(frozen=True)
class Listings:
    """What the index pages of one locale list, in order (before it is cut into pages)."""

    rows: list[Row]  # every published feature in the locale, by name
    listed: list[Row]  # live and beta: the home table and the question pages
    yes: dict[str, list[Row]]  # per question people ask, the features that answer yes
    shown: list[tuple[Release, str]]  # what changed, newest first, with the feature's name

    @classmethod
    def of(cls, rows: list[Row], releases: Sequence[Release], removed: set[str]) -> Listings:
        listed = [r for r in rows if r.status in LISTED]
        yes = {key: [r for r in listed if key in r.asks] for key in site_words.ASKED}
        here = {r.id: r.name for r in rows}
        shown = [
            (r, here.get(r.feature, r.feature))
            for r in reversed(releases)
            if r.feature in here or r.feature in removed
        ]
        return cls(rows, listed, yes, shown)

    def pages(self) -> dict[str, int]:
        """How many pages each listing takes (at least one, even when empty)."""
        counts = {
            "home": len(self.listed),
            "features": len(self.rows),
            "changes": len(self.shown),
            "downloads": len(self.rows),
        } | {f"question-{key}": len(found) for key, found in self.yes.items()}
        size = {key: PAGE_SIZE[key.split("-", 1)[0]] for key in counts}
        return {key: max(1, -(-count // size[key])) for key, count in counts.items()}


@dataclass(frozen=True)
class Pager:
    """Where a page of a listing sits among its pages, and the links to its neighbours.

    Links are relative ``.html`` addresses (raw HTML in Markdown is not rewritten), at most
    seven of them whatever the number of pages: first, last, and two either side.
    """

    number: int
    count: int
    links: tuple[tuple[int, str], ...]  # (page number, href), in order
    previous: str
    next: str
    label: str  # "Pages" in the locale, for the navigation landmark
    position: str  # "Page 2 of 40"
    previous_word: str
    next_word: str

    @classmethod
    def of(cls, path: str, first: str, listing: str, number: int, count: int, locale: str) -> Pager:
        w = site_words.words(locale)
        here = posixpath.dirname(path)

        def href(n: int) -> str:
            target = first if n == 1 else f"{PAGES}/{listing}/{n}.md"
            return posixpath.relpath(target, here or ".").removesuffix(".md") + ".html"

        shown = sorted({1, count, *range(max(1, number - 2), min(count, number + 2) + 1)})
        return cls(
            number=number,
            count=count,
            links=tuple((n, href(n)) for n in shown),
            previous=href(number - 1) if number > 1 else "",
            next=href(number + 1) if number < count else "",
            label=w["pages"],
            position=w.plain("page_of", page=number, pages=count),
            previous_word=w["previous_page"],
            next_word=w["next_page"],
        )


# -------------------------------------------------------------------------------- pages


@dataclass(frozen=True)
class Staged:
    """What staging one declaration left for the site-wide pages."""

    id: str
    effective: date
    status: str
    rows: dict[str, Row]
    catalogue: dict[str, Any] | None


class Project:
    """The per-locale mkdocs projects under ``root`` and the shared downloads under ``site``."""

    def __init__(self, site: Path, env: jinja2.Environment) -> None:
        self.site = site
        self.root = site / SOURCE
        self.env = env

    def docs(self, locale: str) -> Path:
        return self.root / locale / "docs"

    def paged(
        self,
        locale: str,
        listing: str,
        first: str,
        template: str,
        items: Sequence[Any],
        pages_in: dict[str, int],
        **context: Any,
    ) -> None:
        """One listing over as many pages as it needs, ``PAGE_SIZE[listing]`` items each.

        ``pages_in`` is how many pages the listing has in each locale: the language switcher
        goes to the same page number where it exists (front matter ``locales``).
        """
        size = PAGE_SIZE[listing.split("-", 1)[0]]
        chunks = [items[i : i + size] for i in range(0, len(items), size)] or [items[:0]]
        for number, chunk in enumerate(chunks, 1):
            path = first if number == 1 else f"{PAGES}/{listing}/{number}.md"
            pager = Pager.of(path, first, listing, number, len(chunks), locale)
            here = [loc for loc, count in pages_in.items() if count >= number]
            self.page(locale, path, template, items=chunk, pager=pager, here=here, **context)

    def page(self, locale: str, path: str, template: str, **context: Any) -> None:
        w = site_words.words(locale)
        depth = path.count("/")
        text = self.env.get_template(template).render(
            w=w,
            up="../" * depth,
            dl="../" * (depth + 1) + DOWNLOADS + "/",
            locale=locale,
            **context,
        )
        write_file(self.docs(locale) / path, text)

    # ---------------------------------------------------------------- one feature

    def feature(
        self, d: Declaration, releases: Sequence[Release], proof: dict[str, Any] | None = None
    ) -> Staged:
        """Every page of one declaration in each of its locales, and its notice JSON.

        ``proof``: the signed log's proof of this notice, for the live prompt's receipts."""
        if d.status not in PUBLISHED:
            return Staged(d.id, d.effective, d.status, {}, None)
        write_file(self.site / DOWNLOADS / "notices" / f"{d.id}.json", twin(d))
        # The live prompt, on a plain page beside the site (a modal on the feature page itself
        # would interrupt people reading about it): downloads/<id>/demo.<locale>.html, with the
        # prompt's files in downloads/prompt/ (written once, in downloads()).
        views = [build_view(d, locale) for locale in d.locales]
        write_prompt(
            d,
            self.site / DOWNLOADS / d.id,
            self.env,
            disclosure_url=f"../../{{locale}}/features/{d.id}.html",
            proof=proof,
            views=views,
        )
        fragment = self.env.get_template("site/fragment.j2.html")
        rows: dict[str, Row] = {}
        names: dict[str, str] = {}
        for v in views:
            locale = v.locale
            w = site_words.words(locale)
            rows[locale] = row(d, v)
            names[locale] = to_text(v.name)
            self.page(
                locale,
                f"features/{d.id}.md",
                "site/feature.j2.md",
                v=v,
                status=w.text(site_words.STATUS[d.status]),
                ended=i18n.long_date(d.ended, locale) if d.ended else "",
                fragment=Markup(  # noqa: S704 - autoescaped template, declaration text via |html
                    fragment.render(v=v, level=1, with_style=False, search_exclude=True)
                ),
                nat=native.native(v, d.photos.access),
                history=[self.release(r, locale) for r in reversed(releases)],
                released=any(r.revision == d.revision for r in releases),
            )
            for r in releases:
                self.revision(r, locale, v.name, d.locales, current=True)
        catalogue = {
            "id": d.id,
            "status": d.status,
            "revision": d.revision,
            "effective": d.effective.isoformat(),
            "locales": list(d.locales),
            "names": names,
            "notice_hash": notice_hash(d),
            "notice": f"notices/{d.id}.json",
        }
        return Staged(d.id, d.effective, d.status, rows, catalogue)

    def revision(
        self, r: Release, locale: str, name: str, locales: Sequence[str], *, current: bool
    ) -> None:
        """The stable page of one released revision: ``changes/<id>/<revision>.html``."""
        w = site_words.words(locale)
        v = revision_view(r.entry, locale)
        label = ""
        if v is not None:
            # The ledger keeps no wording: the controls row keeps only the consent model.
            answers = [a if a.key != "controls" else replace(a, details=[]) for a in v.answers]
            label = self.env.get_template("site/label.j2.html").render(
                v=replace(v, answers=answers), level=1
            )
        title = w.plain("revision_title", name=to_text(name), revision=r.revision)
        self.page(
            locale,
            f"changes/{r.feature}/{r.revision}.md",
            "site/revision.j2.md",
            title=title,
            name=name,
            r=self.release(r, locale),
            locales=list(locales),
            label=Markup(label),  # noqa: S704 - autoescaped template
            current=current,
        )

    def release(self, r: Release, locale: str) -> dict[str, Any]:
        """A release as the templates show it: date in words, changes as Markdown lines."""
        w = site_words.words(locale)
        try:
            when = escape_markdown(i18n.long_date(date.fromisoformat(r.entry.effective), locale))
        except (TypeError, ValueError):
            when = escape_markdown(str(r.entry.effective))
        lines = []
        english = locale.split("-", 1)[0] == "en"
        for change in r.changes or ():
            area = next(
                (CHANGE_AREA[p] for p in CHANGE_AREA if change.field.startswith(p)), "which"
            )
            mark = "dsc-mark" + (" dsc-narrowing" if change.kind is Kind.NARROWING else "")
            kind = escape_markdown(w.text(site_words.CHANGE_KIND[change.kind.value]))
            where = escape_markdown(w.text(site_words.QUESTIONS[area]))
            detail = escape_markdown(change.text if english else change.field)
            lines.append(f'<span class="{mark}">{kind}</span> {where} — {detail}')
        if r.changes is None:
            summary = w.md("first")
        elif r.changes:
            summary = f'<span class="dsc-mark">{escape_markdown(w["material"])}</span>'
        else:
            summary = w.md("not_material")
        return {
            "feature": r.feature,
            "revision": r.revision,
            "date": when,
            "hash": escape_markdown(str(r.entry.notice_hash)),
            "summary": summary,
            "lines": lines,
            "previous": r.previous,
        }

    # ------------------------------------------------------------------ site-wide pages

    def pages(
        self,
        locale: str,
        listings: Listings,
        ledgers: list[str],
        example: str,
        sizes: dict[str, dict[str, int]],
        log_keys: Sequence[str] = (),
        log_signed: bool = False,
    ) -> None:
        """Every site-wide page of one locale; ``sizes``: each listing's page count per locale
        (see :meth:`Listings.pages`)."""
        w = site_words.words(locale)
        rows, listed, yes = listings.rows, listings.listed, listings.yes
        asked = [(key, w.text(q)) for key, q in site_words.ASKED.items()]
        columns = list(site_words.QUESTIONS)[:8]
        table = self.env.get_template("site/table.j2.html")
        table_words = {
            "columns": columns,
            "questions": {k: w.text(q) for k, q in site_words.QUESTIONS.items()},
            "caption": w["table_caption"],
            "feature": w["feature"],
            "beta": w.text(site_words.STATUS["beta"]),
            "risky": _risky_word(locale),
        }
        self.paged(
            locale,
            "home",
            "index.md",
            "site/home.j2.md",
            listed,
            sizes["home"],
            table=lambda items, up: Markup(  # noqa: S704 - autoescaped template
                table.render(rows=items, up=up, **table_words)
            ),
            asked=asked,
            yes={key: found[:HOME_ASKED] for key, found in yes.items()},
            counts={key: len(found) for key, found in yes.items()},
            total=len(listed),
        )
        for key, question in asked:
            self.paged(
                locale,
                f"question-{key}",
                f"questions/{key}.md",
                "site/question.j2.md",
                yes[key],
                sizes[f"question-{key}"],
                question=question,
                count=len(yes[key]),
                total=len(listed),
                keys=ASKED_ROWS[key],
            )
        status = {k: w.text(s) for k, s in site_words.STATUS.items()}
        self.paged(
            locale,
            "features",
            "features.md",
            "site/features.j2.md",
            rows,
            sizes["features"],
            status=status,
        )
        shown = [(self.release(r, locale), name) for r, name in listings.shown]
        self.paged(locale, "changes", "changes.md", "site/changes.j2.md", shown, sizes["changes"])
        from discloser.rules.registry import all_rules

        self.page(
            locale,
            "rules.md",
            "site/rules.j2.md",
            rules=list(all_rules().values()),
            builtin=BUILTIN_CHECKS,
            severity={k: w.text(s) for k, s in site_words.SEVERITY.items()},
        )
        from discloser.stores.mapping import load as store_mapping

        self.paged(
            locale,
            "downloads",
            "downloads.md",
            "site/downloads.j2.md",
            rows,
            sizes["downloads"],
            ledgers=ledgers,
            mapping=store_mapping(),
            absent=[r for r in rows if r.status in LISTED and r.stores_absent],
            shown=STORES_ABSENT_SHOWN,
            listed_count=len(listings.listed),
        )
        self.page(
            locale,
            "verify.md",
            "site/verify.j2.md",
            example=example,
            log_keys=list(log_keys),
            log_signed=log_signed,
        )

    def config(self, locale: str, locales: Locales, project_theme: Path | None) -> None:
        """``mkdocs.yml`` and the theme overrides of one locale's project."""
        w = site_words.words(locale)
        base = self.root / locale
        theme_dir = base / "overrides"
        shutil.copytree(_assets() / "theme", theme_dir, dirs_exist_ok=True)
        if project_theme is not None and project_theme.is_dir():
            shutil.copytree(project_theme, theme_dir, dirs_exist_ok=True)
        site_css = (_assets() / "assets" / "site.css").read_text(encoding="utf-8")
        write_file(self.docs(locale) / "assets" / "discloser.css", str(css()) + site_css)
        shim = (_assets() / "assets" / "iframe-worker-shim.js").read_text(encoding="utf-8")
        write_file(self.docs(locale) / "assets" / "iframe-worker-shim.js", shim)

        def e(text: str) -> str:
            return html.escape(text)

        nav: list[Any] = [
            "index.md",
            {e(w["questions"]): [f"questions/{key}.md" for key in site_words.ASKED]},
            "features.md",
            "changes.md",
            "rules.md",
            "downloads.md",
            "verify.md",
        ]
        theme: dict[str, Any] = {
            "name": "material",
            "custom_dir": "overrides",
            "language": locales.theme[locale],
            "direction": i18n.direction(locale),
            "font": False,
            "features": THEME_FEATURES,
            "palette": [
                {
                    "media": "(prefers-color-scheme: light)",
                    "scheme": "default",
                    "primary": "indigo",
                    "accent": "indigo",
                    "toggle": {"icon": "material/brightness-7", "name": e(w["dark"])},
                },
                {
                    "media": "(prefers-color-scheme: dark)",
                    "scheme": "slate",
                    "primary": "indigo",
                    "accent": "indigo",
                    "toggle": {"icon": "material/brightness-4", "name": e(w["light"])},
                },
            ],
        }
        config: dict[str, Any] = {
            "site_name": e(w["site_name"]),
            "docs_dir": "docs",
            # Plain .html links: the site opens from file:// and under any path (no site_url).
            "use_directory_urls": False,
            "theme": theme,
            "plugins": ["search", "offline"],
            "markdown_extensions": MARKDOWN_EXTENSIONS,
            "extra_css": ["assets/discloser.css"],
            "extra": {
                "locale": locale,
                "not_found": e(w["not_found"]),
                "generator": False,
                # Named *iframe-worker*: the offline plugin then adds no copy from a CDN.
                "polyfills": ["assets/iframe-worker-shim.js"],
                "alternate": [
                    {
                        "name": e(i18n.language_name(loc)),
                        "lang": loc,
                        "link": f"../{loc}/index.html",
                    }
                    for loc in locales.order
                ],
            },
            "not_in_nav": f"/features/\n/changes/\n/{PAGES}/\n",
            "nav": nav,
            "validation": {
                "omitted_files": "warn",
                "absolute_links": "warn",
                "unrecognized_links": "warn",
                "anchors": "warn",
            },
        }
        header = (
            "# Generated by discloser from the declarations: do not edit; rebuild instead.\n"
            "# A plain mkdocs project: `mkdocs build` here builds this locale of the site.\n"
        )
        write_file(
            base / "mkdocs.yml",
            header + yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=1000),
        )

    # ------------------------------------------------------------------ outside mkdocs

    def downloads(
        self,
        catalogue: list[dict[str, Any]],
        ledgers: list[tuple[str, bytes]],
        declaration_schema: str,
        notice_schema: str,
    ) -> None:
        folder = self.site / DOWNLOADS
        doc = {"format": "discloser-catalogue/1", "features": catalogue}
        write_file(
            folder / "catalogue.json",
            json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
        )
        write_file(folder / "declaration.schema.json", declaration_schema)
        write_prompt_assets(folder)
        write_file(folder / "notice.schema.json", notice_schema)
        mapping = resources.files("discloser.stores").joinpath("mapping.toml")
        write_file(folder / "store-mapping.toml", mapping.read_bytes())
        for name, data in ledgers:
            write_file(folder / name, data)

    def transparency_log(self, folders: list[Path]) -> None:
        """Each ledger's log as c2sp.org/tlog-tiles files (``downloads/log/``, ``log-2/``…),
        and beside the ledger its signed checkpoint and verifier keys, so that
        ``discloser verify-receipt --path downloads`` works on a downloaded copy."""
        from discloser.release import log as tlog

        for i, source in enumerate(folders):
            log = tlog.load(source)
            if not log.leaves:
                continue
            suffix = "" if i == 0 else f"-{i + 1}"
            for name, data in tlog.published_files(log).items():
                write_file(self.site / DOWNLOADS / f"log{suffix}" / name, data)
            for name in (tlog.CHECKPOINT_NAME, tlog.VKEY_NAME):
                if (source / name).is_file():
                    stem, dot, ext = name.rpartition(".")
                    target = f"{stem}{suffix}{dot}{ext}"
                    write_file(self.site / DOWNLOADS / target, (source / name).read_bytes())

    def root_page(self, locales: Locales) -> None:
        """``index.html`` at the top: a plain page of links, the default locale first."""
        w = site_words.words(locales.default)
        page = self.env.get_template("site/root.j2.html").render(
            locale=locales.default,
            dir=i18n.direction(locales.default),
            title=w["site_name"],
            heading=w["languages"],
            links=[(loc, i18n.language_name(loc), i18n.direction(loc)) for loc in locales.order],
        )
        write_file(self.site / "index.html", page)


def _risky_word(locale: str) -> str:
    """The label's "Take note" flag, in the locale (the same word the label shows)."""
    from discloser.render.view import WORDS

    return site_words.words(locale).text(WORDS["risky"])


class StageFeature:
    """Stage the pages of each declaration validation has just loaded (parse once).

    Called in the worker that validated the file (see :func:`discloser.validate.
    validate_then`); returns what the site-wide pages need, or the located reason the
    declaration cannot be rendered (raised only once validation is known to be clean).
    """

    def __init__(
        self,
        site: Path,
        templates: Path | None,
        history: dict[str, list[Release]],
        proofs: Proofs | None = None,
    ):
        self.site = site
        self.templates = templates
        self.history = history
        self.proofs = proofs or {}
        self.project: Project | None = None

    def __call__(self, source: Source, d: Declaration, marks: Marks) -> Staged | str:
        from discloser.release.log import proof_for

        if self.project is None:  # once per worker, after the fork
            self.project = Project(self.site, site_environment(self.templates))
        try:
            proof = proof_for(self.proofs, d)
            return self.project.feature(d, self.history.get(d.id, []), proof)
        except native.PermissionTextTooLong as exc:
            line, column = marks.value(native.summary_path(d, exc.locale))
            return f"{source.display}:{line}:{column}: {exc}"


__all__ = [
    "DOWNLOADS",
    "PAGES",
    "PAGE_SIZE",
    "SOURCE",
    "Listings",
    "Locales",
    "Pager",
    "Project",
    "StageFeature",
    "Staged",
]
