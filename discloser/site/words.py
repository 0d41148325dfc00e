"""The transparency site's own words: headings, question titles, table headers, explanations.

Like the label's words (:mod:`discloser.render.view`), they are gettext messages in
``discloser/locale``, marked here with ``N_`` so ``pybabel extract`` finds them, and translated
when a page is written. Declaration text never passes through here: :class:`Words` escapes our
words for the output they go to and inserts parts the caller already made safe for it.
"""

from __future__ import annotations

import re
from functools import cache

from markupsafe import Markup, escape

from discloser.render import i18n
from discloser.render.i18n import N_
from discloser.render.markdown import escape_markdown

# The label's nine questions, the same msgids the label uses, so the table headers and the
# label always say the same thing.
QUESTIONS = {
    "which": N_("Which photos?"),
    "when": N_("When?"),
    "why": N_("Why?"),
    "processed": N_("Processed where?"),
    "stored": N_("Stored where, and for how long?"),
    "ai": N_("Used to train AI?"),
    "ads": N_("Used for ads?"),
    "shared": N_("Shared with whom?"),
    "controls": N_("What can you switch off, and where?"),
}

# The questions people ask, one page each (key = file name under questions/).
ASKED = {
    "unshared": N_("Which features can see photos I never shared?"),
    "ai": N_("Which use my photos to train AI?"),
    "ads": N_("Which use my photos for ads?"),
    "cloud": N_("Which send my photos to the cloud, and for how long do they keep them?"),
    "controls": N_("What can I switch off, and where?"),
}

STATUS = {
    "live": N_("Live"),
    "beta": N_("Beta"),
    "retired": N_("Retired"),
    "planned": N_("Planned"),
}

SEVERITY = {"error": N_("error"), "warning": N_("warning")}

CHANGE_KIND = {
    "widening": N_("Widens what happens to your photos"),
    "narrowing": N_("Narrows what happens to your photos"),
    "minor": N_("Wording only"),
}

