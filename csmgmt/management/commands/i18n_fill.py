"""Fill the Simplified Chinese catalogue from ``locale_src/zh_Hans/*.json`` (one file per app:
``{"English msgid": "中文"}``, ``{"context::msgid": "中文"}`` for ``pgettext``; plurals as lists). Keeping translations in per-app sources
lets several branches add strings without fighting over one ``django.po``; ``make messages``
re-extracts, fills and compiles. Prints the msgids still untranslated."""

import json

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Fill locale/zh_Hans/LC_MESSAGES/django.po from locale_src/zh_Hans/*.json."

    def add_arguments(self, parser):
        parser.add_argument("--strict", action="store_true", help="Fail when a msgid has no translation.")

    def handle(self, *args, strict=False, **options):
        source = {}
        for path in sorted((settings.BASE_DIR / "locale_src" / "zh_Hans").glob("*.json")):
            source.update(json.loads(path.read_text(encoding="utf-8")))
        po_path = settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(po_path))
        po.metadata["Language"] = "zh_Hans"
        po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
        po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
        missing = []
        for entry in po:
            if entry.obsolete:
                continue
            # A msgid with a context is looked up as "context::msgid" first.
            value = source.get(f"{entry.msgctxt}::{entry.msgid}") if entry.msgctxt else None
            value = value or source.get(entry.msgid)
            if entry.msgid_plural:
                if value is None:
                    value = source.get(entry.msgid_plural)
                if isinstance(value, list):
                    value = value[0]
                entry.msgstr_plural = {0: value or ""}
            elif value:
                entry.msgstr = value
            else:
                entry.msgstr = ""  # the json sources are the only truth: no stale or guessed text
            if "fuzzy" in entry.flags:
                # makemessages' fuzzy guess is not a translation (it was replaced above).
                entry.flags.remove("fuzzy")
                entry.previous_msgid = None
                entry.previous_msgid_plural = None
                entry.previous_msgctxt = None
            if not (entry.msgstr or any(entry.msgstr_plural.values())):
                missing.append(entry.msgid)
        po.save()
        for msgid in missing:
            self.stderr.write(f"untranslated: {msgid!r}")
        if missing and strict:
            raise CommandError(f"{len(missing)} msgid(s) have no Chinese translation")
        self.stdout.write(f"{len(po) - len(missing)} translated, {len(missing)} missing")
