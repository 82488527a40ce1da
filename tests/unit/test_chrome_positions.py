"""Site chrome sits beside *different* posts, at a post's start or end. A
post's own text never is chrome, however often listings repeat it: a short
post shown in full on every archive, an excerpt on the home and tag pages,
a quotation shared by a few posts, a post's last paragraph."""

from __future__ import annotations

from copyhound.dedupe.extract.sitechrome import learn_chrome_by_host, normalise_block, strip_chrome

HOST = "blog.example"
SIGNUP = "Join 2,000 readers: get every new post by email."
NOUNS = ["harbor", "lantern", "market", "orchard", "ferry", "bridge", "miller",
         "canal", "meadow", "kettle", "engine", "valley", "river", "tailor"]


def _para(seed: int, words: int) -> str:
    # letters only (chrome learning folds digits); the seed's two-letter tag makes paragraphs distinct
    tag = chr(97 + seed // 26 % 26) + chr(97 + seed % 26)
    ends = "xyzw"
    return " ".join(f"{NOUNS[(seed * 7 + i * 3) % len(NOUNS)]}{ends[(seed + i) % 4]}{tag}" for i in range(words)) + "."


def _learn(pages: list[list[str]]) -> frozenset[str]:
    learned = learn_chrome_by_host((HOST, texts) for texts in pages)
    return learned[HOST].blocks if HOST in learned else frozenset()


def _post(*paras: str) -> str:
    return "\n\n".join(paras)


def test_signup_line_beside_every_post_is_still_chrome() -> None:
    posts = [_post(_para(n, 40), _para(n + 50, 30)) for n in range(6)]
    singles = [[p + "\n\n" + SIGNUP] for p in posts]
    archives = [[posts[a] + "\n\n" + SIGNUP, posts[b] + "\n\n" + SIGNUP] for a, b in [(0, 1), (2, 3), (4, 5)]]
    assert _learn([*singles, *archives]) == {normalise_block(SIGNUP)}


def test_short_post_shown_in_full_on_listings_is_not_chrome() -> None:
    short = _para(1, 45)  # a 45-word post: on its page alone, in full on the home page and three archives
    others = [_post(_para(n, 60), _para(n + 50, 40)) for n in range(2, 10)]
    pages = [[short], *([short, others[i], others[i + 1]] for i in range(0, 8, 2))]
    pages += [[o] for o in others]
    assert _learn(pages) == frozenset()


def test_excerpt_ending_in_a_cut_paragraph_is_not_chrome() -> None:
    # the excerpt: the first paragraph whole and the second cut off ("… some words …")
    first, second = _para(3, 50), _para(4, 40)
    cut = " ".join(second.split()[:4]) + " …"
    others = [_post(_para(n, 60), _para(n + 50, 40)) for n in range(10, 18)]
    pages = [[_post(first, second)], [_post(first, second), others[0]]]  # its page, a full archive
    pages += [[others[i], _post(first, cut), others[i + 1]] for i in range(0, 8, 2)]  # home, tags: the excerpt
    assert _learn(pages) == frozenset()


def test_quotation_shared_by_a_few_posts_is_not_chrome() -> None:
    quote = _para(5, 30)
    posts = [_post(_para(n, 50), quote, _para(n + 50, 50)) for n in range(20, 24)]
    pages = [[p] for p in posts] + [[posts[0], posts[1]], [posts[2], posts[3]]]
    learned = _learn(pages)
    assert learned == frozenset()
    assert strip_chrome(posts[0], None) == posts[0]


def test_last_paragraph_of_one_post_is_not_chrome() -> None:
    # a post whose opening is also the excerpt on listings: its last paragraph
    # recurs on its page and two archives only, always after the same paragraph
    opening, last = _para(6, 60), _para(7, 15)
    others = [_post(_para(n, 60), _para(n + 50, 40)) for n in range(30, 36)]
    pages = [[_post(opening, last)], [others[0], _post(opening, last)], [others[1], _post(opening, last)]]
    pages += [[opening, others[i]] for i in range(2, 6)]
    assert _learn(pages) == frozenset()
