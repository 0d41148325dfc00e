"""Native permission text, generated from the declaration so it cannot contradict it.

Which permission a platform asks for follows from ``photos.access``: the system photo picker
needs none on iOS (PHPicker) or Android (Photo Picker), so a picker-only feature gets no
library permission string at all; only library access asks for the library; capture-only asks
for the camera; a feature that reads only posted photos asks the device for nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from discloser.model.declaration import Declaration
from discloser.render.markdown import to_text
from discloser.render.view import Answer, View

# Apple sets no hard limit but shows the text in a system alert; past about 300 characters
# people stop reading, and the text is generated from answers that are short by design.
MAX_PERMISSION_TEXT = 300

IOS_KEYS = {
    "full_library": "NSPhotoLibraryUsageDescription",
    "limited_selection": "NSPhotoLibraryUsageDescription",
    "capture_only": "NSCameraUsageDescription",
}
ANDROID_PERMISSIONS = {
    "full_library": "android.permission.READ_MEDIA_IMAGES",
    "limited_selection": "android.permission.READ_MEDIA_VISUAL_USER_SELECTED",
    "capture_only": "android.permission.CAMERA",
}


class PermissionTextTooLong(ValueError):
    """The generated permission text passes the limit; shorten the summary.

    ``locale`` says whose summary: the pipeline locates the error at that locale's own string
    (``translations.<locale>.summary``, or ``summary`` for the declaration's own locale).
    """

    def __init__(self, message: str, locale: str) -> None:
        super().__init__(message)
        self.locale = locale


def summary_path(d: Declaration, locale: str) -> tuple[str, ...]:
    """Where the summary shown in ``locale`` is written in the declaration."""
    return ("translations", locale, "summary") if locale in d.translations else ("summary",)


@dataclass(frozen=True)
class Native:
    ios_keys: list[tuple[str, str]]
    android_permission: str | None
    rationale: str


# The answers every permission text carries: which photos, when, processed where.
CORE = ("which", "when", "processed")


def _answer(v: View, key: str) -> Answer | None:
    return next((a for a in v.answers if a.key == key), None)


def permission_text(v: View) -> str:
    """What a system prompt must carry, then as much of the first layer as fits.

    Always: the summary, which photos (with "including photos you never shared"), when, and
    where they are processed; these must fit, or the summary is too long. Then, while the text
    stays within the limit: each of those three in its first-layer form (what is read, the
    lookback, human review), then each risky first-layer answer (storage, AI training, ads,
    sharing) in the label's order, so a surprise is said in the alert whenever there is room.
    The label and the notice hold the rest; a permission alert is read in seconds.
    """
    summary = to_text(v.summary)
    core = [a for a in (_answer(v, k) for k in CORE) if a is not None]
    parts = [_sentence(to_text(a.answer)) for a in core]
    text = " ".join([summary, *parts])
    if len(text) > MAX_PERMISSION_TEXT:
        added = len(text) - len(summary)
        raise PermissionTextTooLong(
            f"{v.locale}: the permission text is {len(text)} characters, the limit is "
            f"{MAX_PERMISSION_TEXT}; discloser adds {added} characters: your summary may have "
            f"at most {max(MAX_PERMISSION_TEXT - added, 0)}",
            v.locale,
        )
    for i, a in enumerate(core):
        fuller = [*parts[:i], to_text(a.brief), *parts[i + 1 :]]
        if a.brief and len(" ".join([summary, *fuller])) <= MAX_PERMISSION_TEXT:
            parts = fuller
    text = " ".join([summary, *parts])
    for a in v.answers:
        if a.risky and a.brief and a.key not in CORE:
            longer = f"{text} {to_text(a.brief)}"
            if len(longer) <= MAX_PERMISSION_TEXT:
                text = longer
    return text


def _sentence(text: str) -> str:
    return text if text[-1:] in ".!?。" else text + "."


def native(v: View, access: str) -> Native:
    """The keys and rationale a feature ships with; a retired feature asks for nothing."""
    if v.status == "retired":
        return Native([], None, "")
    key = IOS_KEYS.get(access)
    permission = ANDROID_PERMISSIONS.get(access)
    rationale = permission_text(v) if key or permission else ""
    return Native([(key, rationale)] if key else [], permission, rationale)


def android_folder(locale: str, default: bool) -> str:
    """``values``, ``values-fr``, ``values-pt-rBR``, ``values-b+sr+Latn`` (Android's qualifiers)."""
    if default:
        return "values"
    parts = locale.split("-")
    if len(parts) == 1:
        return f"values-{parts[0]}"
    if len(parts) == 2 and len(parts[1]) == 2:
        return f"values-{parts[0]}-r{parts[1]}"
    return "values-b+" + "+".join(parts)


# Apple's old-style plist strings (CFOldStylePList): these escapes, anything else as itself.
_STRINGS_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def strings_value(text: str) -> str:
    """``text`` as the inside of a double-quoted ``.strings`` value that parses back to it.

    Backslash and quote are escaped, line breaks and tabs written as ``\\n`` ``\\t`` ``\\r``,
    other control characters as ``\\UXXXX``; every other character, non-BMP included, stays
    itself in UTF-8, which Xcode and ``plutil`` read.
    """
    return "".join(
        _STRINGS_ESCAPES.get(ch) or (f"\\U{ord(ch):04x}" if ord(ch) < 32 or ch == "\x7f" else ch)
        for ch in text
    )


def strings_comment(text: str) -> str:
    """Text inside a ``/* */`` comment: it can never close the comment early."""
    return text.replace("*/", "* /")


# Android's resource compiler (aapt, aapt2) reads ``\\`` ``\\"`` ``\\'`` ``\\n`` ``\\t``
# ``\\@`` ``\\?`` ``\\uXXXX``; it collapses runs of raw whitespace and trims both ends.
_ANDROID_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "'": "\\'",
    "\n": "\\n",
    "\t": "\\t",
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
}


def _android_char(ch: str) -> str:
    code = ord(ch)
    if ch in _ANDROID_ESCAPES:
        return _ANDROID_ESCAPES[ch]
    if code < 32 or 0x7F <= code < 0xA0 or code in (0xFFFE, 0xFFFF):
        return f"\\u{code:04x}"
    return ch


def android_string(text: str) -> str:
    """The content of a ``<string formatted="false">`` that aapt stores as exactly ``text``.

    ``formatted="false"`` (in the template) is what lets a ``%`` through: without it aapt and
    aapt2 refuse two of them as "multiple substitutions in non-positional format", and escaping
    them as ``%%`` would show ``%%`` to people, since ``getString`` does not format. Spaces that
    aapt would trim or collapse (leading, trailing, doubled) become ``\\u0020``; a leading ``@``
    or ``?`` would be read as a resource reference, so it is escaped; control characters, which
    XML 1.0 cannot carry, become ``\\uXXXX``.
    """
    last = len(text) - 1
    out = "".join(
        "\\u0020" if ch == " " and (i in (0, last) or text[i - 1] == " ") else _android_char(ch)
        for i, ch in enumerate(text)
    )
    return "\\" + out if out[:1] in ("@", "?") else out


def android_name(*parts: str) -> str:
    """A resource name that is a valid Java identifier (``R.string.NAME``), from our own parts.

    Slugs are ``[a-z0-9-]``: ``-`` becomes ``_``, anything else outside ``[A-Za-z0-9_]`` too, and
    the ``discloser_`` prefix keeps a leading digit or a Java keyword out.
    """
    return "discloser_" + "_".join(re.sub(r"[^A-Za-z0-9_]", "_", p) for p in parts)


def xml_comment(text: str) -> str:
    """Text inside ``<!-- -->``: XML forbids ``--`` there and a comment ending in ``-``."""
    while "--" in text:
        text = text.replace("--", "- -")
    return text[:-1] + "- " if text.endswith("-") else text