WORDS = {
    # site and navigation
    "site_name": N_("Your photos, feature by feature"),
    "home": N_("Home"),
    "questions": N_("Questions"),
    "features": N_("All features"),
    "changes": N_("What changed"),
    "rules": N_("Rules"),
    "downloads": N_("Downloads"),
    "verify": N_("How to verify"),
    "dark": N_("Switch to dark mode"),
    "light": N_("Switch to light mode"),
    "languages": N_("Choose your language"),
    "not_found": N_("This page does not exist."),
    # home
    "home_title": N_("What each feature does with your photos"),
    "home_intro": N_(
        "Every feature that uses your photos answers the same questions, in the same order, "
        "so you can compare them side by side."
    ),
    "table_caption": N_("Live and beta features, question by question"),
    "feature": N_("Feature"),
    "asked": N_("Questions people ask"),
    "all_details": N_("All the details"),
    "none": N_("No feature does this."),
    "count": N_("Features: {count} of {total}."),
    # pages of a long listing
    "pages": N_("Pages"),
    "page_of": N_("Page {page} of {pages}"),
    "previous_page": N_("Previous page"),
    "next_page": N_("Next page"),
    # features index
    "features_intro": N_("Every feature described on this site, with its current revision."),
    "status": N_("Status"),
    "revision": N_("Revision"),
    "effective": N_("In effect since"),
    "json": N_("JSON"),
    # feature page
    "status_line": N_("Status: {status}. Revision {revision}, in effect since {date}."),
    "retired_on": N_("No longer offered since {date}."),
    "permission": N_("What the app asks your phone for"),
    "ios": N_("On iOS, the system asks for {key} with this text:"),
    "android": N_("On Android, the app asks for {permission} and explains:"),
    "no_permission": N_(
        "No permission is needed: the feature uses the system photo picker, photos you "
        "already posted, or nothing from your library."
    ),
    "history": N_("History"),
    "not_released": N_("This revision is not in the ledger yet."),
    "released": N_("Revision {revision}, released for {date}."),
    "first": N_("First released revision."),
    "material": N_("Material change"),
    "not_material": N_("No material change: only the wording changed."),
    "this_json": N_("This notice as JSON"),
    "prompt": N_("The consent prompt"),
    "prompt_demo": N_("See the consent prompt as people meet it in the product"),
    "fingerprint": N_("Notice fingerprint"),
    # what changed
    "changes_intro": N_(
        "Every released revision of every feature, newest first. A material change changes "
        "what happens to your photos; a change that widens it needs your agreement again."
    ),
    "no_changes": N_("No revision has been released yet."),
    "revision_title": N_("{name}: revision {revision}"),
    "revision_intro": N_(
        "What revision {revision} said, as released for {date}. It stays at this address so "
        "that anyone who agreed to it can read what they agreed to."
    ),
    "changes_from": N_("Changes from revision {revision}"),
    "current": N_("Read the current notice"),
    "removed": N_("This feature is no longer described in the declarations."),
    "answers": N_("What this revision says"),
    "consent_each": N_("You choose each purpose separately."),
    "consent_once": N_("One choice covers every purpose."),
    # rules
    "rules_intro": N_(
        "Every check discloser runs on a declaration, for the teams who write them. The "
        "rules are documented in English."
    ),
    "severity": N_("Default severity: {severity}."),
    "fix": N_("How to fix it: {hint}"),
    "builtin": N_("Checks that are always on"),
    "builtin_intro": N_(
        "Reading and schema checks: a file that fails them cannot be read reliably, so "
        "they cannot be switched off or waived."
    ),
    "code": N_("Code"),
    "name": N_("Name"),
    "checks": N_("What it checks"),
    # downloads
    "downloads_intro": N_("Everything this site says, as data anyone can reuse."),
    "catalogue": N_("Every feature with its revision and notice fingerprint"),
    "notice_schema": N_("The JSON Schema of a feature's notice"),
    "declaration_schema": N_("The JSON Schema of a declaration"),
    "ledger": N_("The ledger: every released revision, hash-chained"),
    "per_feature": N_("Each feature's notice"),
    "stores": N_("App store answers"),
    "stores_intro": N_(
        "How the answers in the declarations become the App Store's privacy details, Google "
        "Play's data safety form and the W3C Data Privacy Vocabulary. The table is documented "
        "in English."
    ),
    "our_answer": N_("Our answer"),
    "stores_why": N_("Why"),
    "stores_absent": N_("Features the store answers leave out"),
    "stores_absent_intro": N_(
        "Apple and Google do not count photos that only the phone can read as collected, so "
        "these features do not appear in the store answers:"
    ),
    "in_stores": N_("In the store answers"),
    "left_out": N_("Left out: {reason}"),
    "stores_absent_rest": N_(
        "The table of each feature's notice says, for every feature, whether the store "
        "answers include it."
    ),
    "absent_retired": N_("the feature is retired."),
    "absent_on_device": N_("the photos never leave the phone."),
    "absent_end_to_end": N_(
        "only end-to-end encrypted copies leave the phone, which only your devices can read."
    ),
    # verify
    "verify_intro": N_(
        "Every notice has a fingerprint: the SHA-256 hash of its material content, the "
        "answers that decide what happens to your photos. Consent receipts, the JSON of each "
        "feature and the ledger carry the same value, so anyone can check that a notice did "
        "not change after people agreed to it."
    ),
    "verify_hash": N_("Recompute a notice fingerprint"),
    "verify_hash_how": N_(
        "Download a feature's JSON. Write its {material} object as canonical JSON (keys "
        "sorted, no spaces, UTF-8), hash those bytes with SHA-256 and compare the result with "
        "its {notice_hash}."
    ),
    "verify_chain": N_("Check the ledger"),
    "verify_chain_how": N_(
        "The ledger holds one JSON object per line, one for each released revision. Each "
        "line carries in {prev} the hash of the line before it (the first line: 64 zeros), "
        "so no entry can be edited, removed or reordered without breaking every line after "
        "it. The {notice_hash} of each entry must also match its {material}."
    ),
    "verify_tools": N_(
        "The discloser command line does both: {validate} reports a broken ledger, and "
        "{receipt} checks a consent receipt against the published notices."
    ),
    "verify_log": N_("Prove the log was never rewritten"),
    "verify_log_how": N_(
        "The ledger is also a transparency log, like the ones that keep web certificates "
        "honest: a Merkle tree whose root hash the publisher signs in a checkpoint "
        "({checkpoint}). Save a copy of today's checkpoint and of the public key ({vkey}). "
        "Later, anyone can prove that the log published then still begins with exactly the "
        "entries your copy signed. A log that was rewritten or cut short fails the check, "
        "and the command says so and shows both root hashes."
    ),
    "verify_receipt_how": N_(
        "When a notice is in a signed checkpoint, the consent prompt keeps that checkpoint "
        "and the notice's inclusion proof in the receipt. The receipt then proves, without "
        "asking anyone, which notice the person was shown, that the publisher signed it, "
        "and that the log still holds it. A notice released after the last checkpoint has "
        "no proof yet: its receipts only name it."
    ),
    "verify_key": N_("The log's public key"),
    "verify_commands": N_(
        "To check, install discloser and run these commands in a folder that holds a copy "
        "of this site's {downloads} folder and the checkpoint, key and receipt you saved:"
    ),
    "verify_unsigned": N_(
        "This log has no signed checkpoint yet: receipts name a notice but carry no proof "
        "signed by the publisher."
    ),
}


_PLACEHOLDER = re.compile(r"(\{\w+\})")


class Words:
    """Our words in one locale: plain text, or made safe for Markdown or HTML.

    ``md`` and ``html`` escape the translated message and insert ``parts`` as given, so the
    caller decides what a part is: declaration text already made safe
    (:func:`~discloser.render.markdown.to_markdown`, ``to_html``) or more words of ours.
    """

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self.gettext = i18n.translations(locale).gettext

    def __getitem__(self, key: str) -> str:
        return self.gettext(WORDS[key])

    def text(self, message: str) -> str:
        """Any message of ours (from a table above) translated, as plain text."""
        return self.gettext(message)

    def plain(self, key: str, /, **parts: object) -> str:
        """Plain text (titles): the message with ``parts`` (plain text too) in place."""
        pieces = _PLACEHOLDER.split(self[key])
        return "".join(
            str(parts[p[1:-1]]) if p[:1] == "{" and p[1:-1] in parts else p for p in pieces
        )

    def md(self, key: str, /, **parts: object) -> str:
        pieces = _PLACEHOLDER.split(self[key])
        return "".join(
            str(parts[p[1:-1]]) if p[:1] == "{" and p[1:-1] in parts else escape_markdown(p)
            for p in pieces
        )

    def html(self, key: str, /, **parts: object) -> Markup:
        pieces = _PLACEHOLDER.split(self[key])
        # A part that is not Markup is text and gets escaped like our words.
        return Markup("").join(
            escape(parts[p[1:-1]]) if p[:1] == "{" and p[1:-1] in parts else escape(p)
            for p in pieces
        )


@cache
def words(locale: str) -> Words:
    """The site's words in ``locale`` (one object per locale, reused)."""
    return Words(locale)
