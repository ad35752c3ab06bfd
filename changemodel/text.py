"""English for every sentence the library writes: plurals, articles, lists,
conditions and the direction of a change.

Hypotheses, the evaluation plan, explanations, validation messages and the
report all compose their sentences with these helpers, so a label from any
field reads correctly wherever it appears. The module imports nothing else of
the library and nothing outside the standard library, so the lowest layers
(the domain objects and their error messages) can use it.

>>> count(2, "activity"), count(1, "analysis"), with_article("activity")
('2 activities', '1 analysis', 'an activity')
>>> join(["hope", "empowerment", "confidence"])
'hope, empowerment and confidence'
>>> should_change("Fewer (compulsory) psychiatric admissions", "reduces")
'fewer (compulsory) psychiatric admissions should follow'
>>> should_change("Self-stigma", "reduces")
'self-stigma should fall'
>>> conditions(["Peer workers are trained", "A clear and distinctive role"])
'given a clear and distinctive role and when peer workers are trained'

**Direction words.** A label may already name a change ("fewer admissions",
"decreased self-stigma", "improved well-being", "stigma reduction"). Such a
label is stated as the expected observation itself, never with a second
direction ("fewer admissions should fall"). A label that names a decrease
reached by a net *reduces* pathway is read as the decrease written twice (the
modeller's sign and wording agree); a label that names a decrease reached by
an *increases* pathway is read the same way, since more of "fewer admissions"
is fewer admissions. Only a label naming an increase (or an improvement)
reached by a net *reduces* pathway turns round: the pathway works against it,
and the sentence says the underlying quantity should fall.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Final, Literal

__all__ = [
    "Direction",
    "a_or_an",
    "activity_clause",
    "capitalise",
    "condition",
    "conditions",
    "count",
    "did_you_mean_text",
    "direction_of",
    "expected_change",
    "expected_change_all",
    "in_settings",
    "join",
    "mechanism_phrase",
    "names_its_change",
    "net_sign",
    "phrase",
    "plural",
    "quoted",
    "reads_as_phrase",
    "sentence",
    "should_change",
    "should_change_all",
    "sign_verb",
    "through",
    "with_article",
]

Direction = Literal["up", "down"]

# ------------------------------------------------------------------ plurals

#: Nouns that do not take an -s in the sense the library uses them.
_UNCOUNTABLE: Final = frozenset(
    {
        "evidence",
        "information",
        "staff",
        "data",
        "feedback",
        "support",
        "training",
        "supervision",
        "research",
        "equipment",
        "guidance",
        "knowledge",
        "advice",
        "software",
        "wellbeing",
        "well-being",
        "series",
        "species",
        "sheep",
    }
)
_IRREGULAR: Final = {
    "analysis": "analyses",
    "hypothesis": "hypotheses",
    "thesis": "theses",
    "basis": "bases",
    "diagnosis": "diagnoses",
    "synthesis": "syntheses",
    "crisis": "crises",
    "criterion": "criteria",
    "phenomenon": "phenomena",
    "datum": "data",
    "person": "people",
    "child": "children",
    "man": "men",
    "woman": "women",
    "foot": "feet",
    "tooth": "teeth",
    "mouse": "mice",
    "index": "indices",
    "appendix": "appendices",
    "matrix": "matrices",
    "medium": "media",
    "life": "lives",
    "wife": "wives",
    "knife": "knives",
    "half": "halves",
    "self": "selves",
    "leaf": "leaves",
    "shelf": "shelves",
    "this": "these",
    "that": "those",
    "is": "are",
    "was": "were",
    "has": "have",
    "it": "they",
}
_PLURALS: Final = frozenset(v for k, v in _IRREGULAR.items() if k not in ("is", "has", "was"))
_O_ES: Final = frozenset({"hero", "potato", "tomato", "echo", "veto", "embargo"})
# A noun phrase's head comes before these words: "number of sessions" -> "numbers of sessions".
_POSTMODIFIERS: Final = frozenset({"of", "in", "for", "with", "to", "from", "on", "at", "by"})


def _plural_word(word: str) -> str:
    lower = word.lower()
    if lower in _UNCOUNTABLE or not word[-1:].isalpha():
        return word
    if lower in _PLURALS or (
        lower.endswith("s") and not lower.endswith(("ss", "us", "is", "ous")) and len(lower) > 3
    ):
        return word  # already plural: "patients", "older people"
    if lower in _IRREGULAR:
        out = _IRREGULAR[lower]
        return out.capitalize() if word[0].isupper() and not word.isupper() else out
    if word.isupper() and len(word) > 1:  # an acronym: "RCT" -> "RCTs"
        return word + "s"
    for suffix in ("sis", "xis"):
        if lower.endswith(suffix):
            return word[:-2] + "es"
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if lower.endswith("y") and len(word) > 1 and lower[-2] not in "aeiou":
        return word[:-1] + "ies"
    if lower in _O_ES:
        return word + "es"
    return word + "s"


def plural(noun: str, n: int | None = None) -> str:
    """The plural of *noun* (a word or a noun phrase), or *noun* itself when *n* is 1.

    >>> [plural(w) for w in ("activity", "analysis", "box", "key", "RCT", "staff")]
    ['activities', 'analyses', 'boxes', 'keys', 'RCTs', 'staff']
    >>> plural("number of session"), plural("process outcome"), plural("outcome", 1)
    ('numbers of session', 'process outcomes', 'outcome')
    >>> plural("patients"), plural("older people"), plural("status")
    ('patients', 'older people', 'statuses')
    """
    if n == 1 or not noun.strip():
        return noun
    words = noun.split(" ")
    head = len(words) - 1
    for i, w in enumerate(words[1:], start=1):
        if w.lower() in _POSTMODIFIERS:
            head = i - 1
            break
    words[head] = _plural_word(words[head])
    return " ".join(words)


def count(n: int, noun: str, *, zero: str | None = None) -> str:
    """*n* and *noun*, plural when *n* is not 1; *zero* replaces the number 0.

    >>> count(0, "finding"), count(0, "finding", zero="no"), count(1, "link")
    ('0 findings', 'no findings', '1 link')
    """
    number = zero if n == 0 and zero is not None else str(n)
    return f"{number} {plural(noun, n)}"


# ----------------------------------------------------------------- articles

# Letters whose names start with a vowel sound, for initialisms ("an MRC trial").
_VOWEL_LETTERS: Final = frozenset("AEFHILMNORSX")
# Words spelt with a vowel but said with a consonant ("a university", "a one-off").
_CONSONANT_SOUND: Final = re.compile(
    r"(?:uni(?![nmdl])|use|usu|uti|ura|uro|ure|uk\b|ubiq|u-|eu|ewe|one\b|once\b|one-)",
    re.IGNORECASE,
)
# Words spelt with a consonant but said with a vowel ("an hour", "an honest").
_VOWEL_SOUND: Final = re.compile(r"(?:hour|honest|honou?r|heir|herb\b)", re.IGNORECASE)


def a_or_an(word: str) -> str:
    """``"a"`` or ``"an"`` for the phrase starting with *word*, by its sound.

    >>> [a_or_an(w) for w in ("activity", "mechanism", "hour", "university", "MRC",
    ...                       "BMJ", "8-week course", "11 sessions", "one-off")]
    ['an', 'a', 'an', 'a', 'an', 'a', 'an', 'an', 'a']
    """
    text = word.lstrip(" \"'(`[")
    if not text:
        return "a"
    m = re.match(r"[\d,]+", text)
    if m:
        digits = m.group().rstrip(",")
        lead = digits.split(",")[0]
        if lead.startswith("8"):
            return "an"
        plain = digits.replace(",", "")
        if lead in ("11", "18") or (
            "," not in digits and len(plain) % 3 == 2 and plain[:2] in ("11", "18")
        ):
            return "an"
        return "a"
    token = re.match(r"[A-Za-z][A-Za-z'.]*", text)
    if token is None:
        return "a"
    first = token.group()
    letters = first.replace(".", "")
    initialism = letters.isupper() or (letters[0].isupper() and not letters[1:].islower())
    if len(letters) == 1 or initialism:  # "an MRC trial", "an HbA1c test"
        return "an" if letters[0].upper() in _VOWEL_LETTERS else "a"
    if _VOWEL_SOUND.match(first):
        return "an"
    if _CONSONANT_SOUND.match(text):
        return "a"
    return "an" if first[0].lower() in "aeiou" else "a"


def with_article(phrase: str) -> str:
    """*phrase* after its indefinite article: ``"an activity"``, ``"a mechanism"``."""
    return f"{a_or_an(phrase)} {phrase}"


# -------------------------------------------------------------------- lists


def join(items: Iterable[str], conjunction: str = "and") -> str:
    """A list as English: ``"A"``, ``"A and B"``, ``"A, B and C"``.

    When an item holds a comma itself, items are separated by semicolons and
    the last one still gets its conjunction, so the list stays readable.

    >>> join(["trust"]), join(["trust", "hope"], "or")
    ('trust', 'trust or hope')
    >>> join(["training, supervision and support", "a clear role"])
    'training, supervision and support; and a clear role'
    """
    items = [i for i in items if i]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    if any("," in i for i in items):
        return "; ".join(items[:-1]) + f"; {conjunction} " + items[-1]
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def did_you_mean_text(value: str, candidates: Sequence[str]) -> str | None:
    """The closest of *candidates* to *value*, or ``None`` (for "did you mean ...?")."""
    import difflib

    folded = {c.casefold(): c for c in candidates}
    matches = difflib.get_close_matches(value.casefold(), list(folded), n=1, cutoff=0.6)
    return folded[matches[0]] if matches else None


# ------------------------------------------------------------------ phrases


def one_line(text: str) -> str:
    return " ".join(text.split())


def phrase(label: str) -> str:
    """A label inside a sentence: one line, no final full stop, and its first
    letter in lower case unless the first word is an acronym or a name.

    >>> phrase("Hope, empowerment and confidence."), phrase("WEMWBS score"), phrase("I feel")
    ('hope, empowerment and confidence', 'WEMWBS score', 'I feel')
    """
    text = one_line(label).rstrip(".")
    first = text.split(" ", 1)[0]
    letters = first.strip("()\"'")
    if (len(letters) > 1 and letters[0].isupper() and letters[1:].islower()) or (
        len(letters) == 1 and letters.isupper() and letters != "I"
    ):
        i = text.index(letters[0])
        return text[:i] + text[i].lower() + text[i + 1 :]
    return text


def capitalise(text: str) -> str:
    """*text* with its first letter in upper case (the rest unchanged)."""
    for i, char in enumerate(text):
        if char.isalpha():
            return text[:i] + char.upper() + text[i + 1 :]
    return text


def sentence(text: str) -> str:
    """*text* as a sentence: first letter in upper case and one full stop at the end."""
    text = capitalise(text.strip())
    return text if text.endswith((".", "?", "!")) else text + "."


# ---------------------------------------------------------------- direction

_UP_LEADING: Final = (
    "increase in",
    "increases in",
    "increased",
    "increasing",
    "improvement in",
    "improvements in",
    "improved",
    "improving",
    "rise in",
    "growth in",
    "gain in",
    "gains in",
    "more",
    "higher",
    "greater",
    "better",
    "enhanced",
    "stronger",
    "raised",
    "rising",
    "boosted",
    "strengthened",
    "expanded",
    "wider",
    "longer",
)
_DOWN_LEADING: Final = (
    "reduction in",
    "reductions in",
    "reduced",
    "reducing",
    "decrease in",
    "decreases in",
    "decreased",
    "decreasing",
    "fall in",
    "drop in",
    "decline in",
    "declining",
    "fewer",
    "less",
    "lower",
    "lowered",
    "diminished",
    "smaller",
    "shorter",
    "avoided",
    "prevented",
    "minimised",
    "minimized",
)
_UP_TRAILING: Final = ("increase", "increases", "improvement", "improvements", "gain", "gains")
_DOWN_TRAILING: Final = ("reduction", "reductions", "decrease", "decreases", "decline", "avoidance")
# A label that is a clause about a change: "hope increases", "admissions fall".
_UP_VERBS: Final = (
    "increases",
    "increase",
    "rises",
    "rise",
    "improves",
    "improve",
    "grows",
    "grow",
)
_DOWN_VERBS: Final = ("falls", "fall", "decreases", "decrease", "declines", "decline", "drops")


#: Hedges a published table puts before a change ("Likely improved self-efficacy"):
#: a hypothesis already says "should", so the hedge is dropped when a change follows.
_HEDGES: Final = ("likely", "possibly", "potentially", "probably", "perhaps")


def _unhedged(text: str) -> str:
    """*text* without a leading hedge when a change word follows it."""
    rest = _strip_leading(text, _HEDGES)
    if rest is not None and (
        _strip_leading(rest, _UP_LEADING) is not None
        or _strip_leading(rest, _DOWN_LEADING) is not None
    ):
        return rest
    return text


def _strip_leading(text: str, words: Sequence[str]) -> str | None:
    lower = text.lower()
    for w in words:
        if lower.startswith(w + " ") and len(text) > len(w) + 1:
            return text[len(w) + 1 :]
    return None


def direction_of(label: str) -> tuple[Direction | None, str]:
    """The change a label already names and what changes, or ``(None, label)``.

    >>> direction_of("Fewer (compulsory) psychiatric admissions")
    ('down', '(compulsory) psychiatric admissions')
    >>> direction_of("Improved well-being"), direction_of("Stigma reduction")
    (('up', 'well-being'), ('down', 'Stigma'))
    >>> direction_of("Hope"), direction_of("Likely improved self-efficacy")
    ((None, 'Hope'), ('up', 'self-efficacy'))
    """
    text = _unhedged(one_line(label).rstrip("."))
    core = _strip_leading(text, _UP_LEADING)
    if core is not None:
        return "up", core
    core = _strip_leading(text, _DOWN_LEADING)
    if core is not None:
        return "down", core
    head, _, last = text.rpartition(" ")
    if head:
        low = last.lower()
        if low in _UP_TRAILING or low in _UP_VERBS:
            return "up", head
        if low in _DOWN_TRAILING or low in _DOWN_VERBS:
            return "down", head
    return None, text


def net_sign(signs: Iterable[str]) -> Literal["increases", "reduces"]:
    """The sign of a chain of links: an odd number of ``reduces`` makes it ``reduces``.

    >>> net_sign(["increases", "reduces", "reduces"]), net_sign(["reduces"])
    ('increases', 'reduces')
    """
    reduces = sum(1 for s in signs if str(s) == "reduces")
    return "reduces" if reduces % 2 else "increases"


def sign_verb(sign: str) -> str:
    """``"increases"`` or ``"reduces"`` as the verb of a link."""
    return "reduces" if str(sign) == "reduces" else "increases"


#: Words that open a label stating an absence or no change ("No change in growth",
#: "Unchanged waiting times"): what should be observed as written, never "an increase
#: in no change".
_NEGATIONS: Final = ("no", "not", "none", "without", "unchanged", "little or no", "neither")


def _negated(label: str) -> bool:
    return _strip_leading(_unhedged(one_line(label).rstrip(".")), _NEGATIONS) is not None


def _stated(label: str, sign: str) -> tuple[bool, str]:
    """Whether the label's own wording is the expected observation, and the phrase."""
    if _negated(label):
        return True, phrase(_unhedged(one_line(label).rstrip(".")))
    direction, core = direction_of(label)
    if direction is None:
        return False, phrase(label)
    if direction == "up" and str(sign) == "reduces":
        return False, phrase(core)
    # A trailing change word is stated as its noun phrase: "stigma reduction".
    return True, phrase(_unhedged(one_line(label).rstrip(".")))


