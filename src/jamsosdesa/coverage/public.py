"""The public coverage page's figures (issue 13, item 7): protected and registered people per province and
kabupaten/kota with coverage and progress, with small counts suppressed. No login, so nothing below a kabupaten
and nothing about a person.

**The suppression rule** (`suppress`), applied to each count column (protected, registered) of the whole tree the
public pages show (the nation, its provinces, their kabupaten/kota), so that the nation page, a province's page and
the province's row on the nation page always agree:

1. *Small counts*: a count from 1 to 4 is shown as "< 5" (state SMALL). A count of 0 is shown as 0: nobody is
   counted, so no person can be singled out by it, and "no one protected here" is exactly what a public coverage
   page must be able to say. Because 0 is always shown, a reader knows that "< 5" means 1 to 4.
2. *Complementary cells*: every table is a parent (shown above it) and its children, which add up to it. A hidden
   count could be worked out by subtraction (one small cell whose siblings and parent are shown; two cells of 1 and
   1 under a parent shown exactly; a hidden parent whose children are all shown...). After the small cells are
   marked, the sums of every table are checked: each hidden cell gets the range a reader can know (SMALL: 1 to 4;
   HIDDEN: 5 or more, since only a non-zero count that is not small is ever hidden as a complement) and the ranges are
   narrowed through every parent = sum of children until nothing changes. While any small cell's range is a single
   number, one more non-zero count is hidden (state HIDDEN, shown without a figure): first a child of a hidden
   sibling that its own children give away, else the smallest sibling shown, else the parent, else the smallest
   count shown anywhere; then the check runs again. A reader who knows this rule knows that a cell hidden as the
   smallest is no larger than its siblings still shown (11 = 1 + 5 + 5 with one 5 hidden gives the 1 away): the
   check counts that too.
3. A percentage (coverage, progress against the target) of a row whose protected count is not shown is not shown
   either, nor a warning that would tell the count (below the protected count).

Denominators and targets are published figures, not counts of people, and are shown as they are.

Reading: one query for the snapshot's counts per kabupaten (`snapshot_counts(..., by='kab_code')`), one each for the
year's denominators, targets and the region names; the result is cached per snapshot day for PUBLIC_CACHE_SECONDS.
"""

from __future__ import annotations

import math
from datetime import date
from fractions import Fraction

from django.core.cache import cache
from django.db.models.functions import Length

from jamsosdesa.core import clock
from jamsosdesa.core.regioncodes import Level

from .denominators import coverage_percent, coverage_warning, source_label
from .models import NATION, Denominator, Target
from .snapshot import snapshot_counts, snapshot_day

SMALL_BELOW = 5  # counts from 1 to SMALL_BELOW - 1 are small
SHOWN, SMALL, HIDDEN = "shown", "small", "hidden"
COLUMNS = {"protected": "active", "registered": "registered"}  # the page's count columns -> the snapshot's
PUBLIC_CACHE_SECONDS = 300
ROOT = "ID"  # the nation in the tree (its stored code is '')
_INF = math.inf


# --- the suppression rule ------------------------------------------------------------------------------------------

