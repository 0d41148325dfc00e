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
    """Summary, which photos, where processed, how long kept: the answers a prompt must carry."""
    which, _when, _why, processed, stored = (to_text(a.answer) for a in v.answers[:5])
    text = f"{to_text(v.summary)} {which}. {processed}. {stored}."
    if len(text) > MAX_PERMISSION_TEXT:
        raise PermissionTextTooLong(
            f"{v.locale}: the permission text is {len(text)} characters; the limit is "
            f"{MAX_PERMISSION_TEXT}: shorten the summary"
        )
    return text


def native(v: View, access: str) -> Native:
    rationale = permission_text(v)
    key = IOS_KEYS.get(access)
    return Native([(key, rationale)] if key else [], ANDROID_PERMISSIONS.get(access), rationale)


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
