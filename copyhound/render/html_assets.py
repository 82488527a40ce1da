"""The HTML report's inline stylesheet and script.

They are constants so the Content-Security-Policy can allow exactly these two
by hash and nothing else: even if a crawled string slipped past escaping, an
injected `<script>` or `onerror=` attribute would not run.

The script only ever writes crawled text with `textContent` (never
`innerHTML`), reads post texts from a JSON data block, and highlights shared
passages as runs of SHINGLE_WORDS words found in both texts.
"""

from __future__ import annotations

import base64
import hashlib

SHINGLE_WORDS = 5

STYLE = """
:root { --fg:#1d2330; --muted:#5b6577; --line:#d9dee7; --bg:#fff; --soft:#f5f7fa;
  --red:#b42318; --redbg:#fee4e2; --amber:#93370d; --amberbg:#fef0c7; --green:#05603a;
  --greenbg:#d1fadf; --blue:#1849a9; --bluebg:#d1e9ff; --grey:#344054; --greybg:#eaecf0; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
  background: var(--bg); margin: 0 auto; max-width: 1280px; padding: 1rem 1.5rem 4rem; }
h1 { font-size: 1.5rem; margin: .5rem 0; } h2 { font-size: 1.15rem; margin: 0 0 .25rem; }
h3 { font-size: .95rem; margin: 0 0 .4rem; color: var(--muted); }
a { color: var(--blue); word-break: break-all; }
.muted { color: var(--muted); }
.cards { display: flex; flex-wrap: wrap; gap: .6rem; margin: .8rem 0; padding: 0; list-style: none; }
.cards li { border: 1px solid var(--line); border-radius: 8px; padding: .4rem .8rem; background: var(--soft); }
.cards b { font-size: 1.2rem; display: block; }
#by-status li { cursor: pointer; }
.badge { display: inline-block; border-radius: 999px; padding: 0 .55rem; font-size: .8rem;
  font-weight: 600; white-space: nowrap; background: var(--greybg); color: var(--grey); }
.s-missing-canonical { background: var(--redbg); color: var(--red); }
.s-self-canonical, .s-canonical-elsewhere { background: var(--amberbg); color: var(--amber); }
.s-canonical-ok { background: var(--greenbg); color: var(--green); }
.s-noindex { background: var(--bluebg); color: var(--blue); }
.own { background: var(--bluebg); color: var(--blue); }
.change { background: #f4ebff; color: #53389e; }
fieldset { border: 1px solid var(--line); border-radius: 8px; margin: 0; padding: .4rem .8rem; }
#filters { position: sticky; top: 0; background: var(--bg); padding: .6rem 0; display: flex;
  flex-wrap: wrap; gap: .6rem; align-items: flex-start; border-bottom: 1px solid var(--line); z-index: 1; }
#filters label { margin-right: .6rem; white-space: nowrap; }
.cluster { border: 1px solid var(--line); border-radius: 10px; padding: .8rem 1rem; margin: 1rem 0; }
.cluster[hidden], tr[hidden] { display: none; }
table { border-collapse: collapse; width: 100%; margin-top: .5rem; }
th, td { text-align: left; padding: .35rem .45rem; border-top: 1px solid var(--line); vertical-align: top; }
th { font-size: .8rem; color: var(--muted); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.verdict { font-size: .85rem; color: var(--muted); }
button { font: inherit; font-size: .85rem; padding: .15rem .6rem; border-radius: 6px;
  border: 1px solid var(--line); background: var(--soft); cursor: pointer; }
.side { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
.pane { border: 1px solid var(--line); border-radius: 8px; padding: .6rem .8rem; background: var(--soft);
  max-height: 28rem; overflow: auto; }
.text { white-space: pre-wrap; font-size: .9rem; }
mark { background: #fff3a3; }
#headline p { margin: .2rem 0; font-size: 1.05rem; }
#charts { display: flex; flex-wrap: wrap; gap: 1rem; }
.chart { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: .5rem .8rem; max-width: 100%; }
.chart figcaption { font-weight: 600; margin-bottom: .3rem; }
.chart svg { max-width: 100%; height: auto; font-size: 11px; fill: var(--fg); }
.chart-data { font-size: .85rem; }
@media (max-width: 800px) { .side { grid-template-columns: 1fr; } }
"""

