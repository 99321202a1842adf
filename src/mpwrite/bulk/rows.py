"""What happens to one supporter row in a bulk run.

:class:`RowProcessor` takes one :class:`~mpwrite.csvfiles.reader.InputRow`:
:meth:`~RowProcessor.decide` validates it, spots duplicates and looks up the
riding; :meth:`~RowProcessor.carry_out` writes its letter or hands it out
(:mod:`mpwrite.bulk.workers`), or puts it in needs-review.csv; the outcome is a
:class:`~mpwrite.bulk.outcomes.RowOutcome`. It keeps only small state between
rows: the duplicate table, the folders it created and bounded caches of look-ups.
"""

from __future__ import annotations

import contextlib
import datetime
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from mpwrite.bulk import reasons
from mpwrite.bulk.files import remove_stale_temporaries
from mpwrite.bulk.letters import LetterJob, LetterSettings
from mpwrite.bulk.options import BulkOptions, letter_folder_name
from mpwrite.bulk.outcomes import (
    BLANK,
    DUPLICATE,
    INVALID,
    NEEDS_REVIEW,
    READY,
    REVIEW_STATUSES,
    RowOutcome,
    with_status,
)
from mpwrite.bulk.seen import SeenSupporters
from mpwrite.bulk.supporters import (
    ROW_FIELDS,
    home_key,
    language_of,
    letter_identity,
    supporter_identity,
)
from mpwrite.bulk.voices import Voices
from mpwrite.bulk.workers import LetterPool, PendingLetter
from mpwrite.errors import (
    AmbiguousRidingError,
    MalformedPostalCodeError,
    NoRidingForPostalAreaError,
    UnknownDemandError,
    UnknownPostalAreaError,
    UnknownRidingError,
)
from mpwrite.geo.lookup import LookupResult, Resolver
from mpwrite.geo.matching import classify, review_label
from mpwrite.geo.postal import PostalCode, parse_postal_code
from mpwrite.geo.ridings import Riding
from mpwrite.letter.address import minister_suggestion

if TYPE_CHECKING:
    from mpwrite.bulk.bundles import PdfBundle
    from mpwrite.bulk.report import NeedsReviewCsv
    from mpwrite.campaign.folder import Campaign, Demand
    from mpwrite.csvfiles.reader import Columns, InputRow


@dataclass(frozen=True, slots=True)
class Decision:
    """What a row comes to: its outcome (ready, with a letter to write); candidates for review."""

    result: RowOutcome
    candidates: str = ""
    letter: LetterJob | None = None


@dataclass(frozen=True, slots=True)
class _Lookup:
    """A row's look-up: the riding, or the status and reason that stop the row."""

    riding: Riding | None = None
    status: str = ""
    reason: str = ""
    candidates: str = ""


