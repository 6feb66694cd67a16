"""Remember each task's last run (what, when, result) for the managers' scheduled-jobs page."""

import logging

from celery.signals import task_failure, task_postrun, task_prerun
from django.db.models import F
from django.utils import timezone

logger = logging.getLogger(__name__)


def _jobrun():
    from .models import JobRun

    return JobRun


@task_prerun.connect
def _started(sender=None, **kwargs):
    try:
        JobRun = _jobrun()
        name = sender.name
        if not JobRun.objects.filter(task=name).update(last_started=timezone.now()):
            JobRun.objects.get_or_create(task=name, defaults={"last_started": timezone.now()})
    except Exception:  # bookkeeping must never break a task, but its failure is logged
        logger.exception("job bookkeeping failed before task %s", getattr(sender, "name", sender))


@task_postrun.connect
def _finished(sender=None, state=None, **kwargs):
    try:
        fields = {"last_finished": timezone.now(), "last_status": state or "", "runs": F("runs") + 1}
        if state == "SUCCESS":
            fields["last_error"] = ""
        _jobrun().objects.filter(task=sender.name).update(**fields)
    except Exception:
        logger.exception("job bookkeeping failed after task %s", getattr(sender, "name", sender))


@task_failure.connect
def _failed(sender=None, exception=None, **kwargs):
    try:
        _jobrun().objects.filter(task=sender.name).update(
            last_error=f"{type(exception).__name__}: {exception}"[:2000], failures=F("failures") + 1
        )
    except Exception:
        logger.exception("job bookkeeping failed recording the failure of task %s", getattr(sender, "name", sender))
