from django.core.management.base import BaseCommand, CommandError

from csmgmt.tabular import ImportRejected
from staff.models import Employee
from tickets.imports import calls_import


class Command(BaseCommand):
    help = "Import an existing call register (CSV or XLSX; columns in docs/tickets.md). All rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--by", help="employee number recorded as the importer in the edit trail")

    def handle(self, *args, file, by=None, **options):
        employee = None
        if by:
            employee = Employee.objects.filter(employee_no=by).select_related("user").first()
            if employee is None:
                raise CommandError(f"no employee {by!r}")
        try:
            result = calls_import(file=file, by=employee)
        except ImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"nothing imported: {len(exc.errors)} bad row(s)") from None
        except FileNotFoundError:
            raise CommandError(f"no such file: {file}") from None
        self.stdout.write(f"imported {result.created} calls")
