"""The hunt's pre-filter (dedupe/match/prefilter.py) drops no record that the
one-page-at-a-time pre-filter it replaced let through.

`_reference` is that pre-filter, kept here frozen: tags stripped by regex,
the page's text shingled alone, its distinct sampled shingles looked up in
the own posts' samples (recomputed here from the own texts, not taken from
the index). Pages: copies of every kind (exact, near, contains, a 60-word
excerpt inside a big page), Japanese and Chinese posts, unrelated pages, and
hostile bodies (unclosed script, bad UTF-8, no tags at all, empty)."""

from __future__ import annotations

import dataclasses
import random
import re
from functools import cache

import numpy as np
import pytest

from copyhound.commands.hunt import HuntCounts, holds_own_post, verdicts
from copyhound.crawler.warc import WarcPage
from copyhound.dedupe.match.own_index import OwnIndex
from copyhound.dedupe.match.params import DEFAULT_PARAMS
from copyhound.dedupe.match.prefilter import bodies_may_hold
from copyhound.dedupe.match.shingles import shingle_hashes

_OLD_TAGS = re.compile(rb"<script\b.*?</script>|<style\b.*?</style>|<[^>]*>", re.IGNORECASE | re.DOTALL)
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_KANA = "".join(chr(c) for c in range(0x3042, 0x3094))
_HAN = "".join(chr(c) for c in range(0x4E00, 0x4F00))


def _own_samples(texts: list[str]) -> set[int]:
    p = DEFAULT_PARAMS
    return {h for t in texts for h in shingle_hashes(t, p.shingle_size).tolist() if h % p.sample_rate == 0}


def _reference(own_samples: set[int], body: bytes) -> bool:
    p = DEFAULT_PARAMS
    text = _OLD_TAGS.sub(b" ", body).decode("utf-8", "replace")
    mine = {h for h in shingle_hashes(text, p.shingle_size).tolist() if h % p.sample_rate == 0}
    return len(mine & own_samples) >= p.min_shared_samples


def _words(rng: random.Random, n: int) -> str:
    return " ".join("".join(rng.choice(_LETTERS) for _ in range(rng.randint(2, 9))) for _ in range(n))


def _cjk(rng: random.Random, n: int, alphabet: str) -> str:
    # sentences of 10-40 characters: punctuation ends runs, as in real text
    return "".join("".join(rng.choice(alphabet) for _ in range(rng.randint(10, 40))) + "。" for _ in range(n))


def _html(body_text: str, title: str = "A post") -> bytes:
    paras = "".join(f"<p class='x'>{body_text[k:k + 300]}</p>\n" for k in range(0, len(body_text), 300))
    return (f"<!doctype html><html><head><title>{title}</title><style>p {{ color: red }}</style></head>"
            f"<body><nav><a href='/'>Home</a> <a href='/about/'>About</a></nav><main>{paras}</main>"
            f"<script>var x = '<b>' + 1;</script><footer>Copyright</footer></body></html>").encode()


