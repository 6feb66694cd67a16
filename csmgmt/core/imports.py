"""Big imports run in the background. An area registers its importer once:

    register_importer("calls", ability="tickets.import_calls", run=lambda path, name, by, options: "…summary…")

and its upload page calls :func:`import_or_queue`: a small file is imported at once (the page shows the
result or the bad rows as before); a file over ``settings.IMPORT_BACKGROUND_BYTES`` is stored, queued,
and the user is sent to the job's page, which shows progress and, at the end, the summary or every bad
row. Either way the importer is all-or-nothing.

The background job runs on the Celery queue ``imports`` (its own worker: ``manage.py serve`` starts one,
docker-compose has ``worker-imports``), under ``settings.IMPORT_TIME_LIMIT_SECONDS``, so reminders and the
monthly workbook never wait behind an import. The table reader (``tabular.read_table``) refuses a file past
the ``IMPORT_MAX_*`` limits while streaming and reports the rows read to the job's page."""

import zipfile
from dataclasses import dataclass
from typing import Callable

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .models import ImportJob
from .tabular import ImportRejected, reporting_progress


@dataclass(frozen=True)
class Importer:
    kind: str
    ability: str
    run: Callable  # run(file, name, by, options) -> summary text; raises ImportRejected
    back_url: str = ""  # where the job page links back to (the upload page's URL name)


_importers: dict[str, Importer] = {}


def register_importer(importer: Importer) -> None:
    _importers[importer.kind] = importer


def importer(kind: str) -> Importer:
    return _importers[kind]


def import_or_queue(*, kind: str, upload, by, options: dict | None = None):
    """Import ``upload`` now (returns the summary; raises ImportRejected) or, when it is big (in bytes, or a
    workbook that unpacks big), queue it (returns the ImportJob). Without an employee (a bare superuser) there
    is nobody to tell: it runs at once, within the table reader's limits."""
    imp = importer(kind)
    options = options or {}
    if by is None or (upload.size <= settings.IMPORT_BACKGROUND_BYTES and not _unpacks_big(upload)):
        return imp.run(upload, upload.name, by, options)
    with transaction.atomic():
        job = ImportJob(kind=kind, original_name=upload.name[:200], options=options, requested_by=by)
        job.file.save(upload.name[-100:], upload, save=False)
        job.save()
    from .tasks import import_run

    transaction.on_commit(lambda: import_run.delay(job.pk))
    return job


def _unpacks_big(upload) -> bool:
    """A small workbook may unpack to a big one (a zip of repeated rows): only its zip directory is read."""
    if not upload.name.lower().endswith((".xlsx", ".xlsm")):
        return False
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            return sum(i.file_size for i in archive.infolist()) > settings.IMPORT_BACKGROUND_UNPACKED_BYTES
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return False  # not a workbook: the importer says so at once
    finally:
        upload.seek(0)


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a queued import once (a second run of a claimed job does nothing)."""
    from .notices import notification_send

    if not ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
            status=ImportJob.Status.RUNNING, started_at=timezone.now()):
        return ImportJob.objects.filter(pk=job_id).first()
    job = ImportJob.objects.select_related("requested_by__user").get(pk=job_id)
    imp = importer(job.kind)
    fields = {"finished_at": None}
    def progress(rows):
        ImportJob.objects.filter(pk=job_id).update(rows_read=rows)

    try:
        with (job.file.open("rb") as fh, translation.override(job.requested_by.language or settings.LANGUAGE_CODE),
              reporting_progress(progress)):
            summary = imp.run(fh, job.original_name, job.requested_by, job.options)
        fields.update(status=ImportJob.Status.DONE, summary=str(summary)[:300])
        message = _("Your import of %(name)s is done: %(summary)s")
    except ImportRejected as exc:
        with translation.override(job.requested_by.language or settings.LANGUAGE_CODE):
            fields.update(status=ImportJob.Status.REJECTED, errors=[[e.row, str(e.message)] for e in exc.errors],
                          summary=str(_("%(n)s bad row(s); nothing was imported.") % {"n": len(exc.errors)}))
        message = _("Your import of %(name)s was refused: %(summary)s")
    except SoftTimeLimitExceeded:
        with translation.override(job.requested_by.language or settings.LANGUAGE_CODE):
            fields.update(status=ImportJob.Status.FAILED, summary=str(
                _("The import took longer than %(s)s seconds and was stopped; nothing was imported. Split the "
                  "file and upload the parts.") % {"s": settings.IMPORT_TIME_LIMIT_SECONDS}))
        message = _("Your import of %(name)s failed: %(summary)s")
    except Exception as exc:  # the job must end in a state the user can see
        fields.update(status=ImportJob.Status.FAILED, summary=f"{type(exc).__name__}: {exc}"[:300])
        message = _("Your import of %(name)s failed: %(summary)s")
    fields["finished_at"] = timezone.now()
    ImportJob.objects.filter(pk=job_id).update(**fields)
    job.refresh_from_db()
    notification_send(recipient=job.requested_by, message=message,
                      params={"name": job.original_name, "summary": job.summary},
                      link=reverse("imports:detail", args=[job.pk]), key=f"import-finished-{job.pk}")
    return job
