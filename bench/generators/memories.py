"""Memory boxes: notes and stories across each child's life, approved and tagged."""

from __future__ import annotations

from datetime import date, timedelta

from bench.generate import Volume, generator
from portal.core.db import utcnow
from portal.memories.models import MemoryItem, MemoryItemTag, MemoryTag
from portal.people.models import Child

ITEMS_PER_CHILD, ITEMS_FOR_ANCHOR = 4, 10
TITLES = ["First day at school", "Beach day", "Birthday cake", "Learning to ride a bike", "Sports day medal"]


@generator("memories", after=("people",))
def generate_memories(v: Volume) -> None:
    rnd, on, a = v.rnd, v.on, v.anchors
    homes = dict(v.ids["current_home"])
    carer_of = dict(v.ids["household_carer"])
    if a.child_id and a.household_id and a.carer_id:
        homes[a.child_id] = a.household_id
        carer_of[a.household_id] = a.carer_id
    born = dict(
        v.session.execute(
            Child.__table__.select().with_only_columns(Child.id, Child.date_of_birth).where(Child.id.in_(list(homes)))
        ).all()
    )
    now = utcnow()
    items, tags = [], []
    for child_id, household_id in homes.items():
        n = v.many(ITEMS_FOR_ANCHOR) if child_id == a.child_id else ITEMS_PER_CHILD
        life = max(1, (on - born[child_id]).days)
        for _ in range(n):
            items.append(
                {
                    "child_id": child_id,
                    "kind": "note",
                    "title": rnd.choice(TITLES),
                    "caption": "",
                    "people": "",
                    "body": "A day to remember: everyone laughed a lot.",
                    "memory_date": born[child_id] + timedelta(days=rnd.randrange(life)),
                    "status": "approved",
                    "added_by_id": carer_of[household_id],
                    "approved_at": now,
                    "retain_until": date(born[child_id].year + 75, 1, 1),
                }
            )
    ids = v.insert(MemoryItem, items)
    tag_names = [t.value for t in MemoryTag]
    tags = [{"item_id": i, "tag": tag_names[i % len(tag_names)]} for i in ids]
    v.insert(MemoryItemTag, tags)
