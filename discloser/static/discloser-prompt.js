/**
 * discloser consent prompt: `<discloser-consent data-notice="ID">` or `data-src="URL"`.
 * Embedding, receipts and the `discloserConsent` API: README, "The consent prompt".
 * @module discloser-prompt
 */
const D = document, E = "discloser:consent", mem = new Map(), asked = new Set(), queue = [];
let n = 0;
const parse = (t) => JSON.parse(t, (k, v) => { if (/^(__proto__|constructor|prototype)$/.test(k)) throw 0; return v; });
const s = (v) => (typeof v == "string" ? v : "");
/** Has a switch: optional, or AI training or ads whatever `required` says. */
const opt = (p) => !p.required || /^(ai_training|advertising)$/.test(p.category);
const h = (tag, attrs, ...kids) => {
  const e = D.createElement(tag);
  for (const a in attrs) e.setAttribute(a, attrs[a]);
  e.append(...kids);
  return e;
};

/** The valid receipt for notice `N` (stored, or this page view's if storage failed) or null. */
const current = (N) => {
  try {
    const r = mem.get(N.feature) || parse(localStorage.getItem(E + ":" + N.feature)), c = r.choices, P = N.purposes;
    if (Object.keys(r).filter((k) => k != "proof").sort().map((k) => k + typeof r[k]) + "" ==
        "atstring,choicesobject,decisionstring,featurestring,idstring,localestring,notice_hashstring,revisionnumber,vnumber" &&
      r.v === 1 && r.feature === N.feature && r.notice_hash === N.notice_hash && Number.isInteger(r.revision) &&
      /^(accept|decline)$/.test(r.decision) && new Date(r.at).toISOString() === r.at && Object.keys(c).length == P.length &&
      P.every((p) => typeof c[p.id] == "boolean" && Object.hasOwn(c, p.id) && (r.decision == "accept" ? opt(p) || c[p.id] : !c[p.id]))
    ) return r;
  } catch {}
  return null;
};

const btn = (v, t) => h("button", { type: "button", class: "dsc-prompt-btn", value: v }, s(t));
const find = (f) => [...D.getElementsByTagName("discloser-consent")].find((e) => e.N?.feature === f);
const next = () => { for (let p; (p = queue.shift()); ) if (!current(p.N)) return p.open(); };

/** Store and announce a choice: accept (`yes`) with switches `on`, or decline. */
const decide = (P, yes, on = {}) => {
  const N = P.N, choices = {};
  for (const p of N.purposes) choices[p.id] = yes && (!opt(p) || on[p.id] === true);
  const r = Object.freeze({
    v: 1, id: crypto.randomUUID(), feature: N.feature, revision: N.revision, notice_hash: N.notice_hash, proof: N.proof, locale: P.loc,
    decision: yes ? "accept" : "decline", choices: Object.freeze(choices), at: new Date().toISOString(),
  });
  try { localStorage.setItem(E + ":" + N.feature, JSON.stringify(r)); mem.delete(N.feature); } catch { mem.set(N.feature, r); }
  D.dispatchEvent(new CustomEvent(E, { detail: r }));
};

/** `<discloser-consent>`: a dialog until there is a receipt, then a "change" button. */
class Prompt extends HTMLElement {
  async connectedCallback() {
    if (this.N !== undefined) return;
    let N = (this.N = null), b = D.baseURI, el, ks, lc = (x) => s(x).toLowerCase(), { src, notice } = this.dataset;
    try {
      if (D.readyState == "loading") await new Promise((r) => D.addEventListener("DOMContentLoaded", r));
      if (src) {
        if ((b = new URL(src, b)).origin != location.origin) throw 0;
        N = parse(await (await fetch(b, { mode: "same-origin" })).text());
      } else N = (el = D.getElementById(notice))?.matches("script[type='application/json']") && parse(el.textContent);
      if (N.format != "discloser-prompt/1" || !N.purposes.map || !(ks = Object.keys(N.texts))[0]) throw 0;
    } catch {
      return console.warn("discloser-consent: bad notice");
    }
    for (const w of [this.getAttribute("lang"), D.documentElement.lang, N.default_locale].map(lc))
      if (w && (this.loc = ks.find((k) => lc(k) == w) || ks.find((k) => lc(k).split("-")[0] == w.split("-")[0]))) break;
    this.L = Object(N.texts[(this.loc ||= ks[0])]);
    this.dir = this.L.dir == "rtl" ? "rtl" : "ltr";
    this.b = b;
    this.N = N;
    this.addEventListener("click", ({ target: t }) => t.className == "dsc-prompt-btn" && (t.value == "c" ? this.open() :
      decide(this, t.value == "y", Object.fromEntries([...this.d.querySelectorAll("input")].map((i) => [i.name, i.checked])))));
    D.addEventListener(E, (e) => e.detail?.feature === N.feature && this.sync());
    this.sync(!asked.has(N.feature) && asked.add(N.feature));
  }

