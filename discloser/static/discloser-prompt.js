/**
 * discloser consent prompt: the `<discloser-consent>` element and `window.discloserConsent`.
 *
 * Plain ES module, no dependencies, no build step. The notice is data, never code:
 * `data-notice="ID"` names a `<script type="application/json" id="ID">` block, `data-src="URL"`
 * a same-origin JSON file (format `discloser-prompt/1`). Texts are only ever set as text, so it
 * runs under `default-src 'none'; script-src 'self'; style-src 'self'` with Trusted Types.
 * Locale: the element's `lang`, else `<html lang>`, else the notice's `default_locale`.
 *
 * A choice stores a {@link Receipt} in localStorage at `discloser:consent:<feature>` and
 * dispatches `discloser:consent` on `document` with the receipt as `detail`. A stored receipt
 * counts only if it is exactly well-formed and matches the current notice hash and purposes.
 * @module discloser-prompt
 */

/**
 * @typedef {object} Receipt What a person saw and chose (frozen).
 * @property {1} v
 * @property {string} id random UUID
 * @property {string} feature
 * @property {number} revision
 * @property {string} notice_hash
 * @property {string} locale
 * @property {"accept"|"decline"} decision
 * @property {Object<string, boolean>} choices every purpose id of the notice
 * @property {string} at ISO 8601 UTC timestamp
 */

const D = document;
const EV = "discloser:consent";
const KEYS = "at,choices,decision,feature,id,locale,notice_hash,revision,v";
/** Choices made in this page view, so they hold even when storage refuses them. */
const mem = new Map();
/** Features already prompted on load, so an embed repeated on a page asks once. */
const asked = new Set();
/** Prompts waiting for the open one to close. @type {Prompt[]} */
const queue = [];
let n = 0;

/** `JSON.parse` that rejects `__proto__`, `constructor` and `prototype` keys anywhere. */
const parse = (t) =>
  JSON.parse(t, (k, v) => {
    if (/^(__proto__|constructor|prototype)$/.test(k)) throw 0;
    return v;
  });
/** A string, or "" for anything else. */
const s = (v) => (typeof v == "string" ? v : "");
/** AI training and ads are never set by accept alone: they always get their own switch. */
const optional = (p) => !p.required || /^(ai_training|advertising)$/.test(p.category);
const key = (f) => "discloser:consent:" + f;
/** Storage that throws (site data blocked) reads as nothing and writes as nothing. */
const read = (k) => {
  try {
    return localStorage.getItem(k);
  } catch {
    return null;
  }
};
const uuid = () =>
  crypto.randomUUID?.() ||
  "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
    (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16),
  );

/** An element with attributes (never `style`) and text or element children. */
const h = (tag, attrs, ...kids) => {
  const e = D.createElement(tag);
  for (const a in attrs) e.setAttribute(a, attrs[a]);
  e.append(...kids);
  return e;
};

/**
 * The stored text as a receipt for notice `N`, or null when it is malformed, forged, stale
 * (another notice hash) or inconsistent (decline with a purpose on, accept without a required one).
 * @returns {Receipt|null}
 */
function check(N, t) {
  try {
    const r = parse(t);
    const c = r.choices;
    return Object.keys(r).sort() + "" == KEYS &&
      r.v === 1 &&
      /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/.test(r.id) &&
      r.feature === N.feature &&
      Number.isInteger(r.revision) &&
      r.notice_hash === N.notice_hash &&
      typeof r.locale == "string" &&
      /^(accept|decline)$/.test(r.decision) &&
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(r.at) &&
      !isNaN(Date.parse(r.at)) &&
      Object.keys(c).length == N.purposes.length &&
      N.purposes.every(
        (p) =>
          Object.hasOwn(c, p.id) &&
          typeof c[p.id] == "boolean" &&
          (r.decision == "accept" ? optional(p) || c[p.id] : !c[p.id]),
      )
      ? r
      : null;
  } catch {
    return null;
  }
}

/** The receipt in force for notice `N`: this page view's choice, else a valid stored one. */
const current = (N) => mem.get(N.feature) || check(N, read(key(N.feature)));

/** The first prompt in the document that has loaded the notice of feature `f`. */
const find = (f) => [...D.getElementsByTagName("discloser-consent")].find((e) => e.N?.feature === f);

