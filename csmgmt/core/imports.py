"""Big imports run in the background. An area registers its importer once:

    register_importer("calls", ability="tickets.import_calls", run=lambda path, name, by, options: "…summary…")

and its upload page calls :func:`import_or_queue`: a small file is imported at once (the page shows the
result or the bad rows as before); a file over ``settings.IMPORT_BACKGROUND_BYTES`` is stored, queued,
and the user is sent to the job's page, which shows progress and, at the end, the summary or every bad
row. Either way the importer is all-or-nothing."""

from dataclasses import dataclass
from typing import Callable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .models import ImportJob
from .tabular import ImportRejected


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
    """Import ``upload`` now (returns the summary; raises ImportRejected) or, when it is big, queue it
    (returns the ImportJob)."""
    imp = importer(kind)
    options = options or {}
    if upload.size <= settings.IMPORT_BACKGROUND_BYTES:
        return imp.run(upload, upload.name, by, options)
    with transaction.atomic():
        job = ImportJob(kind=kind, original_name=upload.name[:200], options=options, requested_by=by)
        job.file.save(upload.name[-100:], upload, save=False)
        job.save()
    from .tasks import import_run

    transaction.on_commit(lambda: import_run.delay(job.pk))
    return job


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a queued import once (a second run of a claimed job does nothing)."""
    from .notices import notification_send

    if not ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
            status=ImportJob.Status.RUNNING, started_at=timezone.now()):
        return ImportJob.objects.filter(pk=job_id).first()
    job = ImportJob.objects.select_related("requested_by__user").get(pk=job_id)
    imp = importer(job.kind)
    fields = {"finished_at": None}
    try:
        with job.file.open("rb") as fh, translation.override(job.requested_by.language or settings.LANGUAGE_CODE):
            summary = imp.run(fh, job.original_name, job.requested_by, job.options)
        fields.update(status=ImportJob.Status.DONE, summary=str(summary)[:300])
        message = _("Your import of %(name)s is done: %(summary)s")
    except ImportRejected as exc:
        with translation.override(job.requested_by.language or settings.LANGUAGE_CODE):
            fields.update(status=ImportJob.Status.REJECTED, errors=[[e.row, str(e.message)] for e in exc.errors],
                          summary=str(_("%(n)s bad row(s); nothing was imported.") % {"n": len(exc.errors)}))
        message = _("Your import of %(name)s was refused: %(summary)s")
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