  /** Show the saved choice, or prompt if `ask`. */
  sync(ask) {
    const r = current(this.N), ui = Object(this.L.ui);
    if (!r) return ask && queue.push(this) && (D.querySelector("dialog.dsc-prompt[open]") || next());
    this.d?.close();
    this.st || this.append(h("div", { class: "dsc-prompt-bar", lang: this.loc, dir: this.dir }, (this.st = h("span", { role: "status" })), btn("c", ui.change)));
    this.st.textContent = s(ui[r.decision == "accept" ? "saved_accept" : "saved_decline"]);
  }

  /** Open the dialog, current choices preselected. */
  open() {
    const d = (this.d ||= this.build()), r = current(this.N);
    for (const i of d.querySelectorAll("input")) i.checked = r?.choices[i.name] === true;
    if (!d.open) {
      this.prev = D.activeElement;
      d.showModal();
      d.querySelector("h2").focus();
    }
  }

  build() {
    const { N, L, loc: lang, dir } = this, ui = Object(L.ui), id = "dsc-prompt-" + ++n, t = (p) => s(Object(L.purposes)[p.id]);
    const only = N.consent_model == "notice_only", sw = only ? [] : N.purposes.filter(opt);
    let u = s(L.disclosure_url);
    try { u = u && /^https?:$/.test((u = new URL(u, this.b)).protocol) && u.href; } catch { u = ""; }
    const d = h("dialog", { class: "dsc-prompt", closedby: "any", lang, dir, "aria-labelledby": id + "t", "aria-describedby": id + "d" },
      h("h2", { id: id + "t", tabindex: -1 }, s(ui.title)),
      h("p", { id: id + "d" }, h("strong", {}, s(L.name)), " ", s(L.summary)),
      h("dl", {}, ...(Array.isArray(L.answers) ? L.answers : []).flatMap((a) => [h("dt", {}, s(a?.question)), h("dd", {}, s(a?.mark) && h("strong", {}, a.mark), " ", s(a?.answer))])),
      h("ul", {}, ...N.purposes.filter((p) => !opt(p)).map((p) => h("li", {}, t(p)))),
      sw[0] ? h("fieldset", {}, h("legend", {}, s(ui.optional)),
        ...sw.map((p) => h("label", {}, h("input", { type: "checkbox", role: "switch", switch: "", name: p.id }), h("span", {}, t(p))))) : "",
      u ? h("p", {}, h("a", { href: u }, s(ui.more))) : "",
      h("div", { class: "dsc-prompt-actions" }, btn("y", ui.accept), only ? "" : btn("n", ui.decline)));
    d.onclose = () => { this.prev?.focus(); next(); };
    d.onkeydown = (e) => {
      const f = [...d.querySelectorAll("a,input,button")], i = f.indexOf(D.activeElement);
      if (e.key == "Tab" && (e.shiftKey ? i < 1 : i == f.length - 1)) e.preventDefault(), f.at(e.shiftKey ? -1 : 0).focus();
    };
    this.append(d);
    return d;
  }
}

/** `window.discloserConsent`, for a feature whose prompt is on the page (else null, false). */
const api = Object.freeze({
  /** @returns {boolean|null} the choice for `purpose`; null without a valid receipt */
  get(feature, purpose) {
    const P = find(feature), r = P && current(P.N);
    return r && Object.hasOwn(r.choices, purpose) ? r.choices[purpose] : null;
  },
  /** Open the prompt, current choices preselected. @returns {boolean} */
  open: (feature, P = find(feature)) => !!P && !P.open(),
  /** Withdraw in one call: store a decline receipt, dispatch the event. @returns {boolean} */
  withdraw: (feature, P = find(feature)) => !!P && !decide(P, false),
});
window.discloserConsent || Object.defineProperty(window, "discloserConsent", { value: api, enumerable: true });
customElements.get("discloser-consent") || customElements.define("discloser-consent", Prompt);