/** Open the next waiting prompt that still has no choice. */
const next = () => {
  for (let p; (p = queue.shift()); ) if (!current(p.N)) return p.open();
};

/**
 * Record a choice for prompt `P`: accept turns on the required purposes and the switched-on
 * optional ones (`on`: purpose id → checked); decline turns every purpose off.
 */
function decide(P, accept, on = {}) {
  const N = P.N;
  const choices = {};
  for (const p of N.purposes) choices[p.id] = accept && (optional(p) ? on[p.id] === true : true);
  const r = Object.freeze({
    v: 1,
    id: uuid(),
    feature: N.feature,
    revision: N.revision,
    notice_hash: N.notice_hash,
    locale: P.loc,
    decision: accept ? "accept" : "decline",
    choices: Object.freeze(choices),
    at: new Date().toISOString(),
  });
  mem.set(N.feature, r);
  try {
    localStorage.setItem(key(N.feature), JSON.stringify(r));
  } catch {}
  D.dispatchEvent(new CustomEvent(EV, { detail: r }));
}

/**
 * `<discloser-consent data-notice="ID">` or `<discloser-consent data-src="URL">`: shows the
 * notice in a modal dialog until there is a valid receipt, then a "change your choice" button.
 */
class Prompt extends HTMLElement {
  async connectedCallback() {
    if (this.N !== undefined) return;
    this.N = null;
    let N, base = D.baseURI;
    try {
      if (D.readyState == "loading") await new Promise((r) => D.addEventListener("DOMContentLoaded", r));
      const { src, notice } = this.dataset, el = notice && D.getElementById(notice);
      if (src) {
        base = new URL(src, base);
        if (base.origin != location.origin) throw 0;
        const res = await fetch(base, { mode: "same-origin" });
        N = res.ok && parse(await res.text());
      } else N = el?.matches('script[type="application/json"]') && parse(el.textContent);
      if (
        N?.format != "discloser-prompt/1" ||
        typeof N.feature != "string" ||
        typeof N.notice_hash != "string" ||
        !Number.isInteger(N.revision) ||
        !N.purposes.every((p) => typeof p.id == "string") ||
        !Object.keys(N.texts).length
      ) throw 0;
    } catch {
      return console.warn("discloser-consent: no usable notice", this);
    }
    const T = N.texts, lc = (x) => s(x).toLowerCase(), ks = Object.keys(T);
    for (const w of [this.getAttribute("lang"), D.documentElement.lang, N.default_locale, ks[0]]) {
      const k = ks.find((k) => lc(k) == lc(w)) || ks.find((k) => lc(k).split("-")[0] == lc(w).split("-")[0]);
      if (w && k) {
        this.loc = k;
        break;
      }
    }
    this.L = T[this.loc] || {};
    this.dir = this.L.dir == "rtl" ? "rtl" : "ltr";
    this.base = base;
    this.N = N;
    D.addEventListener(EV, (e) => e.detail?.feature === N.feature && this.sync());
    this.sync(!asked.has(N.feature) && asked.add(N.feature));
  }

  /** After a choice: close the dialog, show the saved choice. Without one: prompt (`auto`). */
  sync(auto) {
    const r = current(this.N), ui = this.L.ui || {}, { loc: lang, dir } = this;
    if (!r) {
      if (auto) queue.push(this), D.querySelector("dialog.dsc-prompt[open]") || next();
      return;
    }
    if (this.d?.open) this.d.close();
    if (!this.st) {
      this.cb = h("button", { type: "button", class: "dsc-prompt-btn" }, s(ui.change));
      this.cb.onclick = () => this.open();
      this.append(h("div", { class: "dsc-prompt-bar", lang, dir }, (this.st = h("p", { role: "status" })), this.cb));
    }
    this.st.textContent = s(ui[r.decision == "accept" ? "saved_accept" : "saved_decline"]);
  }

  /** Open the dialog; switches show the current choices (all off when there are none). */
  open() {
    const d = (this.d ||= this.build()), r = current(this.N);
    for (const i of d.querySelectorAll("input")) i.checked = r?.choices[i.name] === true;
    if (d.open) return;
    this.prev = D.activeElement;
    d.showModal();
    d.querySelector("h2").focus();
  }

