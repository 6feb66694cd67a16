"""Working calendars as data (REGULATIONS §9): pages, writes and reads of the department calendars and of the
shared public holidays and make-up days."""
