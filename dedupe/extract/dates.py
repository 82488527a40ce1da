"""Dates from markup, JSON-LD and URLs, normalised to ISO 8601.

Only machine-readable forms are parsed (ISO 8601 and its common variants,
RFC 2822 as in feeds, and /YYYY/MM/DD/ paths): human-written dates are
language-specific and the markup nearly always carries a machine form too.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

# Plausible publication years: rejects "0001-01-01" placeholders and typos.
MIN_YEAR = 1990
MAX_YEAR = 2100

_ISO = re.compile(
    r"""^\s*(\d{4})-?(\d{2})-?(\d{2})
        (?:[T\s](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*
        (Z|[+-]\d{2}:?\d{2}|[+-]\d{2}|UTC|GMT)?)?""",
    re.X | re.I,
)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?:/|-|\.|$)")


def _valid(y: int, m: int, d: int) -> bool:
    if not MIN_YEAR <= y <= MAX_YEAR:
        return False
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def parse_date(value: object) -> str | None:
    """ISO 8601 string for a machine-readable date, else None.

    Date-times keep their time and offset ("2019-03-12T10:00:00+01:00"; "Z"
    for UTC); dates without a time stay dates ("2019-03-12").
    """
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s or len(s) > 100:
        return None
    m = _ISO.match(s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if not _valid(y, mo, d):
            return None
        if m.group(4) is None:
            return f"{y:04d}-{mo:02d}-{d:02d}"
        hh, mm, ss = int(m.group(4)), int(m.group(5)), int(m.group(6) or 0)
        if hh > 23 or mm > 59 or ss > 60:
            return f"{y:04d}-{mo:02d}-{d:02d}"
        out = f"{y:04d}-{mo:02d}-{d:02d}T{hh:02d}:{mm:02d}:{min(ss, 59):02d}"
        tz = (m.group(7) or "").upper()
        if tz in ("Z", "UTC", "GMT"):
            out += "Z"
        elif tz:
            digits = tz[1:].replace(":", "")
            digits = digits + "00" if len(digits) == 2 else digits
            out += f"{tz[0]}{digits[:2]}:{digits[2:4]}"
        return out
    if "," in s or re.search(r"[A-Za-z]{3} \d{4}", s):
        try:
            dt = parsedate_to_datetime(s)  # RFC 2822, as in RSS <pubDate>
        except (TypeError, ValueError, IndexError):
            return None
        if dt is None or not MIN_YEAR <= dt.year <= MAX_YEAR:
            return None
        return _iso(dt)
    return None


def _iso(dt: datetime) -> str:
    if dt.tzinfo is None:
        return dt.strftime("%Y-%m-%dT%H:%M:%S")
    off = dt.utcoffset()
    if off is not None and off.total_seconds() == 0:
        return dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    s = dt.strftime("%Y-%m-%dT%H:%M:%S%z")
    return s[:-2] + ":" + s[-2:]


def date_from_url(url: str | None) -> str | None:
    """The date in a permalink path such as /2019/03/12/slug (day precision only)."""
    if not url:
        return None
    m = _URL_DATE.search(url)
    if m and _valid(int(m.group(1)), int(m.group(2)), int(m.group(3))):
        return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    return None
