"""`copyhound check` output: per URL given, what it is (the original, a copy
and how, or why it could not be checked), as text or JSON."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from copyhound.render import printable

if TYPE_CHECKING:  # the result type only: render/ never runs a command
    from copyhound.commands.check import CheckResult


def render_text(result: CheckResult) -> str:
    lines: list[str] = []
    where: dict[str, list[tuple[dict[str, Any], dict[str, Any] | None]]] = {}
    for cl in result.report["clusters"]:
        where.setdefault(cl["canonical"]["url"], []).append((cl, None))
        for c in cl["copies"]:
            where.setdefault(c["url"], []).append((cl, c))
    for url in result.urls:
        problem, final = result.fetch.get(url, ("not fetched", url))
        if problem:
            lines.append(f"{url}\n  could not be checked: {problem}")
            continue
        found = where.get(final, [])
        lines.append(url if final == url else f"{url}\n  redirected to {final}")
        if not found:
            lines.append("  shares no post with the other pages given")
            continue
        for cl, c in found:
            if c is None:
                who = "your post" if cl.get("own_post") else "the original"
                n = len(cl["copies"])
                lines.append(f"  {who} (canonical: {cl['canonical']['reason']}); "
                             f"{n} cop{'y' if n == 1 else 'ies'} among the pages given")
            else:
                lines.append(
                    f"  copy of {cl['canonical']['url']}: {c['relation']}, similarity {c['similarity']:.2f}, "
                    f"containment {c['containment']:.2f}, status {c['status']}\n  verdict: {c['verdict']}"
                )
    return printable("\n".join(lines)) + "\n"


def render_json(result: CheckResult) -> str:
    checked = []
    for u in result.urls:
        problem, final = result.fetch.get(u, ("not fetched", u))
        checked.append({"url": u, "final_url": final, "error": problem or None})
    data = {**result.report, "checked": checked}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


__all__ = ["render_json", "render_text"]