def names_its_change(label: str, sign: str = "increases") -> bool:
    """Whether the label's own wording is what should be observed when it is reached
    along a chain of net *sign* ("fewer admissions", "decreased self-stigma"). Along a
    pathway, the links after such an element count from the change it names, so a
    chain goes on with the sign ``increases`` from there.

    >>> names_its_change("Decreased self-stigma", "reduces"), names_its_change("Hope")
    (True, False)
    >>> names_its_change("Improved well-being", "reduces")
    False
    """
    return _stated(label, sign)[0]


def _trailing_verb(label: str) -> str:
    """The last word of *label* in lower case, or ``""`` when a leading change word
    ("fewer falls") already names the direction, so the last word is a noun."""
    text = _unhedged(one_line(label).rstrip("."))
    if (
        _strip_leading(text, _UP_LEADING) is not None
        or _strip_leading(text, _DOWN_LEADING) is not None
    ):
        return ""
    return text.rpartition(" ")[2].lower()


def should_change(label: str, sign: str = "increases") -> str:
    """A clause saying how the element named *label* should change when reached
    along a chain of net *sign*.

    >>> should_change("Hope"), should_change("Admissions", "reduces")
    ('hope should increase', 'admissions should fall')
    >>> should_change("Decreased self-stigma"), should_change("Improved well-being", "reduces")
    ('decreased self-stigma should follow', 'well-being should fall')
    >>> should_change("Hope increases"), should_change("Admissions fall", "reduces")
    ('hope should increase', 'admissions should fall')
    >>> should_change("Older people stay independent at home for longer")
    'older people should stay independent at home for longer'
    """
    direction, core = direction_of(label)
    last = _trailing_verb(label)
    clause = _modal(phrase(label), "should") if _is_clause(phrase(label)) else None
    if clause is not None and last not in _UP_VERBS and last not in _DOWN_VERBS:
        # "older people stay at home" -> "older people should stay at home"
        if str(sign) == "reduces":
            return f"it should become less likely that {phrase(label)}"
        return clause
    if direction is not None and (last in _UP_VERBS or last in _DOWN_VERBS):
        # a clause: "hope increases" -> "hope should increase"
        if direction == "up" and str(sign) == "reduces":
            return f"{phrase(core)} should fall"
        return f"{phrase(core)} should {'increase' if direction == 'up' else 'fall'}"
    stated, text = _stated(label, sign)
    if stated:
        return f"{text} should follow"
    if direction is not None:  # an increase turned round
        return f"{text} should fall"
    return f"{text} should {'fall' if str(sign) == 'reduces' else 'increase'}"