SCRIPT = """
(function () {
  "use strict";
  var K = __SHINGLE_WORDS__;
  var dataEl = document.getElementById("copyhound-posts");
  var data = dataEl ? JSON.parse(dataEl.textContent || "{}") : {};
  var texts = data.texts || [], postText = data.post || {};
  function textOf(postId) {
    var i = postText[postId];
    return typeof i === "number" ? texts[i] : undefined;
  }
  var WORD = /[\\p{L}\\p{N}]+/gu;

  function tokens(text) {
    var out = [], m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text)) !== null) {
      out.push({ w: m[0].toLowerCase(), s: m.index, e: m.index + m[0].length });
    }
    return out;
  }
  function shingles(toks) {
    var set = new Set(), k = Math.min(K, toks.length);
    for (var i = 0; i + k <= toks.length && k > 0; i++) {
      set.add(toks.slice(i, i + k).map(function (t) { return t.w; }).join(" "));
    }
    return set;
  }
  // Marks every word of `text` that starts or continues a K-word run also in `other`.
  function render(target, text, other) {
    var toks = tokens(text), k = Math.min(K, toks.length), marked = new Array(toks.length);
    for (var i = 0; i + k <= toks.length && k > 0; i++) {
      var sh = toks.slice(i, i + k).map(function (t) { return t.w; }).join(" ");
      if (other.has(sh)) { for (var j = i; j < i + k; j++) { marked[j] = true; } }
    }
    target.textContent = "";
    var pos = 0, shared = 0, n = 0;
    while (n < toks.length) {
      if (!marked[n]) { n++; continue; }
      var start = n;
      while (n < toks.length && marked[n]) { n++; }
      var s = toks[start].s, e = toks[n - 1].e;
      target.appendChild(document.createTextNode(text.slice(pos, s)));
      var mk = document.createElement("mark");
      mk.textContent = text.slice(s, e);
      target.appendChild(mk);
      shared += n - start;
      pos = e;
    }
    target.appendChild(document.createTextNode(text.slice(pos)));
    return toks.length ? shared / toks.length : 0;
  }
  function compare(row) {
    var view = row.nextElementSibling;
    if (!view || !view.classList.contains("compare-row")) { return; }
    var open = view.hidden;
    view.hidden = !open;
    row.querySelector("button.compare").setAttribute("aria-expanded", open ? "true" : "false");
    if (!open || view.dataset.ready) { return; }
    var a = textOf(row.dataset.canonPost), b = textOf(row.dataset.copyPost);
    var panes = view.querySelectorAll(".text");
    if (typeof a !== "string" || typeof b !== "string") {
      panes[0].textContent = "(text not stored)";
      return;
    }
    var fa = render(panes[0], a, shingles(tokens(b)));
    var fb = render(panes[1], b, shingles(tokens(a)));
    view.querySelector(".share-a").textContent = Math.round(fa * 100) + "% shared";
    view.querySelector(".share-b").textContent = Math.round(fb * 100) + "% shared";
    view.dataset.ready = "1";
  }
  function checked(name) {
    return Array.prototype.map.call(
      document.querySelectorAll("input[name=" + name + "]:checked"), function (i) { return i.value; });
  }
  function apply() {
    var st = checked("status"), rel = checked("relation");
    var hostSel = document.getElementById("f-host"), host = hostSel ? hostSel.value : "";
    var shown = 0;
    document.querySelectorAll(".cluster").forEach(function (cl) {
      var visible = 0;
      cl.querySelectorAll("tr.copy").forEach(function (tr) {
        var ok = st.indexOf(tr.dataset.status) >= 0 && rel.indexOf(tr.dataset.relation) >= 0 &&
          (!host || tr.dataset.host === host);
        tr.hidden = !ok;
        var view = tr.nextElementSibling;
        if (!ok && view && view.classList.contains("compare-row")) { view.hidden = true; }
        if (ok) { visible++; }
      });
      cl.hidden = visible === 0;
      shown += visible;
    });
    var count = document.getElementById("shown");
    if (count) { count.textContent = String(shown); }
  }
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest ? ev.target.closest("button.compare") : null;
    if (btn) { compare(btn.closest("tr")); }
  });
  document.querySelectorAll("#filters input, #filters select").forEach(function (el) {
    el.addEventListener("change", apply);
  });
  // A status card in the summary shows only the copies with that status.
  document.querySelectorAll("#by-status li[data-status]").forEach(function (card) {
    card.addEventListener("click", function () {
      document.querySelectorAll("input[name=status]").forEach(function (i) {
        i.checked = i.value === card.dataset.status;
      });
      apply();
    });
  });
  var reset = document.getElementById("f-reset");
  if (reset) {
    reset.addEventListener("click", function () {
      document.querySelectorAll("#filters input").forEach(function (i) { i.checked = true; });
      var h = document.getElementById("f-host"); if (h) { h.value = ""; }
      apply();
    });
  }
  apply();
})();
""".replace("__SHINGLE_WORDS__", str(SHINGLE_WORDS))


def csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


# No network at all (default-src 'none'), only our own script and style.
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; script-src {csp_hash(SCRIPT)}; style-src {csp_hash(STYLE)}; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)

__all__ = ["CONTENT_SECURITY_POLICY", "SCRIPT", "SHINGLE_WORDS", "STYLE"]
