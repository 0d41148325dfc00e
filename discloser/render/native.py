"""Native permission text, generated from the declaration so it cannot contradict it.

Which permission a platform asks for follows from ``photos.access``: the system photo picker
needs none on iOS (PHPicker) or Android (Photo Picker), so a picker-only feature gets no
library permission string at all; only library access asks for the library; capture-only asks
for the camera; a feature that reads only posted photos asks the device for nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from discloser.render.markdown import to_text
from discloser.render.view import View

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
    """The generated permission text passes the limit; shorten the summary."""


@dataclass(frozen=True)
class Native:
    ios_keys: list[tuple[str, str]]
    android_permission: str | None
    rationale: str


def permission_text(v: View) -> str:
    """Summary, which photos and where they are processed: what a system prompt must carry.

    The label and the notice hold the rest; a permission alert is read in seconds.
    """
    by_key = {a.key: a for a in v.answers}
    which, processed = (to_text(by_key[k].answer) for k in ("which", "processed"))
    text = f"{to_text(v.summary)} {which}. {processed}."
    if len(text) > MAX_PERMISSION_TEXT:
        raise PermissionTextTooLong(
            f"{v.locale}: the permission text is {len(text)} characters; the limit is "
            f"{MAX_PERMISSION_TEXT}: shorten the summary"
        )
    return text


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


def strings_escape(text: str) -> str:
    """A value for Apple's ``.strings`` format, inside double quotes."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def strings_comment(text: str) -> str:
    return text.replace("*/", "* /")


def android_escape(text: str) -> str:
    """A value for Android's ``strings.xml``: XML-escaped, then Android's own escapes."""
    out = (
        text.replace("\\", "\\\\")
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', '\\"')
        .replace("'", "\\'")
        .replace("\n", "\\n")
    )
    if out[:1] in ("@", "?"):
        out = "\\" + out
    return out
