"""Hub pages' Markdown to safe HTML: rendered by markdown-it-py, then cleaned by nh3 (an allow-list of tags,
attributes and URL schemes) when the page is saved; the stored HTML is the only form ever shown.

Anything an author types that is not on the allow-list goes: scripts and styles with their content, SVG and MathML,
event handlers, `style` attributes, `javascript:` and `data:` URLs, frames and forms. GOV.UK classes are set on the
tags that remain, so an author can neither style a page nor borrow the service's buttons.
"""

from __future__ import annotations

import html
import re

import nh3
from markdown_it import MarkdownIt

# Raw HTML is read only inline: an HTML *block* (a line starting with a tag) would swallow the Markdown after it up to
# the next blank line, so a table or link typed just below a stray tag showed as raw text. nh3 cleans either way.
_md = (
    MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
    .enable("table")
    .disable("html_block")
)

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "a", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "code", "pre", "hr",
    "table", "thead", "tbody", "tr", "th", "td", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}, "td": set()}
CLEAN_CONTENT = {"script", "style", "svg", "math", "iframe", "object", "embed", "template", "noscript", "textarea"}
SCHEMES = {"https", "http", "mailto", "tel"}
GOVUK_CLASSES = {
    "a": {"class": "govuk-link"},
    "p": {"class": "govuk-body"},
    "h2": {"class": "govuk-heading-m"},
    "h3": {"class": "govuk-heading-s"},
    "h4": {"class": "govuk-heading-s"},
    "ul": {"class": "govuk-list govuk-list--bullet"},
    "ol": {"class": "govuk-list govuk-list--number"},
    "table": {"class": "govuk-table"},
    "thead": {"class": "govuk-table__head"},
    "tbody": {"class": "govuk-table__body"},
    "tr": {"class": "govuk-table__row"},
    "th": {"class": "govuk-table__header"},
    "td": {"class": "govuk-table__cell"},
    "blockquote": {"class": "govuk-inset-text"},
}
# The page's title is its only <h1>: an author's first-level heading becomes a second-level one, and so on.
_HEADING = re.compile(r"<(/?)h([1-6])(\W)", re.IGNORECASE)


def _shift_headings(rendered: str) -> str:
    return _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + 1, 4)}{m[3]}", rendered)


def render_markdown(text: str) -> str:
    """Markdown (as an admin types it) to HTML safe to show to anyone."""
    rendered = _shift_headings(_md.render(text or ""))
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        clean_content_tags=CLEAN_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=SCHEMES,
        link_rel="noopener noreferrer",
        set_tag_attribute_values=GOVUK_CLASSES,
        strip_comments=True,
    )


def plain_text(safe_html: str) -> str:
    """The words of a rendered page, for the search index."""
    text = nh3.clean(safe_html, tags=set(), clean_content_tags=CLEAN_CONTENT)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()