def expected_change(label: str, sign: str = "increases") -> str:
    """A noun phrase for the change to observe in the element named *label*.

    >>> expected_change("Hope"), expected_change("Admissions", "reduces")
    ('an increase in hope', 'a fall in admissions')
    >>> expected_change("Fewer admissions", "reduces"), expected_change("Stigma reduction")
    ('fewer admissions', 'stigma reduction')
    """
    direction, core = direction_of(label)
    last = _trailing_verb(label)
    if _is_clause(phrase(label)) and last not in _UP_VERBS and last not in _DOWN_VERBS:
        likely = "less" if str(sign) == "reduces" else "more"
        return f"a {likely} frequent finding that {phrase(label)}"
    if direction is not None and (last in _UP_VERBS or last in _DOWN_VERBS):
        down = direction == "down" or str(sign) == "reduces"
        return f"{'a fall' if down else 'an increase'} in {phrase(core)}"
    stated, text = _stated(label, sign)
    if stated:
        return text
    if direction is not None or str(sign) == "reduces":
        return f"a fall in {text}"
    return f"an increase in {text}"


# ---------------------------------------------------------------- activities

#: Verbs an activity label often starts with, in the imperative ("Run weekly classes").
_IMPERATIVES: Final = frozenset(
    " ".join(
        (
            "run give recruit deliver provide offer train hold hire employ send visit teach",
            "support refer screen assess coach educate develop set establish organise",
            "organize facilitate host invite contact call text mail distribute install build",
            "create design fund pay supervise mentor link connect signpost prescribe treat",
            "introduce implement launch publish share promote engage enrol enroll conduct",
        )
    ).split()
)


