"""Run axe-core (from node_modules) on a Playwright page and fail on any WCAG 2.2 A/AA violation."""

from __future__ import annotations

import re
from pathlib import Path

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
MAX_TARGETS = 3

_RUN = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    targets: v.nodes.map(n => n.target.join(' ')),
    summaries: v.nodes.map(n => n.failureSummary || ''),
  }));
}"""


class AccessibilityError(AssertionError):
    pass


def axe_violations(page) -> list[dict]:
    if not AXE_JS.exists():
        raise RuntimeError(f"axe-core is missing at {AXE_JS}: run `npm ci`")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(_RUN, TAGS)


def snapshot_violations(page) -> list[dict]:
    """For a page in a context with JavaScript turned off, where axe-core cannot run (its
    timers never fire): check the page's HTML as it is, without its scripts, in a fresh
    JavaScript-enabled page at the same address (so styles and relative links still load)."""
    url = page.url
    html = re.sub(r"<script\b.*?</script>", "", page.content(), flags=re.S | re.I)
    context = page.context.browser.new_context(viewport=page.viewport_size)
    try:
        snapshot = context.new_page()
        snapshot.route(url, lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html))
        snapshot.goto(url, wait_until="load")
        return axe_violations(snapshot)
    finally:
        context.close()


def format_violations(violations: list[dict], where: str) -> str:
    lines = [f"axe-core found {len(violations)} accessibility problem(s) on {where}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]")
        for target, summary in list(zip(v["targets"], v["summaries"], strict=True))[:MAX_TARGETS]:
            first = summary.strip().splitlines()
            detail = f" — {first[1].strip()}" if len(first) > 1 else ""
            lines.append(f"    at {target}{detail}")
        if len(v["targets"]) > MAX_TARGETS:
            lines.append(f"    … and {len(v['targets']) - MAX_TARGETS} more")
    return "\n".join(lines)


def assert_accessible(page, where: str | None = None, javascript: bool = True) -> None:
    violations = axe_violations(page) if javascript else snapshot_violations(page)
    if violations:
        raise AccessibilityError(format_violations(violations, where or page.url))