@cache  # built once for all tests, never changed by them
def _corpus() -> tuple[list[str], list[tuple[str, bytes]]]:
    rng = random.Random(12)
    own = [_words(rng, rng.randint(80, 400)) for _ in range(40)]
    own += [_cjk(rng, 12, _KANA + _HAN), _cjk(rng, 10, _HAN)]
    ja, zh = own[-2], own[-1]
    near = own[3].split()
    near[::25] = ["edited"] * len(near[::25])
    excerpt = " ".join(own[5].split()[20:80])  # 60 words
    cases: list[tuple[str, bytes]] = [
        ("exact", _html(own[0])),
        ("near", _html(" ".join(near))),
        ("contains", _html(_words(rng, 300) + " " + own[7] + " " + _words(rng, 300))),
        ("excerpt in a big page", _html(_words(rng, 6000) + " " + excerpt + " " + _words(rng, 6000))),
        ("japanese copy", _html(ja)),
        ("chinese excerpt", _html(_cjk(rng, 30, _HAN) + zh[: len(zh) // 2] + _cjk(rng, 30, _HAN))),
        ("post split by inline tags", _html(own[9].replace(" ", " <b></b>", 40))),
        ("post in a script only", _html(_words(rng, 200)).replace(b"var x", own[11].encode() + b" var x")),
        ("unclosed script", _html(own[13]).replace(b"</script>", b"")),
        ("bad utf-8", _html(own[15]).replace(b"<main>", b"<main>\xff\xfe\xc3")),
        ("no tags", own[17].encode()),
        ("latin-1 body", _html(own[19] + " caf\xe9").decode().encode("latin-1")),
        ("empty", b""),
        ("tags only", b"<html><body><div></div></body></html>"),
        ("short", _html("just four words here")),
        ("copy served as a 404", _html(own[21])),
    ]
    # around the threshold: quotes of 5-70 words share 0 to ~8 sampled shingles
    cases += [(f"quote of {k} words", _html(_words(rng, 200) + " " + " ".join(own[k % 40].split()[:k]) + " "
                                             + _words(rng, 200))) for k in range(5, 70, 2)]
    # the same quote twice: a shared sample counts once
    cases += [(f"quote of {k} words twice", _html(" ".join(own[k].split()[:k]) + " " + _words(rng, 100) + " "
                                                   + " ".join(own[k].split()[:k]))) for k in range(5, 30, 2)]
    cases += [(f"unrelated {i}", _html(_words(rng, rng.randint(20, 2000)))) for i in range(60)]
    cases += [(f"unrelated cjk {i}", _html(_cjk(rng, 40, _KANA + _HAN))) for i in range(10)]
    return own, cases


@pytest.mark.parametrize("batch", [1, 3, 64, 1000])
def test_the_batched_prefilter_passes_exactly_what_the_old_one_did(batch: int) -> None:
    own, cases = _corpus()
    index, samples = OwnIndex(own), _own_samples(own)
    bodies = [b for _, b in cases]
    got = np.concatenate([bodies_may_hold(index, bodies[i : i + batch]) for i in range(0, len(bodies), batch)])
    want = [_reference(samples, b) for b in bodies]
    assert [(name, bool(g)) for (name, _), g in zip(cases, got, strict=True)] == list(
        zip([n for n, _ in cases], want, strict=True)
    )


def test_every_kind_of_copy_passes_and_unrelated_pages_do_not() -> None:
    own, cases = _corpus()
    passed = dict(zip([n for n, _ in cases], bodies_may_hold(OwnIndex(own), [b for _, b in cases]).tolist(),
                      strict=True))
    copies = ["exact", "near", "contains", "excerpt in a big page", "japanese copy", "chinese excerpt",
              "post split by inline tags", "unclosed script", "bad utf-8", "no tags", "latin-1 body"]
    assert {n: passed[n] for n in copies} == dict.fromkeys(copies, True)
    assert not any(v for n, v in passed.items() if n.startswith("unrelated") or n in ("empty", "tags only", "short"))


def test_the_hunt_over_a_batch_keeps_what_it_keeps_one_record_at_a_time() -> None:
    own, cases = _corpus()
    index = OwnIndex(own)
    pages = [WarcPage(source="x.warc", offset=i, record_id=f"<urn:{i}>", url=f"http://copy{i}.test/p/{i}",
                      warc_date="2024-01-01T00:00:00Z", status=404 if name.endswith("404") else 200,
                      headers={"content-type": "text/html; charset=utf-8"}, body=body,
                      content_type="text/html; charset=utf-8")
             for i, (name, body) in enumerate(cases)]
    one, many = HuntCounts(), HuntCounts()
    singly = [p for p in pages if holds_own_post(p, index, lambda _url: False, one)]
    batched = [v.page for v in verdicts(pages, index, lambda _url: False, many) if v.holds_own_post]
    assert [p.offset for p in batched] == [p.offset for p in singly]
    assert (many.prefiltered, many.extracted) == (one.prefiltered, one.extracted)
    assert {cases[p.offset][0] for p in batched} >= {"exact", "near", "contains", "japanese copy"}
    assert not any(cases[p.offset][0].startswith("unrelated") or p.status != 200 for p in batched)


def test_posts_verified_together_score_as_one_at_a_time() -> None:
    own, _ = _corpus()
    index = OwnIndex(own)
    rng = random.Random(3)
    edited = own[4].split()
    edited[::9] = ["edited"] * len(edited[::9])
    texts = [own[1], " ".join(own[2].split()[10:90]), _words(rng, 300) + " " + own[6], " ".join(edited),
             own[-2], _words(rng, 200), "", " ".join(own[8].split()[:40])]
    one = [index.best_match([t]) for t in texts]
    assert index.best_matches(texts) == one
    assert index.best_match(texts) == max(one) == 1.0
    assert one[5] == 0.0 and one[2] >= DEFAULT_PARAMS.contains_threshold


def test_with_no_shared_sample_required_any_page_with_a_sample_passes() -> None:
    own, _ = _corpus()
    index = OwnIndex(own, dataclasses.replace(DEFAULT_PARAMS, min_shared_samples=0))
    texts = ["", "four words only here", _words(random.Random(5), 400), own[0]]
    one_by_one = []
    for t in texts:  # the old rule: at least one sampled shingle, and at least 0 shared
        h = shingle_hashes(t, DEFAULT_PARAMS.shingle_size)
        one_by_one.append(bool((h % DEFAULT_PARAMS.sample_rate == 0).any()))
    assert index.may_hold_many(texts).tolist() == one_by_one
    assert one_by_one[2:] == [True, True]