def _third_person(verb: str) -> str:
    if verb.endswith(("s", "x", "z", "ch", "sh", "o")):
        return verb + "es"
    if verb.endswith("y") and len(verb) > 1 and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def activity_clause(label: str, subject: str = "the intervention") -> str:
    """An activity label as a clause that can follow "if".

    >>> activity_clause("Run 24 weekly classes"), activity_clause("Peer workers support users")
    ('the intervention runs 24 weekly classes', 'peer workers support users')
    >>> activity_clause("Peer support"), activity_clause("CBT sessions")
    ('peer support is delivered', 'CBT sessions are delivered')
    >>> activity_clause("Mentoring for new teachers"), activity_clause("Text message reminders")
    ('mentoring for new teachers is delivered', 'text message reminders are delivered')
    >>> activity_clause("School feeding programme"), activity_clause("Contact with peers")
    ('the school feeding programme is delivered', 'contact with peers is delivered')
    """
    text = phrase(label)
    first, _, rest = text.partition(" ")
    nxt = rest.split(" ", 1)[0].lower()
    # not "contact with", nor "text message reminders"
    noun = nxt in _POSTMODIFIERS or (first.lower() == "text" and nxt.startswith("messag"))
    if first.lower() in _IMPERATIVES and not noun:
        return f"{subject} {_third_person(first.lower())}" + (f" {rest}" if rest else "")
    if _is_clause(text):
        return text
    # the head noun comes before a postmodifier: "mentoring for new teachers" is one
    words = text.split(": ", 1)[0].split(" ")  # "The service: its parts" is one service
    head = next((i for i, w in enumerate(words) if i and w.lower() in _POSTMODIFIERS), len(words))
    last = words[head - 1].strip("()").lower()
    many = (plural(last) == last and last.endswith("s")) or " and " in " ".join(words[:head])
    if not many and _countable(words[0], last):
        text = f"the {text}"  # "the school feeding programme", not "school feeding programme"
    return f"{text} {'are' if many else 'is'} delivered"


