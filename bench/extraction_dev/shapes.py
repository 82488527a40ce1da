# ruff: noqa: E501  (HTML and phrase literals read better unbroken)
"""Page shapes written for the development set: one post's text in a container
or beside chrome that extractors get wrong. Each shape returns (html, gold).

Gold decisions (what a reader calls the post's text):
  in:  paragraphs, list items, table cells, code/pre, footnotes, quotations in
       the post, an embedded tweet's text, text whose only copy is in <noscript>
       or <template>;
  out: title, byline/date line, comments, related-post blocks, share bars,
       cookie and newsletter boxes, ads, menus, footers, and image captions with
       their credits (media furniture: copies of a post swap pictures and
       credits; the ScrapingHub gold leaves most of them out too).
"""

from __future__ import annotations

import html as _html
from collections.abc import Callable
from dataclasses import dataclass

from phrases import PHRASES


def esc(s: str) -> str:
    return _html.escape(s, quote=False)


@dataclass
class Ctx:
    lang: str
    title: str
    paras: list[str]  # the post's paragraphs: the gold
    other: list[str]  # paragraphs of other posts in the same language (chrome prose)

    @property
    def ph(self) -> dict[str, str]:
        return PHRASES[self.lang]


def sentences(text: str, n: int) -> str:
    """The first n sentences of a paragraph (any script: split on . and 。)."""
    out, cur = [], ""
    for ch in text:
        cur += ch
        if ch in ".。!?" and cur.strip():
            out.append(cur.strip())
            cur = ""
        if len(out) >= n:
            break
    return " ".join(out) or text


def nav(ph: dict[str, str]) -> str:
    items = "".join(f'<li><a href="/{k}/">{esc(ph[k])}</a></li>' for k in ("home", "archive", "about", "contact"))
    return f'<header class="site-header"><div class="logo"><a href="/">Harbor Notes</a></div><nav><ul>{items}</ul></nav></header>'


def footer(ph: dict[str, str]) -> str:
    return f'<footer class="site-footer"><p>© 2024 Harbor Notes. {esc(ph["rights"])}</p><a href="/about/">{esc(ph["about"])}</a></footer>'


def sidebar(c: Ctx) -> str:
    links = "".join(f'<li><a href="/p/{i}/">{esc(sentences(t, 1)[:60])}</a></li>' for i, t in enumerate(c.other[:5]))
    return f'<aside class="sidebar"><h3>{esc(c.ph["archive"])}</h3><ul>{links}</ul><div class="newsletter"><p>{esc(c.ph["newsletter"])}</p></div></aside>'


def page(c: Ctx, main: str, *, extra_top: str = "", wrap: bool = True) -> str:
    head = f'<!doctype html><html lang="{c.lang}"><head><meta charset="utf-8"><title>{esc(c.title)} | Harbor Notes</title></head><body>'
    if not wrap:
        return head + extra_top + main + "</body></html>"
    return (
        head
        + extra_top
        + nav(c.ph)
        + f'<div class="wrap"><main id="main">{main}</main>{sidebar(c)}</div>'
        + footer(c.ph)
        + "</body></html>"
    )


def ps(paras: list[str]) -> str:
    return "".join(f"<p>{esc(p)}</p>" for p in paras)


def article(c: Ctx, body: str, before: str = "", after: str = "") -> str:
    return f'<article class="post"><h1 class="entry-title">{esc(c.title)}</h1>{before}<div class="entry-content">{body}</div>{after}</article>'


def byline(c: Ctx) -> str:
    return f'<div class="byline">{esc(c.ph["by"])} <a href="/author/ada/">Ada Lindqvist</a> · <time datetime="2024-03-02">2024-03-02</time></div>'


def share_bar(c: Ctx) -> str:
    nets = "".join(
        f'<li><a href="https://{n}.example/share?u=x">{n}</a></li>'
        for n in ("facebook", "twitter", "linkedin", "email")
    )
    return f'<div class="share-bar"><span>{esc(c.ph["share"])}</span><ul>{nets}</ul></div>'


def comments(c: Ctx) -> str:
    items = "".join(
        f'<li class="comment"><div class="comment-author">Reader {i}</div><div class="comment-body"><p>{esc(sentences(t, 3))}</p></div><a class="reply" href="#r{i}">{esc(c.ph["reply"])}</a></li>'
        for i, t in enumerate(c.other[1:4])
    )
    return f'<section id="comments" class="comments-area"><h2>{esc(c.ph["comments"])} (3)</h2><ol class="comment-list">{items}</ol></section>'


