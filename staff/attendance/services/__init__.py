"""Every write of attendance (REGULATIONS §4, §7), one module per noun, as Zulip's ``zerver/actions/``:

- ``days`` — judging a day (``day_status_recompute``) and settling yesterday: what the others share;
- ``punches`` — the clock button, a supervisor's manual punch, the time-clock import;
- ``roster`` — roster cells, copying last week, the roster import, shifts;
- ``leave`` — asking for leave and its moves (approve, refuse, cancel);
- ``corrections`` — 补卡: asking and deciding;
- ``duty_log`` — handover entries, their signatures and the supervisor's signature under the day.

Each service is keyword-only, takes the acting employee as ``by`` (``None`` only for the product's own work:
scheduled jobs, command-line imports), runs in ``transaction.atomic()`` and recomputes the day statuses it
affects. Leave requests, corrections and duty-log entries move only through the workflows of
``staff/attendance/workflow.py``.
"""
