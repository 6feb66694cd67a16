"""Scheduled knowledge-base work; safe to run twice (a second run finds no article due)."""

from celery import shared_task

from .services import articles_mark_due


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=3)
def articles_due_for_review() -> int:
    """Daily: published articles whose last review is the set number of months ago become "needs review"."""
    return articles_mark_due()
