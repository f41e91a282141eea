"""The scores are the expectation over a random arrival in the hour; the baselines are what they say."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chargers.occupancy.observe import S_DOWN, S_FREE, S_FULL, S_UNKNOWN
from chargers.occupancy.scoring import CLIP, Score, brier, last_known_full, log_loss

probability = st.floats(0, 1)


@given(probability, probability)
def test_brier_is_the_expected_score_of_one_random_arrival(p: float, y: float) -> None:
    # The arrival finds the station full with probability y: score (p - 1)² then, p² otherwise.
    assert brier(p, y) == pytest.approx(y * (p - 1) ** 2 + (1 - y) * p**2, abs=1e-12)


@given(probability, probability)
def test_log_loss_is_clipped_and_expected(p: float, y: float) -> None:
    q = min(1 - CLIP, max(CLIP, p))
    import math

    assert log_loss(p, y) == pytest.approx(-(y * math.log(q) + (1 - y) * math.log(1 - q)))
    assert log_loss(0.0, 1.0) == pytest.approx(-math.log(CLIP))


@given(st.lists(st.tuples(probability, probability), min_size=1, max_size=50))
def test_the_truth_scores_best(pairs: list[tuple[float, float]]) -> None:
    truth, other = Score(), Score()
    for p, y in pairs:
        truth.add(y, y)
        other.add(p, y)
    assert truth.brier <= other.brier + 1e-12


def test_last_known_status_walks_back_over_unknown_marks() -> None:
    quarters = bytes([S_FULL, S_UNKNOWN, S_UNKNOWN, S_FREE, S_DOWN, S_UNKNOWN])
    assert last_known_full(quarters, 2 * 900 + 10) == 1.0  # the last known mark (0) was full
    assert last_known_full(quarters, 3 * 900) == 0.0
    assert last_known_full(quarters, 5 * 900) == 0.0  # down is not full
    assert last_known_full(bytes([S_UNKNOWN] * 3), 2 * 900) == 0.0