def related(c: Ctx) -> str:
    cards = "".join(
        f'<div class="card"><h3><a href="/r/{i}/">{esc(sentences(t, 1)[:70])}</a></h3><p>{esc(sentences(t, 2))}</p><a href="/r/{i}/">{esc(c.ph["read_more"])}</a></div>'
        for i, t in enumerate(c.other[2:5])
    )
    return f'<section class="related-posts"><h2>{esc(c.ph["related"])}</h2>{cards}</section>'


def cookie(c: Ctx) -> str:
    return f'<div id="cookie-consent" class="cookie-banner"><p>{esc(c.ph["cookie"])}</p><button>{esc(c.ph["accept"])}</button></div>'


def ad(c: Ctx, i: int) -> str:
    return f'<div class="ad-slot ad"><span>{esc(c.ph["ad"])}</span><a href="https://ads.example/{i}"><img src="/ad{i}.png" alt=""></a></div>'


# ---- shapes ---------------------------------------------------------------

Shape = Callable[[Ctx], tuple[str, list[str]]]


def s_comments(c: Ctx) -> tuple[str, list[str]]:
    return page(c, article(c, ps(c.paras), byline(c), comments(c))), c.paras


def s_related(c: Ctx) -> tuple[str, list[str]]:
    return page(c, article(c, ps(c.paras), byline(c)) + related(c)), c.paras


def s_cookie(c: Ctx) -> tuple[str, list[str]]:
    return page(c, article(c, ps(c.paras)), extra_top=cookie(c)), c.paras


def s_share(c: Ctx) -> tuple[str, list[str]]:
    return page(c, article(c, ps(c.paras), share_bar(c), share_bar(c))), c.paras


def s_quote(c: Ctx) -> tuple[str, list[str]]:
    q = sentences(c.other[0], 2)
    body = ps(c.paras[:1]) + f"<blockquote><p>{esc(q)}</p></blockquote>" + ps(c.paras[1:])
    return page(c, article(c, body)), [c.paras[0], q, *c.paras[1:]]


def s_caption(c: Ctx) -> tuple[str, list[str]]:
    cap = sentences(c.other[0], 1) + f" {c.ph['photo']}: Ada Lindqvist"
    fig = (
        f'<figure class="wp-block-image"><img src="/img/harbor.jpg" alt=""><figcaption>{esc(cap)}</figcaption></figure>'
    )
    return page(c, article(c, ps(c.paras[:1]) + fig + ps(c.paras[1:]))), c.paras


def s_table(c: Ctx) -> tuple[str, list[str]]:
    cells = [sentences(t, 1) for t in c.other[:4]]
    rows = "".join(f"<tr><td>{i + 1}</td><td>{esc(t)}</td></tr>" for i, t in enumerate(cells))
    body = ps(c.paras[:1]) + f"<table><tbody>{rows}</tbody></table>" + ps(c.paras[1:])
    gold = [c.paras[0], *(f"{i + 1} {t}" for i, t in enumerate(cells)), *c.paras[1:]]
    return page(c, article(c, body)), gold


def s_list(c: Ctx) -> tuple[str, list[str]]:
    items = [sentences(t, 1) for t in c.other[:4]]
    body = ps(c.paras[:1]) + "<ul>" + "".join(f"<li>{esc(t)}</li>" for t in items) + "</ul>" + ps(c.paras[1:])
    return page(c, article(c, body)), [c.paras[0], *items, *c.paras[1:]]


CODE = 'def harbor(ships):\n    """count the ships at rest"""\n    total = 0\n    for ship in ships:\n        if ship.moored:\n            total += 1\n    return total\n'


def s_code(c: Ctx) -> tuple[str, list[str]]:
    body = ps(c.paras[:1]) + f'<pre><code class="language-python">{esc(CODE)}</code></pre>' + ps(c.paras[1:])
    return page(c, article(c, body)), [c.paras[0], CODE, *c.paras[1:]]


def s_footnotes(c: Ctx) -> tuple[str, list[str]]:
    notes = [sentences(t, 1) for t in c.other[:2]]
    lis = "".join(f'<li id="fn{i + 1}"><p>{esc(n)} <a href="#fnref{i + 1}">↩</a></p></li>' for i, n in enumerate(notes))
    body = f'<p>{esc(c.paras[0])} <sup><a href="#fn1">1</a></sup></p>' + ps(c.paras[1:])
    body += f'<div class="footnotes"><hr><ol>{lis}</ol></div>'
    return page(c, article(c, body)), [c.paras[0] + " 1", *c.paras[1:], *notes]


