"""The public page's suppression rule (coverage.public.suppress): counts from 1 to 4 are shown as '< 5', 0 as 0,
and more cells are hidden until no small count can be worked out from the sums of the tables."""

from jamsosdesa.coverage.public import HIDDEN, SHOWN, SMALL, percent, suppress


def one_group(parent: int, children: list[int]) -> tuple[str, list[str]]:
    values = {"P": parent, **{f"c{i}": v for i, v in enumerate(children)}}
    state = suppress(values, {"P": [f"c{i}" for i in range(len(children))]})
    return state["P"], [state[f"c{i}"] for i in range(len(children))]


def test_one_small_cell_hides_the_smallest_other_cell_too():
    # 56 = 3 + 40 + 13: with 40 and 13 shown, the 3 is 56 - 53; hiding 13 (the smallest other) leaves 3 + 13 = 16
    assert one_group(56, [3, 40, 13]) == (SHOWN, [SMALL, SHOWN, HIDDEN])


def test_two_small_cells_that_cannot_be_told_apart_stay_as_they_are():
    # 57 = 3 + 4 + 50: the two small cells add up to 7, which 3+4 and 4+3 both give
    assert one_group(57, [3, 4, 50]) == (SHOWN, [SMALL, SMALL, SHOWN])


def test_two_small_cells_that_give_each_other_away_hide_a_third():
    # 52 = 1 + 1 + 50: two cells of 1 to 4 adding up to 2 are both 1
    assert one_group(52, [1, 1, 50]) == (SHOWN, [SMALL, SMALL, HIDDEN])


def test_a_small_cell_whose_sibling_is_zero_hides_a_non_zero_one():
    # hiding the 0 would protect nothing (3 + 0 would still be 43 - 40): the 40 is hidden instead
    assert one_group(43, [3, 0, 40]) == (SHOWN, [SMALL, SHOWN, HIDDEN])


def test_a_reader_who_knows_the_smallest_is_hidden_learns_nothing_more():
    # 11 = 1 + 5 + 5: hiding one 5 tells the reader it is at most the other 5, so the 1 would be known; hiding
    # both 5s leaves 1 = 11 - (two cells of 5 or more): still known, so the parent goes too
    assert one_group(11, [1, 5, 5]) == (HIDDEN, [SMALL, HIDDEN, HIDDEN])
    # 26 = 1 + 9 + 16: the hidden 9 is 5 to 16 as far as a reader knows, and 1 + 9 = 10 fits 1..4 + 6..9
    assert one_group(26, [1, 9, 16]) == (SHOWN, [SMALL, HIDDEN, SHOWN])


def test_zero_is_shown_as_zero():
    assert one_group(40, [0, 40, 0]) == (SHOWN, [SHOWN, SHOWN, SHOWN])


def test_a_single_child_shows_what_its_parent_shows():
    assert one_group(3, [3]) == (SMALL, [SMALL])
    assert one_group(60, [60]) == (SHOWN, [SHOWN])


def test_a_small_cell_that_only_hiding_the_parent_protects():
    # 6 = 1 + 5: a hidden cell is 5 or more, so with the 6 shown the 1 would be known
    assert one_group(6, [1, 5]) == (HIDDEN, [SMALL, HIDDEN])


def test_a_hidden_province_is_not_given_away_by_its_kabupaten():
    values = {"ID": 100, "A": 3, "B": 57, "C": 40, "a1": 3, "b1": 52, "b2": 5, "c1": 40}
    groups = {"ID": ["A", "B", "C"], "A": ["a1"], "B": ["b1", "b2"], "C": ["c1"]}
    state = suppress(values, groups)
    assert state["A"] == state["a1"] == SMALL
    assert state["C"] == HIDDEN  # the smallest other province
    assert state["c1"] == HIDDEN  # else C = c1 and A = 100 - 57 - 40


def test_no_small_cell_can_be_worked_out_on_random_tables():
    """Brute force as a reader would: for every small cell, another value from 1 to 4 fits the shown parent and
    the ranges the other hidden cells can have (small: 1-4, hidden: 5 or more and, hidden as the smallest, no
    more than the smallest count still shown)."""
    import random

    rnd = random.Random(7)
    for _ in range(300):
        kids = [rnd.choice((0, 0, 1, 2, 3, 4, 5, 6, 9, 20, 100)) for _ in range(rnd.randint(1, 6))]
        parent, states = one_group(sum(kids), kids)
        cells = list(zip(kids, states, strict=True))
        assert all(s != SHOWN for v, s in cells if 1 <= v <= 4), cells
        assert all(s == SHOWN for v, s in cells if v == 0), cells
        if parent != SHOWN:
            continue
        hidden_sum = sum(v for v, s in cells if s != SHOWN)
        for i, (v, s) in enumerate(cells):
            if s != SMALL:
                continue
            others = [st for j, (_v, st) in enumerate(cells) if j != i and st != SHOWN]
            low = sum(1 if st == SMALL else 5 for st in others)
            cap = min((k for k, st in cells if st == SHOWN and k > 0), default=10**9)
            high = sum(4 if st == SMALL else cap for st in others)
            assert any(w != v and low <= hidden_sum - w <= high for w in range(1, 5)), cells


def test_percentages_use_exact_rounding():
    assert percent(1, 3) == 33.3
    assert percent(5, None) is None
    assert percent(5, 0) is None
