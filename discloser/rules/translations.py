"""Translations: every person reads the whole notice in their language, not a patchwork."""

from __future__ import annotations

from collections.abc import Iterator

from discloser.config import Settings
from discloser.findings import Severity
from discloser.model.declaration import Declaration
from discloser.rules.registry import Problem, rule


@rule(
    "D801",
    "missing-translation",
    Severity.ERROR,
    "add the missing strings under translations.<locale>",
)
def missing_translation(d: Declaration, s: Settings) -> Iterator[Problem]:
    """Every user-facing string is present in every locale the feature ships in.

    A notice that falls back to English halfway through hides exactly the part a person could
    not read.

    Fails:

    ```yaml
    locales: [en, fr]
    ```

    Passes:

    ```yaml
    locales: [en, fr]
    translations:
      fr:
        name: Restyler une photo
        summary: Transforme une photo que vous choisissez en image façon peinture.
        purposes: {restyle: Créer une copie restylée de la photo choisie.}
        deletion: Les photos sont supprimées automatiquement un jour après.
        withdraw: Cessez d'utiliser la fonction ; rien n'est gardé après un jour.
    ```
    """
    purpose_ids = [p.id for p in d.purposes]
    recipient_ids = [r.id for r in d.sharing]
    for i, locale in enumerate(d.locales[1:], start=1):
        t = d.translations.get(locale)
        if t is None:
            yield Problem(("locales", i), f"no translations for {locale}")
            continue
        base = ("translations", locale)
        for pid in purpose_ids:
            if pid not in t.purposes:
                yield Problem((*base, "purposes"), f"{locale}: purpose {pid!r} is not translated")
        for rid in recipient_ids:
            if rid not in t.recipients:
                yield Problem(
                    (*base, "recipients"), f"{locale}: recipient {rid!r} is not translated"
                )
        for b in d.bundled_terms:
            if b.id not in t.terms:
                yield Problem((*base,), f"{locale}: bundled terms {b.id!r} are not translated")
        if d.storage.deletion is not None and t.deletion is None:
            yield Problem(base, f"{locale}: storage.deletion is not translated")
        for w in d.waivers:
            if w.rule not in t.waivers:
                yield Problem(base, f"{locale}: the reason for waiving {w.rule} is not translated")


@rule(
    "D802",
    "unexpected-translation",
    Severity.ERROR,
    "remove the entry, or add its locale, purpose or recipient to the declaration",
)
def unexpected_translation(d: Declaration, s: Settings) -> Iterator[Problem]:
    """Translations match the declaration: no unknown locale, purpose or recipient, no locale twice.

    A translation of a purpose that no longer exists is a notice for a different feature.

    Fails:

    ```yaml
    locales: [en, fr, fr]
    ```

    Passes:

    ```yaml
    locales: [en]
    ```
    """
    seen: set[str] = set()
    for i, locale in enumerate(d.locales):
        if locale in seen:
            yield Problem(("locales", i), f"{locale} is listed twice")
        seen.add(locale)
    purpose_ids = {p.id for p in d.purposes}
    recipient_ids = {r.id for r in d.sharing}
    term_ids = {b.id for b in d.bundled_terms}
    for locale, t in d.translations.items():
        base = ("translations", locale)
        if locale not in d.locales[1:]:
            yield Problem(base, f"{locale} is not among the locales after the first")
        for pid in t.purposes:
            if pid not in purpose_ids:
                yield Problem((*base, "purposes", pid), f"no purpose has the id {pid!r}")
        for rid in t.recipients:
            if rid not in recipient_ids:
                yield Problem((*base, "recipients", rid), f"no recipient has the id {rid!r}")
        for tid in t.terms:
            if tid not in term_ids:
                yield Problem((*base, "terms", tid), f"no bundled terms have the id {tid!r}")
        if t.deletion is not None and d.storage.deletion is None:
            yield Problem((*base, "deletion"), "translates storage.deletion, which is not set")
        waived = {w.rule for w in d.waivers}
        for waived_rule in t.waivers:
            if waived_rule not in waived:
                yield Problem((*base, "waivers", waived_rule), f"no waiver names {waived_rule!r}")
