from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse

from csmgmt.core.permissions import can, require

from .core.imports import importer
from .models import ImportJob


def _job_for(request, pk) -> ImportJob:
    job = get_object_or_404(ImportJob.objects.select_related("requested_by"), pk=pk)
    if not can(request.user, importer(job.kind).ability):
        raise PermissionDenied("import")
    return job


def _back(job):
    try:
        return reverse(importer(job.kind).back_url) if importer(job.kind).back_url else ""
    except NoReverseMatch:
        return ""


@require("staff.use_app")
def import_detail(request, pk):
    job = _job_for(request, pk)
    return render(request, "csmgmt/import_job.html", {"job": job, "back": _back(job)})


@require("staff.use_app")
def import_status(request, pk):
    """htmx: the job's panel, polled while it runs."""
    job = _job_for(request, pk)
    return render(request, "csmgmt/partials/import_job_panel.html", {"job": job, "back": _back(job)})
