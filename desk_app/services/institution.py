"""Who the desk works for: the institution's id and name, as the platform last said.

The platform names the institution in every token answer; the desk keeps the name for
its printed documents, which must carry it offline too.
"""

from __future__ import annotations

import json
import logging

from desk_app.domain.model import Text
from desk_app.services.context import DeskContext
from desk_app.store.database import StoreError

log = logging.getLogger(__name__)

_KEY = "institution"


def remember(ctx: DeskContext, institution_id: str, name: Text) -> None:
    """Keep the institution's id and name (a failure to keep it never fails the call)."""
    value = json.dumps({"id": institution_id, "zh": name.zh, "en": name.en}, ensure_ascii=False)
    try:
        with ctx.store.write() as db:
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (_KEY, value))
    except StoreError as error:
        log.warning("could not keep the institution's name: %s", error.message_en)


def known(ctx: DeskContext) -> tuple[str, Text] | None:
    """The institution's id and name, if the platform ever said them."""
    with ctx.store.read() as db:
        row = db.execute("SELECT value FROM meta WHERE key = ?", (_KEY,)).fetchone()
    if row is None:
        return None
    value = json.loads(row[0])
    return str(value["id"]), Text(str(value["zh"]), str(value["en"]))
