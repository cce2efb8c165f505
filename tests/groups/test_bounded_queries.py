"""The lists of groups, pages and newsletters cost the same number of queries however much there is."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from portal.auth.roles import Role
from portal.core.db import db
from tests.factories import make_household, make_locality, make_user
from tests.groups.helpers import make_group
from tests.hub.helpers import make_page


@contextmanager
def counted():
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _queries(client, url: str) -> int:
    client.get(url)  # warm: first-request work is not the page's
    with counted() as seen:
        assert client.get(url).status_code == 200
    return len(seen)


def test_groups_information_and_search_pages_do_not_grow_with_data(client):
    loc, other = make_locality(), make_locality()
    carer = make_user(Role.CARER)
    make_household(carer, locality=loc)
    coordinators = [make_user(Role.GROUP_COORDINATOR) for _ in range(3)]
    admin = make_user(Role.ADMIN)
    for n in range(3):
        make_group(loc if n % 2 else other, coordinators[n % 3], name=f"Group {n}")
        make_page(f"Page {n}", admin=admin)
    client.sign_in(carer)
    urls = ["/groups", "/information", "/search?q=page", "/newsletters", f"/groups/{1}"]
    few = {url: _queries(client, url) for url in urls}
    for n in range(3, 45):
        group = make_group(loc if n % 2 else other, *coordinators[: 1 + n % 3], name=f"Group {n}")
        group.breaks  # noqa: B018
        make_page(f"Page {n}", admin=admin)
    many = {url: _queries(client, url) for url in urls}
    assert many == few
