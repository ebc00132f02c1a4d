"""Surveys, pure: their wording in each language, the signed links, and the rules of contact.

Nothing here touches a database or the network; :mod:`advocacy.services.surveys` applies it to
the catalogue, :mod:`advocacy.mail` sends the e-mails and :mod:`advocacy.jobs` runs the work.
"""
