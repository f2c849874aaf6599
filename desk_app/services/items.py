"""The management list: fetched from the platform with its ETag, cached in the store."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from desk_app.domain.model import Item, ItemPath, OfflineMode, Text
from desk_app.errors import BadInputError
from desk_app.platform.client import PlatformClient
from desk_app.platform.errors import PlatformBadAnswerError, PlatformUnreachableError
from desk_app.services.context import DeskContext
from desk_app.store.database import DAMAGED_VALUE_ERRORS, StoreRecordError


class UnknownItemError(BadInputError):
    """The counter does not offer this item."""

    def __init__(self, code: str) -> None:
        super().__init__(f"本柜台没有事项 {code}。", f"This counter has no item {code}.")


class NoItemsError(BadInputError):
    """The management list was never fetched and the platform cannot be reached."""

    def __init__(self) -> None:
        super().__init__(
            "还没有事项清单：首次使用需要连接信用平台一次。",
            "No management list yet: the desk must reach the platform once first.",
        )


def _item_json(item: Item) -> str:
    return json.dumps(dataclasses.asdict(item), ensure_ascii=False)


def _item_from_json(text: str) -> Item:
    """An item back from the cache; a damaged one is a typed error, not a bug report."""
    try:
        raw: dict[str, Any] = json.loads(text)
        raw["name"] = Text(**raw["name"])
        raw["path"] = ItemPath(raw["path"])
        raw["offline_mode"] = OfflineMode(raw["offline_mode"])
        raw["conditions"] = tuple(raw["conditions"])
        return Item(**raw)
    except DAMAGED_VALUE_ERRORS as exc:
        raise StoreRecordError("items", f"{type(exc).__name__}: {exc}") from None


class ItemsService:
    """The items this counter offers.

    Args:
        ctx: the desk's context.
        client: the platform client.
        served: item codes this counter offers; empty for all the platform lists.
    """

    def __init__(self, ctx: DeskContext, client: PlatformClient, served: list[str]) -> None:
        self.ctx = ctx
        self.client = client
        self.served = served

    def refresh(self) -> bool:
        """Fetch the list if it changed; False when the platform could not be reached."""
        with self.ctx.store.read() as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'items_etag'").fetchone()
        try:
            fresh = self.client.items(row[0] if row else None)
        except (PlatformUnreachableError, PlatformBadAnswerError):
            return False
        now = self.ctx.now().isoformat(timespec="seconds")
        with self.ctx.store.write() as db:
            if fresh is not None:
                db.execute("DELETE FROM items")
                for position, item in enumerate(fresh.items):
                    db.execute(
                        "INSERT INTO items (code, position, json) VALUES (?, ?, ?)",
                        (item.code, position, _item_json(item)),
                    )
                for key, value in (("items_etag", fresh.etag or ""),):
                    db.execute(
                        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value)
                    )
            db.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('items_fetched_at', ?)", (now,)
            )
        return True

    def all(self) -> list[Item]:
        """The cached list, in the platform's order, limited to what this counter serves."""
        with self.ctx.store.read() as db:
            rows = db.execute("SELECT json FROM items ORDER BY position").fetchall()
        items = [_item_from_json(r[0]) for r in rows]
        if self.served:
            items = [i for i in items if i.code in self.served]
        return items

    def get(self, code: str) -> Item:
        """One item; fetches the list first if it was never fetched.

        Raises:
            UnknownItemError: the counter does not offer it.
            NoItemsError: no list yet, and the platform cannot be reached.
        """
        items = {i.code: i for i in self.all()}
        if not items:
            self.refresh()
            items = {i.code: i for i in self.all()}
            if not items:
                raise NoItemsError()
        if code not in items:
            raise UnknownItemError(code)
        return items[code]

    def fetched_at(self) -> str | None:
        """When the list was last fetched (ISO time), if ever."""
        with self.ctx.store.read() as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'items_fetched_at'").fetchone()
        return None if row is None else str(row[0])