#: Countable nouns an intervention is often named by: a singular one needs "the" as
#: a subject ("the school feeding programme is delivered"); other heads ("contact",
#: "peer support", "exercise") read as they are.
_COUNT_HEADS: Final = frozenset(
    " ".join(
        (
            "programme program intervention scheme service visit session course campaign",
            "meeting class workshop clinic project initiative package plan tool toolkit app",
            "pathway review call check meal kit model network partnership team policy",
            "bundle protocol strategy system platform website module curriculum group",
        )
    ).split()
)
_DETERMINERS: Final = frozenset(
    [
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "each",
        "every",
        "any",
        "some",
        "its",
        "their",
        "our",
        "his",
        "her",
        "my",
        "your",
        "one",
    ]
)


def _countable(first: str, head: str) -> bool:
    """Whether a singular noun phrase starting with *first*, whose head noun is
    *head*, needs "the" to stand as a subject: "the group visit", not "peer support",
    "contact with peers" or a name."""
    return first[:1].islower() and first.lower() not in _DETERMINERS and head in _COUNT_HEADS


# --------------------------------------------------------------- conditions

# Words that make a label a clause ("peer workers are trained") rather than a
# noun phrase ("a clear role"); a clause reads after "when", a noun phrase after "given".
_AUX: Final = {
    "is": "be",
    "are": "be",
    "was": "be",
    "were": "be",
    "has": "have",
    "have": "have",
    "had": "have",
    "does": "do",
    "do": "do",
    "did": "do",
}
_MODALS: Final = frozenset(
    {"can", "cannot", "could", "will", "would", "may", "might", "must", "shall", "should"}
)
#: Verbs in their base form; a third-person form ("takes", "delivers") always makes a
#: clause, a base form ("stay") only after a plural subject ("older people stay"), since
#: many are nouns as well ("length of stay", "service use").
_VERBS: Final = frozenset(
    " ".join(
        (
            "take accept feel know see exist understand want receive get hold agree believe",
            "provide allow enable expect perceive stay become attend deliver remain keep engage",
            "seek complete use return tailor affect control reach join learn manage make go come",
            "find share trust value support work live need offer lack refer identify follow",
            "recognise recognize talk meet shift access prepare serve weigh eat send choose",
            "decide prefer struggle fail lose miss leave buy travel speak earn ask hear adopt",
            "avoid comply respond give welcome compare doubt dismiss develop",
        )
    ).split()
)
_PLURAL_SUBJECTS: Final = frozenset(
    {"people", "they", "we", "you", "i", "staff", "children", "men", "women", "teams"}
)


