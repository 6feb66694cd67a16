"""Every write of quality inspection, one module per noun; import from the module:

- :mod:`.config` — the settings (sample size, swaps) and the versioned checklist, edited by a manager;
- :mod:`.draws` — the month's stored, replayable, once-only draw and the supervisor's swaps;
- :mod:`.inspections` — scoring, a failed item recorded as a violation, the agent's appeal and its decision.

Every service takes ``by: Employee`` (keyword-only; ``None`` only for the product's own work). A refusal raises
``quality.workflow.QualityError`` with a message for the user.
"""
