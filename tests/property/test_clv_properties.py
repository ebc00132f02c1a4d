"""Properties of the BG/NBD and Gamma-Gamma predictions that hold for every customer."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from advocacy.clv import BetaGeo, GammaGamma

POSITIVE = st.floats(min_value=0.01, max_value=50, allow_nan=False)
FREQUENCY = st.integers(min_value=0, max_value=500)
TIME = st.floats(min_value=0.01, max_value=500, allow_nan=False)


def bgnbd(r: float, alpha: float, a: float, b: float) -> BetaGeo:
    model = BetaGeo()
    model.params_ = {"r": r, "alpha": alpha, "a": a, "b": b}
    return model


@st.composite
def customers(draw: st.DrawFn) -> tuple[int, float, float]:
    frequency = draw(FREQUENCY)
    age = draw(TIME)
    recency = 0.0 if frequency == 0 else draw(st.floats(min_value=1e-3, max_value=1.0)) * age
    return frequency, recency, age


@given(POSITIVE, POSITIVE, POSITIVE, POSITIVE, customers())
def test_probability_alive_is_a_probability_and_one_without_repeat_purchases(
    r: float, alpha: float, a: float, b: float, customer: tuple[int, float, float]
) -> None:
    frequency, recency, age = customer
    alive = bgnbd(r, alpha, a, b).probability_alive([frequency], [recency], [age])[0]

    assert 0.0 <= alive <= 1.0
    if frequency == 0:
        assert alive == 1.0


@given(POSITIVE, POSITIVE, POSITIVE, POSITIVE, customers(), st.floats(0.0, 1.0))
def test_a_later_last_purchase_never_makes_a_customer_less_likely_alive(
    r: float,
    alpha: float,
    a: float,
    b: float,
    customer: tuple[int, float, float],
    share: float,
) -> None:
    frequency, recency, age = customer
    assume(frequency > 0)  # without a repeat purchase the recency is 0 by definition
    later = recency + share * (age - recency)
    model = bgnbd(r, alpha, a, b)
    earlier_alive, later_alive = model.probability_alive(
        [frequency, frequency], [recency, later], [age, age]
    )

    assert later_alive >= earlier_alive - 1e-12


@given(
    st.floats(min_value=0.1, max_value=20),
    st.floats(min_value=1.05, max_value=20),
    POSITIVE,
    st.integers(min_value=1, max_value=1000),
    st.floats(min_value=0.01, max_value=1e5),
)
def test_expected_spend_lies_between_the_population_mean_and_the_customers_own(
    p: float, q: float, v: float, frequency: int, spend: float
) -> None:
    model = GammaGamma()
    model.params_ = {"p": p, "q": q, "v": v}
    expected = model.conditional_expected_average_profit([frequency], [spend])[0]
    population_mean = p * v / (q - 1)

    low, high = sorted([population_mean, spend])
    assert low * (1 - 1e-9) <= expected <= high * (1 + 1e-9)
