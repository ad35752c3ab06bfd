"""Text helpers shared by the formats: cleaning, wrapping and escaping labels."""

from __future__ import annotations

import html
import re
import textwrap
from typing import Final

__all__ = [
    "clean",
    "dot_html_lines",
    "dot_html_text",
    "dot_quoted",
    "html_lines",
    "html_text",
    "wrap",
]

# C0 and C1 controls other than tab and line feed, lone surrogates (not
# encodable) and the two non-characters XML parsers refuse.
_UNSAFE: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """*text* with line ends as ``\\n`` and the characters no text format can carry removed.

    >>> clean("a\\r\\nb\\x00c")
    'a\\nbc'
    """
    return _UNSAFE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def wrap(text: str, width: int) -> list[str]:
    """*text* cleaned and broken into lines of at most *width* characters.

    Line breaks in the text are kept; long words are broken.

    >>> wrap("Building trusting relationships based on shared lived experience", 24)
    ['Building trusting', 'relationships based on', 'shared lived experience']
    """
    lines: list[str] = []
    for paragraph in clean(text).split("\n"):
        if width > 0:
            lines.extend(textwrap.wrap(paragraph, width, break_on_hyphens=False) or [""])
        else:
            lines.append(paragraph.replace("\t", " "))
    return lines


def html_text(text: str) -> str:
    """*text* escaped for HTML (or a Graphviz HTML-like label), quotes included.

    ``]`` is written as a character reference too: Graphviz's label lexer
    fails on ``]]`` before a tag.

    >>> html_text('<b>"Tom" & Jerry</b> [1]')
    '&lt;b&gt;&quot;Tom&quot; &amp; Jerry&lt;/b&gt; [1&#93;'
    """
    return html.escape(clean(text), quote=True).replace("]", "&#93;")


def html_lines(text: str, width: int, *, br: str = "<BR/>") -> str:
    """*text* wrapped at *width*, each line escaped, joined by *br*."""
    return br.join(
        html.escape(line, quote=True).replace("]", "&#93;") for line in wrap(text, width)
    )


def dot_html_text(text: str) -> str:
    r"""*text* for a Graphviz HTML-like label: :func:`html_text` with backslashes doubled.

    Graphviz applies its escapes (``\N`` is the node's name, ``\\`` one
    backslash) inside HTML-like labels too, even to ``&#92;``; doubling every
    backslash makes each one print as itself.

    >>> print(dot_html_text("a\\N <b>"))
    a\\N &lt;b&gt;
    """
    return html_text(text).replace("\\", "\\\\")


def dot_html_lines(text: str, width: int) -> str:
    """:func:`html_lines` for a Graphviz HTML-like label (backslashes doubled)."""
    return html_lines(text, width).replace("\\", "\\\\")


def dot_quoted(text: str) -> str:
    """*text* as a double-quoted DOT string for escString attributes (tooltips),
    shown exactly as typed.

    Graphviz replaces ``\\N``, ``\\G`` and the like by the node's or graph's
    name even after a doubled backslash, so each backslash is doubled and
    followed by an invisible word joiner (U+2060) that no escape starts with.
    Graphviz also passes character references (``&#60;``, ``&lt;``) through
    to SVG, where they would turn into ``<``: ``&`` is written ``&amp;``.

    >>> print(dot_quoted('say "hi" \\\\N & &#60;'))
    "say \\"hi\\" \\\\⁠N &amp; &amp;#60;"
    """
    body = (
        clean(text)
        .replace("\\", "\\\\\u2060")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("&", "&amp;")
    )
    return f'"{body}"'
