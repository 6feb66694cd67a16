# Celery discovers ``staff.tasks`` only: each area's tasks module is imported here.
from .attendance import tasks as attendance_tasks  # noqa: E402,F401
from .scoring import tasks as scoring_tasks  # noqa: E402,F401
