"""The data of the strategy tracker, by concern: the strategy tree, reporting on it, the
reporting rounds, the rollup's stored figures, and e-mail notices."""

from .base import PARTIAL_DATE_PATTERN, partial_date_validator, percent_validators
from .jobs import BriefingPack, ImportJob
from .notices import Notification, ReminderSent
from .reporting import Implementation, ReviewEvent, StatusUpdate
from .rounds import ReportingRound, RoundFigure
from .snapshots import ProgressSnapshot, RollupRequest, RollupRun
from .tree import Action, Objective, Outcome, Strategy

__all__ = [
    "PARTIAL_DATE_PATTERN",
    "Action",
    "BriefingPack",
    "Implementation",
    "ImportJob",
    "Notification",
    "Objective",
    "Outcome",
    "ProgressSnapshot",
    "ReminderSent",
    "ReportingRound",
    "ReviewEvent",
    "RollupRequest",
    "RollupRun",
    "RoundFigure",
    "StatusUpdate",
    "Strategy",
    "partial_date_validator",
    "percent_validators",
]
