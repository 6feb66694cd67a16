from django.core.management.base import BaseCommand, CommandError

from csmgmt.core.tabular import ImportRejected
from staff.attendance.services.roster import roster_import


class Command(BaseCommand):
    help = ("Set roster cells from a CSV or XLSX file (columns employee_no, date [YYYY-MM-DD], shift_code). "
            "All or nothing: any bad row stops the import and nothing is written.")

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            n = roster_import(file=file)
        except FileNotFoundError:
            raise CommandError(f"No such file: {file}") from None
        except ImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Nothing imported: {len(exc.errors)} problem(s).") from None
        self.stdout.write(self.style.SUCCESS(f"Imported {n} roster cells."))
