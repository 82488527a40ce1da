#!/usr/bin/env python3
"""Write the benchmark's own posts (seeded, deterministic): posts.json + syndication.json.

Every word comes from the small word lists below (written for this benchmark),
combined by sentence templates; no text is taken from any site. The set has
>= 60 posts of 30..3,000 words in six languages, categories, tags, authors and
dates, some with a `<!--more-->` teaser marker (some teasers under 60 words,
some longer excerpts), and some sharing one of a few quotation paragraphs
(placed mid-post, never first, so every post still opens with its own text).

    python make_posts.py [--n 64] [--seed 14] [--out DIR]
"""

# ruff: noqa: SIM905  (word lists read best as one string)
from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

LANGS = {
    "en": {
        "det": ["the", "a", "every", "one", "this", "that", "each", "some"],
        "adj": "quiet narrow golden restless early patient wooden hidden northern bright humble crooked silver distant "
        "heavy gentle stubborn hollow careful sudden ancient tired clever swollen windy".split(),
        "noun": "harbor lantern market orchard ferry bridge miller canal clockmaker meadow ledger kettle staircase "
        "workshop lighthouse pigeon baker engine valley quarry river tailor archive compass wagon chimney glacier "
        "printer barn ladder harvest".split(),
        "verb": "keeps follows repairs watches carries measures paints borrows gathers sketches ignores counts "
        "remembers questions builds trades polishes lifts".split(),
        "prep": ["near", "behind", "under", "beside", "across", "beyond", "inside", "after"],
        "end": ".",
        "join": " ",
    },
    "de": {
        "det": ["der", "ein", "jeder", "dieser", "mancher", "unser"],
        "adj": "stille schmale goldene unruhige geduldige hölzerne verborgene nördliche helle bescheidene krumme "
        "silberne ferne schwere sanfte störrische müde kluge".split(),
        "noun": "Hafen Laterne Markt Obstgarten Fähre Brücke Müller Kanal Uhrmacher Wiese Kessel Werkstatt "
        "Leuchtturm Bäcker Motor Steinbruch Fluss Schneider Kompass Wagen Schornstein Gletscher Drucker".split(),
        "verb": "bewahrt folgt repariert beobachtet trägt misst malt sammelt zeichnet zählt baut poliert hebt".split(),
        "prep": ["neben", "hinter", "unter", "über", "jenseits", "vor"],
        "end": ".",
        "join": " ",
    },
    "fr": {
        "det": ["le", "un", "chaque", "ce", "notre", "quelque"],
        "adj": "calme étroit doré inquiet patient boisé caché nordique clair humble tordu argenté lointain lourd "
        "doux têtu fatigué habile".split(),
        "noun": "port lanterne marché verger bac pont meunier canal horloger pré chaudron atelier phare boulanger "
        "moteur vallon fleuve tailleur compas chariot glacier imprimeur grenier".split(),
        "verb": "garde suit répare observe porte mesure peint rassemble dessine compte construit polit soulève".split(),
        "prep": ["près de", "derrière", "sous", "à côté de", "au-delà de", "dans"],
        "end": ".",
        "join": " ",
    },
    "es": {
        "det": ["el", "un", "cada", "este", "aquel", "nuestro"],
        "adj": "tranquilo estrecho dorado inquieto paciente escondido norteño claro humilde torcido plateado lejano "
        "pesado suave terco cansado listo".split(),
        "noun": "puerto farol mercado huerto transbordador puente molinero canal relojero prado caldero taller faro "
        "panadero motor valle río sastre compás carro glaciar impresor granero".split(),
        "verb": "guarda sigue repara observa lleva mide pinta reúne dibuja cuenta construye pule levanta".split(),
        "prep": ["cerca del", "detrás del", "bajo el", "junto al", "más allá del", "dentro del"],
        "end": ".",
        "join": " ",
    },
    "ru": {
        "det": ["этот", "каждый", "наш", "тот", "один", "старый"],
        "adj": "тихий узкий золотой беспокойный терпеливый деревянный скрытый северный светлый скромный кривой "
        "серебряный далёкий тяжёлый мягкий упрямый усталый".split(),
        "noun": "порт фонарь рынок сад паром мост мельник канал часовщик луг котёл мастер маяк пекарь мотор "
        "карьер портной компас вагон ледник печатник амбар".split(),
        "verb": "хранит чинит наблюдает несёт измеряет рисует собирает считает строит полирует поднимает".split(),
        "prep": ["возле", "за", "под", "рядом с", "после", "внутри"],
        "end": ".",
        "join": " ",
    },
    "ja": {
        "det": ["その", "この", "あの", "ある", "どの"],
        "adj": "静かな 細い 金色の 落ち着かない 辛抱強い 木の 隠れた 北の 明るい 控えめな 曲がった 銀の 遠い 重い "
        "優しい 頑固な 疲れた 賢い".split(),
        "noun": "港 灯籠 市場 果樹園 渡し船 橋 粉屋 運河 時計職人 草原 やかん 工房 灯台 パン屋 機関 谷 川 "
        "仕立屋 羅針盤 荷車 煙突 氷河 印刷屋 納屋".split(),
        "verb": "を守る を追う を直す を見守る を運ぶ を測る を描く を集める を数える を建てる を磨く".split(),
        "prep": ["のそばで", "の後ろで", "の下で", "の向こうで", "の中で"],
        "end": "。",
        "join": "",
    },
}
LANG_PLAN = ["en"] * 28 + ["de"] * 8 + ["fr"] * 8 + ["es"] * 8 + ["ru"] * 6 + ["ja"] * 6
CATEGORIES = ["harbor-notes", "workshop", "travel", "archive", "field-reports"]
TAGS = ["bridges", "lanterns", "rivers", "markets", "engines", "maps", "weather", "bread", "clocks", "ferries",
        "glaciers", "printing"]
