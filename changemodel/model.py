"""The change model: elements, links, references and theories on a graph.

:class:`ChangeModel` owns its objects and keeps them consistent: every link
joins two elements that exist, ids are unique (also after ignoring case and
``-``/``_``), and nothing is silently replaced. A networkx ``MultiDiGraph``
sits underneath (composition, not inheritance), made the first time a graph
question needs it (reading a file and validating it need none) and kept up to
date from then on; :meth:`ChangeModel.to_networkx` hands out a copy with plain
attribute values.

Cross-references that a model may legitimately hold while it is being written
(a theory citing a reference not yet added, evidence naming an unknown
reference, a link listing an assumption id) are not refused here: they are
reported by validation, so a model can be built in any order.

>>> m = ChangeModel("Peer worker change model")
>>> support = m.activity("peer_support", "Peer worker support")
>>> trust = m.mechanism("trust", "Building trusting relationships")
>>> hope = m.process_outcome("hope", "Hope")
>>> _ = support >> trust >> hope
>>> [e.id for e in m.downstream("peer_support")]
['trust', 'hope']
"""

from __future__ import annotations

import contextlib
import enum
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias, Unpack, overload

import attrs

from changemodel.domain import (
    Activity,
    Actor,
    Assumption,
    Confidence,
    Configuration,
    ConfigurationStatus,
    Context,
    DownstreamOutcome,
    Element,
    Evidence,
    Input,
    Kind,
    Link,
    Mechanism,
    Output,
    ProcessOutcome,
    Reference,
    Relation,
    Sign,
    Theory,
    normalise_id,
    validate_id,
)
from changemodel.errors import (
    DuplicateIdError,
    IntegrityError,
    InvalidValueError,
    Location,
    UnknownIdError,
    did_you_mean,
)
from changemodel.index import GraphIndex
from changemodel.keywords import (
    ActivityFields,
    ConfigurationChanges,
    DownstreamOutcomeFields,
    ElementChanges,
    ElementFields,
    LinkFields,
    LinkNoteFields,
    MechanismFields,
    OutcomeFields,
    check_keywords,
)
from changemodel.text import count, with_article

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["DISPLAY_HOOKS", "ChangeModel", "ElementRef", "Group", "LinkKey", "Target"]

LinkKey = tuple[str, str, Relation]

#: Rich display in notebooks: MIME type -> function of a model returning the data
#: or ``None``. The model knows no file format: :mod:`changemodel.formats`
#: registers the diagram (``"image/svg+xml"``) when it is imported.
DISPLAY_HOOKS: dict[str, Callable[[ChangeModel], str | None]] = {}


def _id_of(item: ElementRef | Element | str) -> str:
    if isinstance(item, ElementRef):
        return item.id
    if isinstance(item, Element):
        return item.id
    if isinstance(item, str):
        return item
    raise InvalidValueError(
        f"expected an element, a reference to one or an id, not {type(item).__name__} {item!r}",
        value=item,
    )


