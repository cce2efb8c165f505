"""Reading a memory box: the boxes a person may open, the timeline, one memory, and its files."""

from __future__ import annotations

from datetime import date
from itertools import groupby
from urllib.parse import urlencode

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.gates import requires_role
from portal.auth.roles import Role
from portal.core.pagination import page_number
from portal.core.uploads import send_rendition
from portal.memories.forms import ActionForm
from portal.memories.models import KIND_LABELS, TAG_LABELS, MemoryKind, MemoryTag
from portal.memories.policy import can_change_item, load_item, read_box
from portal.memories.queries import box_children
from portal.memories.routes import READERS, bp
from portal.memories.timeline import Cursor, timeline


@bp.route("/memory-box")
@requires_role(*READERS)
def list_boxes():
    page = box_children(current_user, page_number(request.args))
    if current_user.has_role(Role.YOUNG_PERSON) and page.total == 1 and not current_user.is_staff:
        return redirect(url_for("memories.show_box", child_id=page.items[0].id))
    pager = page.govuk(lambda n: url_for("memories.list_boxes", page=n))
    return render_template("memories/list_boxes.html", children=page.items, page=page, pager=pager)


_TAGS = frozenset(t.value for t in MemoryTag)
_KINDS = frozenset(k.value for k in MemoryKind)


def _filters() -> dict:
    args = request.args
    tag, kind = args.get("tag"), args.get("kind")
    return {
        "order": "oldest" if args.get("order") == "oldest" else "newest",
        "tag": tag if tag in _TAGS else "",
        "kind": kind if kind in _KINDS else "",
    }


@bp.route("/memory-box/<int:child_id>")
@requires_role(*READERS)
def show_box(child_id: int):
    access = read_box(current_user, child_id)
    filters = _filters()
    page = timeline(
        current_user,
        child_id,
        rule=access.rule,
        oldest_first=filters["order"] == "oldest",
        tag=filters["tag"],
        kind=filters["kind"],
        after=Cursor.parse(request.args.get("after")),
        before=Cursor.parse(request.args.get("before")),
    )
    months = [
        (key, list(group))
        for key, group in groupby(page.items, key=lambda i: date(i.memory_date.year, i.memory_date.month, 1))
    ]
    # One url_for for the box and one for its items: each link is the box's URL and its query, each card's the
    # items' prefix and the item's id (the same URLs url_for would build, for a fraction of the cost).
    box_url = url_for("memories.show_box", child_id=child_id)
    item_prefix = url_for("memories.show_item", item_id=0).removesuffix("0")

    def link(**changes) -> str:
        params = {k: v for k, v in {**filters, **changes}.items() if v and not (k == "order" and v == "newest")}
        return f"{box_url}?{urlencode(params)}" if params else box_url

    def year_link(year: int) -> str:
        if page.years and year == (page.years[0] if filters["order"] == "newest" else page.years[-1]):
            return link()  # the box's first year is its first page, with nothing before it to go back to
        start = date(year + 1, 1, 1) if filters["order"] == "newest" else date(year, 1, 1)
        return link(after=Cursor(start, 0).token())

    return render_template(
        "memories/show_box.html",
        access=access,
        child=access.child,
        page=page,
        months=months,
        filters=filters,
        box_url=box_url,
        item_prefix=item_prefix,
        link=link,
        year_link=year_link,
        years=page.years,
        tag_labels=TAG_LABELS,
        kind_labels=KIND_LABELS,
    )


@bp.route("/memory-box/items/<int:item_id>")
@requires_role(*READERS)
def show_item(item_id: int):
    item, access = load_item(current_user, item_id)
    revealed = not item.is_sensitive or request.args.get("show") == "1"
    return render_template(
        "memories/show_item.html",
        item=item,
        access=access,
        child=item.child,
        revealed=revealed,
        can_change=can_change_item(current_user, item, access),
        form=ActionForm(),
    )


@bp.route("/memory-box/items/<int:item_id>/files/<any(thumb, display, original):rendition>")
@requires_role(*READERS)
def download_item_file(item_id: int, rendition: str):
    """Every request runs the policy again: a carer whose placement has ended is refused, and on S3 no new
    short-lived link is issued to them."""
    item, _access = load_item(current_user, item_id)
    if item.file is None:
        abort(404)
    name = "master" if rendition == "original" else rendition
    as_attachment = rendition == "original" and item.kind != MemoryKind.VIDEO
    return send_rendition(item.file, name, as_attachment=as_attachment)
