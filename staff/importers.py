"""The employee importer as the background-import machinery calls it (csmgmt.core.imports): positional
arguments, the area's service underneath."""

from django.utils.translation import gettext

from .services import employees_import


def employees_import_run(file, name, by, options) -> str:
    """The importer registered for the upload page (csmgmt.core.imports): at once or in the background."""
    result = employees_import(file=file, name=name, by=by, create_departments=bool(options.get("create_departments")),
                              initial_password_hash=options.get("initial_password_hash") or None)
    return gettext("Imported: %(c)s employees created, %(u)s updated, %(d)s departments created.") % {
        "c": result.created, "u": result.updated, "d": result.departments_created}