def _third_person_base(word: str) -> str | None:
    if word.endswith("ies") and word[:-3] + "y" in _VERBS:
        return word[:-3] + "y"
    if word.endswith("es") and word[:-2] in _VERBS:
        return word[:-2]
    if word.endswith("s") and word[:-1] in _VERBS:
        return word[:-1]
    return None


#: Words that open a relative clause: the verb after one belongs to a noun phrase
#: ("children who are undernourished", "schools where meals are cooked").
_RELATIVES: Final = frozenset({"who", "whom", "whose", "which", "that", "where"})


def _verb(words: Sequence[str]) -> tuple[int, str] | None:
    """The position and base form of a clause's first finite verb, if any; the first
    verb after a relative word ("who", "that", "where") is the relative clause's own."""
    relative = False
    for i in range(1, len(words)):
        w = words[i].strip(",;:()").lower()
        if w in _RELATIVES:
            relative = True
            continue
        found = _finite(words, i, w)
        if found is not None and relative:
            relative = False
            continue
        if found is not None:
            return found
    return None


def _finite(words: Sequence[str], i: int, w: str) -> tuple[int, str] | None:
    """The base form of *w*, the word at *i*, when it is a finite verb there."""
    if w in _MODALS:
        return i, w
    if w in _AUX:
        return i, _AUX[w]
    base = _third_person_base(w)
    # a last word such as "stays" or "needs" ends a noun phrase ("hospital stays")
    if base is not None and i < len(words) - 1:
        return i, base
    back = i - 1
    while back > 0 and words[back].lower().endswith("ly"):  # "providers typically work"
        back -= 1
    written = words[back].strip(",;:()")
    prev = written.lower()
    plural_subject = (
        prev in _PLURAL_SUBJECTS
        or re.fullmatch(r"[A-Z]{2,}s", written) is not None  # "GPs", "CHWs"
        or (prev.endswith("s") and not prev.endswith(("ss", "'s", "\u2019s")) and len(prev) > 3)
        or "and" in (x.lower() for x in words[: i - 1])  # "the team and organisation"
    )
    if w in _VERBS and plural_subject:
        return i, w
    return None


def _is_clause(text: str) -> bool:
    # "Increased accessibility: people can afford it" is a noun phrase with a gloss
    head = text.split(": ", 1)[0]
    return _verb(head.split(" ")) is not None


def _modal(clause: str, modal: str) -> str | None:
    """*clause* with *modal* before its first finite verb: "people stay at home" ->
    "people should stay at home"; ``None`` when no verb is found or one is a modal."""
    words = clause.split(" ")
    found = _verb(words)
    if found is None or found[1] in _MODALS:
        return None
    i, base = found
    start = i
    while start > 1 and words[start - 1].lower().endswith("ly"):  # "people should often stay"
        start -= 1
    return " ".join([*words[:start], modal, *words[start:i], base, *words[i + 1 :]])


