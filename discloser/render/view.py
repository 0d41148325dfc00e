"""What a person reads about one feature in one locale, as data for the templates.

Every sentence is built here from the declaration's answers, in the reader's language, so the
templates only lay it out and a project's own templates cannot contradict the declaration by
accident. Each answer carries the declaration fields it comes from (``sources``), so anyone can
trace a sentence on the label back to the line that declares it.

Words of our own are gettext messages (``_``), translated in ``discloser/locale``; words of the
declaration come from its translations for the locale, already checked complete by D801.

Answers, details and items are inline Markdown source: declaration text is inline Markdown and
is inserted as written, our own words are escaped on the way in (:meth:`_Builder.fmt`). The
templates then choose the output form with the ``html``, ``md`` or ``text`` filter, which parse
it again with raw HTML off and only safe links. ``words`` are plain text headings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from discloser.model.declaration import Declaration, Purpose, Recipient
from discloser.model.types import duration_days
from discloser.notice import expanded_regions, notice_hash
from discloser.render import i18n
from discloser.render.i18n import N_
from discloser.render.markdown import escape_markdown as E
from discloser.rules.consent import sensitive_uses

if TYPE_CHECKING:
    from babel.support import NullTranslations


@dataclass(frozen=True)
class Answer:
    """One row of the label: a question, its plain answer, details, and whether it is risky."""

    key: str
    question: str
    answer: str
    details: list[str]
    risky: bool
    sources: list[str]
    # The compact sentence the consent prompt's first layer shows for this question, built
    # from the same answers; "" keeps the row out of the first layer.
    brief: str = ""


@dataclass(frozen=True)
class Section:
    """One part of the layered notice (GDPR Art. 13), with the fields it is drawn from."""

    key: str
    heading: str
    items: list[str]
    sources: list[str]


@dataclass(frozen=True)
class View:
    """Everything the templates need for one feature in one locale; all text is plain."""

    locale: str
    dir: str
    language: str
    id: str
    revision: int
    effective: str
    effective_iso: str
    status: str
    notice_hash: str
    name: str
    summary: str
    controller: str
    policy: str
    contact: str
    answers: list[Answer]
    sections: list[Section]
    words: dict[str, str]
    waivers: list[tuple[str, str, str]] = field(default_factory=list)
    locales: list[str] = field(default_factory=list)


ACCESS = {
    "picker": N_("One photo you pick, each time you use it"),
    "limited_selection": N_("Only the photos you chose to give the app"),
    "full_library": N_("All the photos on your phone"),
    "shared_posts": N_("Only photos you have already posted"),
    "capture_only": N_("Only new photos you take in this feature"),
}
# What is read that the first layer names: the items people do not expect a photo feature
# to take from a picture.
SENSITIVE_READS = ("faces", "text", "location", "people_tags")
READS = {
    "pixels": N_("the picture itself"),
    "faces": N_("faces"),
    "text": N_("text in the photos"),
    "location": N_("where the photo was taken"),
    "capture_time": N_("when the photo was taken"),
    "device_metadata": N_("details of the device"),
    "people_tags": N_("names of tagged people"),
}
FACES = {
    "detection": N_("Finds where faces are in photos."),
    "attributes": N_("Analyses facial features in photos."),
    "grouping": N_("Groups photos by the faces in them, using face templates."),
    "recognition": N_("Recognises who is in your photos, using face templates."),
}
CADENCE = {
    "on_device_only": N_("Never sent: everything happens on your phone"),
    "on_request": N_("Only when you ask, once for each request"),
    "continuous": N_("All the time, in the background"),
}
CATEGORY = {
    "app_functionality": N_("the feature itself"),
    "personalisation": N_("personalisation"),
    "ai_training": N_("AI training"),
    "advertising": N_("advertising"),
    "analytics": N_("analytics"),
    "safety_security": N_("safety and security"),
    "other": N_("other"),
}
LEGAL_BASIS = {
    "consent": N_("your consent"),
    "contract": N_("our contract with you (you asked for the feature)"),
    "legitimate_interests": N_("our legitimate interests"),
    "legal_obligation": N_("a legal obligation"),
    "vital_interests": N_("protecting someone's life"),
    "public_task": N_("a task in the public interest"),
}
# Short role words for the first layer, where every recipient must fit on one line.
ROLE_BRIEF = {
    "processor": N_("works for us"),
    "controller": N_("for its own purposes too"),
    "public": N_("made public"),
}
ROLE = {
    "processor": N_("works only for us, on our instructions"),
    "controller": N_("uses the data for its own purposes too"),
    "public": N_("shows your photos to everyone (made public)"),
}
REVIEW = {
    "none": N_("Nobody at the company looks at your photos."),
    "sampled": N_("People at the company look at a sample of photos."),
    "on_report": N_("People at the company look at a photo only when someone reports it."),
    "all": N_("People look at every photo."),
}
CONSENT = {
    "opt_in": N_("Nothing happens until you agree."),
    "opt_out": N_("It is on until you turn it off."),
    "notice_only": N_("You are told, not asked."),
}
TRAINING = {
    "this_feature": N_("Yes: to train the AI of this feature"),
    "general_models": N_("Yes: to train general AI models"),
}
ADS = {
    "targeting": N_("choosing the ads you see"),
    "measurement": N_("measuring how ads perform"),
    "profiling": N_("guessing your interests"),
}

# Words of the layout: headings and labels the templates show.
WORDS = {
    "label": N_("Photo label"),
    "notice": N_("Full notice"),
    "risky": N_("Take note"),
    "optional": N_("optional: you can say no"),
    "required": N_("needed for the feature"),
    "revision": N_("Revision"),
    "effective": N_("In effect since"),
    "notice_hash": N_("Notice fingerprint"),
    "policy": N_("Privacy policy"),
    "contact": N_("Privacy contact"),
    "waived": N_("Rules this notice does not follow, and why"),
}


def words(_: Callable[[str], str]) -> dict[str, str]:
    """The layout words, plus the labels a colon follows ("Take note:"), composed by the
    catalogue's "{label}:" so each language spaces its own colon (French: a narrow no-break
    space)."""
    out = {k: _(v) for k, v in WORDS.items()}
    pattern = _(N_("{label}:"))
    out["colon"] = pattern.replace("{label}", "")
    for key in ("risky", "notice_hash", "policy", "contact"):
        out[f"{key}_label"] = pattern.replace("{label}", out[key])
    return out


class _Builder:
    def __init__(self, d: Declaration, locale: str) -> None:
        self.d = d
        self.locale = locale
        tr: NullTranslations = i18n.translations(locale)
        self._: Callable[[str], str] = tr.gettext
        t = d.translations.get(locale)
        self.name = t.name if t else d.name
        self.summary = t.summary if t else d.summary
        self.purpose_text = {p.id: (t.purposes[p.id] if t else p.text) for p in d.purposes}
        self.recipient_name = {r.id: (t.recipients[r.id] if t else r.name) for r in d.sharing}
        self.deletion = (t.deletion if t else d.storage.deletion) or ""
        self.withdraw = t.withdraw if t else d.consent.withdraw

    def fmt(self, message: str, **parts: str) -> str:
        """Translate ``message``, escape it as Markdown, insert ``parts`` (Markdown) as given."""
        pieces = re.split(r"(\{\w+\})", self._(message))
        return "".join(
            parts[p[1:-1]] if p[:1] == "{" and p[1:-1] in parts else E(p) for p in pieces
        )

    def t(self, message: str) -> str:
        """A translated phrase of ours, as Markdown source."""
        return E(self._(message))

    def join(self, items: list[str]) -> str:
        """Join Markdown items the way the language joins lists (the joining words escaped)."""
        marks = [f"\x00{i}\x00" for i in range(len(items))]
        joined = E(i18n.join(marks, self.locale))
        for i, item in enumerate(items):
            joined = joined.replace(E(marks[i]), item)
        return joined

    def join_or(self, items: list[str]) -> str:
        """Join the way the language says "A, B or C" (for "not for A, B or C")."""
        marks = [f"\x00{i}\x00" for i in range(len(items))]
        joined = E(i18n.join(marks, self.locale, style="or"))
        for i, item in enumerate(items):
            joined = joined.replace(E(marks[i]), item)
        return joined

    def countries(self, codes: list[str], prose: bool = True) -> str:
        return E(i18n.countries(codes, self.locale, prose))

    def duration(self, value: str) -> str:
        return E(i18n.duration(value, self.locale))

    def purpose(self, p: Purpose) -> str:
        need = WORDS["required"] if p.required else WORDS["optional"]
        return self.fmt("{text} ({need})", text=self.purpose_text[p.id], need=self.t(need))

    def recipient(self, r: Recipient) -> str:
        line = self.fmt("{name}: {role}", name=self.recipient_name[r.id], role=self.t(ROLE[r.role]))
        if r.countries:
            line += " " + self.fmt(
                "({countries})", countries=self.countries(r.countries, prose=False)
            )
        return line + self.audience(r)

    def reads(self, items: list[str]) -> str:
        return self.join([self.t(READS[r]) for r in items])

    # --------------------------------------------------------------- the label's rows

    def which_photos(self) -> Answer:
        p = self.d.photos
        answer = self.t(ACCESS[p.access])
        wide = p.access in ("full_library", "limited_selection")
        if wide and p.includes_unshared:
            answer = self.fmt("{access}, including photos you never shared", access=answer)
        details = [self.fmt("What is read: {items}.", items=self.reads(list(p.reads)))]
        brief = [answer + E(".")]
        sensitive: list[str] = [r for r in p.reads if r in SENSITIVE_READS]
        if sensitive:
            brief.append(self.fmt("It reads {items}.", items=self.reads(sensitive)))
        if p.face_analysis != "none":
            details.append(self.t(FACES[p.face_analysis]))
            brief.append(self.t(FACES[p.face_analysis]))
        risky = (
            p.access == "full_library"
            or (wide and p.includes_unshared)
            or p.face_analysis != "none"
        )
        sources = [
            "photos.access",
            "photos.includes_unshared",
            "photos.reads",
            "photos.face_analysis",
        ]
        return Answer(
            "which", self._("Which photos?"), answer, details, risky, sources, " ".join(brief)
        )

    def when(self) -> Answer:
        p = self.d.photos
        details = []
        if p.lookback == "whole_library":
            details.append(self.t("It goes back through your whole library."))
        elif p.cadence == "continuous" and p.lookback:
            details.append(
                self.fmt(
                    "It reads photos from the last {duration} in your library.",
                    duration=self.duration(p.lookback),
                )
            )
        answer = self.t(CADENCE[p.cadence])
        return Answer(
            "when",
            self._("When?"),
            answer,
            details,
            p.cadence == "continuous",
            ["photos.cadence", "photos.lookback"],
            " ".join([answer + E("."), *details]),
        )

    def why(self) -> Answer:
        items = [self.purpose(p) for p in self.d.purposes]
        # The first layer says why from the structured answers (category, optional or not),
        # never only from the purposes' free text, which the prompt lists beside it.
        kinds: list[str] = []
        for p in self.d.purposes:
            kind = self.fmt(
                "{category} ({need})",
                category=self.t(CATEGORY[p.category]),
                need=self.t(N_("needed") if p.required else N_("optional")),
            )
            if kind not in kinds:
                kinds.append(kind)
        brief = self.join(kinds)
        return Answer(
            "why",
            self._("Why?"),
            items[0],
            items[1:],
            False,
            ["purposes"],
            brief[:1].upper() + brief[1:] + E("."),
        )

    def servers(self, codes: list[str]) -> str:
        return self.fmt("On our servers in {countries}", countries=self.countries(codes))

    def processed(self) -> Answer:
        pr = self.d.processing
        answer = {
            "on_device": self.t("On your phone"),
            "cloud": self.servers(list(pr.countries)),
            "hybrid": self.fmt(
                "On your phone and on our servers in {countries}",
                countries=self.countries(list(pr.countries)),
            ),
        }[pr.location]
        details = [self.t(REVIEW[pr.human_review])]
        if pr.automated_decisions:
            details.append(
                self.t("Decisions that affect you are made automatically, without a person.")
            )
        # The first layer names human review only when someone looks (the surprise), and
        # automated decisions only when there are some.
        brief = [answer + E("."), *(details if pr.human_review != "none" else details[1:])]
        risky = pr.location != "on_device" or pr.human_review != "none" or pr.automated_decisions
        sources = [
            "processing.location",
            "processing.countries",
            "processing.human_review",
            "processing.automated_decisions",
        ]
        return Answer(
            "processed",
            self._("Processed where?"),
            answer,
            details,
            risky,
            sources,
            " ".join(brief),
        )

    def kept(self) -> str:
        st = self.d.storage
        if st.location == "not_stored" or st.retention == "not_retained":
            return self.t("Not kept after processing")
        place = (
            self.t("On your phone")
            if st.location == "on_device"
            else self.servers(list(st.countries))
        )
        if st.retention == "until_deleted":
            return self.fmt("{place}, until you delete them", place=place)
        return self.fmt(
            "{place}, for {duration}", place=place, duration=self.duration(st.retention)
        )

    def keeps(self) -> bool:
        """Whether anything is kept after processing (else no sentence may speak of deleting)."""
        st = self.d.storage
        return st.location != "not_stored" and st.retention != "not_retained"

    def after_opt_out(self) -> str:
        """When data goes after turning the feature off; "" when nothing is kept or there is
        nothing to turn off (told, not asked), so that no sentence promises a switch."""
        value = self.d.storage.after_opt_out
        if value is None or not self.keeps() or self.d.consent.model == "notice_only":
            return ""
        if duration_days(value) == 0:
            return self.t("Deleted as soon as you turn the feature off.")
        return self.fmt(
            "Deleted {duration} after you turn the feature off.", duration=self.duration(value)
        )

    def stored(self) -> Answer:
        st = self.d.storage
        details = [x for x in [self.after_opt_out()] if x]
        if st.face_templates:
            details.append(
                self.fmt(
                    "Face templates are deleted after {duration}.",
                    duration=self.duration(st.face_templates),
                )
            )
        details += self.kept_longer()
        brief = " ".join([self.kept() + E("."), *details])
        enc, d = st.encryption, self.d
        leaves = d.processing.location != "on_device" or st.location == "cloud" or bool(d.sharing)
        stored = st.location != "not_stored" and st.retention != "not_retained"
        # Only the protections that apply: "not encrypted in transit" means nothing for photos
        # that never leave the phone.
        applicable = [
            (leaves, enc.in_transit, N_("in transit")),
            (stored, enc.at_rest, N_("in storage")),
            (stored and st.location == "cloud", enc.end_to_end, N_("end to end")),
        ]
        kinds = [self.t(word) for applies, on, word in applicable if applies and on]
        missing = [self.t(word) for applies, on, word in applicable if applies and not on]
        if kinds:
            details.append(self.fmt("Encrypted: {kinds}.", kinds=self.join(kinds)))
            if missing:
                details.append(self.fmt("Not encrypted: {kinds}.", kinds=self.join(missing)))
        elif missing:
            details.append(self.t("Not encrypted."))
        if self.deletion:
            details.append(self.fmt("To delete: {how}", how=self.deletion))
        risky = st.location == "cloud" or st.retention == "until_deleted" or bool(st.face_templates)
        sources = [
            "storage.location",
            "storage.countries",
            "storage.retention",
            "storage.longer_for",
            "storage.after_opt_out",
            "storage.face_templates",
            "storage.encryption",
            "storage.deletion",
        ]
        return Answer(
            "stored",
            self._("Stored where, and for how long?"),
            self.kept_with_longer(),
            details,
            risky,
            sources,
            brief,
        )

    def ai_training(self) -> Answer:
        t = self.d.ai_training
        question = self._("Used to train AI?")
        if t.use == "none":
            no = self.t("No. Your photos are not used to train AI.")
            return Answer("ai", question, no, [], False, ["ai_training.use"], no)
        answer = self.t(TRAINING[t.use])
        # The condition is said only as declared (D314 asks for it): never inferred.
        answer = self.training_condition(answer)
        details = [
            self.fmt("What is used: {items}.", items=self.reads(list(t.reads))),
            self.t(
                N_("Faces are used in training.")
                if t.faces
                else N_("Faces are not used in training.")
            ),
            self.t(
                N_("Saying no removes your photos from future training.")
                if t.opt_out_removes
                else N_("Saying no does not remove photos from future training.")
            ),
        ]
        sources = [
            "ai_training.use",
            "ai_training.condition",
            "ai_training.reads",
            "ai_training.faces",
            "ai_training.opt_out_removes",
        ]
        # The first layer: the answer, and the two facts people are surprised by later.
        brief = [answer + E("."), *(details[1:2] if t.faces else []), details[2]]
        return Answer("ai", question, answer, details, True, sources, " ".join(brief))

    def ads(self) -> Answer:
        a = self.d.advertising
        question = self._("Used for ads?")
        # The answer covers exactly three uses: "no" names all three, "yes" names each use
        # that is true and each that is not, so nothing is said beyond the three answers.
        kinds = ("targeting", "measurement", "profiling")
        uses = [self.t(ADS[k]) for k in kinds if getattr(a, k)]
        others = [self.t(ADS[k]) for k in kinds if not getattr(a, k)]
        sources = ["advertising.targeting", "advertising.measurement", "advertising.profiling"]
        if not uses:
            no = self.fmt("No: not for {uses}.", uses=self.join_or(others))
            return Answer("ads", question, no, [], False, sources, no)
        answer = self.fmt("Yes: {uses}", uses=self.join(uses))
        details = [self.fmt("Not for {uses}.", uses=self.join_or(others))] if others else []
        brief = " ".join([answer + E("."), *details])
        return Answer("ads", question, answer, details, True, sources, brief)

    def shared(self) -> Answer:
        question = self._("Shared with whom?")
        if not self.d.sharing:
            nobody = self.nobody()
            return Answer("shared", question, nobody, [], False, ["sharing"], nobody)
        items = [self.recipient(r) for r in self.d.sharing]
        risky = any(r.role != "processor" for r in self.d.sharing)
        brief = self.join(
            [
                self.fmt(
                    "{name} ({role})",
                    name=self.recipient_name[r.id],
                    role=self.t(ROLE_BRIEF[r.role]),
                )
                for r in self.d.sharing
            ]
        )
        sources = ["sharing", "processing.location", "storage.location"]
        return Answer("shared", question, items[0], items[1:], risky, sources, brief + E("."))

    def stays_on_phone(self) -> bool:
        """Processed on the phone, not kept in the cloud, given to nobody: photos never leave."""
        d = self.d
        return (
            d.processing.location == "on_device" and d.storage.location != "cloud" and not d.sharing
        )

    def nobody(self) -> str:
        """ "Nobody outside the company" only when the company has the photos at all."""
        if self.stays_on_phone():
            return self.t("Nobody: your photos do not leave your phone.")
        return self.t("Nobody outside the company.")

    def controls(self) -> Answer:
        optional = [self.purpose_text[p.id] for p in self.d.purposes if not p.required]
        if self.d.consent.model == "notice_only":
            optional = []  # told, not asked: there is nothing to say no to
        details = []
        if optional:
            details.append(self.fmt("You can say no to: {items}", items=self.join(optional)))
        details.append(self.fmt("To change your choice: {where}", where=self.withdraw))
        return Answer(
            "controls",
            self._("What can you switch off, and where?"),
            self.t(CONSENT[self.d.consent.model]),
            details,
            False,
            ["consent.model", "consent.per_purpose", "consent.withdraw", "purposes"],
        )

    # ---------------------------------------------------------- the layered notice

    def sections(self) -> list[Section]:
        d = self.d
        purposes = [
            self.fmt(
                "{text} Category: {category}. Legal basis: {basis}.",
                text=self.purpose_text[p.id],
                category=self.t(CATEGORY[p.category]),
                basis=self.t(LEGAL_BASIS[p.legal_basis]),
            )
            for p in d.purposes
        ]
        places = sorted(
            {
                *d.processing.countries,
                *d.storage.countries,
                *(c for r in d.sharing for c in r.countries),
            }
        )
        outside = [c for c in places if c not in expanded_regions(d)]
        transfers = (
            [
                self.fmt(
                    "Countries your photos go to: {countries}.", countries=self.countries(places)
                )
            ]
            if places
            else [self.t("Your photos stay on your phone.")]
            if self.stays_on_phone()
            else []
        )
        if outside:
            transfers.append(
                self.fmt(
                    "Outside the countries where the feature is offered: {countries}.",
                    countries=self.countries(outside),
                )
            )
        st = d.storage
        retention = [self.kept() + E(".")]
        if self.after_opt_out():
            retention.append(self.after_opt_out())
        if st.face_templates:
            retention.append(
                self.fmt(
                    "Face templates are deleted after {duration}.",
                    duration=self.duration(st.face_templates),
                )
            )
        retention += self.kept_longer()
        rights: list[str] = [
            self.t("You can ask for a copy of your data and have it corrected or deleted."),
            self.fmt("To delete: {how}", how=self.deletion)
            if self.deletion
            else self.t("Nothing is kept, so there is nothing to delete.")
            if not self.keeps()
            else "",
            self.fmt("To withdraw consent: {where}", where=self.withdraw),
            self.t("You can complain to a data protection authority."),
        ]
        rights = [x for x in rights if x]
        automated = [
            self.t(
                N_("Yes: decisions that affect you are made automatically.")
                if d.processing.automated_decisions
                else N_("No decisions with legal or similar effects are made automatically.")
            )
        ]
        recipients = [self.recipient(r) for r in d.sharing] or [self.nobody()]
        _ = self._
        return [
            Section(
                "controller",
                _("Who is responsible"),
                [E(d.controller)],
                ["controller", "links.contact"],
            ),
            Section("purposes", _("Purposes and legal basis"), purposes, ["purposes"]),
            Section("recipients", _("Who receives your photos"), recipients, ["sharing"]),
            Section(
                "transfers",
                _("Countries"),
                transfers,
                ["processing.countries", "storage.countries", "sharing", "regions"],
            ),
            Section(
                "retention",
                _("How long data is kept"),
                retention,
                [
                    "storage.retention",
                    "storage.longer_for",
                    "storage.after_opt_out",
                    "storage.face_templates",
                ],
            ),
            Section("rights", _("Your rights"), rights, ["storage.deletion", "consent.withdraw"]),
            Section(
                "automated", _("Automated decisions"), automated, ["processing.automated_decisions"]
            ),
        ]

    # ------------------------------------------- answers added for issue 9 (truthmodel)
    # Kept apart from the sentences above so each can change without touching the other.

    def training_condition(self, answer: str) -> str:
        """The training answer with its condition: which photos train, and whether one asks."""
        condition = self.d.ai_training.condition
        if condition is None:
            return answer
        return self.fmt(TRAINING_CONDITION[condition], answer=answer)

    def audience(self, r: Recipient) -> str:
        """For a recipient that only receives what the person shares, say so."""
        if r.audience == "always":
            return ""
        return " " + self.t("(only what you choose to share)")

    def kept_longer(self) -> list[str]:
        """One sentence per longer period: what the person saves, edits, shares or reports."""
        out = []
        for longer in self.d.storage.longer_for:
            items = self.join([self.t(KEPT_ITEMS[i]) for i in longer.items])
            if longer.retention == "until_deleted":
                out.append(self.fmt("Kept longer: {items}, until you delete them.", items=items))
            else:
                out.append(
                    self.fmt(
                        "Kept longer: {items}, for {duration}.",
                        items=items,
                        duration=self.duration(longer.retention),
                    )
                )
        return out

    def kept_with_longer(self) -> str:
        """How long things are kept, and, in the same answer, what is kept longer."""
        longer = self.d.storage.longer_for
        if not longer:
            return self.kept()
        items = self.join([self.t(KEPT_ITEMS[i]) for x in longer for i in x.items])
        return self.fmt("{kept} (longer for {items})", kept=self.kept(), items=items)

    def terms_name(self, i: int) -> str:
        b = self.d.bundled_terms[i]
        t = self.d.translations.get(self.locale)
        name = t.terms.get(b.id, b.name) if t else b.name
        return f"[{name}](<{b.link}>)"

    def terms(self) -> list[Answer]:
        """Bundled terms, first on the label and in the prompt: they are part of the yes."""
        if not self.d.bundled_terms:
            return []
        names = self.join([self.terms_name(i) for i in range(len(self.d.bundled_terms))])
        answer = self.fmt("Accepting this feature also accepts {names}", names=names)
        details = [
            self.fmt(
                "{name} allow: {items}.",
                name=self.terms_name(i),
                items=self.join([self.t(TERMS_ALLOW[a]) for a in b.allows]),
            )
            for i, b in enumerate(self.d.bundled_terms)
        ]
        return [
            Answer(
                "terms",
                self._("What else do you accept?"),
                answer,
                details,
                True,
                ["bundled_terms"],
                " ".join([answer + E("."), *details]),
            )
        ]

    def terms_sections(self, rows: list[Answer] | None = None) -> list[Section]:
        """The layered notice's part on bundled terms, if any (``rows``: :meth:`terms`, when
        the caller has built them already)."""
        rows = self.terms() if rows is None else rows
        if not rows:
            return []
        return [
            Section(
                "bundled_terms",
                self._("Other terms you accept with this feature"),
                [rows[0].answer, *rows[0].details],
                ["bundled_terms"],
            )
        ]


TRAINING_CONDITION = {
    "if_you_agree": N_("{answer}, only if you agree"),
    "always": N_("{answer}, for every photo the feature reads, with no separate choice"),
    "edited_or_shared": N_("{answer}, for the photos you edit or share with the AI"),
}
KEPT_ITEMS = {
    "saved": N_("what you save"),
    "edited": N_("what you edit"),
    "shared": N_("what you share"),
    "reported": N_("what is reported"),
}
TERMS_ALLOW = {
    "media_analysis": N_("analysing your photos and videos"),
    "facial_features": N_("analysing facial features"),
    "face_recognition": N_("recognising faces"),
    "ai_training": N_("training AI"),
    "advertising": N_("advertising"),
    "profiling": N_("guessing your interests"),
    "human_review": N_("people looking at your photos"),
    "sharing": N_("sharing with other companies for their own purposes"),
    "public": N_("making content public"),
}


def build_view(d: Declaration, locale: str) -> View:
    """The view of ``d`` in ``locale`` (one of ``d.locales``)."""
    if locale not in d.locales:
        raise ValueError(f"{d.id} does not ship in {locale}")
    b = _Builder(d, locale)
    _ = b._
    terms = b.terms()
    answers = [
        *terms,
        b.which_photos(),
        b.when(),
        b.why(),
        b.processed(),
        b.stored(),
        b.ai_training(),
        b.ads(),
        b.shared(),
        b.controls(),
    ]
    from discloser.rules.registry import find

    waivers = []
    for w in d.waivers:
        rule = find(w.rule)
        t = d.translations.get(locale)
        reason = t.waivers.get(w.rule, w.reason) if t else w.reason
        waivers.append((rule.code if rule else w.rule, rule.name if rule else "", reason))
    return View(
        locale=locale,
        dir=i18n.direction(locale),
        language=i18n.language_name(locale),
        id=d.id,
        revision=d.revision,
        effective=i18n.long_date(d.effective, locale),
        effective_iso=d.effective.isoformat(),
        status=d.status,
        notice_hash=notice_hash(d),
        name=b.name,
        summary=b.summary,
        controller=d.controller,
        policy=d.links.policy,
        contact=d.links.contact,
        answers=answers,
        sections=b.sections() + b.terms_sections(terms),
        words=words(_),
        waivers=waivers,
        locales=list(d.locales),
    )


__all__ = ["Answer", "Section", "View", "build_view", "sensitive_uses"]
