from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from csmgmt.core.tabular import ImportRejected
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
                raise CommandError(_("no employee with number %(no)s") % {"no": by})
        try:
            result = calls_import(file=file, by=employee)
        except ImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(ngettext("nothing imported: %(count)s bad row", "nothing imported: %(count)s bad rows",
                                        len(exc.errors)) % {"count": len(exc.errors)}) from None
        except FileNotFoundError:
            raise CommandError(_("no such file: %(file)s") % {"file": file}) from None
        self.stdout.write(ngettext("imported %(count)s call", "imported %(count)s calls", result.created)
                          % {"count": result.created})
