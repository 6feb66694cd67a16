from django.core.management.base import BaseCommand, CommandError

from csmgmt.core.tabular import ImportRejected
from staff.attendance.services.punches import punches_import


class Command(BaseCommand):
    help = ("Import a time-clock export, CSV or XLSX (columns employee_no, timestamp [YYYY-MM-DD HH:MM[:SS], "
            "local time], optional direction in/out). Punches already stored are skipped; any bad row stops "
            "the import and nothing is written.")

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            result = punches_import(file=file)
        except FileNotFoundError:
            raise CommandError(f"No such file: {file}") from None
        except ImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Nothing imported: {len(exc.errors)} problem(s).") from None
        self.stdout.write(self.style.SUCCESS(
            f"Imported {result.created} punches; {result.duplicates} were already stored."))