def _bounds(values: dict[str, int], state: dict[str, str], groups: dict[str, list[str]],
            capped: set[str] = frozenset()) -> dict[str, tuple]:
    """What a reader can know of each cell not shown: (low, high), narrowed through parent = sum of children.
    A cell in `capped` was hidden as the smallest of its siblings: it is no larger than any sibling still shown."""
    bounds = {c: ((1, SMALL_BELOW - 1) if s == SMALL else (SMALL_BELOW, _INF)) for c, s in state.items() if s != SHOWN}
    for children in groups.values():
        cap = min((values[c] for c in children if state[c] == SHOWN and values[c] > 0), default=_INF)
        for c in children:
            if c in capped:
                bounds[c] = (bounds[c][0], min(bounds[c][1], cap))
    equations = [[(parent, -1)] + [(c, 1) for c in children] for parent, children in groups.items() if children]
    for _pass in range(200):
        changed = False
        for terms in equations:
            const = sum(a * values[c] for c, a in terms if state[c] == SHOWN)
            unknown = [(c, a) for c, a in terms if state[c] != SHOWN]
            for c, a in unknown:
                lo_rest = sum(min(a2 * bounds[c2][0], a2 * bounds[c2][1]) for c2, a2 in unknown if c2 != c)
                hi_rest = sum(max(a2 * bounds[c2][0], a2 * bounds[c2][1]) for c2, a2 in unknown if c2 != c)
                # a * x + const + rest = 0
                low, high = (-const - hi_rest, -const - lo_rest) if a == 1 else (const + lo_rest, const + hi_rest)
                new = (max(bounds[c][0], low), min(bounds[c][1], high))
                if new != bounds[c]:
                    bounds[c] = new
                    changed = True
        if not changed:
            break
    return bounds


def _complement_for(cell: str, values, state, groups, parent_of, bounds) -> tuple[str | None, bool]:
    """The next count to hide so that `cell` (small, given away) is not (see the module's rule 2), and whether it
    was the smallest of its siblings shown (a reader who knows the rule knows that too)."""
    def shown_nonzero(codes):
        return sorted((c for c in codes if state[c] == SHOWN and values[c] > 0), key=lambda c: (values[c], c))

    parent = parent_of.get(cell)
    siblings = [c for c in groups.get(parent, []) if c != cell] if parent is not None else []
    given_away = [s for s in siblings if state[s] == HIDDEN and bounds[s][0] == bounds[s][1]]
    for choice, smallest in ((shown_nonzero(c for s in given_away for c in groups.get(s, [])), True),
                             (shown_nonzero(siblings), True),
                             (shown_nonzero([parent] if parent is not None else []), False),
                             (shown_nonzero(values), True)):
        if choice:
            return choice[0], smallest
    return None, False


def suppress(values: dict[str, int], groups: dict[str, list[str]]) -> dict[str, str]:
    """The state of each cell (SHOWN, SMALL shown as '< 5', HIDDEN) of a tree of counts: `values` by code,
    `groups` parent -> children whose values add up to the parent's."""
    parent_of = {c: parent for parent, children in groups.items() for c in children}
    state = {c: SMALL if 0 < v < SMALL_BELOW else SHOWN for c, v in values.items()}
    capped: set[str] = set()
    while True:
        bounds = _bounds(values, state, groups, capped)
        exposed = sorted(c for c, s in state.items() if s == SMALL and bounds[c][0] == bounds[c][1])
        if not exposed:
            return state
        pick, smallest = _complement_for(exposed[0], values, state, groups, parent_of, bounds)
        if pick is None:  # nothing left to hide: cannot happen while a count is shown, but never loop for ever
            return state
        state[pick] = HIDDEN
        if smallest:
            capped.add(pick)


def shown(value: int, state: str) -> dict:
    """A count as the page shows it: {'value': n or None, 'state': ...}."""
    return {"value": value if state == SHOWN else None, "state": state}


def percent(part: int, whole: int | None) -> float | None:
    """part/whole in percent, one decimal, rounded as the dashboard's figures are (exact fraction first)."""
    return None if not whole else round(float(100 * Fraction(part) / whole), 1)


# --- the public figures --------------------------------------------------------------------------------------------

def _names() -> dict[str, str]:
    from jamsosdesa.regions.models import Region

    return dict(Region.objects.filter(level__in=(Level.PROVINSI, Level.KABUPATEN), is_historical=False)
                .values_list("code", "name"))


def _upper_level(model, year: int, **extra):
    return model.objects.annotate(n=Length("region_code")).filter(year=year, n__lte=5, **extra)