AUTHORS = [("ada", "Ada Lindqvist"), ("bruno", "Bruno Okafor"), ("chiyo", "Chiyo Marsh")]
# Fixed lengths near the thresholds the targets name (50 and 60 words), then log-spread up to 3,000.
FIXED_LENGTHS = [30, 34, 41, 47, 49, 50, 52, 57, 59, 60, 61, 66, 75, 90, 3000, 2400]


def sentence(rng: random.Random, L: dict) -> list[str]:
    """One sentence as a list of words (the word count is len())."""
    if L["join"] == "":  # Japanese: det adj noun が det adj noun を-verb prep-noun
        w = [rng.choice(L["det"]), rng.choice(L["adj"]), rng.choice(L["noun"]) + "が",
             rng.choice(L["noun"]) + rng.choice(L["prep"]), rng.choice(L["adj"]),
             rng.choice(L["noun"]) + rng.choice(L["verb"])]
        return w
    w = [rng.choice(L["det"]), rng.choice(L["adj"]), rng.choice(L["noun"]), rng.choice(L["verb"]),
         rng.choice(L["det"]), rng.choice(L["noun"])]
    if rng.random() < 0.7:
        w += [*rng.choice(L["prep"]).split(), rng.choice(L["det"]), rng.choice(L["adj"]), rng.choice(L["noun"])]
    if rng.random() < 0.3:
        w += [rng.choice(L["adj"]), rng.choice(L["noun"])]
    return w


def render(sentences: list[list[str]], L: dict) -> str:
    out = []
    for s in sentences:
        text = L["join"].join(s) + L["end"]
        out.append(text[0].upper() + text[1:])
    return (" " if L["join"] else "").join(out)


