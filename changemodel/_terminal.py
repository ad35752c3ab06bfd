"""Model text made inert for a terminal.

A label holding ESC, BEL or another control character could otherwise
retitle the terminal window, clear the screen or fake a hyperlink when a
command prints it. :func:`inert` shows such characters escaped, as Python
would write them; line feeds, tabs and CR LF line ends are kept.

>>> inert("Train\\x1b]0;owned\\x07 staff")
'Train\\\\x1b]0;owned\\\\x07 staff'
>>> inert('{"label": "a\\x9bb"}', json=True)
'{"label": "a\\\\u009bb"}'
>>> inert("line one\\r\\nline two\\tend\\rover")
'line one\\r\\nline two\\tend\\\\x0dover'
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["inert"]

#: C0 controls but line feed, tab and the CR of a CR LF, DEL, C1 controls, and the invisible
#: direction overrides that reorder what a terminal shows.
_UNSAFE: Final = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\r(?!\n)"
)


def _text(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def _json(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def inert(text: str, *, json: bool = False) -> str:
    """*text* with every control character shown escaped (``\\x1b``).

    With ``json=True``, *text* is JSON and the escapes are JSON's own
    (``\\u001b``), so the document still parses to the same values.
    """
    return _UNSAFE.sub(_json if json else _text, text)
