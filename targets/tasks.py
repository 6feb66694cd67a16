from celery import shared_task


@shared_task
def month_figures_store() -> int:
    """The nightly job: the department's figures of the last 13 months that ended (safe to run twice)."""
    from .services import month_figures_store as store

    return store()
