"""Probabilistic customer lifetime value: the "buy till you die" models and their inputs.

``rfm_summary`` turns a transaction log into each customer's frequency, recency, age ``T`` and
mean repeat spend; ``BetaGeo`` (BG/NBD) models who is still buying and how often, ``GammaGamma``
how much they spend per purchase.
"""

from advocacy.clv.bgnbd import BetaGeo
from advocacy.clv.gamma_gamma import GammaGamma
from advocacy.clv.paretonbd import ParetoNBD
from advocacy.clv.prediction import customer_lifetime_value
from advocacy.clv.rfm import rfm_summary

__all__ = ["BetaGeo", "GammaGamma", "ParetoNBD", "customer_lifetime_value", "rfm_summary"]
