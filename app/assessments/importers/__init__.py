"""Question importers: GIFT and Moodle XML to ``(type_key, definition)`` pairs.

Each parser returns an ``ImportResult`` of ``questions`` (``ImportedQuestion``, already
validated by their question type) and ``errors`` (``ImportError_``, one per question that
could not be imported, with its GIFT line or Moodle XML position). Only a file that cannot be
read at all raises ``ImportFormatError``; one holding more questions than ``max_questions``
raises ``TooManyQuestions`` before any question is parsed. Pure logic: nothing is stored here.
"""

from .base import ImportedQuestion, ImportError_, ImportFormatError, ImportResult, TooManyQuestions
from .gift import parse_gift
from .moodlexml import parse_moodle_xml

__all__ = [
    "ImportError_",
    "ImportFormatError",
    "ImportResult",
    "ImportedQuestion",
    "TooManyQuestions",
    "parse_gift",
    "parse_moodle_xml",
]