  /** The `<dialog>`: title, summary, the plain answers, switches, link, two equal buttons. */
  build() {
    const { N, L, loc: lang, dir } = this, ui = L.ui || {}, id = "dsc-prompt-" + ++n;
    const only = N.consent_model == "notice_only", txt = (p) => s(L.purposes?.[p.id]);
    const btn = (t, yes) => {
      const b = h("button", { type: "button", class: "dsc-prompt-btn" }, s(t));
      b.onclick = () =>
        decide(this, yes, Object.fromEntries([...d.querySelectorAll("input")].map((i) => [i.name, i.checked])));
      return b;
    };
    const sw = only ? [] : N.purposes.filter(optional);
    const req = N.purposes.filter((p) => !optional(p));
    let url = "";
    try {
      const u = new URL(s(L.disclosure_url) || "#", this.base);
      if (L.disclosure_url && /^https?:$/.test(u.protocol)) url = u.href;
    } catch {}
    const d = h(
      "dialog",
      { class: "dsc-prompt", lang, dir, "aria-labelledby": id + "-t", "aria-describedby": id + "-d" },
      h("h2", { id: id + "-t", tabindex: "-1" }, s(ui.title)),
      h("p", { id: id + "-d" }, h("strong", {}, s(L.name)), " ", s(L.summary)),
      h("dl", {}, ...(Array.isArray(L.answers) ? L.answers : []).flatMap((a) => [h("dt", {}, s(a?.question)), h("dd", {}, s(a?.answer))])),
      req.length ? h("ul", {}, ...req.map((p) => h("li", {}, txt(p)))) : "",
      sw.length
        ? h("fieldset", {}, h("legend", {}, s(ui.optional)),
            ...sw.map((p) => h("label", {}, h("input", { type: "checkbox", role: "switch", name: p.id }), h("span", {}, txt(p)))))
        : "",
      url ? h("p", {}, h("a", { href: url }, s(ui.more))) : "",
      h("div", { class: "dsc-prompt-actions" }, btn(ui.accept, true), only ? "" : btn(ui.decline, false)),
    );
    d.addEventListener("close", () => {
      this.prev?.focus?.();
      next();
    });
    // A click on the backdrop targets the dialog itself, outside its box: dismiss, no consent.
    d.onclick = (e) => {
      const b = d.getBoundingClientRect();
      if (e.target == d && (e.clientX < b.left || e.clientX > b.right || e.clientY < b.top || e.clientY > b.bottom)) d.close();
    };
    // Tab and Shift+Tab cycle inside the dialog.
    d.onkeydown = (e) => {
      if (e.key != "Tab") return;
      const f = [...d.querySelectorAll("a,input,button")], i = f.indexOf(D.activeElement);
      if (e.shiftKey ? i < 1 : i == f.length - 1) {
        e.preventDefault();
        f.at(e.shiftKey ? -1 : 0).focus();
      }
    };
    this.append(d);
    return d;
  }
}

/**
 * The JS API (frozen, on `window.discloserConsent`). Each call names a feature whose prompt
 * is on the page and has loaded its notice; otherwise `get` gives null and the others false.
 */
const api = Object.freeze({
  /**
   * The choice for one purpose of a feature.
   * @param {string} feature @param {string} purpose
   * @returns {boolean|null} null when there is no valid receipt (or no such purpose)
   */
  get(feature, purpose) {
    const P = find(feature), r = P && current(P.N);
    return r && Object.hasOwn(r.choices, purpose) ? r.choices[purpose] : null;
  },
  /** Open the prompt, the current choices preselected. @param {string} feature @returns {boolean} */
  open(feature) {
    const P = find(feature);
    return !!P && (P.open(), true);
  },
  /**
   * Withdraw in one call: store a decline receipt (every purpose off) and dispatch the event.
   * @param {string} feature @returns {boolean}
   */
  withdraw(feature) {
    const P = find(feature);
    return !!P && (decide(P, false), true);
  },
});
if (!window.discloserConsent) Object.defineProperty(window, "discloserConsent", { value: api, enumerable: true });
customElements.get("discloser-consent") || customElements.define("discloser-consent", Prompt);
