"""Starting points for a new model file: small, valid models with guidance.

Each template is a model file that validates cleanly, in the canonical style,
with comments saying what to fill in next. The first line is the schema
modeline, so editors that read it (the YAML language server in VS Code, Vim,
Emacs, JetBrains IDEs) complete keys and kinds and flag mistakes as you type.

>>> sorted(TEMPLATES)
['logic-model', 'mrc', 'realist', 'toc']
>>> text = template_text("toc", title="Safer streets")
>>> text.splitlines()[0]
'# yaml-language-server: $schema=https://changemodel.readthedocs.io/schema/changemodel-1.json'
>>> from changemodel.formats.canonical import loads
>>> loads(text).title
'Safer streets'
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Final

from changemodel.errors import ChangeModelError, InvalidValueError, did_you_mean
from changemodel.formats._files import write_text
from changemodel.formats.schema import SCHEMA_ID

__all__ = ["MODELINE", "TEMPLATES", "TargetExistsError", "template_text", "write_template"]

#: The first line of every scaffold: where editors find the schema.
MODELINE: Final = f"# yaml-language-server: $schema={SCHEMA_ID}"

#: Template name -> what it starts.
TEMPLATES: Final[dict[str, str]] = {
    "logic-model": "a classic logic model: inputs, activities, outputs, outcomes",
    "mrc": "an MRC programme theory: components, mechanisms, context, outcomes",
    "realist": "a realist programme theory: contexts, mechanisms (resource and reasoning)"
    ", outcomes",
    "toc": "a theory of change: interventions, preconditions, assumptions, the goal",
}


class TargetExistsError(ChangeModelError, FileExistsError):
    """The file to write exists, and overwriting it was not asked for."""


def template_text(name: str, *, title: str | None = None) -> str:
    """The text of template *name*, with *title* as the model's title if given."""
    if name not in TEMPLATES:
        hint = did_you_mean(name, TEMPLATES)
        raise InvalidValueError(
            f"unknown template {name!r}; choose one of {', '.join(TEMPLATES)}"
            + (f" (did you mean {hint!r}?)" if hint else ""),
            attribute="template",
            value=name,
        )
    body = (
        resources.files("changemodel.formats")
        .joinpath(f"templates/{name}.yaml")
        .read_text(encoding="utf-8")
    )
    text = f"{MODELINE}\n{body}"
    if title is not None:
        from changemodel.formats.canonical import dumps, loads
        from changemodel.formats.style import format_text

        model = loads(text)
        model.title = title
        # Put the title in, in the canonical style, and keep the guidance comments.
        old = next(line for line in text.splitlines() if line.startswith("title:"))
        new = next(line for line in dumps(model).splitlines() if line.startswith("title:"))
        if "\n" in title or new.endswith(("|", "|-", "|+")):
            raise InvalidValueError("a title is one line of text", attribute="title", value=title)
        text = format_text(text.replace(old, new, 1)).text
    return text


def write_template(
    path: str | os.PathLike[str], name: str, *, title: str | None = None, force: bool = False
) -> None:
    """Write template *name* to *path* (atomically); an existing file is left alone
    unless *force*."""
    if Path(path).exists() and not force:
        raise TargetExistsError(
            f"{os.fspath(path)} already exists; choose another name, or pass force=True"
        )
    write_text(template_text(name, title=title), path)
