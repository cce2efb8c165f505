"""Every page a person can reach by following links, at the narrowest phone width: no sideways scrolling and no
serious or critical axe findings. Catches the page a feature's own browser test did not think to visit."""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import serious_violations

pytestmark = pytest.mark.browser

NARROWEST = {"width": 320, "height": 640}
SKIP = (
    "sign-out",
    "export",
    "download",
    "/thumb",
    "/display",
    "/original",
    ".csv",
    ".pdf",
    "/pdf",
    "/receipt",
    "/versions/",
    "/statements/",
)
MOST_PAGES = 30


def _crawl(page, limit: int) -> list[str]:
    problems, seen, queue = [], set(), ["/"]
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = page.goto(path)
        if not response or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > NARROWEST["width"]:
            problems.append(f"{path}: {width}px wide")
        found = serious_violations(page)
        if found:
            problems.append(f"{path}: {json.dumps(found)}")
        for href in page.eval_on_selector_all(
            "main a[href^='/'], nav a[href^='/']", "els => els.map(e => e.getAttribute('href'))"
        ):
            href = href.split("#")[0]
            if href not in seen and not any(s in href for s in SKIP):
                queue.append(href)
    assert len(seen) > 5, "the crawl reached too few pages to mean anything"
    return problems


@pytest.mark.parametrize("email", ["carer@example.org", "support@example.org", "admin@example.org"])
def test_every_page_reached_fits_320px_and_has_no_serious_accessibility_problems(new_context, signed_in_state, email):
    page = new_context(viewport=NARROWEST, bypass_csp=True, storage_state=signed_in_state(email)).new_page()
    problems = _crawl(page, MOST_PAGES)
    assert not problems, "\n".join(problems)