def condition(label: str) -> str:
    """A context label as a condition: ``"when peer workers are trained"``,
    ``"given a clear role"``.

    >>> condition("Ward culture"), condition("The team takes the role in")
    ('given ward culture', 'when the team takes the role in')
    """
    text = phrase(label)
    return f"when {text}" if _is_clause(text) else f"given {text}"


def _clauses_and_nouns(labels: Iterable[str]) -> tuple[list[str], list[str]]:
    """Labels as phrases, parted into clauses and noun phrases, each in order."""
    clauses: list[str] = []
    nouns: list[str] = []
    for label in labels:
        text = phrase(label)
        (clauses if _is_clause(text) else nouns).append(text)
    return clauses, nouns


def conditions(labels: Iterable[str]) -> str:
    """Several contexts as one condition, noun phrases after "given" and clauses
    after "when", each group listed with :func:`join`.

    >>> conditions(["Ward culture", "Training, supervision and support"])
    'given ward culture; and training, supervision and support'
    """
    clauses, nouns = _clauses_and_nouns(labels)
    parts = []
    if nouns:
        parts.append("given " + join(nouns))
    if clauses:
        parts.append("when " + join(clauses))
    if not parts:
        return ""
    return (", and " if "," in parts[0] and len(parts) > 1 else " and ").join(parts)


def in_settings(labels: Iterable[str]) -> str:
    """Contexts as the settings a realist configuration holds in: clauses after
    "in settings where", noun phrases after "in a context of".

    >>> in_settings(["Providers typically work in isolation"])
    'in settings where providers typically work in isolation'
    >>> in_settings(["Providers unaware of patient needs"])
    'in a context of providers unaware of patient needs'
    >>> in_settings(["Isolation", "A small group"])
    'in a context of isolation and a small group'
    >>> in_settings(["Managers support the change", "Winter pressures"])
    'in settings where managers support the change, and in a context of winter pressures'
    >>> in_settings([])
    ''
    """
    clauses, nouns = _clauses_and_nouns(labels)
    parts = []
    if clauses:
        parts.append("in settings where " + join(clauses))
    if nouns:
        parts.append("in a context of " + join(nouns))
    return ", and ".join(parts)


_PREDICATES: Final = (" should follow", " should increase", " should fall")


def should_change_all(changes: Iterable[tuple[str, str]], *, where: str = "") -> str:
    """Several elements' expected changes, each (label, net sign), as one clause:
    subjects sharing a predicate are listed together when none holds a list itself.
    *where* (``"in patients"``) follows the last change when that one ends with its
    predicate (not inside a clause such as "people should stay at home").

    >>> should_change_all([("Likely improved motivation", "increases"),
    ...                    ("Likely improved self-efficacy", "increases")])
    'improved motivation and improved self-efficacy should follow'
    >>> should_change_all([("Hope", "increases"), ("Admissions", "reduces")], where="in adults")
    'hope should increase, and admissions should fall in adults'
    >>> should_change_all([("Hope, empowerment and confidence", "increases"),
    ...                    ("Attendance", "increases")])
    'hope, empowerment and confidence should increase, and attendance should increase'
    """
    clauses = [should_change(label, sign) for label, sign in changes]
    groups: list[tuple[str | None, list[str]]] = []
    for clause in clauses:
        predicate = next((p for p in _PREDICATES if clause.endswith(p)), None)
        subject = clause[: -len(predicate)] if predicate else clause
        listed = predicate is None or "," in subject or " and " in subject
        if not listed and groups and groups[-1][0] == predicate:
            groups[-1][1].append(subject)
        else:
            groups.append((None if listed else predicate, [subject if not listed else clause]))
    texts = [join(subjects) + (predicate or "") for predicate, subjects in groups]
    text = ", and ".join(texts)
    if where and text.endswith(_PREDICATES):
        text += f" {where}"
    return text


#: Verbs a mechanism label may start with when it names what the mechanism does
#: ("Combats isolation", "Builds trust"): such a label is neither a noun phrase to
#: follow "through" nor a clause to follow "as".
_MECHANISM_VERBS: Final = frozenset(
    " ".join(
        (
            "build combat create foster promote enable encourage motivate reinforce",
            "challenge normalise normalize validate empower strengthen provide give help",
            "improve restore overcome address counter prevent trigger activate reduce",
            "increase develop bring make allow raise lower show demonstrate instil instill",
            "inspire legitimise legitimize reassure remind prompt nudge signal convey",
            "facilitate engage connect offer support model reframe break",
        )
    ).split()
)
#: What joins a realist resource to its reasoning in one label ("Free meal -> parents
#: send the child"), or separates two statements.
_SEPARATORS: Final = ("\u2192", "->", "=>", "; ", ". ")


