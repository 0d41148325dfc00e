"""Reusable constrained types for declarations.

Each type refuses what a person could misread rather than repairing it: a date is ISO text,
a count is a decimal integer, a URL is ``https:`` (or ``mailto:`` for a contact). Messages are
written for the person editing the file, because they reach the terminal unchanged.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache, lru_cache
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from discloser.load.yaml12 import YamlNumber

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
LOCALE = r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-[A-Z]{2})?$"
DURATION = (
    r"^P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+S)?)?$"
)
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"

_SLUG = re.compile(SLUG)
_LOCALE = re.compile(LOCALE)
_DURATION = re.compile(DURATION)
_ISO_DATE = re.compile(ISO_DATE)
_DIGITS = re.compile(r"[0-9]+")
_URL_REFUSED = re.compile(r"[\s<>\"'`\\]")
_MAILTO = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

# The EU and EEA as of 2026, written out: a declaration may say ``EU`` and every output lists the
# member states it stands for, so nobody has to know what the alias meant on the day it shipped.
EU = (
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
)
EEA = (*EU, "IS", "LI", "NO")
REGION_ALIASES: dict[str, tuple[str, ...]] = {"EU": EU, "EEA": EEA}


def _error(kind: str, message: str, **context: Any) -> PydanticCustomError:
    """A located schema error whose message is final (pydantic's templates know no ``!r``)."""
    text = message.format(**context).replace("{", "{{").replace("}", "}}")
    return PydanticCustomError(kind, text)


def whole_number(value: Any) -> Any:
    if isinstance(value, YamlNumber):
        if _DIGITS.fullmatch(value.text) and not (
            len(value.text) > 1 and value.text.startswith("0")
        ):
            return int(value.text)
        raise _error(
            "whole_number",
            "expected a whole number written in decimal without leading zeros, got {text}",
            text=value.text,
        )
    return value


# Ids become JSON keys in the browser; these would reach JavaScript's object machinery.
RESERVED_IDS = frozenset({"constructor", "prototype"})


def _slug(value: str) -> str:
    if value in RESERVED_IDS:
        raise _error("slug", "{value!r} is reserved: choose another id", value=value)
    if not _SLUG.match(value) or len(value) > 64:
        raise _error(
            "slug",
            "{value!r} is not an id: use lowercase letters, digits and single hyphens, "
            "at most 64 characters",
            value=value,
        )
    return value


@cache
def iso_countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes, from pycountry (kept current by its maintainers, not by us)."""
    import pycountry

    return frozenset(country.alpha_2 for country in pycountry.countries)


def _country(value: str) -> str:
    if value not in iso_countries():
        raise _error(
            "country",
            "{value!r} is not an ISO 3166-1 alpha-2 country code (two capital letters, "
            "for example US, DE, NO)",
            value=value,
        )
    return value


def _region(value: str) -> str:
    return value if value in REGION_ALIASES else _country(value)


@cache
def _known_locale(value: str) -> bool:
    from babel import localedata

    return bool(_LOCALE.match(value)) and localedata.exists(value.replace("-", "_"))


def _locale(value: str) -> str:
    if not _known_locale(value):
        raise _error(
            "locale",
            "{value!r} is not a known locale: use a BCP 47 tag such as en, fr, ar, pt-BR",
            value=value,
        )
    return value


def _duration(value: str) -> str:
    if not _DURATION.match(value):
        raise _error(
            "duration",
            "{value!r} is not an ISO 8601 duration: write P30D for 30 days, P6M for six "
            "months, P1Y for a year, PT12H for twelve hours",
            value=value,
        )
    return value


def _retention(value: str) -> str:
    return value if value in ("not_retained", "until_deleted") else _duration(value)


def _lookback(value: str) -> str:
    return value if value == "whole_library" else _duration(value)


def _iso_date(value: Any) -> Any:
    if isinstance(value, YamlNumber) or (isinstance(value, str) and not _ISO_DATE.match(value)):
        shown = value.text if isinstance(value, YamlNumber) else value
        raise _error("iso_date", "{value!r} is not a date: write YYYY-MM-DD", value=shown)
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise _error("iso_date", "{value!r} is not a real calendar date", value=value) from None
    return value


def _url(value: str, schemes: tuple[str, ...]) -> str:
    parts = urlsplit(value)
    if parts.scheme not in schemes or _URL_REFUSED.search(value):
        raise _error(
            "url_scheme",
            "{value!r} is refused: only {schemes} links are published",
            value=value,
            schemes=" and ".join(f"{s}:" for s in schemes),
        )
    if parts.scheme == "https" and (not parts.hostname or "." not in parts.hostname):
        raise _error("url_host", "{value!r} has no host name", value=value)
    if parts.username is not None or parts.password is not None:
        raise _error("url_credentials", "{value!r} carries credentials: remove them", value=value)
    if parts.scheme == "mailto" and not _MAILTO.fullmatch(parts.path):
        raise _error("url_mailto", "{value!r} is not a mailto: address", value=value)
    return value


_DURATION_FIELDS = re.compile(
    r"^P(?:(?P<Y>\d+)Y)?(?:(?P<Mo>\d+)M)?(?:(?P<W>\d+)W)?(?:(?P<D>\d+)D)?"
    r"(?:T(?:(?P<H>\d+)H)?(?:(?P<Mi>\d+)M)?(?:(?P<S>\d+)S)?)?$"
)
_DAYS_PER = {
    "Y": 365.0,
    "Mo": 30.0,
    "W": 7.0,
    "D": 1.0,
    "H": 1 / 24,
    "Mi": 1 / 1440,
    "S": 1 / 86400,
}


@lru_cache(maxsize=1024)  # a few periods recur in every declaration (rules D315, D502)
def duration_days(value: str) -> float:
    """An ISO 8601 duration as approximate days (a year is 365, a month 30), for ceilings."""
    match = _DURATION_FIELDS.match(value)
    if match is None:
        raise ValueError(f"not an ISO 8601 duration: {value!r}")
    return sum(_DAYS_PER[unit] * int(n) for unit, n in match.groupdict().items() if n)


Plain = str
"""Any text field: a plain ``2024`` or ``1.10`` where text is expected is that text (the loader's
:class:`YamlNumber` is a ``str`` holding the number as written)."""

TEXT_LENGTH = (1, 2000)

Text = Annotated[str, Field(min_length=TEXT_LENGTH[0], max_length=TEXT_LENGTH[1])]
"""Words a person reads. Plain-language rules check them; the loader already refused
control and bidi override characters."""

Slug = Annotated[Plain, AfterValidator(_slug), Field(json_schema_extra={"pattern": SLUG})]
Country = Annotated[
    Plain,
    AfterValidator(_country),
    Field(json_schema_extra={"pattern": "^[A-Z]{2}$"}),
]
Region = Annotated[
    Plain,
    AfterValidator(_region),
    Field(json_schema_extra={"pattern": "^(?:[A-Z]{2}|EEA)$"}),
]
Locale = Annotated[Plain, AfterValidator(_locale), Field(json_schema_extra={"pattern": LOCALE})]
Duration = Annotated[
    Plain, AfterValidator(_duration), Field(json_schema_extra={"pattern": DURATION})
]
Retention = Annotated[
    Plain,
    AfterValidator(_retention),
    Field(
        json_schema_extra={
            "anyOf": [{"pattern": DURATION}, {"enum": ["not_retained", "until_deleted"]}]
        }
    ),
]
Lookback = Annotated[
    Plain,
    AfterValidator(_lookback),
    Field(json_schema_extra={"anyOf": [{"pattern": DURATION}, {"enum": ["whole_library"]}]}),
]
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
WholeNumber = Annotated[int, BeforeValidator(whole_number)]
HttpsUrl = Annotated[
    Plain,
    AfterValidator(lambda v: _url(v, ("https",))),
    Field(json_schema_extra={"format": "uri", "pattern": "^https://"}),
]
ContactUrl = Annotated[
    Plain,
    AfterValidator(lambda v: _url(v, ("https", "mailto"))),
    Field(json_schema_extra={"format": "uri", "pattern": "^(?:https://|mailto:)"}),
]