def paragraphs(rng: random.Random, L: dict, n_words: int) -> list[tuple[str, int]]:
    """Paragraphs of ~30..110 words totalling exactly n_words (the last sentence is cut to fit)."""
    paras: list[tuple[str, int]] = []
    left = n_words
    while left > 0:
        target = min(left, rng.randint(30, 110))
        if left - target < 15:
            target = left
        sents, count = [], 0
        while count < target:
            s = sentence(rng, L)
            s = s[: target - count] if count + len(s) > target else s
            sents.append(s)
            count += len(s)
        paras.append((render(sents, L), count))
        left -= count
    return paras


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=64)
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    langs = (LANG_PLAN * (args.n // len(LANG_PLAN) + 1))[: args.n]
    rng.shuffle(langs)
    lengths = FIXED_LENGTHS[: args.n] + [
        round(30 * (100 ** rng.random())) for _ in range(max(0, args.n - len(FIXED_LENGTHS)))
    ]
    rng.shuffle(lengths)
    # Quotations: four paragraphs of ~45 words each, shared by 3..4 posts (never as first paragraph).
    qrng = random.Random(args.seed + 1)
    quotes = [paragraphs(qrng, LANGS["en"], 45)[0][0] for _ in range(4)]
    quote_users = {}
    long_ids = [i for i in range(args.n) if lengths[i] >= 120 and langs[i] in ("en", "de", "fr", "es")]
    rng.shuffle(long_ids)
    for qi in range(4):
        for pid in long_ids[qi * 3 : qi * 3 + 3 + (qi % 2)]:
            quote_users[pid] = qi
    posts = []
    for i in range(args.n):
        L = LANGS[langs[i]]
        prng = random.Random(args.seed * 1000 + i)
        paras = paragraphs(prng, L, lengths[i])
        body = [p for p, _ in paras]
        if i in quote_users:
            q = quotes[quote_users[i]]
            body.insert(1 + prng.randrange(len(body) - 1) if len(body) > 1 else 1, "> " + q)
        # Teaser marker on every third post: after the first paragraph (often < 60 words: a teaser)
        # or after the second (usually >= 60 words: an excerpt).
        more_after = None
        if i % 3 == 0 and len(body) >= 2 and not body[1].startswith("> "):
            more_after = 2 if (i % 2 and len(body) >= 3 and not body[2].startswith("> ")) else 1
            body.insert(more_after, "<!--more-->")
        title_words = sentence(prng, L)[:4]
        title = (L["join"].join(title_words)).capitalize() if L["join"] else L["join"].join(title_words)
        title = f"{title} {i + 1}"
        month = 1 + (i * 7) % 24
        ymd = f"{2023 + (month - 1) // 12}-{(month - 1) % 12 + 1:02d}-{1 + (i * 11) % 27:02d}"
        date = f"{ymd}T{8 + i % 10:02d}:{(i * 13) % 60:02d}:00+00:00"
        author = AUTHORS[i % 3]
        cats = [CATEGORIES[i % len(CATEGORIES)]]
        tags = {TAGS[(i * 5) % len(TAGS)], TAGS[(i * 7 + 3) % len(TAGS)]}
        tags = sorted(tags | ({TAGS[i % 12]} if i % 4 == 0 else set()))
        words = sum(n for _, n in paras) + (45 if i in quote_users else 0)
        teaser_words = sum(n for _, n in paras[:more_after]) if more_after else None
        posts.append({
            "id": i + 1, "slug": f"post-{i + 1:02d}-{langs[i]}", "lang": langs[i], "title": title,
            "author": author[0], "author_name": author[1], "date": date, "categories": cats, "tags": tags,
            "words": words, "teaser_words": teaser_words, "quote": quote_users.get(i),
            "body": "\n\n".join(body) + "\n",
        })
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "posts.json").write_text(json.dumps(posts, ensure_ascii=False, indent=1) + "\n")
    # Syndication plan: a republisher (rel=canonical back / noindex / attribution link only)
    # and a copier (no canonical / an earlier datePublished). Posts of >= 50 words only.
    pool = [p["id"] for p in posts if p["words"] >= 50]
    srng = random.Random(args.seed + 2)
    srng.shuffle(pool)
    plan = {
        "republisher": {"canonical": pool[0:6], "noindex": pool[6:12], "attribution": pool[12:18]},
        "copier": {"no-canonical": pool[18:24], "earlier-date": pool[24:30]},
    }
    (args.out / "syndication.json").write_text(json.dumps(plan, indent=1) + "\n")
    print(f"{len(posts)} posts, {sum(p['words'] for p in posts)} words; lengths {min(lengths)}..{max(lengths)}")


if __name__ == "__main__":
    main()