class ChangeModel:
    """A theory of change: typed elements and the links between them.

    Parameters are the model's metadata; add content with :meth:`add`, the
    kind methods (:meth:`activity`, :meth:`mechanism`, ...) or :meth:`link`.
    """

    def __init__(
        self,
        title: str = "Untitled change model",
        *,
        description: str | None = None,
        version: str | None = None,
        elements: Iterable[Element] = (),
        links: Iterable[Link] = (),
        references: Iterable[Reference] = (),
        theories: Iterable[Theory] = (),
        configurations: Iterable[Configuration] = (),
        settings: Mapping[str, Any] | None = None,
    ) -> None:
        self.title = title
        self.description = description
        self.version = version
        self._elements: dict[str, Element] = {}
        self._normalised: dict[str, str] = {}
        self._links: dict[LinkKey, Link] = {}
        self._references: dict[str, Reference] = {}
        self._theories: dict[str, Theory] = {}
        self._configurations: dict[str, Configuration] = {}
        # The networkx graph of the model, made on first use (reading a file and
        # validating it need none) and kept up to date from then on.
        self._multigraph: nx.MultiDiGraph[str] | None = None
        self._index: GraphIndex | None = None
        self._journal: list[Callable[[], None]] | None = None
        #: Validation settings written in the model file (selection, severities,
        #: suppressions), kept as plain data and read by :mod:`changemodel.validation`.
        self.settings: dict[str, Any] = dict(settings or {})
        #: Where each element and link came from, when the model was read from a
        #: file: keys are ``"element:<id>"``, ``"link:<link id>"``, ``"reference:<id>"``,
        #: ``"theory:<id>"``, ``"configuration:<id>"``. Not part of equality.
        self.locations: MutableMapping[str, Location] = {}
        #: The file the model was read from, if any. Not part of equality.
        self.source: str | None = None
        self.add(*references, *theories, *elements, *links, *configurations)

    # ------------------------------------------------------------ metadata

    @property
    def title(self) -> str:
        """The model's title (non-empty text)."""
        return self._title

    @title.setter
    def title(self, value: str) -> None:
        if not isinstance(value, str) or not value.strip():
            raise InvalidValueError(
                f"a model's title must be non-empty text, not {value!r}",
                attribute="title",
                value=value,
            )
        self._title = value

    @property
    def description(self) -> str | None:
        """What the model is about, if said."""
        return self._description

    @description.setter
    def description(self, value: str | None) -> None:
        self._description = _optional_text(value, "description")

    @property
    def version(self) -> str | None:
        """The version of the theory, if given."""
        return self._version

    @version.setter
    def version(self, value: str | None) -> None:
        self._version = _optional_text(value, "version")

    # --------------------------------------------------------------- adding

    def add(self, *items: Element | Link | Reference | Theory | Configuration) -> None:
        """Add elements, links, references, theories or configurations (any mix, in order).

        All or nothing: when one item is refused, none of them is added.
        """
        if self._journal is not None:  # inside a block that undoes what it records
            for item in items:
                self._add_one(item)
            return
        added = 0
        try:
            for item in items:
                self._add_one(item)
                added += 1
        except BaseException:
            # Each refusal comes before its item changes anything: take back the others.
            for item in reversed(items[:added]):
                self._take_back(item)
            raise

    def _add_one(self, item: Element | Link | Reference | Theory | Configuration) -> None:
        if isinstance(item, Element):
            self._add_element(item)
        elif isinstance(item, Link):
            self._add_link(item)
        elif isinstance(item, Reference):
            self._add_keyed(self._references, item, "reference")
        elif isinstance(item, Theory):
            self._add_keyed(self._theories, item, "theory")
        elif isinstance(item, Configuration):
            self._add_configuration(item)
        else:
            raise InvalidValueError(
                "a model holds elements, links, references, theories and configurations,"
                f" not {type(item).__name__} {item!r}",
                value=item,
            )

    def _take_back(self, item: Element | Link | Reference | Theory | Configuration) -> None:
        """Undo :meth:`_add_one` of *item*."""
        if isinstance(item, Element):
            self._drop_element(item.id)
        elif isinstance(item, Link):
            self._drop_link(item.key)
        elif isinstance(item, Reference):
            del self._references[item.id]
        elif isinstance(item, Theory):
            del self._theories[item.id]
        else:
            self._drop_configuration(item.id)

    def _add_element(self, element: Element) -> None:
        if element.id in self._elements:
            raise DuplicateIdError(f"the model already has an element with id {element.id!r}")
        clash = self._normalised.get(normalise_id(element.id))
        if clash is not None:
            raise DuplicateIdError(
                f"id {element.id!r} collides with {clash!r}: ids must differ by more"
                " than case or '-' versus '_'"
            )
        self._elements[element.id] = element
        self._normalised[normalise_id(element.id)] = element.id
        if self._multigraph is not None:
            self._multigraph.add_node(element.id)
        self._index = None
        if self._journal is not None:
            self._journal.append(lambda: self._drop_element(element.id))

    def _drop_element(self, id: str) -> None:
        del self._elements[id]
        del self._normalised[normalise_id(id)]
        if self._multigraph is not None:
            self._multigraph.remove_node(id)
        self._index = None

    def _add_link(self, link: Link) -> None:
        for end in (link.source, link.target):
            if end not in self._elements:
                raise self._unknown(end, f"link {link.id} refers to an unknown element {end!r}")
        if link.key in self._links:
            raise DuplicateIdError(f"the model already has the link {link.id}")
        self._links[link.key] = link
        if self._multigraph is not None:
            self._multigraph.add_edge(link.source, link.target, key=link.relation)
        self._index = None
        if self._journal is not None:
            self._journal.append(lambda: self._drop_link(link.key))

    def _add_configuration(self, config: Configuration) -> None:
        if config.id in self._configurations:
            raise DuplicateIdError(f"the model already has a configuration with id {config.id!r}")
        for other in self._configurations:
            if normalise_id(other) == normalise_id(config.id):
                raise DuplicateIdError(
                    f"configuration id {config.id!r} collides with {other!r}: ids must differ by"
                    " more than case or '-' versus '_'"
                )
        self._check_parts(config)
        self._configurations[config.id] = config
        self._index = None
        if self._journal is not None:
            self._journal.append(lambda: self._drop_configuration(config.id))

    def _drop_configuration(self, id: str) -> None:
        del self._configurations[id]
        self._index = None

    def _restore_configurations(self, saved: dict[str, Configuration]) -> None:
        """Undo a change to several configurations: put back the saved ones."""
        self._configurations.clear()
        self._configurations.update(saved)
        self._index = None

    def part_accepts(self, part: str, id: str) -> bool:
        """True when element *id* exists and may stand in configuration part *part*
        (``intervention``, ``contexts``, ``mechanisms`` or ``outcomes``)."""
        return id in self._elements and _PART_KINDS[part](self._elements[id].kind)

    def check_configuration(self, config: Configuration) -> None:
        """Raise the error :meth:`add` would raise for the parts of *config*:
        :class:`UnknownIdError` or :class:`IntegrityError`, naming the configuration
        and the part."""
        self._check_parts(config)

    def _check_parts(self, config: Configuration) -> None:
        """Every element a configuration names exists and has the kind its part needs."""
        for part, id in self.configuration_parts(config):
            if id not in self._elements:
                raise self._unknown(
                    id, f"configuration {config.id!r}: {part} names an unknown element {id!r}"
                )
            kind = self._elements[id].kind
            if not _PART_KINDS[part](kind):
                raise IntegrityError(
                    f"configuration {config.id!r}: {part} lists {id!r}, which is a {kind.label},"
                    f" not {_PART_NAMES[part]}"
                )

    @staticmethod
    def configuration_parts(config: Configuration) -> Iterator[tuple[str, str]]:
        """``(part, element id)`` for every element *config* names, part by part."""
        for part in _PART_KINDS:
            for id in getattr(config, part):
                yield part, id

    def _drop_link(self, key: LinkKey) -> None:
        del self._links[key]
        if self._multigraph is not None:
            self._multigraph.remove_edge(key[0], key[1], key=key[2])
        self._index = None

    def _add_keyed(self, table: dict[str, Any], item: Reference | Theory, what: str) -> None:
        if item.id in table:
            raise DuplicateIdError(
                f"the model already has {with_article(what)} with id {item.id!r}"
            )
        table[item.id] = item
        if self._journal is not None:
            self._journal.append(lambda: table.__delitem__(item.id))

    # ------------------------------------------------ the scripting methods

    @contextlib.contextmanager
    def _atomic(self) -> Iterator[None]:
        """All or nothing: when the block raises, every addition made in it is undone.

        Each low-level change records how to undo itself while a block is open;
        blocks nest (the outermost one undoes).
        """
        if self._journal is not None:
            yield
            return
        journal: list[Callable[[], None]] = []
        self._journal = journal
        try:
            yield
        except BaseException:
            self._journal = None
            for undo in reversed(journal):
                undo()
            self._index = None
            raise
        finally:
            self._journal = None

    def _record(self, undo: Callable[[], None]) -> None:
        if self._journal is not None:
            self._journal.append(undo)

    def _new(
        self,
        call: str,
        cls: type[Element],
        id: str,
        label: str,
        fields: Mapping[str, Any],
        moderates: Iterable[ElementRef | Element | str] | ElementRef | Element | str = (),
    ) -> ElementRef:
        check_keywords(call, fields, cls, exclude=("id", "label"))
        with self._atomic():
            self._add_element(cls(id, label, **fields))
            ref = ElementRef(self, id)
            targets = _as_sequence(moderates)
            if targets:
                ref.moderates(*targets)
        return ref

    def input(self, id: str, label: str, **fields: Unpack[ElementFields]) -> ElementRef:
        """Add an :class:`~changemodel.domain.Input` and return a reference to it."""
        return self._new("input", Input, id, label, fields)

    def activity(self, id: str, label: str, **fields: Unpack[ActivityFields]) -> ElementRef:
        """Add an :class:`~changemodel.domain.Activity` and return a reference to it."""
        return self._new("activity", Activity, id, label, fields)

    def output(self, id: str, label: str, **fields: Unpack[ElementFields]) -> ElementRef:
        """Add an :class:`~changemodel.domain.Output` and return a reference to it."""
        return self._new("output", Output, id, label, fields)

    def mechanism(self, id: str, label: str, **fields: Unpack[MechanismFields]) -> ElementRef:
        """Add a :class:`~changemodel.domain.Mechanism` and return a reference to it.

        ``resource`` and ``reasoning`` split it as realist evaluation does.
        """
        return self._new("mechanism", Mechanism, id, label, fields)

    def context(
        self,
        id: str,
        label: str,
        *,
        moderates: Iterable[ElementRef | Element | str] | ElementRef | Element | str = (),
        **fields: Unpack[ElementFields],
    ) -> ElementRef:
        """Add a :class:`~changemodel.domain.Context`, linked to what it moderates.

        When a target of ``moderates`` does not exist, nothing is added.
        """
        return self._new("context", Context, id, label, fields, moderates)

    def process_outcome(self, id: str, label: str, **fields: Unpack[OutcomeFields]) -> ElementRef:
        """Add a :class:`~changemodel.domain.ProcessOutcome` and return a reference to it."""
        return self._new("process_outcome", ProcessOutcome, id, label, fields)

    def downstream_outcome(
        self, id: str, label: str, **fields: Unpack[DownstreamOutcomeFields]
    ) -> ElementRef:
        """Add a :class:`~changemodel.domain.DownstreamOutcome` and return a reference to it."""
        return self._new("downstream_outcome", DownstreamOutcome, id, label, fields)

    def assumption(
        self,
        id: str,
        label: str,
        *,
        underpins: Iterable[tuple[ElementRef | Element | str, ElementRef | Element | str]] = (),
        **fields: Unpack[ElementFields],
    ) -> ElementRef:
        """Add an :class:`~changemodel.domain.Assumption` and attach it to causal links.

        ``underpins`` lists ``(source, target)`` pairs of existing causal links;
        when one of them does not exist, nothing is added.
        """
        with self._atomic():
            ref = self._new("assumption", Assumption, id, label, fields)
            for source, target in underpins:
                self.underpin(source, target, id)
        return ref

    def reference(
        self, id: str, citation: str, *, doi: str | None = None, url: str | None = None
    ) -> Reference:
        """Add a :class:`~changemodel.domain.Reference`."""
        ref = Reference(id, citation, doi=doi, url=url)
        self.add(ref)
        return ref

    def theory(
        self,
        id: str,
        name: str,
        *,
        description: str | None = None,
        references: Iterable[str | Reference] = (),
    ) -> Theory:
        """Add a :class:`~changemodel.domain.Theory`."""
        theory = Theory(
            id,
            name,
            description=description,
            references=tuple(r.id if isinstance(r, Reference) else r for r in references),
        )
        self.add(theory)
        return theory

    def configuration(
        self,
        id: str,
        *,
        statement: str | None = None,
        intervention: Iterable[ElementRef | Element | str] | ElementRef | str = (),
        contexts: Iterable[ElementRef | Element | str] | ElementRef | str = (),
        actors: Iterable[Actor | str] | Actor | str = (),
        mechanisms: Iterable[ElementRef | Element | str] | ElementRef | str = (),
        outcomes: Iterable[ElementRef | Element | str] | ElementRef | str = (),
        status: ConfigurationStatus | str = ConfigurationStatus.INITIAL,
        refines: Iterable[Configuration | str] | str = (),
        confidence: Confidence | str | Mapping[str, Any] | None = None,
        evidence: Iterable[Evidence | Mapping[str, Any]] = (),
        tags: Iterable[str] = (),
        link: bool = True,
    ) -> Configuration:
        """Add a :class:`~changemodel.domain.Configuration` and return it.

        Parts take elements, references to them or ids. With ``link=True`` (the
        default) the links the configuration asserts (see :meth:`asserted_links`)
        are added where the model lacks them, so the graph and the
        configurations agree.

        >>> m = ChangeModel("Contrast")
        >>> _ = m.mechanism("trust", "Trust"), m.context("c1", "Small group")
        >>> _ = m.context("c2", "Large group"), m.process_outcome("o1", "Disclosure")
        >>> _ = m.process_outcome("o2", "Withdrawal", intended=False)
        >>> _ = m.configuration("CMOC1", contexts="c1", mechanisms="trust", outcomes="o1")
        >>> _ = m.configuration("CMOC2", contexts="c2", mechanisms="trust", outcomes="o2")
        >>> [c.contexts for c in m.configurations]
        [('c1',), ('c2',)]
        """
        config = Configuration(
            id,
            statement=statement,
            intervention=tuple(_id_of(x) for x in _as_sequence(intervention)),
            contexts=tuple(_id_of(x) for x in _as_sequence(contexts)),
            actors=_as_sequence(actors),
            mechanisms=tuple(_id_of(x) for x in _as_sequence(mechanisms)),
            outcomes=tuple(_id_of(x) for x in _as_sequence(outcomes)),
            status=status,
            refines=tuple(
                r.id if isinstance(r, Configuration) else r for r in _as_sequence(refines)
            ),
            confidence=confidence,
            evidence=tuple(evidence),
            tags=tuple(tags),
        )
        with self._atomic():
            self._add_configuration(config)
            if link:
                for new in self.asserted_links(config.id):
                    if new.key not in self._links:
                        self._add_link(new)
        return config

    def asserted_links(self, id: str | Configuration) -> tuple[Link, ...]:
        """The links configuration *id* asserts, whether or not the model has them.

        Each activity of the intervention leads to the mechanisms that offer a
        resource, each mechanism leads to every outcome, and every context
        moderates the mechanisms. When the mechanism is split (some mechanisms
        state only a resource, others a reasoning), the resource leads to the
        reasoning, and the contexts moderate the reasoning, where they trigger
        it. A partial configuration asserts only the links between the parts it
        has.
        """
        config = id if isinstance(id, Configuration) else self.get_configuration(id)
        mechanisms = [self._elements[m] for m in config.mechanisms if m in self._elements]

        def is_resource_only(m: Element) -> bool:
            return (
                getattr(m, "resource", None) is not None and getattr(m, "reasoning", None) is None
            )

        offered = [m.id for m in mechanisms if is_resource_only(m)]
        reasoned = [m.id for m in mechanisms if not is_resource_only(m)]
        split = bool(offered and reasoned)
        if not split:
            offered = reasoned = [m.id for m in mechanisms]
        found: dict[LinkKey, Link] = {}

        def add(link: Link) -> None:
            found.setdefault(link.key, link)

        for activity in config.intervention:
            for m in offered:
                add(Link(activity, m))
        if split:
            for m in offered:
                for r in reasoned:
                    add(Link(m, r))
        for m in reasoned:
            for o in config.outcomes:
                add(Link(m, o))
        for c in config.contexts:
            for m in reasoned:
                add(Link(c, m, relation=Relation.MODERATES))
        return tuple(found.values())

    def link(
        self,
        source: ElementRef | Element | str,
        target: ElementRef | Element | str,
        relation: Relation | str = Relation.LEADS_TO,
        **fields: Unpack[LinkFields],
    ) -> Link:
        """Add a link and return it. ``fields`` are those of :class:`~changemodel.domain.Link`."""
        check_keywords("link", fields, Link, exclude=("source", "target", "relation"))
        link = Link(_id_of(source), _id_of(target), relation=relation, **fields)
        self.add(link)
        return link

    def chain(self, *steps: ElementRef | Element | str, **fields: Unpack[LinkFields]) -> list[Link]:
        """Link each step to the next with a causal link: ``chain(a, b, c)`` is a->b->c.

        When one link cannot be made, none is added.
        """
        if len(steps) < 2:
            raise InvalidValueError("a chain needs at least two steps", value=steps)
        with self._atomic():
            return [self.link(a, b, **fields) for a, b in itertools.pairwise(steps)]

    def underpin(
        self,
        source: ElementRef | Element | str,
        target: ElementRef | Element | str,
        assumption: ElementRef | Element | str,
    ) -> Link:
        """Attach an assumption to the causal link from *source* to *target*."""
        key = (_id_of(source), _id_of(target), Relation.LEADS_TO)
        old = self.get_link(*key)
        aid = _id_of(assumption)
        if aid in old.assumptions:
            return old
        new = attrs.evolve(old, assumptions=(*old.assumptions, aid))
        self._links[key] = new
        self._index = None
        self._record(lambda: self._links.__setitem__(key, old))
        return new

    # ------------------------------------------------------------- changing

    def replace(self, item: Element | Link | Reference | Theory | Configuration) -> None:
        """Put *item* in place of the object with the same id (or link key).

        An element may not change kind while links depend on it in ways
        the new kind cannot hold; that is left to validation.
        """
        if isinstance(item, Element):
            self.element(item.id)
            self._elements[item.id] = item
            self._index = None
        elif isinstance(item, Link):
            self.get_link(*item.key)
            self._links[item.key] = item
            self._index = None
        elif isinstance(item, Reference):
            self.get_reference(item.id)
            self._references[item.id] = item
        elif isinstance(item, Theory):
            self.get_theory(item.id)
            self._theories[item.id] = item
        elif isinstance(item, Configuration):
            self.get_configuration(item.id)
            self._check_parts(item)
            self._configurations[item.id] = item
        else:
            raise InvalidValueError(f"cannot replace {type(item).__name__} {item!r}", value=item)

    def update(self, id: str, /, **changes: Unpack[ElementChanges]) -> Element:
        """Change fields of an element (through :func:`attrs.evolve`) and return it.

        A field the element's kind does not have raises
        :class:`~changemodel.keywords.UnknownKeywordError`; use :meth:`rename`
        to change an id.
        """
        old = self.element(id)
        if "id" in changes:
            raise InvalidValueError("use rename() to change an id", attribute="id")
        where = f"{old.kind.label} {id!r}"
        check_keywords("update", changes, type(old), exclude=("id",), where=where)
        values: dict[str, Any] = dict(changes)
        new = attrs.evolve(old, **values)
        self._elements[id] = new
        self._index = None
        self._record(lambda: self._elements.__setitem__(id, old))
        return new

    def remove(self, id: str, *, cascade: bool = False) -> Element:
        """Remove an element.

        Links to or from it, and links that list it as an assumption, are
        removed (or lose it) only with ``cascade=True``; otherwise the removal
        is refused, so nothing disappears by accident.
        """
        element = self.element(id)
        touching = [k for k in self._links if id in (k[0], k[1])]
        listing = [k for k, link in self._links.items() if id in link.assumptions]
        naming = [c.id for c in self._configurations.values() if id in c.element_ids]
        if (touching or listing) and not cascade:
            ids = ", ".join(sorted(self._links[k].id for k in touching + listing))
            raise IntegrityError(
                f"cannot remove {id!r}: links depend on it ({ids}); pass cascade=True to remove"
                " them too"
            )
        if naming and not cascade:
            raise IntegrityError(
                f"cannot remove {id!r}: configurations name it ({', '.join(naming)}); pass"
                " cascade=True to take it out of them too"
            )
        for cid in naming:
            config = self._configurations[cid]
            kept: dict[str, Any] = {
                part: tuple(x for x in getattr(config, part) if x != id) for part in _PART_KINDS
            }
            self._configurations[cid] = attrs.evolve(config, **kept)
        for key in touching:
            del self._links[key]
        for key in listing:
            if key in self._links:
                link = self._links[key]
                self._links[key] = attrs.evolve(
                    link, assumptions=tuple(a for a in link.assumptions if a != id)
                )
        del self._elements[id]
        del self._normalised[normalise_id(id)]
        if self._multigraph is not None:
            self._multigraph.remove_node(id)
        self._index = None
        return element

    def remove_link(
        self,
        source: ElementRef | Element | str,
        target: ElementRef | Element | str,
        relation: Relation | str = Relation.LEADS_TO,
    ) -> Link:
        """Remove the link from *source* to *target* with this relation and return it."""
        link = self.get_link(_id_of(source), _id_of(target), relation)
        del self._links[link.key]
        if self._multigraph is not None:
            self._multigraph.remove_edge(link.source, link.target, key=link.relation)
        self._index = None
        return link

    def rename(self, old: str, new: str) -> None:
        """Give an element a new id, updating every link, assumption list and the
        suppressions in the model's validation settings."""
        element = self.element(old)
        validate_id(new)
        if new == old:
            return
        if new in self._elements:
            raise DuplicateIdError(f"the model already has an element with id {new!r}")
        clash = self._normalised.get(normalise_id(new))
        if clash is not None and clash != old:
            raise DuplicateIdError(f"id {new!r} collides with {clash!r}")
        links = list(self._links.values())
        elements = list(self._elements.values())
        self._elements.clear()
        self._normalised.clear()
        self._links.clear()
        self._multigraph = None
        self._index = None
        for e in elements:
            self._add_element(attrs.evolve(e, id=new) if e.id == old else e)

        def swap(x: str) -> str:
            return new if x == old else x

        renamed = {old: new}
        for link in links:
            moved = attrs.evolve(
                link,
                source=swap(link.source),
                target=swap(link.target),
                assumptions=tuple(swap(a) for a in link.assumptions),
            )
            self._add_link(moved)
            renamed[link.id] = moved.id
        for cid, config in self._configurations.items():
            if old in config.element_ids:
                swapped: dict[str, Any] = {
                    part: tuple(swap(x) for x in getattr(config, part)) for part in _PART_KINDS
                }
                self._configurations[cid] = attrs.evolve(config, **swapped)
        for key in [k for k in self.locations if k == f"element:{old}"]:
            self.locations[f"element:{new}"] = self.locations.pop(key)
        self._rename_in_settings(renamed)
        del element

    def update_configuration(
        self, id: str, /, **changes: Unpack[ConfigurationChanges]
    ) -> Configuration:
        """Change fields of a configuration (through :func:`attrs.evolve`) and return it;
        use :meth:`rename_configuration` to change its id."""
        old = self.get_configuration(id)
        if "id" in changes:
            raise InvalidValueError("use rename_configuration() to change an id", attribute="id")
        check_keywords(
            "update_configuration",
            changes,
            Configuration,
            exclude=("id",),
            where=f"configuration {id!r}",
        )
        values: dict[str, Any] = dict(changes)
        new = attrs.evolve(old, **values)
        self._check_parts(new)
        self._configurations[id] = new
        self._index = None
        self._record(lambda: self._configurations.__setitem__(id, old))
        return new

    def rename_configuration(self, old: str, new: str) -> None:
        """Give a configuration a new id, updating the ``refines`` of the others."""
        config = self.get_configuration(old)
        validate_id(new)
        if new == old:
            return
        for other in self._configurations:
            if other != old and normalise_id(other) == normalise_id(new):
                raise DuplicateIdError(f"configuration id {new!r} collides with {other!r}")
        items = list(self._configurations.items())
        saved = dict(self._configurations)
        self._configurations.clear()
        self._index = None
        self._record(lambda: self._restore_configurations(saved))
        for cid, c in items:
            if cid == old:
                c = attrs.evolve(config, id=new)
            if old in c.refines:
                c = attrs.evolve(c, refines=tuple(new if r == old else r for r in c.refines))
            self._configurations[c.id] = c
        key = f"configuration:{old}"
        if key in self.locations:
            self.locations[f"configuration:{new}"] = self.locations.pop(key)

    def remove_configuration(self, id: str, *, cascade: bool = False) -> Configuration:
        """Remove a configuration and return it.

        When others name it in ``refines``, the removal is refused unless
        ``cascade=True``, which takes it out of their ``refines``. The links it
        asserted stay: other configurations or the graph may need them.
        """
        config = self.get_configuration(id)
        refining = [c.id for c in self._configurations.values() if id in c.refines]
        if refining and not cascade:
            raise IntegrityError(
                f"cannot remove configuration {id!r}: {', '.join(refining)} refine it; pass"
                " cascade=True to take it out of their 'refines' too"
            )
        saved = dict(self._configurations)
        for cid in refining:
            c = self._configurations[cid]
            self._configurations[cid] = attrs.evolve(
                c, refines=tuple(r for r in c.refines if r != id)
            )
        del self._configurations[id]
        self._index = None
        self._record(lambda: self._restore_configurations(saved))
        return config

    def _rename_in_settings(self, renamed: Mapping[str, str]) -> None:
        """Point the suppressions in the model's settings at the renamed element and links."""
        entries = self.settings.get("suppress")
        if not isinstance(entries, list):
            return
        self.settings["suppress"] = [
            {**entry, "target": renamed.get(entry["target"], entry["target"])}
            if isinstance(entry, dict) and isinstance(entry.get("target"), str)
            else entry
            for entry in entries
        ]

    # ------------------------------------------------------------- reading

    def _unknown(self, id: str, message: str | None = None) -> UnknownIdError:
        return UnknownIdError(
            message or f"no element with id {id!r}",
            id=id,
            suggestion=did_you_mean(id, self._elements),
        )

    def element(self, id: str) -> Element:
        """The element with this id; :class:`UnknownIdError` says the closest id if absent."""
        try:
            return self._elements[id]
        except (KeyError, TypeError):
            raise self._unknown(str(id)) from None

    def __getitem__(self, id: str) -> Element:
        return self.element(id)

    def __contains__(self, item: object) -> bool:
        if isinstance(item, ElementRef):
            return item.model is self and item.id in self._elements
        if isinstance(item, Element):
            return self._elements.get(item.id) == item
        if isinstance(item, Link):
            return self._links.get(item.key) == item
        return isinstance(item, str) and item in self._elements

    def __iter__(self) -> Iterator[Element]:
        return iter(list(self._elements.values()))

    def __len__(self) -> int:
        return len(self._elements)

    def ref(self, id: str) -> ElementRef:
        """A scripting reference to an existing element."""
        self.element(id)
        return ElementRef(self, id)

    @property
    def elements(self) -> tuple[Element, ...]:
        """All elements, in the order they were added."""
        return tuple(self._elements.values())

    @property
    def links(self) -> tuple[Link, ...]:
        """All links, in the order they were added."""
        return tuple(self._links.values())

    @property
    def references(self) -> tuple[Reference, ...]:
        """All references, in the order they were added."""
        return tuple(self._references.values())

    @property
    def theories(self) -> tuple[Theory, ...]:
        """All theories, in the order they were added."""
        return tuple(self._theories.values())

    @property
    def configurations(self) -> tuple[Configuration, ...]:
        """The realist configurations, in the order they were added (file order)."""
        return tuple(self._configurations.values())

    def get_configuration(self, id: str) -> Configuration:
        """The configuration with this id; the error names the closest id if absent."""
        try:
            return self._configurations[id]
        except (KeyError, TypeError):
            raise UnknownIdError(
                f"no configuration with id {id!r}",
                id=str(id),
                suggestion=did_you_mean(str(id), self._configurations),
            ) from None

    def contrasting_pairs(
        self, among: Iterable[Configuration] | None = None
    ) -> Iterator[tuple[Configuration, Configuration, tuple[str, ...]]]:
        """The pairs of configurations that contrast (the same mechanism under
        different contexts, with different outcomes: see
        :meth:`Configuration.contrast_with`), each once, as ``(first, second,
        shared mechanism ids)`` in the order of *among* (default: every stored
        configuration, in file order).

        Lazy, and only configurations that share a mechanism are compared, so
        the work grows with the pairs found, not with the square of the
        configurations.

        >>> m = ChangeModel("Groups")
        >>> _ = m.context("small", "Small group"), m.context("large", "Large group")
        >>> _ = m.mechanism("trust", "Trust in peers")
        >>> _ = m.process_outcome("talk", "Disclosure"), m.process_outcome("quit", "Withdrawal")
        >>> _ = m.configuration("C1", contexts="small", mechanisms="trust", outcomes="talk")
        >>> _ = m.configuration("C2", contexts="large", mechanisms="trust", outcomes="quit")
        >>> [(a.id, b.id, shared) for a, b, shared in m.contrasting_pairs()]
        [('C1', 'C2', ('trust',))]
        """
        configs = list(self._configurations.values() if among is None else among)
        sharing: dict[str, list[int]] = {}  # mechanism -> positions naming it
        for i, c in enumerate(configs):
            for m in dict.fromkeys(c.mechanisms):
                sharing.setdefault(m, []).append(i)
        for i, a in enumerate(configs):
            later = sorted({j for m in a.mechanisms for j in sharing[m] if j > i})
            for j in later:
                shared = a.contrast_with(configs[j])
                if shared:
                    yield a, configs[j], shared

    def configurations_of(self, element_id: str) -> tuple[Configuration, ...]:
        """The configurations that name element *element_id*, in file order."""
        self.element(element_id)
        return tuple(c for c in self._configurations.values() if element_id in c.element_ids)

    def get_link(
        self, source: str, target: str, relation: Relation | str = Relation.LEADS_TO
    ) -> Link:
        """The link from *source* to *target* with this relation."""
        try:
            key = (source, target, Relation(relation))
        except ValueError:
            allowed = ", ".join(r.value for r in Relation)
            raise InvalidValueError(
                f"unknown relation {relation!r}; expected one of {allowed}", value=relation
            ) from None
        try:
            return self._links[key]
        except KeyError:
            name = Link(source, target, relation=key[2], feedback=source == target).id
            raise UnknownIdError(f"no link {name}", id=name) from None

    def find_link(self, link_id: str) -> Link:
        """The link whose :attr:`~changemodel.domain.Link.id` is *link_id*."""
        for link in self._links.values():
            if link.id == link_id:
                return link
        raise UnknownIdError(
            f"no link {link_id}",
            id=link_id,
            suggestion=did_you_mean(link_id, (lk.id for lk in self._links.values())),
        )

    def get_reference(self, id: str) -> Reference:
        """The reference with this id; :class:`UnknownIdError` says the closest id if absent."""
        try:
            return self._references[id]
        except KeyError:
            raise UnknownIdError(
                f"no reference with id {id!r}",
                id=id,
                suggestion=did_you_mean(id, self._references),
            ) from None

    def get_theory(self, id: str) -> Theory:
        """The theory with this id; :class:`UnknownIdError` says the closest id if absent."""
        try:
            return self._theories[id]
        except KeyError:
            raise UnknownIdError(
                f"no theory with id {id!r}", id=id, suggestion=did_you_mean(id, self._theories)
            ) from None

    def elements_of(self, *kinds: Kind | str) -> tuple[Element, ...]:
        """The elements of the given kinds, in the order they were added."""
        wanted = {Kind(k) for k in kinds}
        return tuple(e for e in self._elements.values() if e.kind in wanted)

    def count_by_kind(self) -> dict[Kind, int]:
        """How many elements of each kind (every kind listed, in chain order)."""
        counts = dict.fromkeys(Kind, 0)
        for e in self._elements.values():
            counts[e.kind] += 1
        return counts

    def links_from(self, id: str, relation: Relation | str | None = None) -> tuple[Link, ...]:
        """The links leaving *id*, optionally of one relation."""
        self.element(id)
        rel = None if relation is None else Relation(relation)
        return tuple(
            self._links[(id, t, k)]
            for _, t, k in self._graph.out_edges(id, keys=True)
            if rel is None or k == rel
        )

    def links_to(self, id: str, relation: Relation | str | None = None) -> tuple[Link, ...]:
        """The links arriving at *id*, optionally of one relation."""
        self.element(id)
        rel = None if relation is None else Relation(relation)
        return tuple(
            self._links[(s, id, k)]
            for s, _, k in self._graph.in_edges(id, keys=True)
            if rel is None or k == rel
        )

    def successors(
        self, id: str, relation: Relation | str | None = Relation.LEADS_TO
    ) -> tuple[Element, ...]:
        """The elements *id* links to (by default through causal links)."""
        return _unique(self._elements[lk.target] for lk in self.links_from(id, relation))

    def predecessors(
        self, id: str, relation: Relation | str | None = Relation.LEADS_TO
    ) -> tuple[Element, ...]:
        """The elements that link to *id* (by default through causal links)."""
        return _unique(self._elements[lk.source] for lk in self.links_to(id, relation))

    def _closure(
        self, id: str, relation: Relation | str | None, forward: bool
    ) -> tuple[Element, ...]:
        self.element(id)
        rel = None if relation is None else Relation(relation)
        seen = {id}
        order: list[str] = []
        frontier = [id]
        edges = self._graph.out_edges if forward else self._graph.in_edges
        while frontier:
            nxt: list[str] = []
            for node in frontier:
                for s, t, k in edges(node, keys=True):
                    other = t if forward else s
                    if (rel is None or k == rel) and other not in seen:
                        seen.add(other)
                        order.append(other)
                        nxt.append(other)
            frontier = nxt
        return tuple(self._elements[i] for i in order)

    def downstream(
        self, id: str, relation: Relation | str | None = Relation.LEADS_TO
    ) -> tuple[Element, ...]:
        """Everything reachable from *id* (breadth first, *id* excluded)."""
        return self._closure(id, relation, forward=True)

    def upstream(
        self, id: str, relation: Relation | str | None = Relation.LEADS_TO
    ) -> tuple[Element, ...]:
        """Everything that reaches *id* (breadth first, *id* excluded)."""
        return self._closure(id, relation, forward=False)

    def causal_graph(self, *, include_feedback: bool = False) -> nx.DiGraph[str]:
        """A new ``DiGraph`` of the causal (``leads_to``) links, feedback links left out
        unless asked for. Nodes carry ``kind``; edges carry ``sign`` and ``confidence``."""
        import networkx as nx

        graph: nx.DiGraph[str] = nx.DiGraph()
        for e in self._elements.values():
            if e.kind is not Kind.ASSUMPTION:
                graph.add_node(e.id, kind=e.kind, label=e.label)
        for link in self._links.values():
            if link.is_causal and (include_feedback or not link.feedback):
                graph.add_edge(link.source, link.target, sign=link.sign, confidence=link.confidence)
        return graph

    def topological_order(self) -> tuple[Element, ...]:
        """Elements in causal order (feedback links ignored).

        Ties are broken by chain stage then id, so the order is deterministic.
        Raises :class:`IntegrityError` naming a cycle when the causal links
        (without feedback) are not acyclic.
        """
        return tuple(self._elements[i] for i in self.graph_index.order)

    def is_acyclic(self) -> bool:
        """True when the causal links, without feedback links, form no cycle."""
        return self.graph_index.is_acyclic

    def to_networkx(self) -> nx.MultiDiGraph[str]:
        """A new ``MultiDiGraph`` of the whole model, with plain attribute values.

        Nodes are element ids, with ``kind`` and ``label`` and, when set, the
        element's other single-valued fields (``description``, ``resource``,
        ``reasoning``, ``horizon``), and an outcome's ``intended``. Edges are keyed
        by relation (its value, such as ``"leads_to"``) and carry ``relation``,
        ``sign``, ``feedback`` and, when set, ``confidence`` and ``rationale``. Graph
        attributes: ``title`` and, when set, ``description`` and ``version``. Every
        value is text, a number or a boolean (enums become their value; nothing is
        ``None``), so networkx's own writers take the graph as it is:

        >>> import io, json
        >>> import networkx as nx
        >>> m = ChangeModel("Peer support")
        >>> _ = m.activity("support", "Peer support") >> m.process_outcome("hope", "Hope")
        >>> graph = m.to_networkx()
        >>> graph.nodes["hope"]
        {'kind': 'process_outcome', 'label': 'Hope', 'intended': True}
        >>> nx.write_graphml(graph, io.BytesIO())
        >>> _ = json.dumps(nx.node_link_data(graph, edges="edges"))

        Lists (actors, indicators, evidence, theories, tags, a link's
        assumptions) are left out: :meth:`element` and :meth:`get_link` give the
        objects, and :mod:`changemodel.formats.graphml` writes everything.
        """
        import networkx as nx

        graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        meta = {"title": self.title, "description": self.description, "version": self.version}
        graph.graph.update(_scalars(meta))
        for e in self._elements.values():
            fields = {f.name: getattr(e, f.name) for f in attrs.fields(type(e))}
            del fields["id"]
            graph.add_node(e.id, kind=e.kind.value, **_scalars(fields))
        for link in self._links.values():
            fields = {f.name: getattr(link, f.name) for f in attrs.fields(Link)}
            for end in ("source", "target"):
                del fields[end]
            graph.add_edge(link.source, link.target, key=link.relation.value, **_scalars(fields))
        return graph

    # ----------------------------------------------------- identity, copies

    def _content(self) -> tuple[object, ...]:
        return (
            self.title,
            self.description,
            self.version,
            self._elements,
            self._links,
            self._references,
            self._theories,
            list(self._configurations.values()),
            self.settings,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ChangeModel):
            return NotImplemented
        return self._content() == other._content()

    __hash__ = None  # type: ignore[assignment]  # mutable: not hashable

    def copy(self) -> ChangeModel:
        """An independent copy (the frozen objects are shared, which is safe)."""
        new = ChangeModel(
            self.title,
            description=self.description,
            version=self.version,
            elements=self.elements,
            links=self.links,
            references=self.references,
            theories=self.theories,
            configurations=self.configurations,
            settings=_deepcopy_data(self.settings),
        )
        new.locations = dict(self.locations)
        new.source = self.source
        return new

    def _repr_svg_(self) -> str | None:
        """The model as a diagram in notebooks (see :data:`DISPLAY_HOOKS`)."""
        hook = DISPLAY_HOOKS.get("image/svg+xml")
        return hook(self) if hook is not None else None

    def __repr__(self) -> str:
        return (
            f"<ChangeModel {self.title!r}: {count(len(self._elements), 'element')},"
            f" {count(len(self._links), 'link')}"
            + (
                f", {count(len(self._configurations), 'configuration')}"
                if self._configurations
                else ""
            )
            + ">"
        )

    # ---------------------------------------------------------- graph index

    @property
    def _graph(self) -> nx.MultiDiGraph[str]:
        """The networkx graph of elements and links (keyed by relation), made on first
        use and kept up to date by every change from then on."""
        graph = self._multigraph
        if graph is None:
            import networkx as nx

            graph = nx.MultiDiGraph()
            graph.add_nodes_from(self._elements)
            for source, target, relation in self._links:
                graph.add_edge(source, target, key=relation)
            self._multigraph = graph
        return graph

    @property
    def graph_index(self) -> GraphIndex:
        """The adjacency and causal order of the model as it is now
        (:class:`~changemodel.index.GraphIndex`).

        Built on first use and kept until an element or a link is added,
        replaced, updated, renamed or removed; validation and analysis share it,
        so asking one question after another walks the graph once.

        >>> m = ChangeModel("Tiny")
        >>> _ = m.activity("a", "Do") >> m.process_outcome("o", "Change")
        >>> m.graph_index is m.graph_index
        True
        >>> before = m.graph_index
        >>> _ = m.ref("o") >> m.downstream_outcome("d", "Impact")
        >>> m.graph_index is before, m.graph_index.order
        (False, ('a', 'o', 'd'))
        """
        index = self._index
        if index is None:
            index = self._index = GraphIndex(self._elements, self._links.values())
        return index


