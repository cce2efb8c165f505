"""Demo memories: Jordan's box (from two placements, open to Jordan) and Millie's (one photo waiting for approval).

The photos are drawn with Pillow and go through the real pipeline, so they are cleaned like any upload.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, timedelta

from PIL import Image, ImageDraw
from sqlalchemy import select

from portal.auth.models import User
from portal.core.clock import today
from portal.core.db import db
from portal.core.uploads import process_upload
from portal.memories import services, young_person_access
from portal.memories.jobs import settle_memory_date
from portal.memories.models import MemoryKind
from portal.memories.policy import box_access
from portal.people.models import Child, Placement


def _picture(sky: str, ground: str, sun: bool = True, taken: date | None = None) -> io.BytesIO:
    img = Image.new("RGB", (960, 720), sky)
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 480, 960, 720), fill=ground)
    if sun:
        draw.ellipse((700, 80, 840, 220), fill="#ffd23f")
    draw.polygon([(180, 480), (320, 330), (460, 480)], fill="#7a4b2a")
    draw.rectangle((220, 480, 420, 620), fill="#c8553d")
    buf = io.BytesIO()
    exif = Image.Exif()
    if taken:  # as a phone camera would write it: the pipeline reads it, then removes every tag
        exif.get_ifd(0x8769)[0x9003] = taken.strftime("%Y:%m:%d 10:30:00")
    img.save(buf, "JPEG", quality=85, exif=exif.tobytes())
    buf.seek(0)
    return buf


def _years_ago(on: date, years: int) -> date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return date(on.year - years, 2, 28)


def _add(actor: User, access, kind: MemoryKind, details: services.Details, pictures=()) -> list:
    uploads = [services.Upload(p, f"IMG_{i:04d}.jpg") for i, p in enumerate(pictures, start=1)]
    items = services.add_memories(actor, access, kind=kind, details=details, uploads=uploads, checklist_confirmed=True)
    for item in items:  # the demo has no worker running yet: finish the pipeline now (idempotent)
        if item.file is not None:
            process_upload.call_local(item.file.id)
        settle_memory_date.call_local(item.id)
    return items


def load_memory_demo(users: dict[str, User]) -> None:
    on = today()
    jordan = db.session.scalar(select(Child).where(Child.case_reference == "LAC-20400"))
    millie = db.session.scalar(select(Child).where(Child.case_reference == "LAC-20401"))
    carer, past_carer = users["carer@example.org"], users["mentor@example.org"]
    sw, ssw = users["socialworker@example.org"], users["ssw@example.org"]

    # Jordan: memories from the earlier placement (the Hughes household), approved by the social worker.
    past = db.session.scalar(select(Placement).where(Placement.child_id == jordan.id, Placement.end_date.is_not(None)))
    then = replace(
        box_access(sw, jordan), placement=past, is_carer=True, can_moderate=False, is_childs_social_worker=False
    )
    approver = box_access(sw, jordan)
    early = past.start_date + timedelta(days=40)
    for kind, details, pictures in (
        (
            MemoryKind.PHOTO,
            services.Details(
                title="Our first trip to the seaside",
                caption="Jordan built the biggest sandcastle on the beach and named it Fort Jordan.",
                people="Jordan, Margaret",
                tags=("holiday", "first_times"),
                memory_date=early,
            ),
            [_picture("#87ceeb", "#f4d58d")],
        ),
        (
            MemoryKind.NOTE,
            services.Details(
                title="Learning to ride a bike",
                tags=("achievement", "first_times"),
                memory_date=early + timedelta(days=60),
                body="Today Jordan rode all the way round the park without "
                "stabilisers. Three wobbles, no falls, and a very big grin.\n\nWe celebrated with hot chocolate.",
            ),
            [],
        ),
    ):
        for item in _add(past_carer, then, kind, details, pictures):
            services.approve_item(sw, item, approver)

    # Jordan now, with the Okafor household: a birthday photo whose date comes from the camera, and one from
    # this day last year for the carer's "On this day".
    now_access = box_access(carer, jordan)
    birthday = _add(
        carer,
        now_access,
        MemoryKind.PHOTO,
        services.Details(
            title="Birthday cake",
            caption="Chocolate, with sixteen candles.",
            people="Jordan, Sarah",
            tags=("birthday",),
        ),
        [_picture("#ffe4e1", "#9acd32", taken=on - timedelta(days=30))],
    )
    last_year = _add(
        carer,
        now_access,
        MemoryKind.PHOTO,
        services.Details(
            title="Football final",
            caption="Player of the match.",
            tags=("achievement", "friends"),
            memory_date=_years_ago(on, 1),
        ),
        [_picture("#b0e0e6", "#3cb371", sun=False)],
    )
    for item in birthday + last_year:
        services.approve_item(sw, item, approver)
    young_person_access.grant_access(
        sw, approver, decided_on=on - timedelta(days=7), reason="Agreed with Jordan at the review before leaving care"
    )

    # Millie: approved by the supervising social worker (she has no allocated social worker in the demo), and one
    # new photo waiting for approval.
    millie_carer, millie_moderator = box_access(carer, millie), box_access(ssw, millie)
    first_day = _add(
        carer,
        millie_carer,
        MemoryKind.PHOTO,
        services.Details(
            title="First day at school",
            caption="New shoes, new bag, and very brave.",
            people="Millie",
            tags=("school", "first_times"),
            memory_date=max(millie_carer.placement.start_date, on - timedelta(days=20)),
        ),
        [_picture("#add8e6", "#90ee90")],
    )
    for item in first_day:
        services.approve_item(ssw, item, millie_moderator)
    _add(
        carer,
        millie_carer,
        MemoryKind.PHOTO,
        services.Details(
            title="Painting at the kitchen table",
            caption="A picture of the whole family, cat included.",
            people="Millie",
            tags=("family_time",),
            memory_date=on - timedelta(days=2),
        ),
        [_picture("#fff8dc", "#deb887", sun=False)],
    )
