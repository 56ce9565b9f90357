"""The statutory deadlines of UU 14/2008, in working days on the KIP calendar.

Every deadline ends at 23:59:59 WIB of its last working day (`sikim.core.workdays`). A request,
objection or decision arriving after 16:00 or on a day off counts from the next working day.

- Decision: within 10 working days of receiving the request (Pasal 22 ayat (7)).
- Extension: once, "paling lambat 7 (tujuh) hari kerja berikutnya" with a written reason
  (Pasal 22 ayat (8)): 7 working days more, counted after the original due day.
- Objection: within 30 working days of finding the reason for it (Pasal 36 ayat (1)): after the
  decision, or — when there is none — after the decision deadline passed.
- Atasan PPID's answer: within 30 working days of receiving the objection (Pasal 36 ayat (2)).
- Komisi Informasi: within 14 working days of receiving the atasan's answer (Pasal 37 ayat (2)),
  or — when none came — of the answer deadline passing.
- Long overdue (SIKIM's own, like Alaveteli's "very overdue"): still undecided 10 working days
  after the deadline in force.
"""

from datetime import datetime
from typing import Final

from sikim.core.workdays import WorkCalendar

DECISION_DAYS: Final = 10
EXTENSION_DAYS: Final = 7
OBJECTION_WINDOW_DAYS: Final = 30
OBJECTION_ANSWER_DAYS: Final = 30
DISPUTE_WINDOW_DAYS: Final = 14
LONG_OVERDUE_DAYS: Final = 10


def decision_due(calendar: WorkCalendar, received_at: datetime) -> datetime:
    return calendar.add_working_days(received_at, DECISION_DAYS)


def extended_due(calendar: WorkCalendar, original_due: datetime) -> datetime:
    return calendar.extend_deadline(original_due, EXTENSION_DAYS)


def objection_window_after_decision(calendar: WorkCalendar, decided_at: datetime) -> datetime:
    return calendar.add_working_days(decided_at, OBJECTION_WINDOW_DAYS)


def objection_window_after_deadline(calendar: WorkCalendar, due: datetime) -> datetime:
    """No decision: 30 working days after the day the decision deadline ended."""
    return calendar.extend_deadline(due, OBJECTION_WINDOW_DAYS)


def objection_answer_due(calendar: WorkCalendar, filed_at: datetime) -> datetime:
    return calendar.add_working_days(filed_at, OBJECTION_ANSWER_DAYS)


def dispute_window_after_answer(calendar: WorkCalendar, answered_at: datetime) -> datetime:
    return calendar.add_working_days(answered_at, DISPUTE_WINDOW_DAYS)


def dispute_window_after_deadline(calendar: WorkCalendar, answer_due: datetime) -> datetime:
    """No answer from the atasan PPID: 14 working days after the day the answer deadline ended."""
    return calendar.extend_deadline(answer_due, DISPUTE_WINDOW_DAYS)


def long_overdue_from(calendar: WorkCalendar, due: datetime) -> datetime:
    """The moment an undecided request becomes long overdue (after the end of this day)."""
    return calendar.extend_deadline(due, LONG_OVERDUE_DAYS)
