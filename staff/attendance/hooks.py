"""Called from ``StaffConfig.ready()``: register nav entries, home panels and jobs here."""


def ready():
    pass
