"""Arabic: Django gives a date format ("30 نوفمبر، 2026") but no date-and-time format,
so times fell back to the English order ("نوفمبر 30, 2026، 10 م"). These follow the
date format, with a 24-hour clock. Digits stay Western Arabic (0-9), as in the
strategy's Arabic text."""

DATETIME_FORMAT = "j F، Y، H:i"
SHORT_DATETIME_FORMAT = "d‏/m‏/Y H:i"
TIME_FORMAT = "H:i"