#: What the scripting methods take where they need an element: a reference to
#: one, the element itself or its id.
Target: TypeAlias = "ElementRef | Element | str"


class ElementRef:
    """A handle on an element of a model, for writing the theory as it reads.

    ``a >> b`` adds the causal link a -> b and returns ``b``, so
    ``support >> trust >> hope`` writes a chain. ``a >> (b, c)`` fans out and
    returns a :class:`Group`; ``(a, b) >> c`` fans in. Each of these adds all of
    its links or, when one cannot be made, none.
    """

    __slots__ = ("id", "model")

    def __init__(self, model: ChangeModel, id: str) -> None:
        self.model = model
        self.id = id

    @property
    def element(self) -> Element:
        """The element now in the model under this id."""
        return self.model.element(self.id)

    @property
    def kind(self) -> Kind:
        """The element's kind."""
        return self.element.kind

    @overload
    def leads_to(self, target: Target, /, **fields: Unpack[LinkFields]) -> ElementRef: ...
    @overload
    def leads_to(
        self, first: Target, second: Target, /, *more: Target, **fields: Unpack[LinkFields]
    ) -> Group: ...
    def leads_to(self, *targets: Target, **fields: Unpack[LinkFields]) -> ElementRef | Group:
        """Causal links from this element to each target (sign ``increases`` by default).

        Returns the target, or a :class:`Group` of them when there are several.
        """
        if not targets:
            raise InvalidValueError("leads_to() needs at least one target")
        check_keywords("leads_to", fields, Link, exclude=("source", "target", "relation"))
        with self.model._atomic():
            refs = [self.model.ref(_id_of(t)) for t in targets]
            for t in refs:
                self.model.link(self, t, **fields)
        return refs[0] if len(refs) == 1 else Group(refs)

    @overload
    def reduces(self, target: Target, /, **fields: Unpack[LinkFields]) -> ElementRef: ...
    @overload
    def reduces(
        self, first: Target, second: Target, /, *more: Target, **fields: Unpack[LinkFields]
    ) -> Group: ...
    def reduces(self, *targets: Target, **fields: Unpack[LinkFields]) -> ElementRef | Group:
        """Causal links with sign ``reduces``."""
        if fields.get("sign", Sign.REDUCES) != Sign.REDUCES:
            raise InvalidValueError(
                "reduces() makes links that reduce", attribute="sign", value=fields["sign"]
            )
        fields["sign"] = Sign.REDUCES
        return self.leads_to(*targets, **fields)

    def feeds_back_to(self, target: Target, **fields: Unpack[LinkFields]) -> ElementRef:
        """A deliberate feedback loop back to an earlier element."""
        if not fields.get("feedback", True):
            raise InvalidValueError("feeds_back_to() makes feedback links", attribute="feedback")
        fields["feedback"] = True
        return self.leads_to(target, **fields)

    def moderates(self, *targets: Target, **fields: Unpack[LinkNoteFields]) -> ElementRef:
        """This context shapes each target. Returns this reference."""
        check_keywords(
            "moderates", fields, Link, exclude=("source", "target", "relation", "sign", "feedback")
        )
        with self.model._atomic():
            for t in targets:
                self.model.link(self, t, Relation.MODERATES, **fields)
        return self

    def part_of(self, parent: Target, **fields: Unpack[LinkNoteFields]) -> ElementRef:
        """This element is a sub-component of *parent*. Returns this reference."""
        check_keywords(
            "part_of", fields, Link, exclude=("source", "target", "relation", "sign", "feedback")
        )
        self.model.link(self, parent, Relation.PART_OF, **fields)
        return self

    def update(self, **changes: Unpack[ElementChanges]) -> ElementRef:
        """Change fields of the element (description, indicators, evidence, ...)."""
        self.model.update(self.id, **changes)
        return self

    @overload
    def __rshift__(self, other: ElementRef | Element | str) -> ElementRef: ...  # type: ignore[overload-overlap]  # a str is one id, not a sequence
    @overload
    def __rshift__(self, other: Sequence[ElementRef | Element | str]) -> Group: ...
    def __rshift__(
        self, other: ElementRef | Element | str | Sequence[ElementRef | Element | str]
    ) -> ElementRef | Group:
        """``a >> b`` links a to b and returns b; ``a >> (b, c)`` returns both as a group."""
        if isinstance(other, ElementRef | Element | str):
            return self.leads_to(other)
        if not other:
            raise InvalidValueError(f"{self.id} >> () links to nothing")
        with self.model._atomic():
            return Group([self.leads_to(t) for t in other])

    def __rrshift__(self, other: Sequence[ElementRef | Element | str]) -> ElementRef:
        """``(a, b) >> c``: each of a and b leads to c."""
        with self.model._atomic():
            for source in other:
                self.model.ref(_id_of(source)).leads_to(self)
        return self

    def __repr__(self) -> str:
        return f"<ElementRef {self.id!r}>"


