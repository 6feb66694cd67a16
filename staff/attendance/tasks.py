"""Celery tasks of this area (imported by staff/tasks.py)."""
