"""Project settings from ``[tool.discloser]`` in ``pyproject.toml`` or from ``discloser.toml``.

Found the way ruff and mypy find theirs: the nearest file upwards from the working folder, a
``discloser.toml`` winning over a ``pyproject.toml`` in the same folder. An unknown setting or
rule is an error, not a silent default: a misspelt ``D7O4 = "off"`` must not leave a team
believing a rule is off.

.. code-block:: toml

    [tool.discloser]
    retention-ceiling = "P1Y"   # storage retention above this warns (D502)
    reading-grade = 9           # English reading grade above this warns (D705)
    sentence-words = 25         # first-layer sentences longer than this warn (D706)

    [tool.discloser.rules]
    D705 = "off"                # or "warning" / "error"; codes or names

    [[tool.discloser.apps]]     # store artefacts per app (discloser stores)
    name = "lumen"
    platforms = ["ios", "android"]
    bundle-id = "com.example.lumen"
    package-name = "com.example.lumen"
    declarations = ["*"]        # ids, globs (ai-*) or platform:ios; default: the app's platforms
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from discloser.errors import ConfigError
from discloser.findings import Severity

Level = Severity | None  # None: the rule is off

APP_PLATFORMS = ("ios", "android", "web", "desktop")


@dataclass(frozen=True)
class AppConfig:
    """One app: the declarations it ships, for its store artefacts (``discloser stores``).

    ``declarations`` holds selectors: an id, a glob over ids (``ai-*``) or ``platform:ios``.
    Empty means every declaration that ships on one of the app's platforms.
    """

    name: str
    platforms: tuple[str, ...]
    bundle_id: str | None = None
    package_name: str | None = None
    declarations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    """Resolved settings; the defaults are what a project without configuration gets."""

    levels: dict[str, Level] = field(default_factory=dict)
    retention_ceiling: str = "P1Y"
    reading_grade: float = 9.0
    sentence_words: int = 25
    source: str | None = None
    apps: tuple[AppConfig, ...] = ()

    def level(self, code: str, default: Severity) -> Level:
        """The severity a rule runs at, or None when it is switched off."""
        return self.levels.get(code, default)


def find_config(start: Path) -> tuple[Path, dict[str, object]] | None:
    """The nearest configuration table upwards from ``start``, with the file it came from."""
    for folder in (start, *start.parents):
        own = folder / "discloser.toml"
        if own.is_file():
            return own, _read(own)
        project = folder / "pyproject.toml"
        if project.is_file():
            tool = _read(project).get("tool", {})
            if isinstance(tool, dict) and "discloser" in tool:
                table = tool["discloser"]
                if not isinstance(table, dict):
                    raise ConfigError(f"{project}: [tool.discloser] must be a table")
                return project, table
    return None


def _read(path: Path) -> dict[str, object]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from None


def load_settings(config: Path | None = None, start: Path | None = None) -> Settings:
    """Settings from an explicit file, or found upwards from ``start`` (the working folder)."""
    from discloser.model.types import DURATION
    from discloser.rules.registry import find

    if config is not None:
        if not config.is_file():
            raise ConfigError(f"{config}: no such configuration file")
        raw = _read(config)
        if config.name == "pyproject.toml":
            tool = raw.get("tool", {})
            raw = tool.get("discloser", {}) if isinstance(tool, dict) else {}
        found: tuple[Path, dict[str, object]] | None = (config, raw)
    else:
        found = find_config(start or Path.cwd())
    if found is None:
        return Settings()
    path, table = found
    table = dict(table)
    levels: dict[str, Level] = {}
    rules = table.pop("rules", {})
    if not isinstance(rules, dict):
        raise ConfigError(f'{path}: rules must be a table of rule = "off"|"warning"|"error"')
    for key, value in rules.items():
        rule = find(str(key))
        if rule is None:
            raise ConfigError(f"{path}: unknown rule {key!r} (see `discloser rules`)")
        if value not in ("off", "warning", "error"):
            raise ConfigError(f'{path}: rule {key} must be "off", "warning" or "error"')
        levels[rule.code] = None if value == "off" else Severity(value)
    settings = Settings(levels=levels, source=str(path))
    apps = _apps(path, table.pop("apps", []))
    known = {"apps", "retention-ceiling", "reading-grade", "sentence-words"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(
            f"{path}: unknown setting {unknown[0]!r}; known: {', '.join(sorted(known))}"
        )
    ceiling = table.get("retention-ceiling", settings.retention_ceiling)
    grade = table.get("reading-grade", settings.reading_grade)
    words = table.get("sentence-words", settings.sentence_words)
    import re

    if not isinstance(ceiling, str) or not re.match(DURATION, ceiling):
        raise ConfigError(f"{path}: retention-ceiling must be an ISO 8601 duration such as P1Y")
    if isinstance(grade, bool) or not isinstance(grade, int | float) or grade <= 0:
        raise ConfigError(f"{path}: reading-grade must be a positive number")
    if isinstance(words, bool) or not isinstance(words, int) or words <= 0:
        raise ConfigError(f"{path}: sentence-words must be a positive whole number")
    return Settings(
        levels=levels,
        retention_ceiling=ceiling,
        reading_grade=float(grade),
        sentence_words=words,
        source=str(path),
        apps=apps,
    )


def _apps(path: Path, raw: object) -> tuple[AppConfig, ...]:
    """``[[tool.discloser.apps]]``: each app named once, with known keys and platforms."""
    import re

    if not isinstance(raw, list) or not all(isinstance(a, dict) for a in raw):
        raise ConfigError(f"{path}: apps must be a list of tables ([[tool.discloser.apps]])")
    keys = {"name", "platforms", "bundle-id", "package-name", "declarations"}
    out: list[AppConfig] = []
    for i, table in enumerate(raw, 1):
        where = f"{path}: apps[{i}]"
        unknown = sorted(set(table) - keys)
        if unknown:
            raise ConfigError(
                f"{where}: unknown key {unknown[0]!r}; known: {', '.join(sorted(keys))}"
            )
        name = table.get("name")
        if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", name):
            raise ConfigError(f"{where}: name must be an id (lowercase letters, digits, hyphens)")
        if any(a.name == name for a in out):
            raise ConfigError(f"{where}: app {name!r} is configured twice")
        platforms = table.get("platforms")
        if (
            not isinstance(platforms, list)
            or not platforms
            or not all(p in APP_PLATFORMS for p in platforms)
        ):
            raise ConfigError(f"{where}: platforms must list some of {', '.join(APP_PLATFORMS)}")
        selectors = table.get("declarations", [])
        if not isinstance(selectors, list) or not all(isinstance(s, str) and s for s in selectors):
            raise ConfigError(f"{where}: declarations must be a list of ids, globs or platform:X")
        for selector in selectors:
            if selector.startswith("platform:") and selector[9:] not in APP_PLATFORMS:
                raise ConfigError(f"{where}: unknown platform in {selector!r}")
        ids = {}
        for key in ("bundle-id", "package-name"):
            value = table.get(key)
            if value is not None and (
                not isinstance(value, str)
                or not re.fullmatch(r"[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+", value)
            ):
                raise ConfigError(
                    f"{where}: {key} must be a reverse-DNS id such as com.example.app"
                )
            ids[key] = value
        out.append(
            AppConfig(
                name=name,
                platforms=tuple(platforms),
                bundle_id=ids["bundle-id"],
                package_name=ids["package-name"],
                declarations=tuple(selectors),
            )
        )
    return tuple(out)
