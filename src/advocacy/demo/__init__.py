"""A realistic multilingual demo company (Vetra Home) written as canonical import files.

``write_demo_files`` simulates two years of an online home, kitchen and electronics shop
selling in Spain, Mexico, Russia, Romania, Moldova, the UK and the US: customers, orders with
late and lost deliveries, NPS answers, reviews, support tickets and social posts whose texts
in English, Spanish, Russian and Romanian say what actually happened.
"""

from advocacy.demo.writer import COLUMNS, write_demo_files

__all__ = ["COLUMNS", "write_demo_files"]
