from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from csmgmt.core.tabular import ImportRejected
from staff.models import Employee
from staff.services import employees_import


class Command(BaseCommand):
    help = (
        "Create or update employees from a CSV or XLSX file (columns employee_no, name, department, team, "
        "roles, supervisor_no, phone; optional email, joined_on, left_on as YYYY-MM-DD). All or nothing: any bad row stops the import and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--create-departments", action="store_true",
                            help="Create departments the file names that do not exist yet.")
        parser.add_argument("--initial-password", default=None,
                            help="Password for the logins created for new employees (default: unusable).")
        parser.add_argument("--by", default=None, metavar="EMPLOYEE_NO",
                            help="Employee number recorded as the importer in the edit trail (default: none).")

    def handle(self, *args, file, create_departments, initial_password, by=None, **options):
        employee = None
        if by:
            employee = Employee.objects.filter(employee_no=by).select_related("user").first()
            if employee is None:
                raise CommandError(_("no employee with number %(no)s") % {"no": by})
        try:
            result = employees_import(file=file, create_departments=create_departments,
                                      initial_password=initial_password, by=employee)
        except FileNotFoundError:
            raise CommandError(_("No such file: %(file)s") % {"file": file}) from None
        except ImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(ngettext("Nothing imported: %(count)s problem.", "Nothing imported: %(count)s problems.",
                                        len(exc.errors)) % {"count": len(exc.errors)}) from None
        self.stdout.write(self.style.SUCCESS(
            _("Imported: %(created)s created, %(updated)s updated, %(departments)s departments created.")
            % {"created": result.created, "updated": result.updated, "departments": result.departments_created}
        ))
