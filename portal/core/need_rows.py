"""The shape every "what needs me" row statement selects, so sources from different features can be read together in
one UNION ALL (portal.hub.needs): the same columns, in the same order, with the same types on every database.

Columns, in order:
- `kind`  (text): a sub-kind within the source (a notice's kind), or NULL;
- `ref`   (integer): the id the item links to (a claim, a training session, a match), or NULL;
- `label` (text): the name or title the text shows, or NULL;
- `link`  (text): a ready-made path (a notice's link), or NULL;
- `at`    (UTC datetime): when the item arose, or NULL;
- `day`   (date): when the item arose or falls due, for items kept by date, or NULL;
- `count` (integer): a count the text shows (unread messages), or NULL.
"""

from __future__ import annotations

from sqlalchemy import Date, Integer, Text, cast, null

from portal.core.db import UTC

NEED_COLUMNS = {
    "kind": Text(),
    "ref": Integer(),
    "label": Text(),
    "link": Text(),
    "at": UTC(),
    "day": Date(),
    "count": Integer(),
}


def need_columns(**values) -> list:
    """The columns of one row source, in NEED_COLUMNS' order: each given value (a column or expression) labelled with
    its name, each missing one a NULL of its type (PostgreSQL needs the type to unite the sources).

    Raises TypeError for a name that is not in NEED_COLUMNS."""
    unknown = set(values) - set(NEED_COLUMNS)
    if unknown:
        raise TypeError(f"not a need column: {', '.join(sorted(unknown))}")
    return [(values[name] if name in values else cast(null(), kind)).label(name) for name, kind in NEED_COLUMNS.items()]
