"""Letters to one MP that read the same: identical bodies, and near-identical ones.

An MP's office discounts a pile of letters that say the same thing in the same
words. WriteToThem holds back such "identikit" letters when the word
shingles of two messages overlap by half or more; bulk applies the same test
so organizers see how personal their batch is before it is sent:

* a letter's body is everything but the addresses, date, greeting and
  sign-off: the demand's text with the asks the supporter kept, and their
  own words;
* its shingles are the runs of :data:`SHINGLE_WORDS` consecutive words
  (case and punctuation ignored) inside each paragraph;
* two bodies are near-identical when the Jaccard similarity of their
  shingle sets (shared shingles over all shingles) is at least
  :data:`THRESHOLD`.

Only letters to the same MP are compared. Identical bodies are found first by
a hash, so a batch without own words costs one dictionary look-up a letter.
A new body is compared with the first body of each group already formed for
that MP and joins a group it is near-identical to. When the own words of both
are short next to a shared demand text, a bound on their sizes already proves
it, and no shingles are compared.

The work is capped (:data:`MOST_GROUPS_PER_MP`, :data:`MOST_COMPARISONS`,
:data:`MOST_BODIES`): past a cap, bodies still group with identical ones but
are not compared (past the last, new bodies are not counted), and the result
says it was capped. Nothing here keeps a supporter's words once their row is
recorded: only hashes of shingles and row numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

SHINGLE_WORDS = 3
THRESHOLD = 0.5
#: Groups per MP whose first body new bodies are compared with.
MOST_GROUPS_PER_MP = 40
#: Comparisons in one run, at most: about a second of work.
MOST_COMPARISONS = 400_000
#: Row numbers listed per group (all are counted).
MOST_ROWS_LISTED = 100
#: Different bodies kept track of in one run, at most: memory stays bounded.
MOST_BODIES = 200_000

_WORD = re.compile(r"\w+")


def shingles(paragraphs: Iterable[str]) -> frozenset[int]:
    """The hashed word shingles of each paragraph (a shorter paragraph is one shingle)."""
    return shingles_of_words(words_of(paragraphs))


def words_of(paragraphs: Iterable[str]) -> list[list[str]]:
    """Each paragraph's words, as shingles count them."""
    return [_WORD.findall(paragraph.casefold()) for paragraph in paragraphs]


def most_shingles(words: list[list[str]]) -> int:
    """How many shingles the paragraphs' words make, at most."""
    return sum(max(1, len(some) - SHINGLE_WORDS + 1) for some in words if some)


def shingles_of_words(paragraphs: Iterable[list[str]]) -> frozenset[int]:
    """The hashed shingles of paragraphs given as their words."""
    found: set[int] = set()
    for words in paragraphs:
        if not words:
            continue
        if len(words) <= SHINGLE_WORDS:
            found.add(hash(tuple(words)))
            continue
        found.update(map(hash, zip(*(words[at:] for at in range(SHINGLE_WORDS)), strict=False)))
    return frozenset(found)


def similarity(first: frozenset[int], second: frozenset[int]) -> float:
    """Jaccard similarity of two shingle sets (1.0 for two empty ones)."""
    union = len(first | second)
    return len(first & second) / union if union else 1.0


@dataclass(frozen=True, slots=True)
class Body:
    """A letter's body as the check sees it: the shared demand text and the own words.

    ``variant`` names the demand text (demand, language, asks kept);
    ``demand_shingles`` are its shingles, one set shared by every letter with
    that text (None when the text depends on the supporter and is unknown).
    """

    variant: str
    demand_shingles: frozenset[int] | None
    own_words: tuple[str, ...]

    def digest(self) -> int:
        """Equal for equal bodies; 64 bits, so two different bodies of a run hardly ever match."""
        return hash((self.variant, self.own_words))


@dataclass(slots=True)
class Group:
    """Letters to one MP whose bodies are identical or near-identical."""

    letters: int = 0
    bodies: int = 0
    rows: list[int] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        """Whether every letter in it has the very same body."""
        return self.bodies == 1


@dataclass
class _Leader:
    """The first body of a group: what new bodies are compared with."""

    group: Group
    variant: str
    demand_shingles: frozenset[int]
    #: The own words' shingles that the demand text does not already have.
    extra: frozenset[int]
    #: Shingles its demand text shares with another variant's, by variant.
    common: dict[str, int] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.demand_shingles) + len(self.extra)

    def similarity(self, variant: str, demand: frozenset[int], extra: frozenset[int]) -> float:
        if variant == self.variant:
            # Same demand text: only the own words differ, so only they are compared.
            shared = len(self.extra & extra)
            union = len(demand) + len(self.extra) + len(extra) - shared
            return (len(demand) + shared) / union if union else 1.0
        # At most the demand texts' common shingles and every own-words shingle are
        # shared: when even that is under the threshold, the sets need not be built.
        common = self.common.get(variant)
        if common is None:
            common = self.common[variant] = len(self.demand_shingles & demand)
        most_shared = common + len(self.extra) + len(extra)
        if most_shared < THRESHOLD * max(self.size, len(demand) + len(extra)):
            return 0.0
        return similarity(self.demand_shingles | self.extra, demand | extra)


