"""Validation and normalisation of identity numbers, phones and free text.

Every user-facing message lives in the catalogue (models.core.i18n, keys "invalid.*")
as a format string with named placeholders; values are only ever passed as
arguments, never used as the template, so user input cannot inject format fields.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from datetime import date

from models.core.i18n import t
from models.core.text import inert


class ValidationError(ValueError):
    """A user-facing validation failure for one form field."""

    def __init__(self, field: str, message: str, code: str | None = None,
                 offer: str | None = None):
        super().__init__(message)
        self.field = field
        self.message = message
        self.code = code  # the catalogue key, when the message came from there
        self.offer = offer  # what the field may hold instead, for the cadre to take

    def __str__(self) -> str:
        return self.message


QUOTED_MAX = 40  # characters of what was typed a message repeats


def fail(field: str, key: str, *, offer: str | None = None,
         **values: object) -> ValidationError:
    """The error for `field`, worded by the catalogue's `key` (kept as its code),
    with the value the field may take instead when there is one (`offer`).
    Text values are quoted inert and short: a message may repeat what was typed,
    and that can be 10,000 characters or hold control characters."""
    quoted = {name: _quoted(value) if isinstance(value, str) else value
              for name, value in values.items()}
    return ValidationError(field, t(key, **quoted), key, offer)


def _quoted(text: str) -> str:
    text = inert(text)
    return text if len(text) <= QUOTED_MAX else text[:QUOTED_MAX - 1] + "…"


# ---- resident identity number (GB 11643-1999) ----

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_OLD_ID_SHAPE = re.compile(r"[0-9]{15}")
# spaces and dashes as numbers are copied from papers: 110105-19491231-002X
_ID_NOISE = re.compile(r"[\s\-‐‑‒–—―]+")


def id_check_char(first17: str) -> str:
    """The MOD 11-2 check character for the first 17 digits."""
    return _ID_CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS)) % 11]


def id_from_old(old: str) -> str:
    """The 18-digit form of a 15-digit number of the first generation (GB 11643
    before 1999): "19" put before its 2-digit birth year, the check digit added."""
    first17 = old[:6] + "19" + old[6:]
    return first17 + id_check_char(first17)


def normalize_id_number(raw: str) -> str:
    """Return the 18-character ID with an upper-case X, or raise ValidationError.

    A 15-digit number of the first generation is refused with its 18-digit form
    offered (when that is a valid number). The area code is deliberately not
    checked: people keep numbers issued under codes that have since been retired.
    """
    # NFKC turns full-width digits and Ｘ (common from Chinese IMEs) into ASCII.
    text = _ID_NOISE.sub("", unicodedata.normalize("NFKC", raw or "")).upper()
    if not text:
        raise fail("id_number", "invalid.id_empty")
    if _OLD_ID_SHAPE.fullmatch(text):
        new = normalize_id_number(id_from_old(text))  # its birth date may be wrong
        raise fail("id_number", "invalid.id_old_15", offer=new, new=new)
    if len(text) != 18:
        raise fail("id_number", "invalid.id_length", given=len(text))
    if not _ID_SHAPE.fullmatch(text):
        raise fail("id_number", "invalid.id_chars")
    digits = text[6:14]
    shown = f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise fail("id_number", "invalid.id_birth_invalid", birth=shown) from None
    if born.year < 1880:
        raise fail("id_number", "invalid.id_birth_too_early", year=born.year)
    if born > date.today():
        raise fail("id_number", "invalid.id_birth_future", birth=shown)
    # Which digit would pass is not said: a mistyped digit elsewhere would be
    # "corrected" into someone else's number.
    if text[17] != id_check_char(text[:17]):
        raise fail("id_number", "invalid.id_check_digit")
    return text


def birth_date_from_id(id_number: str) -> date:
    text = normalize_id_number(id_number)
    return date(int(text[6:10]), int(text[10:12]), int(text[12:14]))


def gender_from_id(id_number: str) -> str:
    """'男' when the 17th digit (sequence code) is odd, else '女'."""
    return "男" if int(normalize_id_number(id_number)[16]) % 2 else "女"


# ---- phone numbers ----

_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_PHONE_NOISE = re.compile(r"[\s\-()‐‑‒–—―]+")


# 010 and 02x are the 3-digit area codes, the rest 4 digits (never 00: abroad)
_LANDLINE = re.compile(r"(0[12][0-9]|0[3-9][0-9]{2})([0-9]{7,8})")


def _landline(digits: str) -> str | None:
    """'0932-1234567' from '09321234567'."""
    match = _LANDLINE.fullmatch(digits)
    return f"{match[1]}-{match[2]}" if match else None


def normalize_mobile(raw: str) -> str:
    """A mainland mobile as 11 digits, or a landline as 'area-number'."""
    text = _PHONE_NOISE.sub("", unicodedata.normalize("NFKC", raw or ""))
    if not text:
        raise fail("phone", "invalid.phone_empty")
    international = False
    for prefix in ("+86", "0086", "86"):
        rest = text[len(prefix):]
        # Bare "86" only counts before a full mobile number (8613812345678).
        if text.startswith(prefix) and (prefix != "86" or _MOBILE.fullmatch(rest)):
            text, international = rest, True
            break
    if _MOBILE.fullmatch(text):
        return text
    if international and not text.startswith("0"):
        text = "0" + text  # +86 932 1234567: the trunk 0 is dropped abroad
    landline = _landline(text)
    if landline:
        return landline
    raise fail("phone", "invalid.phone_invalid")


# ---- free text ----

# Control, format (zero-width, bidi override), surrogate and line/paragraph
# separator characters: invisible, and they break search and display.
_FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}


def require_text(field: str, value: str | None, label: str, max_len: int) -> str:
    """Stripped, non-empty text of at most max_len characters."""
    text = (value or "").strip()
    if not text:
        raise fail(field, "invalid.text_empty", label=label)
    if any(unicodedata.category(c) in _FORBIDDEN_CATEGORIES for c in text):
        raise fail(field, "invalid.text_control", label=label)
    if len(text) > max_len:
        raise fail(field, "invalid.text_too_long", label=label, max_len=max_len, given=len(text))
    return text


def optional_text(field: str, value: str | None, label: str, max_len: int) -> str:
    """Like `require_text`, but an empty field is fine: ""."""
    return require_text(field, value, label, max_len) if (value or "").strip() else ""


# ---- masking for display ----

def mask_id(id_number: str | None) -> str:
    """'110105********002X': area code and last four digits stay visible."""
    text = (id_number or "").strip()
    if len(text) <= 10:
        return "*" * len(text)
    return text[:6] + "*" * (len(text) - 10) + text[-4:]


def mask_phone(phone: str | None) -> str:
    """'138****1234' for mobiles, '0932-***4567' for landlines."""
    text = (phone or "").strip()
    if not text:
        return ""
    try:
        text = normalize_mobile(text)
    except ValidationError:
        pass  # stored before validation existed: still hide all but the end
    if _MOBILE.fullmatch(text):
        return text[:3] + "****" + text[-4:]
    if "-" in text:
        area, local = text.split("-", 1)
        return f"{area}-" + "*" * max(len(local) - 4, 0) + local[-4:]
    return "*" * max(len(text) - 4, 0) + text[-4:]


def written_day(text: str, today: date) -> date:
    """A day as cadres write it: "2026-11-25", "2026/11/25", or "11-25" (this
    year). Raises ValueError (or TypeError) for anything else."""
    pieces = text.replace("/", "-").split("-")
    if len(pieces) == 2:
        pieces = [str(today.year), *pieces]
    try:
        return date(*(int(p) for p in pieces))
    except OverflowError:  # a year of forty digits is no day either
        raise ValueError(text) from None


def parse_when(raw: str, today: date | None = None):
    """An appointment as cadres write it: "2026-11-25 9:30", "11-25 9:30",
    "11-25" (9:00), or a time alone for today. Returns a datetime."""
    today = today or date.today()
    # NFKC: full-width digits, colon and hyphen as a Chinese IME types them
    text = " ".join(unicodedata.normalize("NFKC", raw).replace("/", "-").split())
    if not text:
        raise fail("appointment_at", "invalid.when_empty")
    day_part, _, time_part = text.partition(" ")
    if ":" in day_part and not time_part:
        day_part, time_part = today.isoformat(), day_part
    try:
        day = written_day(day_part, today)
        hour, _, minute = (time_part or "9:00").partition(":")
        return dt.datetime.combine(day, dt.time(int(hour), int(minute or 0)))
    except (TypeError, ValueError, OverflowError):  # 202612010930: a year past 9999
        raise fail("appointment_at", "invalid.when_invalid", given=raw) from None