def reads_as_phrase(label: str) -> bool:
    """Whether *label* can stand in a sentence as a noun phrase or a clause
    ("trust in the group", "teachers feel supported"), rather than being quoted
    as a name: a verb phrase without its subject ("Combats isolation") or a
    resource and a reasoning joined by an arrow cannot.

    >>> reads_as_phrase("Trust in the group"), reads_as_phrase("Combats isolation")
    (True, False)
    >>> reads_as_phrase("Free meal \u2192 Parents send the child to school")
    False
    """
    text = one_line(label).rstrip(".")
    if any(sep in text for sep in _SEPARATORS):
        return False
    first, _, rest = text.partition(" ")
    nxt = rest.split(" ", 1)[0].lower()
    base = _third_person_base(first.lower()) or (
        first.lower()[:-2]
        if first.lower().endswith("es") and first.lower()[:-2] in _MECHANISM_VERBS
        else first.lower()[:-1]
        if first.lower().endswith("s")
        else None
    )
    noun = nxt in _POSTMODIFIERS or nxt in ("and", "or", "&") or first.endswith(",")
    return not (base in _MECHANISM_VERBS and bool(rest) and not noun)


def quoted(label: str) -> str:
    """*label* as a name in double quotes, on one line, as written.

    >>> quoted("Combats isolation.")
    '"Combats isolation"'
    """
    return f'"{one_line(label).rstrip(".")}"'


def mechanism_phrase(labels: Iterable[str]) -> str:
    """Mechanisms named in a sentence: each as a phrase when it reads as one, the
    rest quoted after "the mechanism(s)".

    >>> mechanism_phrase(["Trust in the group"])
    'trust in the group'
    >>> mechanism_phrase(["Trust", "Combats isolation", "Builds hope"])
    'trust and the mechanisms "Combats isolation" and "Builds hope"'
    """
    items = list(labels)
    plain = [phrase(x) for x in items if reads_as_phrase(x)]
    named = [quoted(x) for x in items if not reads_as_phrase(x)]
    if named:
        plain.append(f"the {plural('mechanism', len(named))} {join(named)}")
    return join(plain)


def through(labels: Iterable[str]) -> str:
    """Mechanisms as the way a change comes about: noun phrases after "through",
    clauses after "as", and a label that reads as neither (a verb phrase without
    its subject, a resource and a reasoning joined by an arrow) quoted after
    "through the mechanism".

    >>> through(["Self-efficacy", "Trust in the group"])
    'through self-efficacy and trust in the group'
    >>> through(["Teachers feel supported"])
    'as teachers feel supported'
    >>> through(["Self-efficacy", "Teachers feel supported"])
    'through self-efficacy, and as teachers feel supported'
    >>> through(["Combats isolation"])
    'through the mechanism "Combats isolation"'
    """
    clauses: list[str] = []
    nouns: list[str] = []
    named: list[str] = []
    for label in labels:
        text = phrase(label)
        if '"' not in label and not reads_as_phrase(label):  # not one already quoted
            named.append(label)
        else:
            (clauses if _is_clause(text) else nouns).append(text)
    if named:
        nouns.append(mechanism_phrase(named))
    parts = []
    if nouns:
        parts.append("through " + join(nouns))
    if clauses:
        parts.append("as " + join(clauses))
    return ", and ".join(parts)


def expected_change_all(changes: Iterable[tuple[str, str]], *, where: str = "") -> str:
    """Several elements' expected changes, each (label, net sign), as one noun
    phrase; *where* (``"in patients"``) follows it unless the last change is a
    clause ("a more frequent finding that people stay at home").

    >>> expected_change_all([("Withdrawal", "increases"), ("Fewer visits", "reduces")],
    ...                     where="in members")
    'an increase in withdrawal and fewer visits in members'
    >>> expected_change_all([("People stay at home", "increases")], where="in adults")
    'a more frequent finding that people stay at home'
    """
    items = list(changes)
    text = join([expected_change(label, sign) for label, sign in items])
    if where and items:
        label = items[-1][0]
        last = _trailing_verb(label)
        clause = _is_clause(phrase(label)) and last not in _UP_VERBS and last not in _DOWN_VERBS
        if not clause:
            text += f" {where}"
    return text