class Group:
    """Several element references: ``(a, b) >> c`` links each of them to c."""

    __slots__ = ("refs",)

    def __init__(self, refs: Iterable[ElementRef]) -> None:
        self.refs = tuple(refs)

    @overload
    def __rshift__(self, other: ElementRef | Element | str) -> ElementRef: ...  # type: ignore[overload-overlap]  # a str is one id, not a sequence
    @overload
    def __rshift__(self, other: Sequence[ElementRef | Element | str]) -> Group: ...
    def __rshift__(
        self, other: ElementRef | Element | str | Sequence[ElementRef | Element | str]
    ) -> ElementRef | Group:
        """Link every member to *other* (one element or several) and return *other*."""
        if not self.refs:
            raise InvalidValueError("an empty group links to nothing")
        with self.refs[0].model._atomic():
            results = [ref >> other for ref in self.refs]
        return results[-1]

    def __iter__(self) -> Iterator[ElementRef]:
        return iter(self.refs)

    def __len__(self) -> int:
        return len(self.refs)

    def __repr__(self) -> str:
        return f"<Group {[r.id for r in self.refs]}>"


#: What each configuration part may name.
_PART_KINDS: dict[str, Callable[[Kind], bool]] = {
    "intervention": lambda k: k is Kind.ACTIVITY,
    "contexts": lambda k: k is Kind.CONTEXT,
    "mechanisms": lambda k: k is Kind.MECHANISM,
    "outcomes": lambda k: k.is_outcome,
}
_PART_NAMES: dict[str, str] = {
    "intervention": "an activity",
    "contexts": "a context",
    "mechanisms": "a mechanism",
    "outcomes": "a process or downstream outcome",
}


@overload
def _as_sequence(value: str) -> tuple[str]: ...
@overload
def _as_sequence(value: Any) -> tuple[Any, ...]: ...
def _as_sequence(value: Any) -> tuple[Any, ...]:
    if isinstance(value, str | ElementRef | Element | Actor | Configuration):
        return (value,)
    return tuple(value)


def _scalars(values: Mapping[str, object]) -> dict[str, str | int | float | bool]:
    """The single values of *values* as plain text, numbers and booleans (enums as
    their value); ``None`` and lists are left out."""
    out: dict[str, str | int | float | bool] = {}
    for name, value in values.items():
        if isinstance(value, enum.Enum):
            out[name] = value.value
        elif isinstance(value, str | int | float):  # bool is an int
            out[name] = value
    return out


def _unique(items: Iterable[Element]) -> tuple[Element, ...]:
    seen: dict[str, Element] = {}
    for e in items:
        seen.setdefault(e.id, e)
    return tuple(seen.values())


def _optional_text(value: object, name: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise InvalidValueError(
            f"a model's {name} must be text, not {type(value).__name__} {value!r}",
            attribute=name,
            value=value,
        )
    return value


def _deepcopy_data(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _deepcopy_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_deepcopy_data(v) for v in value]
    return value
