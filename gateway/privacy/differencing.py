"""The release ledger's differencing check: do new cells, with a requester's earlier releases, pin a count?

The attacker of issue 16 asks for the same area, filters and measure over periods whose populations
differ by a few known pupils (joiners, leavers, pupils crossing the 10% or 50% line) and intersects what
each published value allows. We grant the attacker more than that: it knows the *exact* true difference
between any two cells of one chain (same area, filters and measure; any period). Then every cell of a
chain is its true value plus one common unknown shift u, and each release c allows only the shifts
``preimage(published_c) - true_c``. The feasible shifts are the intersection over the chain, which
always holds 0; the chain is *pinned* when 0 is all that is left: every cell in it is then known exactly.

The check refuses (rule `differencing_would_pin`) when a new release would pin a chain holding a count
below `protect_below` (the profile's threshold times six by default: the 10-59 band where rounding
flips pin values that then difference small ones); a zero counts only where the profile suppresses
zeros (a profile that shows zeros has decided a true 0 may be known). It is an interval test on small integer sets, linear
in the chain's length; a chain longer than `MAX_CHAIN` is refused (`ledger_chain_full`) rather than
checked slowly, so the time per query is bounded.

What a published value allows (`Publication.preimage`): for a key-dependent p-table, the true counts
some cell key maps to it; for rounding, the counts that round to it (at or above the threshold, since
smaller ones are suppressed); `c` below the threshold, 1 (or 0 with zeros disclosive) to threshold - 1;
a complementary `c` (true value at or above the threshold), only that lower bound; `x`/`z`: nothing.

Not modelled: sums across tables (a total from one query minus parts from another). Within a table
`protect` handles them; across tables they need the parts' noise to cancel exactly, which perturbation
makes as unlikely as a pin of every part, and the query space (one published grid) limits them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from gateway.privacy.disclosure import LOW, SUPPRESSED, DisclosureProfile
from gateway.privacy.ptable import PTable, named_ptable

MAX_CHAIN = 2000
# Shifts are held as bit masks: bit (u + WINDOW) for u in -WINDOW..WINDOW. A shift outside the window is
# dropped, which can only shrink the feasible set: a pin may be reported that is not one, never missed.
WINDOW = 64
_ALL = (1 << (2 * WINDOW + 1)) - 1
PIN_RULE = "differencing_would_pin"
FULL_RULE = "ledger_chain_full"


@dataclass(frozen=True, slots=True)
class Release:
    """One released cell: what the ledger stores (the true value stays inside the gateway)."""

    area: str
    date_from: date
    date_to: date
    filters: tuple[tuple[str, str], ...]  # request filters and the breakdown group, sorted
    measure: str
    published: int | str
    true_value: int
    cell_key: int | None = None
    # How `published` was made from the true value (`Publication.scheme`): one series may hold cells
    # published by different routes (a perturbed summary beside a rounded daily count); None is the
    # checking publication's own scheme (releases recorded before schemes were).
    scheme: str | None = None

    @property
    def chain(self) -> tuple[str, tuple[tuple[str, str], ...], str]:
        return (self.area, self.filters, self.measure)


@dataclass(frozen=True, slots=True)
class Verdict:
    """`allowed`, else the stable `rule` and the new releases that would pin their chains."""

    allowed: bool
    rule: str | None = None
    refused: tuple[Release, ...] = ()
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Shifts:
    """Feasible shifts: a finite set, or (when only lower bounds are known) everything from `low` up."""

    values: frozenset[int] | None
    low: int = -(10**9)


UNCONSTRAINED = Shifts(None)


@dataclass(frozen=True, slots=True)
class Publication:
    """How a profile maps true counts to published values, inverted."""

    threshold: int
    zeros_disclosive: bool
    round_to: int | None
    ptable: PTable | None
    _cache: dict[tuple[int | str, bool], frozenset[int] | None] = field(default_factory=dict, compare=False)
    _masks: dict[tuple[int | str, bool], int] = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, profile: DisclosureProfile) -> Publication:
        keyed = profile.key_dependent and profile.ptable is not None
        return cls(
            threshold=profile.threshold,
            zeros_disclosive=profile.zeros_disclosive,
            round_to=profile.round_to,
            ptable=named_ptable(profile.ptable) if keyed and profile.ptable else None,
        )

    @property
    def scheme(self) -> str:
        """What this publication is, as the ledger records it beside each release (`of_scheme` reverses it)."""
        return (
            f"t={self.threshold};z={int(self.zeros_disclosive)};r={self.round_to or 0};"
            f"p={self.ptable.name if self.ptable is not None else ''}"
        )

    @classmethod
    def of_scheme(cls, scheme: str) -> Publication:
        """The publication a recorded scheme names (ValueError for one this code did not write)."""
        try:
            fields = dict(part.split("=", 1) for part in scheme.split(";"))
            threshold, zeros, round_to = int(fields["t"]), fields["z"] == "1", int(fields["r"])
            ptable = named_ptable(fields["p"]) if fields["p"] else None
        except (KeyError, ValueError) as exc:
            raise ValueError(f"not a publication scheme: {scheme!r}") from exc
        return cls(threshold, zeros, round_to or None, ptable)

    def sensitive(self, true_value: int, limit: int) -> bool:
        """A count whose exact value must not be pinned: under `limit`, and not a zero the profile shows."""
        return 0 < true_value < limit or (true_value == 0 and self.zeros_disclosive)

    def shift_mask(self, published: int | str, true_value: int) -> int:
        """`preimage` as a bit mask over the window (what check_releases intersects)."""
        if published == SUPPRESSED and true_value >= self.threshold and self.ptable is None:
            low = self.threshold - true_value  # complementary: everything from the lower bound up
            return _ALL & ~((1 << (low + WINDOW)) - 1) if low > -WINDOW else _ALL
        anchor = published if isinstance(published, int) else 0
        key = (published, true_value < self.threshold)
        relative = self._masks.get(key)
        if relative is None:
            counts = self._counts_for(published, true_value)
            if counts is None:
                relative = -1  # no information
            else:
                relative = 0
                for count in counts:
                    if abs(count - anchor) <= WINDOW:
                        relative |= 1 << (count - anchor + WINDOW)
            self._masks[key] = relative
        if relative < 0:
            return _ALL
        move = anchor - true_value  # bit (count - anchor + W) becomes bit (count - true + W)
        if abs(move) > 2 * WINDOW:
            return 0
        return (relative << move if move >= 0 else relative >> -move) & _ALL

    def _counts_for(self, published: int | str, true_value: int) -> frozenset[int] | None:
        key = (published, true_value < self.threshold)
        if key not in self._cache:
            self._cache[key] = self._counts(published)
        return self._cache[key]

    def preimage(self, published: int | str, true_value: int) -> Shifts:
        """The shifts u with true_value + u able to give `published` (what this one release tells)."""
        if published == SUPPRESSED and true_value >= self.threshold and self.ptable is None:
            return Shifts(None, self.threshold - true_value)  # a complementary cell: only a lower bound
        counts = self._counts_for(published, true_value)
        if counts is None:
            return UNCONSTRAINED
        return Shifts(frozenset(c - true_value for c in counts))

    def _counts(self, published: int | str) -> frozenset[int] | None:
        first_shown = 0 if self.threshold == 0 else self.threshold
        if self.ptable is not None:
            if published == SUPPRESSED:  # zeros disclosive: a true 0 or a count perturbed to 0
                return self.ptable.preimage(0) | {0}
            if isinstance(published, int):
                return self._rounded(published, self.ptable.preimage)
            return None
        if published == SUPPRESSED:
            return frozenset(range(0 if self.zeros_disclosive else 1, self.threshold))
        if published == LOW and self.round_to:
            return frozenset(range(1, (self.round_to + 1) // 2))
        if isinstance(published, int):
            # A shown zero (zeros not disclosive) is a true 0: it belongs to the preimage of a published 0.
            shown_zero = 0 if published == 0 and not self.zeros_disclosive else None
            return frozenset(
                c
                for c in self._rounded(published, lambda v: frozenset({v}))
                if c >= first_shown or c == shown_zero
            )
        return None  # x, z: unavailable or not applicable, no information

    def _rounded(self, published: int, inner: Callable[[int], frozenset[int]]) -> frozenset[int]:
        if not self.round_to or self.round_to == 1:
            return inner(published)
        base = self.round_to
        # Half up: published p comes from p - floor(base/2) .. p + ceil(base/2) - 1.
        below, above = base // 2, (base + 1) // 2 - 1
        found: set[int] = set()
        for value in range(max(published - below, 0), published + above + 1):
            found |= inner(value)
        return frozenset(found)


_SCHEMES: dict[str, Publication] = {}


def _scheme_publication(scheme: str) -> Publication:
    """One Publication per recorded scheme in the process (its preimage masks are cached on it)."""
    found = _SCHEMES.get(scheme)
    if found is None:
        found = _SCHEMES[scheme] = Publication.of_scheme(scheme)
    return found


def novel_releases(new: Iterable[Release], prior: Iterable[Release]) -> list[Release]:
    """The releases of `new` the requester does not hold already, each once, in order.

    A cell received again (same area, period, filters, measure, published and true value, and scheme)
    tells nothing new: its shifts are already in its chain's intersection, so a ledger without the copy
    gives every later check the same verdict, and the copy is not recorded. Without this an analyst
    re-opening one page filled its series' chain (`MAX_CHAIN`) with copies and was refused after a few
    dozen views of the same figures.
    """
    seen = set(prior)
    out: list[Release] = []
    for release in new:
        if release not in seen:
            seen.add(release)
            out.append(release)
    return out


def check_releases(
    new: Sequence[Release],
    prior: Iterable[Release],
    publication: Publication,
    *,
    protect_below: int | None = None,
) -> Verdict:
    """Whether the requester may receive `new`, given everything it received before (`prior`)."""
    limit = publication.threshold * 6 if protect_below is None else protect_below
    by_scheme: dict[str | None, Publication] = {None: publication, publication.scheme: publication}

    def published_by(release: Release) -> Publication:
        found = by_scheme.get(release.scheme)
        if found is None:
            found = by_scheme[release.scheme] = _scheme_publication(release.scheme or "")
        return found

    # The new releases grouped by chain once (in their order), not filtered again for every chain.
    wanted: dict[Hashable, list[Release]] = {}
    for release in new:
        wanted.setdefault(release.chain, []).append(release)
    chains: dict[Hashable, list[Release]] = {chain: [] for chain in wanted}
    for release in prior:
        bucket = chains.get(release.chain)
        if bucket is not None:
            bucket.append(release)
    refused: list[Release] = []
    for chain in sorted(wanted, key=repr):
        members = chains[chain]
        fresh = wanted[chain]
        # Distinct cells: copies (recorded before novel_releases) are one piece of knowledge.
        if len(set(members).union(fresh)) > MAX_CHAIN:
            return Verdict(
                False, FULL_RULE, tuple(fresh), f"more than {MAX_CHAIN} releases of one cell series"
            )
        feasible = _ALL
        for release in (*members, *fresh):
            feasible &= published_by(release).shift_mask(release.published, release.true_value)
        if feasible.bit_count() <= 1 and any(
            publication.sensitive(r.true_value, limit) for r in (*members, *fresh)
        ):
            refused.extend(fresh)
    if refused:
        return Verdict(
            False,
            PIN_RULE,
            tuple(refused),
            "with your earlier releases these cells would pin a count exactly; ask for a coarser period or area",
        )
    return Verdict(True)
