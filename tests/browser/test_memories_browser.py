"""On a phone: a carer adds three photos at once with a progress bar, the child's social worker approves them, and
the young person sees them on their timeline with no way to change them. axe checks every memory-box page."""

from __future__ import annotations

import json
import re

import pytest
from PIL import Image

from tests.browser.conftest import image_loaded, reload_until, serious_violations

pytestmark = pytest.mark.browser

TITLE = "Bowling with the whole family"


def _accessible(page) -> None:
    problems = serious_violations(page)
    assert not problems, f"{page.url}: " + json.dumps(problems, indent=2)


def _photos(tmp_path) -> list[str]:
    paths = []
    for n in range(3):
        path = tmp_path / f"IMG_00{n}.jpg"
        Image.effect_noise((900, 675), 40 + n * 10).convert("RGB").save(path, "JPEG", quality=92)
        paths.append(str(path))
    return paths


def _jordans_box(page) -> str:
    page.goto("/memory-box")
    page.get_by_role("link", name=re.compile("Jordan Reid")).click()
    page.wait_for_url(re.compile(r"/memory-box/\d+$"))
    return page.url


def test_three_photos_go_from_the_carer_to_the_young_person(new_context, signed_in_state, tmp_path):
    carer_context = new_context(bypass_csp=True, storage_state=signed_in_state("carer@example.org"))
    carer = carer_context.new_page()
    box_url = _jordans_box(carer)
    _accessible(carer)
    carer.get_by_role("link", name="Add a memory").click()
    _accessible(carer)
    carer.get_by_role("link", name="Photos").click()
    _accessible(carer)
    # A slow phone connection, so the progress bar has something to show.
    cdp = carer_context.new_cdp_session(carer)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 20, "downloadThroughput": -1, "uploadThroughput": 250 * 1024},
    )
    for box in carer.locator("input[name=checks]").all():
        box.check()
    carer.set_input_files("input[name=files]", _photos(tmp_path))
    carer.fill("input[name=title]", TITLE)
    carer.get_by_label("Family time").check()
    carer.get_by_role("button", name="Add to the box").click()
    carer.wait_for_function(
        "document.querySelector('#upload-progress') && "
        "!document.querySelector('.hearth-progress').hidden && "
        "document.querySelector('#upload-progress').value > 0"
    )
    carer.wait_for_url(box_url, timeout=60_000)
    assert "3 memories have been added" in carer.locator("main").inner_text()
    # "Being checked" until the worker has cleaned each photo.
    reload_until(carer, lambda p: p.locator("main").inner_text().count("Waiting for approval") >= 3)
    main = carer.locator("main").inner_text()
    assert main.count(TITLE) == 3 and main.count("Waiting for approval") >= 3
    _accessible(carer)

    worker = new_context(bypass_csp=True, storage_state=signed_in_state("socialworker@example.org")).new_page()
    worker.goto("/memory-box/moderation")
    _accessible(worker)
    for _ in range(3):
        worker.get_by_role("button", name=f"Approve {TITLE}").first.click()
        worker.wait_for_load_state()
    assert worker.get_by_role("button", name=f"Approve {TITLE}").count() == 0

    young = new_context(bypass_csp=True, storage_state=signed_in_state("young.person@example.org")).new_page()
    young.goto("/memory-box")
    young.wait_for_url(re.compile(r"/memory-box/\d+$"))
    assert young.locator("h1").inner_text() == "Your memory box"
    cards = young.locator(".memories-card", has_text=TITLE)
    assert cards.count() == 3
    assert image_loaded(young, cards.first.locator("img"))
    assert young.get_by_role("link", name="Add a memory").count() == 0
    assert young.locator("form[method=post]:not(.hearth-sign-out)").count() == 0
    _accessible(young)
    cards.first.locator("a").first.click()
    young.wait_for_url(re.compile(r"/memory-box/items/\d+$"))
    assert young.locator("form[method=post]:not(.hearth-sign-out)").count() == 0
    assert young.get_by_role("link", name=re.compile("Change|Delete|Hide")).count() == 0
    _accessible(young)


def test_every_other_memory_box_page_has_no_serious_accessibility_problems(new_context, signed_in_state):
    worker = new_context(bypass_csp=True, storage_state=signed_in_state("socialworker@example.org")).new_page()
    box_url = _jordans_box(worker)
    child_id = box_url.rsplit("/", 1)[1]
    worker.locator(".memories-card a").first.click()
    worker.wait_for_url(re.compile(r"/memory-box/items/\d+$"))
    item_url = worker.url
    _accessible(worker)
    for path in (
        f"{item_url}/change",
        f"{item_url}/hide",
        f"/memory-box/{child_id}/access",
        f"/memory-box/{child_id}/copies",
        f"/memory-box/{child_id}/add/note",
        f"/memory-box/{child_id}?order=oldest",
    ):
        worker.goto(path)
        _accessible(worker)
    worker.goto(f"/memory-box/{child_id}/add/note")
    worker.get_by_role("button", name="Add the note").click()
    worker.wait_for_selector(".govuk-error-summary")
    _accessible(worker)
    worker.goto(f"/memory-box/{child_id}/copies")
    worker.get_by_role("button", name="Prepare a new copy").click()
    worker.wait_for_load_state()
    reload_until(worker, lambda p: p.get_by_role("link", name=re.compile("life story book")).count() >= 1)
    _accessible(worker)
    worker.goto(f"/memory-box/{child_id}/access")
    worker.get_by_role("link", name="Withdraw access").click()
    _accessible(worker)

    admin = new_context(bypass_csp=True, storage_state=signed_in_state("admin@example.org")).new_page()
    admin.goto(f"{item_url}/delete")
    _accessible(admin)
    admin.goto(f"/memory-box/{child_id}/legal-hold")
    _accessible(admin)

    carer = new_context(bypass_csp=True, storage_state=signed_in_state("carer@example.org")).new_page()
    carer.goto("/memory-box")
    _accessible(carer)
    carer.goto("/")
    _accessible(carer)