@dataclass
class _MpLetters:
    groups: list[Group] = field(default_factory=list)
    #: Each body seen: its group, or (a body alone so far, compared with no
    #: other) the row of its one letter, which takes less memory.
    by_digest: dict[int, Group | int] = field(default_factory=dict)
    leaders: list[_Leader] = field(default_factory=list)


class Identikit:
    """Letters by MP, grouped as they come; see the module's description."""

    def __init__(self) -> None:
        self._mps: dict[str, _MpLetters] = {}
        self.comparisons = 0
        self.bodies = 0
        self.capped = False

    def add(self, mp_key: str, row: int, body: Body) -> None:
        """One letter, to the MP of riding ``mp_key``, from input row ``row``."""
        if body.demand_shingles is None:
            return  # a text that depends on the supporter: nothing to compare it with
        letters = self._mps.get(mp_key)
        if letters is None:
            letters = self._mps[mp_key] = _MpLetters()
        digest = body.digest()
        found = letters.by_digest.get(digest)
        if found is None:
            if self.bodies >= MOST_BODIES:
                self.capped = True
                return
            self.bodies += 1
            placed = self._place(letters, body)
            if placed is None:
                letters.by_digest[digest] = row
                return
            placed.bodies += 1
            found = letters.by_digest[digest] = placed
        elif isinstance(found, int):
            group = Group(bodies=1, letters=1, rows=[found])
            letters.groups.append(group)
            found = letters.by_digest[digest] = group
        found.letters += 1
        if len(found.rows) < MOST_ROWS_LISTED:
            found.rows.append(row)

    def _place(self, letters: _MpLetters, body: Body) -> Group | None:
        """The group of a body not seen before for this MP: a near-identical one, or a new one.

        None for a body that is like no other and cannot lead a group of its own (the cap).
        """
        demand = body.demand_shingles
        assert demand is not None
        words = words_of(body.own_words)
        # Own words short next to the demand text leave a body near-identical to
        # any of the same text with short own words: no need to compare shingles.
        most = most_shingles(words)
        for leader in letters.leaders:
            if leader.variant == body.variant and (1 - THRESHOLD) * len(demand) >= THRESHOLD * (
                len(leader.extra) + most
            ):
                self.comparisons += 1
                return leader.group
        extra = shingles_of_words(words) - demand
        size = len(demand) + len(extra)
        for leader in letters.leaders:
            if self.comparisons >= MOST_COMPARISONS:
                self.capped = True
                break
            larger = max(size, leader.size)
            if larger and min(size, leader.size) < THRESHOLD * larger:
                continue  # too different in length to reach the threshold
            self.comparisons += 1
            if leader.similarity(body.variant, demand, extra) >= THRESHOLD:
                return leader.group
        if len(letters.leaders) >= MOST_GROUPS_PER_MP:
            self.capped = True
            return None
        group = Group()
        letters.groups.append(group)
        letters.leaders.append(_Leader(group, body.variant, demand, extra))
        return group

    def groups(self) -> dict[str, list[Group]]:
        """Per MP, the groups of two or more letters, largest first."""
        found: dict[str, list[Group]] = {}
        for mp_key, letters in self._mps.items():
            shared = [group for group in letters.groups if group.letters > 1]
            if shared:
                found[mp_key] = sorted(shared, key=lambda group: (-group.letters, group.rows[:1]))
        return found


#: How near-identical letters are found, as ``--json`` states it.
METHOD = {
    "shingle_words": SHINGLE_WORDS,
    "similarity": "jaccard",
    "threshold": THRESHOLD,
    "compared": "letter bodies (demand text and own words) to the same MP",
}


def identikit_report(
    identikit: Identikit, mps: Mapping[str, tuple[str, str, str]]
) -> dict[str, object]:
    """The groups as ``bulk --json`` gives them; ``mps``: riding, MP and party by riding code."""
    by_mp: list[dict[str, object]] = []
    in_groups = 0
    for code, groups in identikit.groups().items():
        riding, mp, _party = mps.get(code, ("", "", ""))
        in_groups += sum(group.letters for group in groups)
        listed = [
            {"letters": group.letters, "identical": group.identical, "rows": list(group.rows)}
            for group in groups
        ]
        by_mp.append({"riding_code": code, "riding": riding, "mp": mp, "groups": listed})
    by_mp.sort(key=lambda entry: (-_largest(entry), str(entry["riding_code"])))
    return {
        "method": METHOD,
        "capped": identikit.capped,
        "letters_in_groups": in_groups,
        "by_mp": by_mp,
    }


def _largest(entry: Mapping[str, object]) -> int:
    groups = entry["groups"]
    assert isinstance(groups, list)
    return max(int(group["letters"]) for group in groups)
