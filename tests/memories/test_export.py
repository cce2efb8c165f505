"""Taking the box away: a ZIP of cleaned originals and a life story book, prepared as a job, for 7 days."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, timedelta

import pikepdf
from sqlalchemy import select

from portal.auth.roles import Role
from portal.core.audit import AuditEvent
from portal.core.db import db, utcnow
from portal.core.notify import Notification
from portal.memories.models import MemoryBoxAccess, MemoryExport
from tests.factories import make_user
from tests.jobs import drain_jobs, queued_jobs
from tests.memories.conftest import add, approve_all, items, photo, press, signed_in
from tests.memories.test_moderation import _grant
from tests.pdf_reading import pdf_text, squashed

NOTE = "Jordan swam a whole width. 🎂 Dŵr, 张伟 and فاطمة cheered."


def _box_with_memories(app, box):
    carer = signed_in(app, box.carer)
    add(
        carer,
        box.child,
        files=[(photo("red"), "a.jpg")],
        when=date(2023, 3, 4),
        title="Zoo trip",
        caption="Jordan fed the penguins 🐧🎉 with Babcia Wiśniewska",
    )
    add(carer, box.child, kind="note", when=date(2021, 6, 1), title="First swim", body=NOTE)
    add(carer, box.child, files=[(photo("blue"), "b.jpg")], when=date(2024, 12, 25), title="Christmas morning")
    approve_all(app, box)
    add(carer, box.child, files=[(photo("grey"), "c.jpg")], when=date(2024, 1, 1), title="Still waiting")
    hidden = items()[-2]
    sw = _grant(app, box)
    sw.submit(f"/memory-box/items/{hidden.id}/hide", {"reason": "Another child's face"})
    return sw


def _links(page_text: str) -> dict[str, str]:
    return {
        kind: url.replace("&amp;", "&")
        for url, kind in re.findall(r'href="(/memory-box/copies/\d+/(zip|pdf)\?token=[^"]+)"', page_text)
    }


def test_the_social_worker_prepares_a_copy_and_the_young_person_downloads_it(app, box):
    sw = _box_with_memories(app, box)
    assert press(sw, f"/memory-box/{box.child.id}/copies").status_code == 302
    export = db.session.scalar(select(MemoryExport))
    assert export.status == "ready" and export.item_count == 2
    assert export.expires_at - utcnow() > timedelta(days=6, hours=23)
    young = signed_in(app, box.young_person)
    page = young.get(f"/memory-box/{box.child.id}/copies")
    assert "Prepare a new copy" not in page.text and not [f for f in page.page.forms if f.action != "/sign-out"]
    links = _links(page.text)
    archive = young.get(links["zip"])
    assert archive.status_code == 200 and archive.headers["Content-Disposition"].startswith("attachment")
    with zipfile.ZipFile(io.BytesIO(archive.data)) as z:
        names = z.namelist()
        assert "life-story-book.pdf" in names and "contents.txt" in names
        memories = sorted(n for n in names if n[:4].isdigit())
        assert [n.split(" ", 2)[1] for n in memories] == [
            "2021-06-01",
            "2023-03-04",
        ]  # date order; hidden and pending left out
        assert memories[0].endswith(".txt") and "whole width" in z.read(memories[0]).decode()
        assert z.read(memories[1])[:2] == b"\xff\xd8"
        assert "Christmas" not in " ".join(names) and "Still waiting" not in " ".join(names)
    book = young.get(links["pdf"])
    assert book.status_code == 200 and book.data.startswith(b"%PDF")
    with pikepdf.open(io.BytesIO(book.data)) as pdf, pdf.open_outline() as outline:
        months = [(m.title, [c.title for c in m.children]) for m in outline.root]
        assert months == [("June 2021", ["First swim"]), ("March 2023", ["Zoo trip"])]
        assert len(pdf.pages) >= 3
    text = squashed(pdf_text(book.data))
    for shown in ("Jordan fed the penguins 🐧🎉 with Babcia Wiśniewska", NOTE):
        assert squashed(shown) in text
    assert "\ufffd" not in text
    downloads = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "memory_export_downloaded")).all()
    assert [e.actor_id for e in downloads] == [box.young_person.id, box.young_person.id]


def test_a_link_stops_working_when_it_expires_or_is_altered(app, box):
    sw = _box_with_memories(app, box)
    press(sw, f"/memory-box/{box.child.id}/copies")
    links = _links(sw.get(f"/memory-box/{box.child.id}/copies").text)
    assert sw.get(links["pdf"]).status_code == 200
    assert sw.get(links["pdf"].replace("/pdf?", "/zip?")).status_code == 404  # a token for one file only
    assert sw.get(links["zip"][:-3] + "abc").status_code == 404
    export = db.session.scalar(select(MemoryExport))
    export.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert sw.get(links["zip"]).status_code == 404
    assert "This copy has expired" in sw.get(f"/memory-box/{box.child.id}/copies").text
    from portal.memories.jobs import remove_expired_exports

    keys = [f["key"] for f in (export.zip_file.renditions["master"], export.pdf_file.renditions["master"])]
    assert remove_expired_exports() == 1
    assert not any(app.extensions["hearth_storage"].exists(k) for k in keys)


def test_carers_and_others_cannot_take_a_copy(app, box):
    sw = _box_with_memories(app, box)
    press(sw, f"/memory-box/{box.child.id}/copies")
    links = _links(sw.get(f"/memory-box/{box.child.id}/copies").text)
    for user, status in (
        (box.carer, 403),
        (box.ssw, 403),
        (make_user(Role.CHILD_SW), 404),
        (make_user(Role.ADMIN), 403),
    ):
        client = signed_in(app, user)
        assert client.get(links["zip"]).status_code == status
        assert client.get(f"/memory-box/{box.child.id}/copies").status_code == status
    withdraw = db.session.scalar(select(MemoryBoxAccess))
    sw.submit(f"/memory-box/{box.child.id}/access/{withdraw.id}/withdraw", {"reason": "Paused"})
    assert signed_in(app, box.young_person).get(links["zip"]).status_code == 404


def test_documents_reach_the_copy_only_as_the_pdf_rebuilt_from_their_pages(app, box, tmp_path):
    """A school letter that carried a script and an attachment: the young person's ZIP holds only its pictures."""
    from tests.uploads import hostile_documents as hd
    from tests.uploads.corpus import open_action_js
    from tests.uploads.pdf_checks import assert_only_pictures

    carer = signed_in(app, box.carer)
    letters = {
        "Letter from school": hd.acting_pdf(hd.direct_open_action, hd.attachment_without_type),
        "Certificate": hd.acting_pdf(open_action_js, hd.direct_embedded_files, hd.file_uri),
    }
    for title, content in letters.items():
        response = add(
            carer, box.child, kind="document", files=[(content, f"{title}.pdf")], when=date(2024, 3, 1), title=title
        )
        assert response.status_code == 302
    approve_all(app, box)
    sw = _grant(app, box)
    assert press(sw, f"/memory-box/{box.child.id}/copies").status_code == 302
    links = _links(sw.get(f"/memory-box/{box.child.id}/copies").text)
    masters = {item.title: item.file.rendition("master")["key"] for item in items()}
    with zipfile.ZipFile(io.BytesIO(signed_in(app, box.young_person).get(links["zip"]).data)) as z:
        documents = {n: z.read(n) for n in z.namelist() if n[:4].isdigit()}
    assert sorted(n.rsplit(".", 1)[-1] for n in documents) == ["pdf", "pdf"]
    for name, data in documents.items():
        title = next(t for t in letters if t in name)
        with app.extensions["hearth_storage"].open(masters[title]) as stored:
            assert data == stored.read()  # the rebuilt PDF is the document's original
        assert assert_only_pictures(data, tmp_path, title.replace(" ", "-")) == 1


def test_a_worker_prepares_the_copy_and_tells_the_person_who_asked_with_a_link_that_works(app, box):
    sw = _box_with_memories(app, box)
    copies = f"/memory-box/{box.child.id}/copies"
    with sw.jobs_held():
        assert press(sw, copies).status_code == 302
        assert "Being prepared" in sw.get(copies).text
    assert queued_jobs() == ["build_export"]
    assert db.session.scalar(select(MemoryExport)).status == "preparing"
    assert not db.session.scalar(select(Notification).where(Notification.text.like("The copy%")))

    drain_jobs(app)  # as a worker: a fresh application context, no request to build links from

    export = db.session.scalar(select(MemoryExport))
    assert export.status == "ready"
    notes = select(Notification).where(Notification.user_id == export.requested_by_id)
    [note] = [n for n in db.session.scalars(notes) if n.text == "The copy of the memory box is ready to download"]
    assert note.link == copies
    assert set(_links(sw.get(note.link).text)) == {"zip", "pdf"}
