"""Phone numbers are normalised before they are stored and searched, so that
``138 0013 8000``, ``+86 13800138000`` and ``13800138000`` are one caller.

Normal form: digits only. Mainland mobiles are their 11 digits; landlines keep the trunk ``0``
and the area code (``01088886666``); the country code (``+86``, ``0086``, ``86``) is dropped."""

import re

_KEEP = re.compile(r"[^\d+]")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Area codes: 010 and 02x are three digits with the trunk 0; the others four (0xxx).
_LANDLINE = re.compile(r"^0(?:10|2\d|[3-9]\d{2})\d{7,8}$")


def normalize_phone(raw: str | None) -> str:
    if not raw:
        return ""
    text = str(raw).strip()
    # An extension ("转123", "ext 123", "x123") is not part of the caller's number.
    text = re.split(r"(?:转|分机|ext\.?|x)\s*\d+\s*$", text, flags=re.IGNORECASE)[0]
    text = text.replace("（", "(").replace("）", ")").replace("＋", "+")
    digits = _KEEP.sub("", text)
    if digits.startswith("+"):
        digits = digits[1:]
        if digits.startswith("86"):
            digits = digits[2:]
            if not digits.startswith("0") and not _MOBILE.match(digits):
                digits = "0" + digits  # +86 10 8888 6666 -> 01088886666
    elif digits.startswith("0086"):
        digits = digits[4:]
        if not digits.startswith("0") and not _MOBILE.match(digits):
            digits = "0" + digits
    elif digits.startswith("86") and _MOBILE.match(digits[2:]):
        digits = digits[2:]
    digits = digits.replace("+", "")
    return digits


def is_valid_phone(normalized: str) -> bool:
    """A mainland mobile, a landline with its area code, or a service number (400/800/95xxx/1xxxx)."""
    return bool(
        _MOBILE.match(normalized)
        or _LANDLINE.match(normalized)
        or re.match(r"^(?:400|800)\d{7}$", normalized)
        or re.match(r"^(?:95\d{3,6}|1\d{4})$", normalized)
    )


def format_phone(normalized: str) -> str:
    """For display: ``138 0013 8000``, ``010-8888 6666``."""
    if _MOBILE.match(normalized):
        return f"{normalized[:3]} {normalized[3:7]} {normalized[7:]}"
    m = re.match(r"^(0(?:10|2\d))(\d+)$", normalized) or re.match(r"^(0[3-9]\d{2})(\d+)$", normalized)
    if m and _LANDLINE.match(normalized):
        return f"{m.group(1)}-{m.group(2)}"
    return normalized
