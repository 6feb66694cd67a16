"""Phone numbers are normalised before they are stored and searched, so that
``138 0013 8000``, ``+86 13800138000`` and ``13800138000`` are one caller.

Normal form: ASCII digits only. Mainland mobiles are their 11 digits; landlines keep the trunk ``0``
and the area code (``01088886666``); the country code (``+86``, ``0086``, ``86``) is dropped, as are
extensions (``转123``, ``ext 12``, ``010-88886666-8021``). Foreign numbers keep the ``00`` international
prefix (``+1 415 555 2671`` -> ``0014155552671``) so they never look like a mainland mobile."""

import re
import unicodedata

_KEEP = re.compile(r"[^0-9+]")
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
# Area codes: 010 and 02x are three digits with the trunk 0; the others four (0xxx).
_LANDLINE = re.compile(r"^0(?:10|2[0-9]|[3-9][0-9]{2})[0-9]{7,8}$")
_SERVICE = re.compile(r"^(?:(?:400|800)[0-9]{7}|95[0-9]{3,6}|1[0-9]{4})$")
_INTERNATIONAL = re.compile(r"^00[1-9][0-9]{6,14}$")
_EXTENSION = re.compile(r"(?:转|分机|ext\.?|x|#)\s*[0-9]+\s*$", re.IGNORECASE)


def _strip_country(digits: str) -> str:
    """``digits`` without the international prefix; mainland numbers lose +86 too."""
    if digits.startswith("+"):
        digits = "00" + digits[1:].replace("+", "")
    digits = digits.replace("+", "")
    if digits.startswith("0086"):
        rest = digits[4:]
        if rest.startswith("0") or _MOBILE.match(rest):
            return rest
        return "0" + rest  # +86 10 8888 6666 -> 01088886666
    if digits.startswith("00"):
        return digits  # another country: keep it apart from mainland numbers
    if digits.startswith("86"):
        rest = digits[2:]
        if _MOBILE.match(rest) or _LANDLINE.match(rest):
            return rest
        if _LANDLINE.match("0" + rest):
            return "0" + rest  # 86 755 8888 6666
    return digits


def normalize_phone(raw: str | None) -> str:
    if not raw:
        return ""
    text = unicodedata.normalize("NFKC", str(raw)).strip()  # full-width ＋８６ １３８… -> +86 138…
    text = re.sub(r"^(?:tel|phone|电话|手机)\s*[:：]?\s*", "", text, flags=re.IGNORECASE)
    # An extension ("转123", "ext 123", "x123") is not part of the caller's number.
    text = _EXTENSION.split(text)[0]
    digits = _strip_country(_KEEP.sub("", text))
    if not is_valid_phone(digits):
        # "010-88886666-8021": a trailing group after a complete landline is an extension.
        groups = [g for g in re.split(r"[^0-9+]+", text) if g]
        if len(groups) > 1 and len(groups[-1]) <= 5:
            shorter = _strip_country(_KEEP.sub("", "".join(groups[:-1])))
            if _LANDLINE.match(shorter):
                return shorter
    return digits


def is_valid_phone(normalized: str) -> bool:
    """A mainland mobile, a landline with its area code, a service number (400/800/95xxx/1xxxx),
    or a foreign number with its international prefix."""
    return bool(
        _MOBILE.match(normalized)
        or _LANDLINE.match(normalized)
        or _SERVICE.match(normalized)
        or _INTERNATIONAL.match(normalized)
    )


def format_phone(normalized: str) -> str:
    """For display: ``138 0013 8000``, ``010-8888 6666``."""
    if _MOBILE.match(normalized):
        return f"{normalized[:3]} {normalized[3:7]} {normalized[7:]}"
    m = re.match(r"^(0(?:10|2[0-9]))([0-9]+)$", normalized) or re.match(r"^(0[3-9][0-9]{2})([0-9]+)$", normalized)
    if m and _LANDLINE.match(normalized):
        return f"{m.group(1)}-{m.group(2)}"
    return normalized
