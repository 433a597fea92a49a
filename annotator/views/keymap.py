"""The annotate page's keyboard map, in one place.

The `?` dialog, the keys shown on buttons and annotate.js all come from ``KEYS``: annotate.js
reads the map from the `?` table's rows (``data-keys`` → ``data-action``), so a new key is one
entry here and one action in annotate.js.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Key:
    action: str  # the name annotate.js knows the action by
    keys: tuple[str, ...]  # KeyboardEvent.key values; "Ctrl+" prefixes Ctrl (or ⌘)
    shown: tuple[str, ...]  # the keys as printed on the page
    does: str
    selection: bool = False  # the key applies to the text selected in the article


KEYS: tuple[Key, ...] = (
    Key(
        "claim",
        ("Enter", "q"),
        ("Enter", "q"),
        "use the selection as the claim (a new claim if none is current)",
        selection=True,
    ),
    Key(
        "speaker",
        ("s",),
        ("s",),
        "use the selection as the speaker (a new claim if none is current)",
        selection=True,
    ),
    Key("cue", ("c",), ("c",), "use the selection as the cue", selection=True),
    Key("target", ("t",), ("t",), "use the selection as the target", selection=True),
    Key(
        "fragment",
        ("f",),
        ("f",),
        "add the selection as another fragment of the role set last (a quote split by “he said”)",
        selection=True,
    ),
    Key("entity", ("e",), ("e",), "speaker or target entity (the one set last); Enter picks"),
    Key("stance", tuple("123456789"), ("1", "…", "9"), "stance"),
    Key("save", ("Ctrl+Enter",), ("Ctrl+Enter",), "save the current claim"),
    Key("new", ("N",), ("Shift+N",), "start a new claim (the current one is left as it is)"),
    Key("drop", ("Escape",), ("Esc",), "drop the selection / close a dialog"),
    Key("next", ("j",), ("j",), "next claim or suggestion: it becomes current"),
    Key("previous", ("k",), ("k",), "previous claim or suggestion"),
    Key("delete", ("Delete",), ("Delete",), "delete the current claim (asks once)"),
    Key("accept", ("a",), ("a",), "accept the current suggestion (with the stance shown)"),
    Key("dismiss", ("x",), ("x",), "dismiss the current suggestion"),
    Key("hide", ("h",), ("h",), "hide or show the suggestions' highlights"),
    Key("next-doc", ("n",), ("n",), "next assigned document"),
    Key("previous-doc", ("p",), ("p",), "previous assigned document"),
    Key("submit", ("S",), ("Shift+S",), "submit this document"),
    Key("guidelines", ("g",), ("g",), "the project's guidelines"),
    Key("help", ("?",), ("?",), "this table"),
)


def keycaps() -> dict[str, str]:
    """The first key of each action, for buttons: ``keycaps()["new"] == "Shift+N"``."""
    return {key.action: key.shown[0] for key in KEYS}
