"""The Chinese catalogue is complete and compiled: every msgid has a translation, and the
committed .mo carries each one (so `make messages` was run after the last string change)."""

import gettext

import polib
from django.conf import settings
from django.utils import translation

PO = settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def test_every_msgid_has_a_chinese_translation():
    po = polib.pofile(str(PO))
    missing = [e.msgid for e in po if not e.obsolete and not (e.msgstr or any(e.msgstr_plural.values()))]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    assert missing == []
    assert fuzzy == []


def test_the_compiled_catalogue_matches_the_po_file():
    po = polib.pofile(str(PO))
    with open(MO, "rb") as fh:
        mo = gettext.GNUTranslations(fh)
    for entry in po:
        if entry.msgid_plural or entry.obsolete:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        assert mo._catalog.get(key) == entry.msgstr, entry.msgid


def test_labels_switch_with_the_language():
    with translation.override("zh-hans"):
        assert translation.gettext("My work") == "我的工作"
    with translation.override("en"):
        assert translation.gettext("My work") == "My work"
