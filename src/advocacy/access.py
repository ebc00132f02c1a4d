"""Roles and what each may do: the one table every page, API route and command checks.

Access is denied by default: a route that names no permission does not start (the web app
refuses to build, ``advocacy.web.security.check_every_route_is_guarded``), and a permission not
granted to a role below is refused.

=================  =====  ====  ========  =======  ======
permission         admin  lead  advocate  analyst  viewer
=================  =====  ====  ========  =======  ======
dashboard.view     yes    yes   yes       yes      yes
feedback.view      yes    yes   yes       yes
customers.view     yes    yes   yes       yes
feedback.work      yes    yes   yes
surveys.manage     yes    yes
cases.manage       yes    yes
data.export        yes    yes             yes
users.manage       yes
tokens.manage      yes
=================  =====  ====  ========  =======  ======

The dashboard's aggregates (and each chart's data as CSV) are for everyone; lists of feedback
and customers, which hold what customers wrote and who they are, are not for viewers; raw
exports are for analysts and leads; surveys — what customers are asked, and whom — and the
rules of casework (which rules open cases, who gets them, reply templates, webhooks) are run by
leads; people and tokens are the admin's.
"""

from __future__ import annotations

from enum import StrEnum

from advocacy.errors import InvalidInput


class Role(StrEnum):
    ADMIN = "admin"
    LEAD = "lead"
    ADVOCATE = "advocate"
    ANALYST = "analyst"
    VIEWER = "viewer"


class Permission(StrEnum):
    DASHBOARD_VIEW = "dashboard.view"
    FEEDBACK_VIEW = "feedback.view"
    CUSTOMERS_VIEW = "customers.view"
    FEEDBACK_WORK = "feedback.work"
    SURVEYS_MANAGE = "surveys.manage"
    CASES_MANAGE = "cases.manage"
    DATA_EXPORT = "data.export"
    USERS_MANAGE = "users.manage"
    TOKENS_MANAGE = "tokens.manage"


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.LEAD: frozenset(
        {
            Permission.DASHBOARD_VIEW,
            Permission.FEEDBACK_VIEW,
            Permission.CUSTOMERS_VIEW,
            Permission.FEEDBACK_WORK,
            Permission.SURVEYS_MANAGE,
            Permission.CASES_MANAGE,
            Permission.DATA_EXPORT,
        }
    ),
    Role.ADVOCATE: frozenset(
        {
            Permission.DASHBOARD_VIEW,
            Permission.FEEDBACK_VIEW,
            Permission.CUSTOMERS_VIEW,
            Permission.FEEDBACK_WORK,
        }
    ),
    Role.ANALYST: frozenset(
        {
            Permission.DASHBOARD_VIEW,
            Permission.FEEDBACK_VIEW,
            Permission.CUSTOMERS_VIEW,
            Permission.DATA_EXPORT,
        }
    ),
    Role.VIEWER: frozenset({Permission.DASHBOARD_VIEW}),
}

#: What each role is for, as shown to admins.
DESCRIPTIONS: dict[Role, str] = {
    Role.ADMIN: "users, tokens and settings, and everything else",
    Role.LEAD: "leads the advocacy team: works feedback, reads and exports everything",
    Role.ADVOCATE: "works the feedback inbox and customers",
    Role.ANALYST: "reads everything and exports data",
    Role.VIEWER: "dashboards only",
}


def parse_role(value: str) -> Role:
    """The role named ``value`` (case-insensitive), or a clear error listing the roles."""
    try:
        return Role(value.strip().lower())
    except ValueError:
        names = ", ".join(role.value for role in Role)
        raise InvalidInput(f"unknown role {value!r}: use one of {names}") from None


def allows(role: Role | str, permission: Permission) -> bool:
    """Whether ``role`` holds ``permission``; an unknown role holds nothing."""
    try:
        return permission in GRANTS[Role(role)]
    except ValueError:
        return False
