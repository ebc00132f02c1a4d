"""What a customer went through, how it moves their score, and what they would mention.

One model serves NPS answers, reviews and posts, so a late parcel lowers the score and shows
up in the comment of the same answer, and a promoter's comment praises what went well.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from advocacy.demo.catalogue import Product


@dataclass(frozen=True, slots=True)
class Experience:
    """The facts behind one piece of feedback."""

    product: Product | None
    late_days: int = 0
    lost: bool = False
    defect: bool = False
    returned: bool = False
    setup_trouble: bool = False
    support: str = ""  # "good", "bad" or "" when the customer never contacted support
    business: bool = False
    price_sensitive: bool = False
    recent_bad: int = 0  # bad orders in the months before
    good_orders: int = 0  # orders that went well so far

    @property
    def troubled(self) -> bool:
        """Whether anything went wrong that the customer would talk about."""
        return bool(self.late_days or self.lost or self.defect or self.setup_trouble) or (
            self.support == "bad"
        )


def nps_score(rng: random.Random, satisfaction: float, experience: Experience) -> int:
    """A 0–10 answer to "how likely are you to recommend us": lower after trouble."""
    mean = satisfaction
    if experience.lost:
        mean -= 4.5
    elif experience.late_days:
        mean -= (1.2 + 0.3 * min(experience.late_days, 15)) * (1.2 if experience.business else 1)
    if experience.defect:
        mean -= 2.5
    elif experience.returned:
        mean -= 0.7
    if experience.setup_trouble:
        mean -= 1.2
    if experience.support == "good":
        mean += 0.4
    elif experience.support == "bad":
        mean -= 1.8
    mean -= min(2.0, 0.6 * experience.recent_bad)
    if not experience.troubled:
        mean += 0.8 if experience.good_orders >= 8 else 0.5 if experience.good_orders >= 3 else 0
    if experience.price_sensitive:
        mean -= 0.8
    return max(0, min(10, round(rng.gauss(mean, 1.0))))


def stars(rng: random.Random, score: int) -> int:
    """The 1–5 star rating a customer with this 0–10 feeling gives a review site."""
    if score >= 9:
        return 5 if rng.random() < 0.9 else 4
    if score >= 7:
        return 4 if rng.random() < 0.7 else rng.choice((3, 5))
    if score >= 5:
        return 3 if rng.random() < 0.6 else 2
    return 1 if score <= 2 or rng.random() < 0.6 else 2


def tone_of(score: int) -> str:
    """ "+" for promoters (9–10), "~" for passives (7–8), "-" for detractors (0–6)."""
    return "+" if score >= 9 else "~" if score >= 7 else "-"


def _some(rng: random.Random, options: Sequence[str], most: int) -> list[str]:
    return rng.sample(list(options), k=min(len(options), rng.randint(1, most)))


def aspects(rng: random.Random, experience: Experience, score: int) -> list[str]:
    """Phrase-bank aspect keys ("delivery-", "quality+", …) a comment would cover, in order."""
    tone = tone_of(score)
    said: list[str] = []
    if experience.lost:
        said.append("lost-")
    elif experience.late_days:
        said.append("delivery-")
    if experience.defect:
        said.append("quality-")
    if experience.returned:
        unhappy = experience.support == "bad" or (not experience.support and score <= 4)
        said.append("returns-" if unhappy else "returns+")
    if experience.setup_trouble:
        said.append("usability-")
    if experience.support:
        said.append("support+" if experience.support == "good" else "support-")
    fiddly = experience.product is not None and experience.product.fiddly
    if said:
        if tone != "-" and rng.random() < 0.6:
            upside = ["price+", "range+"] + ([] if experience.defect else ["quality+"])
            said.append(rng.choice(upside))
        return said[:3]
    if tone == "+":
        praise = ["delivery+", "quality+", "price+", "range+", "delivery+", "quality+"]
        if fiddly:
            praise.append("usability+")
        return list(dict.fromkeys(_some(rng, praise, 2)))
    gripes = ["delivery~", "quality~", "site-", "price-"]
    if experience.price_sensitive:
        gripes += ["price-", "price-"]
    if tone == "~":
        good = rng.choice(("delivery+", "quality+", "price+", "range+"))
        bad = rng.choice(gripes)
        if bad.split("~")[0].rstrip("-") == good.rstrip("+"):
            bad = "site-" if good != "price+" else "quality~"
        return [good, bad] if rng.random() < 0.7 else [bad, good]
    return list(dict.fromkeys(_some(rng, gripes, 2)))
