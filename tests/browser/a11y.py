"""Accessibility checks with axe-core, run in the page under test."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

BLOCKING_IMPACTS = frozenset({"serious", "critical"})


@cache
def _axe_runner() -> Any:
    """One runner, and one read of the bundled axe.min.js, per session."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation.get("nodes", []):
            target = ", ".join(str(part) for part in node.get("target", []))
            lines.append(f"    at {target}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Run axe-core on the current page: no serious or critical violation is allowed."""
    results = _axe_runner().run(page)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    assert not blocking, (
        f"axe-core found {len(blocking)} serious or critical accessibility violation(s) "
        f"on {page.url}:\n{describe_violations(blocking)}"
    )
