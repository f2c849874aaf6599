"""The composition root: builds the store, secrets, platform client and services of one
desk from its data folder, and hands them on. No globals, no service locator.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.fernet import Fernet
from filelock import FileLock

from desk_app import locks
from desk_app import settings as settings_module
from desk_app.paper import PaperSources
from desk_app.platform.client import PlatformClient, PlatformConfig, training_credentials
from desk_app.secrets import (
    AUDIT_KEY,
    CLIENT_ID,
    CLIENT_SECRET,
    SUBJECT_KEY,
    KeyringSecrets,
    MemorySecrets,
    SecretStore,
    SecretsUnavailableError,
    get_or_create_key,
)
from desk_app.services import institution
from desk_app.services.context import SYSTEM, DeskContext, china_now
from desk_app.services.decisions import DecisionService, apply_registration
from desk_app.services.items import ItemsService
from desk_app.services.operators import OperatorService, Role
from desk_app.services.reports import ReportService
from desk_app.services.retention import purge
from desk_app.services.settlements import DepositService, SettlementService
from desk_app.settings import Settings
from desk_app.store.database import Store, StoreError
from desk_app.store.schema import migrate
from desk_app.sync.outbox import Outbox, Sealer

if TYPE_CHECKING:
    from desk_app.training_platform.server import EmbeddedPlatform

log = logging.getLogger(__name__)

OUTBOX_KEY = "outbox_key"
# Training desks come with these operators (documented in the README; never in live mode).
TRAINING_OPERATORS = (
    ("1001", "培训柜员", Role.CLERK, "1234"),
    ("9001", "培训主管", Role.SUPERVISOR, "9999"),
)
TRAINING_PLATFORM_DIR = "training-platform"


@dataclass
class Desk:
    """Everything one desk is made of, built by :func:`open_desk`."""

    settings: Settings
    store: Store
    secrets: SecretStore
    client: PlatformClient
    ctx: DeskContext
    items: ItemsService
    decisions: DecisionService
    settlements: SettlementService
    outbox: Outbox
    operators: OperatorService
    deposits: DepositService
    reports: ReportService
    paper: PaperSources
    schema_version: int
    keyring_ephemeral: bool = False
    embedded_platform: EmbeddedPlatform | None = None
    warnings: list[str] = field(default_factory=list)
    # Folder locks this desk holds while open (a keyring-less training session).
    held_locks: list[FileLock] = field(default_factory=list)

    @property
    def platform_url(self) -> str:
        """Where the platform is."""
        return self.client.config.base_url

    def close(self) -> None:
        """Stop the embedded platform (if any), close the store, release the folder."""
        if self.embedded_platform is not None:
            self.embedded_platform.stop()
        self.store.close()
        for lock in self.held_locks:
            lock.release()
        self.held_locks.clear()


class KeysLostError(StoreError):
    """The keyring no longer holds the keys this desk's data was written with."""

    def __init__(self) -> None:
        super().__init__(
            "系统钥匙串中本柜台的密钥与数据库不符（可能被清除或换了用户）。数据未被改动，请联系信息科。",
            "The keyring's keys for this desk do not match its database (cleared, or another "
            "user). Nothing was changed; call IT.",
        )


def _key_fingerprint(subject_key: bytes, audit_key: bytes, outbox_key: str) -> str:
    material = subject_key + audit_key + outbox_key.encode()
    return hmac.new(material, b"desk key check", hashlib.sha256).hexdigest()


def _keys_match(store: Store, fingerprint: str, kept_in: str) -> bool:
    """Whether the file was written with these keys (a new file takes them).

    A new file also notes where its keys are kept (``keyring`` or ``memory``): one whose
    keys were in memory can never be read again once its process is gone.
    """
    with store.write() as db:
        row = db.execute("SELECT value FROM meta WHERE key = 'key_check'").fetchone()
        if row is None:
            db.execute("INSERT INTO meta (key, value) VALUES ('key_check', ?)", (fingerprint,))
            db.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('keys_kept_in', ?)", (kept_in,)
            )
            return True
    return hmac.compare_digest(str(row[0]), fingerprint)


# Earlier training files whose keys were in memory: unreadable for good, so only the
# newest is kept (a keyring-less training PC would otherwise gain one per start).
_KEYS_GONE_SUFFIX = "-keys-gone.sqlite3"


def _set_aside(store: Store) -> Path:
    """Move the database (with its WAL) aside, under a name that says whether its keys
    may come back (a keyring that works again) or are gone (they were in memory)."""
    with store.read() as db:
        row = db.execute("SELECT value FROM meta WHERE key = 'keys_kept_in'").fetchone()
    store.close()
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    suffix = _KEYS_GONE_SUFFIX if row is not None and row[0] == "memory" else ".sqlite3"
    target = store.path.with_name(f"desk.earlier-training-{stamp}{suffix}")
    for extension in ("", "-wal", "-shm"):
        source = Path(str(store.path) + extension)
        if source.exists():
            source.rename(Path(str(target) + extension))
    return target


def _remove_older_keys_gone(folder: Path) -> int:
    """Delete the set-aside files whose keys are gone, all but the newest; how many."""
    gone = sorted(folder.glob(f"desk.earlier-training-*{_KEYS_GONE_SUFFIX}"))
    for database in gone[:-1]:
        for extension in ("", "-wal", "-shm"):
            Path(str(database) + extension).unlink(missing_ok=True)
    return max(len(gone) - 1, 0)


