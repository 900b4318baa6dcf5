"""Accessibility checks with axe-core, injected from node_modules (never from a CDN)."""

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

AXE_JS = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"

# WCAG 2.1 level A and AA, plus the 2.0 rules they include.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

# Colours are measured as drawn: first let every finite CSS transition and animation end (the
# search overlay fades in; measured mid-fade, its text was reported as low contrast).
_RUN = """async (tags) => {
  const finite = document.getAnimations().filter(
    (a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity
  );
  await Promise.all(finite.map((a) => a.finished.catch(() => null)));
  const results = await axe.run(document, {
    runOnly: { type: "tag", values: tags },
    resultTypes: ["violations"],
  });
  return results.violations;
}"""


def run_axe(page: "Page") -> list[dict[str, Any]]:
    """Run axe-core's WCAG 2.1 A/AA rules on the page; return its violations (axe's format).

    Each violation has ``id``, ``impact``, ``help``, ``helpUrl`` and ``nodes`` (with
    ``target`` and ``html``). Raises ``FileNotFoundError`` if axe-core is not installed.
    """
    if not AXE_JS.is_file():
        raise FileNotFoundError(f"{AXE_JS} is missing; run `npm ci` in the project root")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        if page.evaluate("!!document.querySelector('meta[http-equiv=Content-Security-Policy]')"):
            # The offline forms' Content-Security-Policy lets only their own scripts run (and
            # must stay on): evaluate axe through the DevTools protocol instead.
            page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;void 0")
        else:
            page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(_RUN, list(WCAG_TAGS))


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per violation and node, for assertion messages."""
    lines = []
    for violation in violations:
        for node in violation.get("nodes", []):
            lines.append(f"{violation['id']} ({violation.get('impact')}): {node.get('target')}")
    return "\n".join(lines)
