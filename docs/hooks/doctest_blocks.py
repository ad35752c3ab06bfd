"""Show the docstrings' interactive examples (``>>>`` and their output) as code.

Docstrings are Markdown here: an example's output such as ``['a', 'b']`` would
otherwise read as a reference link, which the strict build reports as a
cross-reference that leads nowhere. The Markdown extension this hook adds fences
each run of example lines as a ``pycon`` block, in the pages and in the
docstrings mkdocstrings renders (it adds the extension before mkdocstrings
copies the list of extensions).
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from mkdocs.plugins import event_priority

_FENCE = re.compile(r"^\s*(```|~~~)")
_PROMPT = re.compile(r"^(\s*)>>> ?")


class _DoctestBlocks(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        fenced = False
        i = 0
        while i < len(lines):
            line = lines[i]
            if _FENCE.match(line):
                fenced = not fenced
            match = None if fenced else _PROMPT.match(line)
            if match is None:
                out.append(line)
                i += 1
                continue
            indent = match.group(1)
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i][len(indent) :] if lines[i].startswith(indent) else lines[i])
                i += 1
            out += ["", f"{indent}```pycon", *(indent + b for b in block), f"{indent}```", ""]
        return out


class DoctestBlocks(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's API
        # Before the fenced-code preprocessors (priority 25), so they see the fences.
        md.preprocessors.register(_DoctestBlocks(md), "doctest_blocks", 40)


@event_priority(100)
def on_config(config: Any) -> Any:
    config.markdown_extensions.append(DoctestBlocks())
    return config
