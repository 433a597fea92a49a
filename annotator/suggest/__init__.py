"""Suggested claims: an offline, rule-based detector of reported speech in news text.

``detect(text, entities)`` returns each claim it finds with its cue, speaker (resolved to an
earlier named speaker when it is "he" or "his office"), target and, for hostile cues only, a
stance guess. Offsets are code-point indices into ``text``. Pure Python: no Django here.
"""

from .detector import RULES, Detected, detect

__all__ = ["RULES", "Detected", "detect"]
