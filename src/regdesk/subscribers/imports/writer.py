"""Writing one batch of parsed rows: lines, their records and holders, in bulk, idempotent per line number.

Personal values are sealed here, once each, and their blind indexes computed explicitly: ``bulk_create`` and
``bulk_update`` do not go through ``save()``, and handing the fields an already sealed ``PersonalValue`` with its
index set keeps ``BlindIndexField.pre_save`` from computing the HMAC a second time.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Model, Q

from regdesk.accounts.models import OrgUnit
from regdesk.privacy import crypto
from regdesk.privacy import keys as crypto_keys
from regdesk.privacy.fields import BlindIndexField, EncryptedTextField, PersonalValue
from regdesk.rules.realname import Group
from regdesk.subscribers.imports.classification import REAL_NAME_STATE_OF, DocumentCheck, classify_holder
from regdesk.subscribers.imports.columns import ParsedRow, RowError
from regdesk.subscribers.models import (
    CampaignLine,
    Line,
    LineDispute,
    LineRecord,
    LineStatus,
    RegistrationEvent,
    Subscriber,
    SubscriberIdentity,
)
from regdesk.subscribers.rules import identity_family

if TYPE_CHECKING:
    from regdesk.subscribers.models import ImportJob

LINE_UPDATE_FIELDS = [
    "kind",
    "payment",
    "status",
    "real_name_state",
    "outlet",
    "subscriber",
    "installation_address",
    "opened_at",
    "status_changed_at",
    "updated_at",
]
# bulk_update writes one CASE expression per field over the whole batch: smaller statements are faster.
UPDATE_BATCH = 200
RECORD_FIELDS = [
    "job",
    "row_number",
    "holder_kind",
    "document_type",
    "document_number",
    "document_number_index",
    "name",
    "address",
    "unit_line",
    "owner_not_user",
    "prepaid_balance_fen",
    "group",
    "reasons",
    "classified_at",
    "updated_at",
]


class Sealer:
    """Seals values for model fields with one key ring for a whole batch (loading the ring checks its file)."""

    def __init__(self) -> None:
        self.ring = crypto_keys.load_key_ring()
        self._keys: dict[tuple[type[Model], str], str] = {}
        self._domains: dict[tuple[type[Model], str], str] = {}

    def _key(self, model: type[Model], name: str) -> str:
        key = self._keys.get((model, name))
        if key is None:
            found = model._meta.get_field(name)
            assert isinstance(found, EncryptedTextField)  # noqa: S101 - the models declare them
            key = self._keys[(model, name)] = found.personal_field
        return key

    def seal(self, model: type[Model], name: str, plain: str) -> PersonalValue:
        """``plain`` sealed for the field ``name`` of ``model`` (encrypted now, not again on save)."""
        key = self._key(model, name)
        ciphertext = crypto.encrypt_text(plain, associated_data=key.encode("ascii"), ring=self.ring)
        return PersonalValue(key=key, ciphertext=ciphertext, plain=plain)

    def seal_or_none(self, model: type[Model], name: str, plain: str) -> PersonalValue | None:
        return self.seal(model, name, plain) if plain else None

    def index(self, model: type[Model], name: str, plain: str) -> str:
        """The blind index of ``plain`` as the index field ``name`` of ``model`` stores it."""
        domain = self._domains.get((model, name))
        if domain is None:
            found = model._meta.get_field(name)
            assert isinstance(found, BlindIndexField)  # noqa: S101 - the models declare them
            domain = self._domains[(model, name)] = found.index_domain()
        return crypto.blind_index(plain, domain=domain, ring=self.ring)


@dataclass
class BatchResult:
    created: int = 0
    updated: int = 0
    refused: list[RowError] = field(default_factory=list)
    groups: Counter[str] = field(default_factory=Counter)


@dataclass
class _Planned:
    row: ParsedRow
    index: str
    group: Group
    reasons: list[str]
    check: DocumentCheck
    line: Line | None = None


# Groups whose recorded holder is a real identity (a placeholder name or incomplete data names nobody).
HOLDER_GROUPS = frozenset({Group.REGISTERED, Group.OWNER_NOT_USER, Group.UNIT_NAME})


def _holder_key(item: _Planned, sealer: Sealer) -> tuple[str, str] | None:
    """(document family, blind index) of the recorded holder when it is a real identity, else ``None``."""
    normalized = item.check.normalized
    if item.group not in HOLDER_GROUPS or not item.check.valid or not normalized or not item.row.name:
        return None
    return identity_family(item.row.document_type), sealer.index(Subscriber, "document_number_index", normalized)


def _existing_lines(indexes: list[str]) -> dict[str, Line]:
    """Per number index: the line that holds the number, else the latest cancelled line with it."""
    found: dict[str, Line] = {}
    for line in Line.objects.filter(number_index__in=indexes).order_by("number_index", "-pk"):
        assert line.number_index is not None  # noqa: S101 - filtered on it
        current = found.get(line.number_index)
        if current is None or (current.status == LineStatus.CANCELLED and line.status != LineStatus.CANCELLED):
            found[line.number_index] = line
    return found


def _holders(planned: list[_Planned], sealer: Sealer) -> dict[tuple[str, str], Subscriber]:
    """The subscriber of every valid recorded document of the batch, created when missing."""
    wanted: dict[tuple[str, str], _Planned] = {}
    for item in planned:
        key = _holder_key(item, sealer)
        if key is not None:
            wanted[key] = item
    if not wanted:
        return {}
    by_family: dict[str, list[str]] = {}
    for family, index in wanted:
        by_family.setdefault(family, []).append(index)
    # Family and index together: the unique constraint's index starts with the family.
    lookup = Q()
    for family, indexes in by_family.items():
        lookup |= Q(document_family=family, document_index__in=indexes)

    def identities() -> dict[tuple[str, str], SubscriberIdentity]:
        return {
            (identity.document_family, identity.document_index): identity
            for identity in SubscriberIdentity.objects.filter(lookup)
        }

    known = identities()
    missing = [key for key in wanted if key not in known]
    if missing:
        # Another import or a counter may create the same identity meanwhile: ignore the conflict, read it back.
        SubscriberIdentity.objects.bulk_create(
            [SubscriberIdentity(document_family=family, document_index=index) for family, index in missing],
            ignore_conflicts=True,
        )
        known = identities()
    by_identity = {
        subscriber.identity_id: subscriber
        for subscriber in Subscriber.objects.filter(identity_id__in=[identity.pk for identity in known.values()])
    }
    new: list[Subscriber] = []
    for key, item in wanted.items():
        identity = known[key]
        if identity.pk in by_identity:
            continue
        normalized = item.check.normalized
        assert normalized is not None  # noqa: S101 - checked above
        subscriber = Subscriber(
            identity=identity,
            kind=item.row.holder_kind,
            document_type=item.row.document_type,
            document_number=sealer.seal(Subscriber, "document_number", normalized),
            document_number_index=key[1],
            name=sealer.seal(Subscriber, "name", item.row.name),
            address=sealer.seal(Subscriber, "address", item.row.address),
        )
        new.append(subscriber)
    if new:
        Subscriber.objects.bulk_create(new, ignore_conflicts=True)
        by_identity = {
            subscriber.identity_id: subscriber
            for subscriber in Subscriber.objects.filter(identity_id__in=[identity.pk for identity in known.values()])
        }
    return {key: by_identity[known[key].pk] for key in wanted if known[key].pk in by_identity}


def _status_for(row_status: str, group: Group) -> str:
    """An unregistered line in service is ``unregistered`` (waiting for its holder); suspensions stay as they are."""
    if row_status == LineStatus.ACTIVE and group != Group.REGISTERED:
        return LineStatus.UNREGISTERED
    return row_status


def write_batch(*, job: ImportJob, rows: list[ParsedRow], outlets: dict[str, OrgUnit], now: dt.datetime) -> BatchResult:
    """Create or update the lines of ``rows`` (the caller holds the transaction and writes the audit event).

    A number held by a line of an outlet outside ``outlets`` is refused (``number``, ``taken``). Lines in an open
    remediation campaign, and lines registered at a counter since, keep their status, registration state and
    holder: the campaign and the registration are newer than the file.
    """
    result = BatchResult()
    sealer = Sealer()
    latest: dict[str, ParsedRow] = {}
    for row in rows:
        # The last row of a number wins, as a re-import would.
        latest[sealer.index(Line, "number_index", row.number)] = row
    existing = _existing_lines(list(latest))
    outlet_ids = {unit.pk for unit in outlets.values()}
    existing_ids = [line.pk for line in existing.values()]
    counter_registered = set(
        RegistrationEvent.objects.filter(line_id__in=existing_ids, registration__isnull=False).values_list(
            "line_id", flat=True
        )
    )
    in_campaign = set(
        CampaignLine.objects.filter(line_id__in=existing_ids, is_open=True).values_list("line_id", flat=True)
    )
    disputed = set(
        LineDispute.objects.filter(line_id__in=existing_ids, outcome="confirm").values_list("line_id", flat=True)
    )
    records = {record.line_id: record for record in LineRecord.objects.filter(line_id__in=existing_ids)}

    planned: list[_Planned] = []
    for index, row in latest.items():
        line = existing.get(index)
        if line is not None and line.status == LineStatus.CANCELLED and row.status != LineStatus.CANCELLED:
            line = None  # a cancelled number issued again: a new line
        if line is not None and line.outlet_id not in outlet_ids:
            result.refused.append(RowError(row.row_number, "number", "taken"))
            continue
        classification, check = classify_holder(
            holder_kind=row.holder_kind,
            document_type=row.document_type,
            document_number=row.document_number,
            name=row.name,
            address=row.address,
            unit_line=row.unit_line,
            owner_not_user=row.owner_not_user,
            dispute_confirmed=line is not None and line.pk in disputed,
            registered_since=line is not None and line.pk in counter_registered,
        )
        planned.append(
            _Planned(row, index, classification.group, [str(reason) for reason in classification.reasons], check, line)
        )
    holders = _holders(planned, sealer)

    new_lines: list[Line] = []
    new_plans: list[_Planned] = []
    changed_lines: list[Line] = []
    for item in planned:
        row = item.row
        holder_key = _holder_key(item, sealer)
        holder = holders.get(holder_key) if holder_key is not None else None
        outlet = outlets[row.outlet]
        state = REAL_NAME_STATE_OF[item.group]
        line = item.line
        if line is None:
            line = Line(
                number=sealer.seal(Line, "number", row.number),
                number_index=item.index,
                kind=row.kind,
                payment=row.payment,
                status=_status_for(row.status, item.group),
                real_name_state=state,
                outlet=outlet,
                subscriber=holder,
                installation_address=sealer.seal_or_none(Line, "installation_address", row.installation_address),
                opened_at=row.opened_at or now,
                status_changed_at=now,
            )
            new_lines.append(line)
            new_plans.append(item)
        else:
            line.kind, line.payment, line.outlet = row.kind, row.payment, outlet
            line.opened_at = row.opened_at or line.opened_at
            if row.installation_address:
                line.installation_address = sealer.seal(Line, "installation_address", row.installation_address)
            if line.pk not in in_campaign and line.pk not in counter_registered:
                status = _status_for(row.status, item.group)
                if status != line.status:
                    line.status, line.status_changed_at = status, now
                line.real_name_state = state
                line.subscriber = holder
            line.updated_at = now
            changed_lines.append(line)
        result.groups[str(item.group)] += 1
    if new_lines:
        Line.objects.bulk_create(new_lines)
    if changed_lines:
        Line.objects.bulk_update(changed_lines, LINE_UPDATE_FIELDS, batch_size=UPDATE_BATCH)
    result.created, result.updated = len(new_lines), len(changed_lines)

    new_records: list[LineRecord] = []
    changed_records: list[LineRecord] = []
    for item, line in [*zip(new_plans, new_lines, strict=True), *((p, p.line) for p in planned if p.line is not None)]:
        assert line is not None  # noqa: S101 - existing or just created
        row = item.row
        record = records.get(line.pk) or LineRecord(line=line, created_at=now)
        record.job = job
        record.row_number = row.row_number
        record.holder_kind = row.holder_kind
        record.document_type = row.document_type
        record.document_number = sealer.seal_or_none(LineRecord, "document_number", row.document_number)
        record.document_number_index = (
            sealer.index(LineRecord, "document_number_index", item.check.normalized or row.document_number)
            if row.document_number
            else None
        )
        record.name = sealer.seal_or_none(LineRecord, "name", row.name)
        record.address = sealer.seal_or_none(LineRecord, "address", row.address)
        record.unit_line = row.unit_line
        record.owner_not_user = row.owner_not_user
        record.prepaid_balance_fen = row.prepaid_balance_fen
        record.group = item.group
        record.reasons = item.reasons
        record.classified_at = now
        record.updated_at = now
        (changed_records if record.pk else new_records).append(record)
    if new_records:
        LineRecord.objects.bulk_create(new_records)
    if changed_records:
        LineRecord.objects.bulk_update(changed_records, RECORD_FIELDS, batch_size=UPDATE_BATCH)
    return result
