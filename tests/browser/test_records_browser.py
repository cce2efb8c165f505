"""A carer writes a log entry with a photo on a phone; the supervising social worker reads it and marks it read."""

from __future__ import annotations

import json
import re

import pytest
from PIL import Image

from tests.browser.conftest import image_loaded, reload_until, serious_violations

pytestmark = pytest.mark.browser


def _photo(tmp_path) -> str:
    path = tmp_path / "school-letter.jpg"
    Image.new("RGB", (1200, 900), (240, 230, 200)).save(path, "JPEG", quality=85)
    return str(path)


def _accessible(page) -> None:
    problems = serious_violations(page)
    assert not problems, f"{page.url}: " + json.dumps(problems, indent=2)


def test_carer_logs_an_entry_with_a_photo_and_the_ssw_marks_it_read(new_context, signed_in_state, tmp_path):
    carer = new_context(bypass_csp=True, storage_state=signed_in_state("carer@example.org")).new_page()
    carer.goto("/logs/new")
    _accessible(carer)
    carer.select_option("select[name=child_id]", label="Millie Stone")
    carer.get_by_label("Achievement").check()
    carer.fill("textarea[name=body]", "Millie read a whole chapter aloud at bedtime tonight.")
    carer.set_input_files("input[name=attachments]", _photo(tmp_path))
    carer.get_by_role("button", name="Send log entry").click()
    carer.wait_for_url(re.compile(r"/logs/\d+$"))
    assert "Millie read a whole chapter aloud" in carer.locator("main").inner_text()
    reload_until(carer, "img.hearth-thumb")  # "Being checked" until the worker has cleaned the photo
    thumb = carer.locator("img.hearth-thumb")
    assert thumb.count() == 1
    assert image_loaded(carer, thumb)
    _accessible(carer)
    entry_url = carer.url
    carer.goto("/logs")
    assert "Millie read a whole chapter" in carer.locator("main").inner_text()
    _accessible(carer)

    ssw = new_context(bypass_csp=True, storage_state=signed_in_state("ssw@example.org")).new_page()
    ssw.goto(entry_url)
    _accessible(ssw)
    ssw.get_by_role("button", name="Mark as read").click()
    ssw.wait_for_load_state()
    assert "You have read this entry" in ssw.locator("main").inner_text()


def test_the_log_form_fits_a_320px_phone(new_context, signed_in_state):
    page = new_context(
        viewport={"width": 320, "height": 640}, storage_state=signed_in_state("carer@example.org")
    ).new_page()
    page.goto("/logs/new")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


@pytest.mark.parametrize("width", [320, 375])
def test_a_log_entry_with_a_photo_does_not_scroll_sideways_on_a_phone(new_context, signed_in_state, tmp_path, width):
    """The thumbnail is 400 px wide: it scales down to the column rather than pushing the page wider."""
    page = new_context(
        viewport={"width": width, "height": 700}, storage_state=signed_in_state("carer@example.org")
    ).new_page()
    page.goto("/logs/new")
    page.select_option("select[name=child_id]", label="Millie Stone")
    page.get_by_label("Daily life").check()
    page.fill("textarea[name=body]", "A photo of the letter from school about the trip.")
    page.set_input_files("input[name=attachments]", _photo(tmp_path))
    page.get_by_role("button", name="Send log entry").click()
    page.wait_for_url(re.compile(r"/logs/\d+$"))
    reload_until(page, "img.hearth-thumb")  # the worker cleans the photo first
    thumb = page.locator("img.hearth-thumb")
    assert thumb.get_attribute("width") == "400" and image_loaded(page, thumb)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    box = thumb.bounding_box()
    assert (
        box["x"] >= 0
        and box["x"] + box["width"] <= width
        and box["width"] / box["height"] == pytest.approx(4 / 3, 0.02)
    )