def _secrets(settings: Settings) -> tuple[SecretStore, bool]:
    store = KeyringSecrets(settings.desk_id)
    try:
        store.probe()
    except SecretsUnavailableError:
        if not settings.training:
            raise
        # Training only: keys live in memory for this run; nothing is written in clear.
        log.warning("no usable keyring: training keys are kept in memory for this run")
        return MemorySecrets(), True
    return store, False


def open_desk(
    data_dir: Path,
    platform_url: str | None = None,
    *,
    now: Callable[[], dt.datetime] = china_now,
    secrets: SecretStore | None = None,
) -> Desk:
    """Build a desk from its data folder.

    Args:
        data_dir: the desk's data folder (settings, database, training platform state).
        platform_url: the platform to use; None for the settings' one, or, in training
            mode without one, the embedded training platform started for this desk.
        now: the clock.
        secrets: a secret store to use instead of the OS keyring (tests).

    Returns:
        The desk; call :meth:`Desk.close` when done.

    Raises:
        SecretsUnavailableError: live mode and no usable keyring.
        StoreError: the database cannot be opened.
        SettingsError: the settings cannot be read.
    """
    held: list[FileLock] = []
    with locks.setting_up(data_dir), contextlib.ExitStack() as undo:
        settings = settings_module.load(data_dir)
        ephemeral = False
        if secrets is None:
            secrets, ephemeral = _secrets(settings)
        if ephemeral:
            # Its keys will live in this process only: no other may use the folder now.
            session = locks.hold(data_dir, locks.TRAINING_SESSION, locks.TrainingSessionBusyError)
            undo.callback(session.release)
            held.append(session)
        warnings: list[str] = []
        subject_key = get_or_create_key(secrets, SUBJECT_KEY)
        audit_key = get_or_create_key(secrets, AUDIT_KEY)
        outbox_key = secrets.get(OUTBOX_KEY)
        if outbox_key is None:
            outbox_key = Fernet.generate_key().decode()
            secrets.set(OUTBOX_KEY, outbox_key)
        store = Store(data_dir)
        undo.callback(lambda: store.close())
        version = migrate(store)
        fingerprint = _key_fingerprint(subject_key, audit_key, outbox_key)
        kept_in = "memory" if ephemeral else "keyring"
        if not _keys_match(store, fingerprint, kept_in):
            if not ephemeral:
                raise KeysLostError()
            # Training without a keyring: what earlier runs stored is unreadable with this
            # run's keys. Set it aside and start a fresh training session. A file written
            # with keyring keys is kept for good (the keyring may work again); of those
            # written with keys in memory only the newest is kept.
            aside = _set_aside(store)
            warnings.append(f"training data of an earlier run kept aside: {aside.name}")
            removed = _remove_older_keys_gone(data_dir)
            if removed:
                warnings.append(
                    f"{removed} older training file(s) removed: their keys were in memory only"
                )
            store = Store(data_dir)
            version = migrate(store)
            _keys_match(store, fingerprint, kept_in)
        embedded = None
        url = platform_url or settings.platform_url
        if not url:
            if not settings.training:
                raise settings_module.SettingsError(
                    "正式模式尚未设置信用平台地址。", "Live mode has no platform URL set."
                )
            from desk_app.training_platform.server import EmbeddedPlatform

            embedded = EmbeddedPlatform(data_dir / TRAINING_PLATFORM_DIR).start()
            undo.callback(embedded.stop)
            url = embedded.url
        if settings.training and not secrets.get(CLIENT_ID):
            client_id, client_secret = training_credentials(settings.training_institution)
            secrets.set(CLIENT_ID, client_id)
            secrets.set(CLIENT_SECRET, client_secret)
        ctx = DeskContext(
            store=store,
            subject_key_secret=subject_key,
            audit_key=audit_key,
            counter_id=settings.counter_id,
            now=now,
        )
        client = PlatformClient(
            PlatformConfig(
                base_url=url.rstrip("/"),
                counter_id=settings.counter_id,
                mode=settings.mode,
                ca_bundle=Path(settings.ca_bundle) if settings.ca_bundle else None,
            ),
            secrets,
        )
        client.on_institution = lambda institution_id, name: institution.remember(
            ctx, institution_id, name
        )
        sealer = Sealer(outbox_key.encode())
        purge(ctx, settings.decision_retention_days, settings.settlement_retention_days)
        operators = OperatorService(ctx)
        if settings.training and not operators.any():
            for operator_id, name, role, pin in TRAINING_OPERATORS:
                operators.add(operator_id, name, role, pin, by=SYSTEM)
        items = ItemsService(ctx, client, settings.items_served)
        decisions = DecisionService(ctx, client, items, sealer)
        outbox = Outbox(
            ctx, client, sealer, lambda db, ref, answer: apply_registration(db, ctx, ref, answer)
        )
        desk = Desk(
            settings=settings,
            store=store,
            secrets=secrets,
            client=client,
            ctx=ctx,
            items=items,
            decisions=decisions,
            settlements=SettlementService(ctx, items, client),
            outbox=outbox,
            operators=operators,
            deposits=DepositService(ctx),
            reports=ReportService(ctx, items),
            paper=PaperSources(ctx, items),
            schema_version=version,
            keyring_ephemeral=ephemeral,
            embedded_platform=embedded,
            warnings=warnings,
            held_locks=held,
        )
        undo.pop_all()  # the desk owns them now: Desk.close() undoes them
        return desk