def s_byline(c: Ctx) -> tuple[str, list[str]]:
    meta = byline(c) + '<div class="tags"><a href="/tag/a/">harbor</a> <a href="/tag/b/">canal</a></div>'
    return page(c, article(c, ps(c.paras), meta, meta)), c.paras


def s_divsoup(c: Ctx) -> tuple[str, list[str]]:
    body = "".join(f'<div class="x1"><div class="x2">{esc(p)}</div></div>' for p in c.paras)
    main = f'<div class="c"><div class="h">{esc(c.title)}</div><div class="t">{body}</div></div>'
    return page(c, main), c.paras


def s_br(c: Ctx) -> tuple[str, list[str]]:
    body = "<br><br>\n".join(esc(p) for p in c.paras)
    return page(c, f'<div class="content"><b>{esc(c.title)}</b><br><br>{body}</div>'), c.paras


def s_tablelayout(c: Ctx) -> tuple[str, list[str]]:
    navcell = "".join(f'<a href="/{k}/">{esc(c.ph[k])}</a><br>' for k in ("home", "archive", "about", "contact"))
    body = "<br><br>".join(esc(p) for p in c.paras)
    main = (
        '<table width="100%" border="0"><tr><td colspan="2"><font size="5">Harbor Notes</font></td></tr>'
        f'<tr><td width="150" valign="top">{navcell}</td><td valign="top"><font size="4"><b>{esc(c.title)}</b></font><br>{body}</td></tr>'
        f'<tr><td colspan="2"><small>{esc(c.ph["rights"])}</small></td></tr></table>'
    )
    return page(c, main, wrap=False), c.paras


def s_li(c: Ctx) -> tuple[str, list[str]]:
    lis = "".join(f"<li>{esc(p)}</li>" for p in c.paras)
    return page(c, article(c, f'<ol class="steps">{lis}</ol>')), c.paras


def s_ads(c: Ctx) -> tuple[str, list[str]]:
    parts = []
    for i, p in enumerate(c.paras):
        parts.append(f'<section class="chunk"><p>{esc(p)}</p></section>')
        parts.append(ad(c, i))
    return page(c, article(c, "".join(parts))), c.paras


def s_noscript(c: Ctx) -> tuple[str, list[str]]:
    main = f'<div id="app">Loading…</div><noscript><article><h1>{esc(c.title)}</h1>{ps(c.paras)}</article></noscript>'
    return page(c, main), c.paras


def s_template(c: Ctx) -> tuple[str, list[str]]:
    main = f'<div id="root"></div><template id="post-tpl"><article><h1>{esc(c.title)}</h1>{ps(c.paras)}</article></template>'
    return page(c, main), c.paras


def s_pre(c: Ctx) -> tuple[str, list[str]]:
    text = "\n\n".join(c.paras)
    return page(c, f"<h1>{esc(c.title)}</h1><pre>{esc(text)}</pre>"), c.paras


def s_tweet(c: Ctx) -> tuple[str, list[str]]:
    t = sentences(c.other[0], 1)
    tw = (
        f'<blockquote class="twitter-tweet"><p lang="{c.lang}" dir="ltr">{esc(t)}</p>'
        '&mdash; Harbor Watch (@harborwatch) <a href="https://twitter.com/harborwatch/status/1">March 2, 2024</a></blockquote>'
        '<script async src="https://platform.twitter.com/widgets.js"></script>'
    )
    return page(c, article(c, ps(c.paras[:1]) + tw + ps(c.paras[1:]))), [c.paras[0], t, *c.paras[1:]]


SHAPES: dict[str, Shape] = {
    "comments": s_comments,
    "related": s_related,
    "cookie": s_cookie,
    "share": s_share,
    "quote": s_quote,
    "caption": s_caption,
    "table": s_table,
    "list": s_list,
    "code": s_code,
    "footnotes": s_footnotes,
    "byline": s_byline,
    "divsoup": s_divsoup,
    "br": s_br,
    "tablelayout": s_tablelayout,
    "li": s_li,
    "ads": s_ads,
    "noscript": s_noscript,
    "template": s_template,
    "pre": s_pre,
    "tweet": s_tweet,
}
