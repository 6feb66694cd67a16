"""Phone numbers are normalised before they are stored and searched, so that
``138 0013 8000``, ``+86 13800138000`` and ``13800138000`` are one caller.

Normal form: ASCII digits only. Mainland mobiles are their 11 digits; landlines keep the trunk ``0``
and the area code (``01088886666``); the country code (``+86``, ``0086``, ``86``) is dropped, as are
extensions (``转123``, ``ext 12``, ``010-88886666-8021``). Foreign numbers keep the ``00`` international
prefix (``+1 415 555 2671`` -> ``0014155552671``) so they never look like a mainland mobile."""

import re
import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

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


# --- the one rule for every phone field ------------------------------------------------------------------
# A number someone is called back on: a mainland mobile, a landline with its area code, a 400/800 hotline, or a
# foreign number with its international prefix. Short service numbers (95588, 10086, 12345) are valid caller IDs
# for search, but nobody is called back on them: every phone field refuses them, as it refuses text.
_HOTLINE = re.compile(r"^(?:400|800)[0-9]{7}$")


def is_callback_number(normalized: str) -> bool:
    return bool(_MOBILE.match(normalized) or _LANDLINE.match(normalized) or _HOTLINE.match(normalized)
                or _INTERNATIONAL.match(normalized))


class PhoneRejected(ValueError):
    """``raw`` is not a phone number; ``message`` says so in the reader's language."""

    def __init__(self, raw: str):
        self.raw = raw
        self.message = _("“%(value)s” is not a phone number: give a mobile (11 digits), a landline with its area "
                         "code (010-8888 6666), a 400/800 number or a foreign number with its country code (+…).")
        self.params = {"value": raw}
        super().__init__(str(raw))

    def __str__(self):
        return str(self.message) % self.params


def checked_phone(raw: str | None) -> str:
    """The normal form of ``raw`` (empty for nothing typed), or :class:`PhoneRejected`: the rule every phone field
    and every service that stores a number applies."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    number = normalize_phone(raw)
    if not is_callback_number(number):
        raise PhoneRejected(raw)
    return number


class PhoneField(forms.CharField):
    """A phone number field (intake, complaints, lost and found, customers): typed any way, cleaned to the normal
    form, refused with a clear message when it is not a number someone can be called back on."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "tel")
        self.widget.attrs.setdefault("autocomplete", "off")
        self.stored = ""  # an edit form's number as stored (an old import's 95588): kept when left unchanged

    def clean(self, value):
        value = super().clean(value)
        if self.stored and normalize_phone(value) == self.stored:
            return self.stored
        try:
            return checked_phone(value)
        except PhoneRejected as exc:
            raise forms.ValidationError(exc.message, code="phone", params=exc.params) from None
