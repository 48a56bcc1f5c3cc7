"""The data of `GET /api/v1/projects`: the projects a user may see, with their indicators.

The endpoint itself lives with the private API; this function is its whole behaviour, so
that the HTML dashboard and the API answer from the same computation and the same access
rule (`monitoring.models.Project.objects.visible_to`).
"""

from __future__ import annotations

from decimal import Decimal

from monitoring.indicators import compute_project
from monitoring.models import Project


def _number(value: Decimal | None) -> int | float | None:
    """JSON numbers: whole values as integers (most indicators count people or meetings)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def projects_for_user(user) -> list[dict]:
    """`[{"registration_number", "name", "indicators": [{"code", "name", "unit", "target",
    "value"}]}]` for every project `user` may see; `value` is the project's value to date
    (values of locked periods as they were reported)."""
    projects = (
        Project.objects.visible_to(user)
        .select_related("implementer", "territory")
        .order_by("registration_number")
    )
    return [
        {
            "registration_number": project.registration_number,
            "name": project.name,
            "indicators": [
                {
                    "code": result.indicator.code,
                    "name": result.indicator.name,
                    "unit": result.indicator.unit,
                    "target": _number(result.indicator.target),
                    "value": _number(result.value),
                }
                for result in compute_project(project)
            ],
        }
        for project in projects
    ]