class RowProcessor:
    """Decides and carries out the fate of each row of one run."""

    def __init__(
        self,
        options: BulkOptions,
        resolver: Resolver,
        campaign: Campaign,
        columns: Columns,
        review: NeedsReviewCsv | None,
        input_bytes: int | None = None,
    ) -> None:
        """``input_bytes``: the input's size, when known (a file, not a pipe)."""
        self._input_bytes = input_bytes
        self.options = options
        self.resolver = resolver
        self.campaign = campaign
        self.columns = columns
        self.review = review
        self.seen = SeenSupporters()
        # The file names of the run's letters, so that two supporters never share one.
        self._file_names = SeenSupporters()
        self._fields = columns.picker(ROW_FIELDS)
        # Folders in --out this run wrote letters into, by name (made once each).
        self._folders: dict[str, str] = {}
        self._folder_names: dict[str, str] = {}
        self._by_postal = lru_cache(maxsize=1024)(resolver.by_postal_code)
        self._by_riding = lru_cache(maxsize=1024)(resolver.by_riding)
        self._demands: dict[str, Demand] = {}
        self._default_demand = options.demand or campaign.default_demand
        self._date = options.date or datetime.date.today()
        self._pool: LetterPool | None = None
        #: Look-up warnings (Represent unreachable, …) by kind, with how many rows.
        self.warnings: Counter[str] = Counter()
        #: Own words, asks kept and how alike the letters read (mpwrite.bulk.voices).
        self.voices = Voices(campaign, require_own_words=options.require_own_words)

    def decide(self, row: InputRow) -> Decision:
        """What to do with one row: its outcome, or the letter to write.

        Deciding changes nothing outside the processor (it may ask Represent,
        and may be interrupted): :meth:`carry_out` does what was decided.
        """
        if row.blank and not row.problem:
            return Decision(RowOutcome(row.number, BLANK, "empty row"))
        return self._process(row)

    def carry_out(self, row: InputRow, decision: Decision) -> RowOutcome | PendingLetter:
        """Write the letter or hand it out, or put a row needing the organizer in needs-review.csv.

        A letter's outcome (written, unchanged, conflict) is known once it is written.
        """
        outcome = decision.result
        if decision.letter is not None:
            letter = self._letters().submit(decision.letter, outcome)
            if isinstance(letter, PendingLetter):
                return letter  # finish() puts it in needs-review.csv if need be
            outcome = letter
        if outcome.status in REVIEW_STATUSES and self.review is not None:
            self.review.write(row.cells, decision.candidates, outcome.reason, row.extra)
        return outcome

    def wait(self, outcome: RowOutcome | PendingLetter) -> None:
        """Until the row's letter is written (or has failed)."""
        if isinstance(outcome, PendingLetter):
            outcome.wait()

    def finish(self, row: InputRow, outcome: RowOutcome | PendingLetter) -> RowOutcome:
        """A row's final outcome; a letter found invalid on the way goes to needs-review.csv."""
        if isinstance(outcome, PendingLetter):
            done = outcome.result()
            if done.status in REVIEW_STATUSES and self.review is not None:
                self.review.write(row.cells, "", done.reason, row.extra)
        else:
            done = outcome
        self.voices.finish(row.number, done)
        return done

    def _process(self, row: InputRow) -> Decision:
        number = row.number
        if row.problem:
            return Decision(RowOutcome(number, INVALID, row.problem))
        fields = self._fields(row.cells)
        (name, first, last, language, demand_text, riding_text, postal_text) = fields[:7]
        name = name or " ".join(part for part in (first, last) if part)
        if not name:
            return Decision(RowOutcome(number, INVALID, reasons.NO_NAME))
        lang = language_of(language, self.options.lang)
        if lang is None:
            return Decision(RowOutcome(number, INVALID, reasons.UNKNOWN_LANGUAGE))
        try:
            demand = self._demand(demand_text or self._default_demand)
        except UnknownDemandError as error:
            return Decision(RowOutcome(number, INVALID, reasons.reason_for(error)))
        code: PostalCode | None = None
        if postal_text or not riding_text:
            try:
                code = parse_postal_code(postal_text)
            except MalformedPostalCodeError as error:
                if not riding_text:
                    reason = reasons.reason_for(error) if postal_text else reasons.NO_POSTAL_CODE
                    return Decision(RowOutcome(number, INVALID, reason))
        digest = supporter_identity(
            name, home_key(code.compact if code else None, postal_text, riding_text)
        )
        if not self.seen.add(digest):
            same = "postal code" if code is not None or postal_text else "riding"
            return Decision(
                RowOutcome(number, DUPLICATE, f"same name and {same} as an earlier row")
            )
        found = self._lookup(riding_text, code, demand)
        if found.riding is None:
            return Decision(RowOutcome(number, found.status, found.reason), found.candidates)
        riding = found.riding
        mp = riding.mp
        assert mp is not None
        base = RowOutcome(
            number,
            READY,
            "",
            riding.code,
            mp.full_name,
            province=riding.province,
            party=mp.party,
            riding_name=riding.name_en,
            own_words=self.voices.own_words(fields[10]),
        )
        ask_numbers, problem = self.voices.check(demand, lang, fields[12], base.own_words)
        if problem:
            return Decision(with_status(base, NEEDS_REVIEW, problem))
        self.voices.remember(number, riding, demand, lang, ask_numbers, fields[10])
        if self.options.dry_run:
            return Decision(with_status(base, READY, "dry run: no letter written"))
        return Decision(
            base,
            letter=self._letter_job(
                riding, name, code, postal_text, demand, lang, digest, fields, ask_numbers
            ),
        )

    def _demand(self, key: str) -> Demand:
        found = self._demands.get(key)
        if found is None:
            found = self.campaign.demand(key)
            self._demands[key] = found
        return found

    def _lookup(self, riding_text: str, code: PostalCode | None, demand: Demand) -> _Lookup:
        try:
            if riding_text:
                result: LookupResult = self._by_riding(riding_text)
            else:
                assert code is not None
                result = self._by_postal(code)
        except (UnknownRidingError, UnknownPostalAreaError) as error:
            return _Lookup(status=INVALID, reason=reasons.reason_for(error))
        except AmbiguousRidingError as error:
            found = self.resolver.data.search(riding_text)[:_MOST_CANDIDATES]
            return _Lookup(
                status=NEEDS_REVIEW,
                reason=reasons.reason_for(error),
                candidates="; ".join(review_label(riding) for riding in found),
            )
        except NoRidingForPostalAreaError as error:
            return _Lookup(status=NEEDS_REVIEW, reason=reasons.reason_for(error))
        online_trouble = self._note_warnings(result, code)
        classified = classify(result, accept_likely=self.options.approximate == "accept")
        if classified.ambiguous:
            return _Lookup(
                status=NEEDS_REVIEW,
                reason="the postal code spans several ridings; fill in the riding column",
                candidates="; ".join(review_label(riding) for riding in classified.ridings),
            )
        riding = classified.riding
        if not classified.accepted:
            return _Lookup(
                status=NEEDS_REVIEW,
                reason=(
                    "only the likely riding is known for this postal code's area; check "
                    "it and fill in the riding column (or run with --approximate accept)"
                    + online_trouble
                ),
                candidates=review_label(riding),
            )
        if classified.vacant:
            return _Lookup(
                status=NEEDS_REVIEW,
                reason=f"the seat for {riding.name_en} is vacant: there is no MP to "
                f"write to until a by-election; {minister_suggestion(riding, demand)}",
                candidates=review_label(riding),
            )
        return _Lookup(riding=riding)

    def _note_warnings(self, result: LookupResult, code: PostalCode | None) -> str:
        """Count the look-up's warnings for the summary; a note for the row's reason.

        The postal code is taken out of each warning so that the summary counts
        kinds of trouble ("Represent does not know a postal code"), not codes.
        """
        if not result.warnings:
            return ""
        for warning in result.warnings:
            general = warning.replace(code.code, "a postal code") if code else warning
            if general in self.warnings or len(self.warnings) < _MOST_WARNING_KINDS:
                self.warnings[general] += 1
        return " (Represent gave no exact answer: see the warnings)"

    def _letter_job(
        self,
        riding: Riding,
        name: str,
        code: PostalCode | None,
        postal_text: str,
        demand: Demand,
        lang: str,
        digest: bytes,
        fields: list[str],
        ask_numbers: tuple[int, ...] = (),
    ) -> LetterJob:
        address, city, email, note, salutation = fields[7:12]
        folder_name = self._folder_names.get(riding.code)
        if folder_name is None:
            folder_name = self._folder_names[riding.code] = letter_folder_name(self.options, riding)
        folder = self._folders.get(folder_name)
        if folder is None:
            assert self.options.out_dir is not None
            made = self.options.out_dir / folder_name
            made.mkdir(parents=True, exist_ok=True)
            remove_stale_temporaries(made)
            folder = self._folders[folder_name] = str(made)
        return LetterJob(
            riding.code,
            name,
            address,
            city,
            code.code if code else postal_text,
            email,
            note,
            demand.id,
            lang,
            folder,
            folder_name,
            self._file_identity(folder_name, digest),
            salutation,
            " ".join(map(str, ask_numbers)),
        )

    def _file_identity(self, folder_name: str, digest: bytes) -> str:
        identity = letter_identity(digest)
        if self._file_names.add(f"{folder_name}/{identity}".encode()):
            return identity
        # Another supporter's letter in this folder has the same short identity.
        return letter_identity(digest, longer=True)

    def _letters(self) -> LetterPool:
        if self._pool is None:
            self._pool = LetterPool(
                self._settings,
                self.campaign,
                self.resolver.data.ridings,
                input_bytes=self._input_bytes,
            )
        return self._pool

    @cached_property
    def _settings(self) -> LetterSettings:
        return LetterSettings(
            campaign=self.options.campaign,
            fmt=self.options.fmt,
            paper=self.options.paper,
            envelope=self.options.envelope,
            force=self.options.force,
            date=self._date,
        )

    def write_pdf_bundles(self, bundles: list[PdfBundle]) -> None:
        """Write the run's per-MP PDF bundles, where its letters are written."""
        self._letters().write_pdf_bundles(bundles)

    @property
    def letters_in_flight(self) -> int:
        """Letters being written that the run may leave unrecorded while it reads on."""
        return self._pool.in_flight if self._pool is not None else 0

    def close(self, *, abandon: bool = False) -> None:
        """Wait for letters still being written, and release the run's temporary files.

        ``abandon`` (the run stops on an error): letters not yet started are
        dropped, and trouble stopping the writers does not hide that error.
        """
        try:
            if self._pool is not None:
                if abandon:
                    with contextlib.suppress(Exception):
                        self._pool.close(abandon=True)
                else:
                    self._pool.close()
        finally:
            self.seen.close()
            self._file_names.close()


#: Ridings listed as candidates for an ambiguous riding name, at most.
_MOST_CANDIDATES = 10
#: Kinds of look-up warning the summary keeps (each counted over every row).
_MOST_WARNING_KINDS = 20
