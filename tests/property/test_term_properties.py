"""Which names a text mentions: one scan of all the term lists answers as a scan per list does."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from advocacy.text.patterns import TermSet, fold
from advocacy.text.themes import Taxonomy
from advocacy.text.urgency import UrgencyRules

# Words that are prefixes of one another and phrases that overlap, so that the terms of different
# names start at the same places and inside each other's matches.
WORDS = ["ab", "abc", "b", "bc", "c", "abcd", "ca", "d"]
TERMS = st.lists(
    st.sampled_from([*WORDS, "ab*", "b*", "c*", "ab c", "b c*", "abc d", "c ab*", "bc d*"]),
    min_size=1,
    max_size=4,
)
PIECES = st.sampled_from([*WORDS, " ", ", ", "-", "_", "x", "1", "é", "  "])


def one_scan_per_name(terms: TermSet, folded: str) -> list[str]:
    return [name for name, pattern in terms.patterns.items() if pattern.search(folded)]


@settings(max_examples=400, deadline=None)
@given(st.lists(TERMS, min_size=1, max_size=6), st.lists(PIECES, max_size=30))
def test_one_scan_finds_exactly_the_names_a_scan_per_name_finds(
    lists: list[list[str]], pieces: list[str]
) -> None:
    terms = TermSet.of({f"name{k}": values for k, values in enumerate(lists)})
    folded = fold("".join(pieces))

    assert terms.names_in(folded) == one_scan_per_name(terms, folded)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["the", "courier", "delivery", "refund", "lawyer", "price",
                                 "staff", "rude", "cancel my account", "доставка", "livrare",
                                 "envío", "precio", ".", " ", "!"]), max_size=40))  # fmt: skip
def test_the_shipped_themes_and_urgency_reasons_are_found_as_by_a_scan_per_name(
    words: list[str],
) -> None:
    folded = fold(" ".join(words))
    for terms in (Taxonomy.default()._terms, UrgencyRules().terms):
        assert terms.names_in(folded) == one_scan_per_name(terms, folded)
