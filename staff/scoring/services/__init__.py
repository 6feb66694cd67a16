"""Every write of scoring, one module per noun (as Zulip's ``zerver/actions/``); import from the module:

- :mod:`.materialise` — computing a month's records, scorecards and fund lines from its events;
- :mod:`.months` — closing and reopening a month, the department fund's adjustments;
- :mod:`.manual_entries` — violations and praise recorded by supervisors;
- :mod:`.appeals` — filing and deciding appeals;
- :mod:`.rule_sets` — the rule set in force, rules, brackets, categories;
- :mod:`.common` — what several of them share (finding and locking a month, queueing a recomputation).

Every service takes ``by: Employee`` (keyword-only); ``None`` only for the product's own work. Moves of
months, records and appeals go through the workflow engine (``staff.scoring.workflow``); a refusal raises
``staff.scoring.workflow.ScoringError`` with a message for the user.
"""
