"""Adding memories: several photos at once, a video, a document, a note; the checklist; dates; kind messages."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta

from portal.core.clock import today
from portal.memories.models import APPROVED, PENDING
from tests.memories.conftest import add, items, memory_form, photo, signed_in, yesterday
from tests.pages import text_of


def test_a_carer_adds_three_photos_at_once_and_sees_them_straight_away(app, box):
    client = signed_in(app, box.carer)
    response = add(
        client,
        box.child,
        files=[(photo("red"), "a.jpg"), (photo("green"), "b.jpg"), (photo("blue"), "c.jpg")],
        when=yesterday(),
    )
    assert response.status_code == 302 and response.location.endswith(f"/memory-box/{box.child.id}")
    added = items()
    assert len(added) == 3 and {i.status for i in added} == {PENDING}
    assert all(i.is_ready and i.memory_date == yesterday() for i in added)
    assert {i.placement_id for i in added} == {box.placement.id} and {i.added_by_id for i in added} == {box.carer.id}
    assert all(i.tags == ["holiday"] and i.people == "Jordan" for i in added)
    timeline = client.get(f"/memory-box/{box.child.id}")
    assert timeline.text.count("Waiting for approval") == 3
    thumb = client.get(f"/memory-box/items/{added[0].id}/files/thumb")
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"


def test_the_date_is_taken_from_the_photo_when_left_blank_and_can_be_changed(app, box):
    client = signed_in(app, box.carer)
    taken = date(2024, 7, 14)
    add(client, box.child, files=[(photo(taken=taken), "beach.jpg"), (photo(), "no-date.jpg")])
    with_date, without = items()
    assert with_date.memory_date == taken and not with_date.date_from_photo
    assert without.memory_date == today()
    change = client.get(f"/memory-box/items/{with_date.id}/change")
    assert 'value="14"' in change.text and 'value="2024"' in change.text  # prefilled from the photo
    fields = {"memory_date-day": "1", "memory_date-month": "8", "memory_date-year": "2024", "title": "Beach day"}
    assert client.submit(f"/memory-box/items/{with_date.id}/change", fields).status_code == 302
    assert items()[0].memory_date == date(2024, 8, 1) and items()[0].title == "Beach day"


def test_the_safeguarding_checks_must_all_be_ticked(app, box):
    client = signed_in(app, box.carer)
    response = add(client, box.child, files=[(photo(), "a.jpg")], checks=["no_other_children"], title="Kept title")
    assert response.status_code == 422
    assert "Tick each safeguarding check" in text_of(response)
    assert 'value="Kept title"' in response.text and "#checks" in response.page.error_summary_links
    # The browser cannot be given the photo back: the page says so beside the file field
    assert "a.jpg was not kept because of the problem on this page: choose the file again" in text_of(response)
    assert 'id="files-error"' in response.text
    assert items() == []


def test_a_note_needs_words_and_a_date(app, box):
    client = signed_in(app, box.carer)
    response = add(client, box.child, kind="note", body="", title="A story")
    assert response.status_code == 422
    assert "Write the note or story" in text_of(response) and "Enter the date of the memory" in text_of(response)
    ok = add(
        client, box.child, kind="note", body="Jordan made pancakes for everyone.\nThen washed up!", when=yesterday()
    )
    assert ok.status_code == 302
    note = items()[0]
    assert note.kind == "note" and note.file is None and note.body.startswith("Jordan made pancakes")
    assert "Jordan made pancakes" in client.get(f"/memory-box/items/{note.id}").text


def test_a_date_in_the_future_is_refused_kindly(app, box):
    client = signed_in(app, box.carer)
    future = today() + timedelta(days=3)
    response = add(client, box.child, files=[(photo(), "a.jpg")], when=future)
    assert response.status_code == 422 and "must be today or in the past" in text_of(response)
    assert f'value="{future.year}"' in response.text


def test_a_file_of_the_wrong_kind_is_refused_on_the_form(app, box):
    client = signed_in(app, box.carer)
    response = add(client, box.child, files=[(photo(), "good.jpg"), (b"%PDF-1.4 not really", "letter.pdf")])
    assert response.status_code == 422 and "cannot be uploaded here" in text_of(response)
    assert items() == []


def test_a_video_is_added_and_plays_from_the_cleaned_copy(app, box, tmp_path):
    video = tmp_path / "clip.mp4"
    subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=160x120:rate=10",
            "-t",
            "1",
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            str(video),
        ],
        check=True,
        timeout=120,
    )
    client = signed_in(app, box.carer)
    response = add(client, box.child, kind="video", files=[(video.read_bytes(), "clip.mp4")], when=yesterday())
    assert response.status_code == 302
    item = items()[0]
    assert item.kind == "video" and item.is_ready and set(item.file.renditions) >= {"master", "display", "thumb"}
    page = client.get(f"/memory-box/items/{item.id}")
    assert "<video" in page.text
    played = client.get(f"/memory-box/items/{item.id}/files/original")
    assert played.status_code == 200 and played.mimetype == "video/mp4"
    assert played.headers["Content-Disposition"].startswith("inline")


def test_a_scanned_document_is_added_as_a_pdf(app, box):
    from tests.uploads import corpus

    client = signed_in(app, box.carer)
    response = add(
        client,
        box.child,
        kind="document",
        files=[(corpus.pdf(), "report.pdf")],
        when=yesterday(),
        title="School report",
        tags=["school"],
    )
    assert response.status_code == 302
    item = items()[0]
    assert item.kind == "document" and item.is_ready
    download = client.get(f"/memory-box/items/{item.id}/files/original")
    assert download.headers["Content-Disposition"].startswith("attachment") and download.data.startswith(b"%PDF")


def test_staff_additions_enter_the_box_at_once(app, box):
    client = signed_in(app, box.social_worker)
    assert add(client, box.child, files=[(photo(), "a.jpg")], when=yesterday()).status_code == 302
    assert items()[0].status == APPROVED and items()[0].approved_by_id == box.social_worker.id


def test_the_add_page_works_as_one_form_for_the_upload_script(app, box):
    client = signed_in(app, box.carer)
    page = client.get(f"/memory-box/{box.child.id}/add/photos")
    # Photos go as they are (data-hearth-upload="originals"): the box keeps the full photo and the date it was taken.
    assert 'data-hearth-upload="originals"' in page.text and "multiple" in page.text and "<progress" in page.text
    response = client.post(
        f"/memory-box/{box.child.id}/add/photos",
        data={**page.page.forms[0].fields, **memory_form([(photo(), "a.jpg")], when=yesterday())},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302 and response.location.endswith(f"/memory-box/items/{items()[0].id}")
