from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from csmgmt.core.sheets import Period
from csmgmt.report_services import report_scores_ensure
from csmgmt.reports import workbook_write


class Command(BaseCommand):
    help = "Write a month's Excel workbook now (the same code as the scheduled job)."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--lang", default=settings.LANGUAGE_CODE, choices=[c for c, _n in settings.LANGUAGES])
        parser.add_argument("--output", default=None, help="File to write (default csmgmt-YYYY-MM-LANG.xlsx)")

    def handle(self, *args, month, lang, output, **options):
        try:
            period = Period.parse(month)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        output = output or f"csmgmt-{period}-{lang}.xlsx"
        last = [-1]

        def progress(pct, stage):
            if pct // 10 != last[0] // 10:
                self.stderr.write(f"{pct:3d}% {stage}")
            last[0] = pct

        report_scores_ensure(period=period)  # no silent empty Scores sheet
        workbook_write(period=period, language=lang, path=output, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}"))
