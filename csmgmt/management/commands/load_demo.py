import importlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Load the demo data (idempotent): departments, employees, the demo logins and each app's records."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(_("DEBUG is off: this looks like production. Use --force to load demo data anyway."))
        with transaction.atomic():
            for name in settings.DEMO_MODULES:
                try:
                    module = importlib.import_module(name)
                except ModuleNotFoundError as exc:
                    if exc.name != name:
                        raise
                    continue
                module.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(
            _("Demo data ready. Logins (password “%(password)s”): %(logins)s.")
            % {"password": "demo", "logins": "agent, supervisor, manager, handler, custodian, admin"}
        ))