def _row(code: str, name: str, values: dict, states: dict, denominators: dict, targets: dict) -> dict:
    """One row as cached: numbers and codes only (the words are put in the reader's language by `localized`)."""
    key = NATION if code == ROOT else code
    protected, protected_state = values["protected"][code], states["protected"][code]
    denominator = denominators.get(key)  # (count, source, note)
    target = targets.get(key)
    row = {"code": code, "name": name,
           "protected": shown(protected, protected_state),
           "registered": shown(values["registered"][code], states["registered"][code]),
           "denominator": denominator[0] if denominator else None,
           "denominator_source": list(denominator[1:]) if denominator else None,
           "target": target[0] if target else None, "target_due": target[1] if target else None,
           "coverage": None, "warning": None, "progress": None, "percent_hidden": protected_state != SHOWN}
    warning = coverage_warning(protected, denominator[0] if denominator else None)
    if protected_state == SHOWN:
        row["coverage"] = coverage_percent(protected, denominator[0] if denominator else None)
        row["warning"] = warning.code if warning else None
        row["progress"] = percent(protected, target[0]) if target else None
    elif warning is not None and warning.code != "below_protected":  # says nothing of the count
        row["warning"] = warning.code
    return row


def localized(row: dict) -> dict:
    """A cached row with its words in the reader's language: the denominator's source and the coverage warning."""
    out = dict(row)
    if row["target_due"]:
        out["target_due"] = date.fromisoformat(row["target_due"])
    if row["denominator_source"]:
        out["denominator_source"] = source_label(*row["denominator_source"])
    if row["warning"]:
        protected = row["protected"]["value"] or 0
        out["warning"] = str(coverage_warning(protected, row["denominator"]).message)
        out["warning_code"] = row["warning"]
    return out


def build_public_tree(day: date) -> dict:
    """Every province and kabupaten/kota of the nation with its suppressed figures on a snapshot day (see the module's
    rule). {'day', 'nation': row, 'provinces': [row...], 'kabupaten': {province: [row...]}}"""
    names = _names()
    provinces = sorted(c for c in names if len(c) == 2)
    kabs_of = {p: [] for p in provinces}
    for code in sorted(c for c in names if len(c) == 5):
        kabs_of.setdefault(code[:2], []).append(code)
    counts = snapshot_counts(NATION, day, by="kab_code")
    for kab in counts:  # a kabupaten with people but no current region row still counts toward its province
        if kab not in kabs_of.setdefault(kab[:2], []):
            kabs_of[kab[:2]].append(kab)
    provinces = sorted(set(provinces) | set(kabs_of))
    groups = {ROOT: provinces, **{p: sorted(kabs_of[p]) for p in provinces}}
    values, states = {}, {}
    for column, source in COLUMNS.items():
        v = {kab: int(counts.get(kab, {}).get(source, 0)) for p in provinces for kab in groups[p]}
        for p in provinces:
            v[p] = sum(v[k] for k in groups[p])
        v[ROOT] = sum(v[p] for p in provinces)
        values[column], states[column] = v, suppress(v, groups)
    denominators = {d.region_code: (d.count, d.source, d.source_note) for d in _upper_level(Denominator, day.year)}
    targets = {t.region_code: (t.count, t.due_date.isoformat())
               for t in _upper_level(Target, day.year, segment="", village_role="")}

    def row(code):
        return _row(code, names.get(code, code) if code != ROOT else "Indonesia", values, states, denominators,
                    targets)

    return {"day": day.isoformat(), "nation": row(ROOT), "provinces": [row(p) for p in provinces],
            "kabupaten": {p: [row(k) for k in groups[p]] for p in provinces}}


def public_figures(on: date | None = None) -> dict | None:
    """The public tree of the latest snapshot on or before `on` (default today), from the cache when it is there;
    None when there is no snapshot yet."""
    day = snapshot_day(on or clock.today())
    if day is None:
        return None
    key = f"coverage:public:{day.isoformat()}"
    tree = cache.get(key)
    if tree is None:
        tree = build_public_tree(day)
        cache.set(key, tree, PUBLIC_CACHE_SECONDS)
    return tree
