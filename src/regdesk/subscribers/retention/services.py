"""The retention purge of real-name registration data (DOMAIN.md §2: kept for the service period and two years
after it ends; configurable).

What expires:

* a **line** cancelled more than the retention period ago (its service ended when it was cancelled; a cancelled line
  never changes status again), with its registration events, its registrations at the counter (and their card
  readings and the documents attached to their cases), the disputes and one-ID lookup challenges that name it;
* a **registration that gave no line** (refused or abandoned; its case closed) whose last change is older than the
  retention period — it never had a service period;
* a **card reading that served no registration**, after its own retention (30 days by default);
* then every **subscriber** (and the identity's blind index) that no line, registration or event refers to any more.

Records are deleted, not blanked: a row that stays would still say that someone held a line. The exception is a
line that records of other modules still refer to (campaign entries, billing events kept for the accounts, imported
records): its row stays, cancelled, but its number, address and holder are erased, and so is the personal data of
those records (``lines_erased``, ``erased:<model>``). A line with a registration still open is left for a later run
(``skipped``). Each run leaves a ``PurgeRecord`` (counts and id and date ranges per kind, the rule and its cut-off)
and an audit event; the audit trail keeps its own earlier events, which hold masked values only.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.utils import timezone

from regdesk.audit.services import audit_record
from regdesk.cases.models import Document, DocumentView
from regdesk.privacy.fields import BlindIndexField, EncryptedTextField
from regdesk.subscribers.config import reading_retention_days, retention_days
from regdesk.subscribers.models import (
    CardReading,
    Line,
    LineDispute,
    LineStatus,
    LookupChallenge,
    LookupGrant,
    PurgeRecord,
    Registration,
    RegistrationEvent,
    Subscriber,
    SubscriberIdentity,
)

if TYPE_CHECKING:
    from regdesk.accounts.models import User


@dataclass
class Tally:
    """Counts and ranges per kind of record removed: ids and dates only."""

    counts: dict[str, int] = field(default_factory=dict)
    ranges: dict[str, dict[str, Any]] = field(default_factory=dict)
    blobs: list[str] = field(default_factory=list)

    def add(self, kind: str, pk: int, moment: datetime.datetime | None = None) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        span = self.ranges.setdefault(kind, {"first_id": pk, "last_id": pk})
        span["first_id"], span["last_id"] = min(span["first_id"], pk), max(span["last_id"], pk)
        if moment is not None:
            day = timezone.localdate(moment).isoformat()
            span["earliest"] = min(span.get("earliest", day), day)
            span["latest"] = max(span.get("latest", day), day)

    def merge(self, other: Tally) -> None:
        for kind, count in other.counts.items():
            self.counts[kind] = self.counts.get(kind, 0) + count
            span = other.ranges[kind]
            mine = self.ranges.setdefault(kind, dict(span))
            mine["first_id"], mine["last_id"] = (
                min(mine["first_id"], span["first_id"]),
                max(mine["last_id"], span["last_id"]),
            )
            for key, pick in (("earliest", min), ("latest", max)):
                if key in span:
                    mine[key] = pick(mine.get(key, span[key]), span[key])
        self.blobs.extend(other.blobs)

    @property
    def empty(self) -> bool:
        return not self.counts


def _purge_case_documents(case_id: int | None, tally: Tally) -> None:
    """Delete a case's documents (identity copies, counter photos) and the record of their openings; the blobs go
    once the transaction commits. The audit trail keeps the attach and open events (ids, kinds, hashes)."""
    if case_id is None:
        return
    for document in Document.objects.filter(case_id=case_id):
        views = DocumentView.objects.filter(document=document)
        for view in views:
            tally.add("document_views", view.pk, view.viewed_at)
        views.delete()
        tally.add("documents", document.pk, document.uploaded_at)
        tally.blobs.append(document.storage_name)
        document.delete()


def _purge_readings(reading_ids: set[int], tally: Tally) -> None:
    """Delete readings that no remaining registration refers to."""
    still_used = set(
        Registration.objects.filter(
            Q(subscriber_reading_id__in=reading_ids) | Q(representative_reading_id__in=reading_ids)
        ).values_list("subscriber_reading_id", "representative_reading_id")
    )
    used = {reading_id for pair in still_used for reading_id in pair if reading_id is not None}
    for reading in CardReading.objects.filter(pk__in=reading_ids - used):
        tally.add("card_readings", reading.pk, reading.verified_at)
        reading.delete()


def _purge_registrations(registrations: list[Registration], tally: Tally, subscribers: set[int]) -> None:
    readings: set[int] = set()
    for registration in registrations:
        _purge_case_documents(registration.case_id, tally)
        readings.update(
            reading_id
            for reading_id in (registration.subscriber_reading_id, registration.representative_reading_id)
            if reading_id is not None
        )
        if registration.subscriber_id is not None:
            subscribers.add(registration.subscriber_id)
        tally.add("registrations", registration.pk, registration.completed_at or registration.updated_at)
        registration.delete()
    _purge_readings(readings, tally)


# The rule the purge applies, recorded with each run: a changed rule gets a new version.
RULE_VERSION = "realname.retention/1: service period + REGDESK_RETENTION_LINE_REGISTRATION_DAYS"
# The models of this module that refer to lines: the purge deletes their rows itself.
OWN_REFERRERS = (RegistrationEvent, LineDispute, LookupChallenge, Registration)


class _Keep(Exception):
    """The line must stay this time (a registration of it is still open)."""


def _erase_personal_fields(obj: models.Model) -> list[str]:
    """Blank every personal-data field of a row (``None`` where allowed, else the empty text); the names of the
    fields to save, blind indexes included (they follow their source on save)."""
    names: list[str] = []
    for model_field in obj._meta.concrete_fields:
        if isinstance(model_field, EncryptedTextField):
            setattr(obj, model_field.attname, None if model_field.null else "")
            names.append(model_field.name)
        elif isinstance(model_field, BlindIndexField):
            names.append(model_field.name)
    return names


def _referrers(line: Line) -> list[models.Model]:
    """Rows of other modules that still refer to the line (campaign entries, billing events, imported records)."""
    rows: list[models.Model] = []
    for relation in Line._meta.related_objects:
        if relation.related_model in OWN_REFERRERS or not isinstance(relation.field, models.ForeignKey):
            continue
        related: Any = relation.related_model
        rows.extend(related._default_manager.filter(**{relation.field.name: line}))
    return rows


def erased_number_index() -> str:
    """The blind index of an erased line's number (the empty text): how the purge knows it erased a line."""
    index_field = Line._meta.get_field("number_index")
    assert isinstance(index_field, BlindIndexField)  # noqa: S101 - declared so on the model
    return index_field.index_of("")


def _erase_line(line: Line, tally: Tally) -> None:
    """Keep the row of a line that other modules' records still refer to (they keep their own retention, e.g. a
    refund for the accounts), but erase its number and address and its holder, and the personal data of those
    records."""
    for row in _referrers(line):
        names = _erase_personal_fields(row)
        if names:
            row.save(update_fields=names)
            pk = row.pk
            assert isinstance(pk, int)  # noqa: S101 - every model here has an integer key
            tally.add(f"erased:{row._meta.label_lower}", pk)
    names = _erase_personal_fields(line)
    line.subscriber = None
    line.save(update_fields=[*names, "subscriber", "updated_at"])
    tally.add("lines_erased", line.pk, line.status_changed_at)


def _purge_line(line: Line, tally: Tally, subscribers: set[int]) -> None:
    registrations = list(Registration.objects.filter(Q(line=line) | Q(target_line=line)).select_related("case"))
    if any(registration.case is not None and registration.case.is_open for registration in registrations):
        raise _Keep
    for event in RegistrationEvent.objects.filter(line=line):
        subscribers.update(pk for pk in (event.subscriber_id, event.previous_subscriber_id) if pk is not None)
        tally.add("registration_events", event.pk, event.occurred_at)
        event.delete()
    for dispute in LineDispute.objects.filter(line=line):
        _purge_case_documents(dispute.case_id, tally)
        tally.add("disputes", dispute.pk, dispute.created_at)
        dispute.delete()
    for challenge in LookupChallenge.objects.filter(line=line):
        grant = LookupGrant.objects.filter(challenge=challenge).first()
        if grant is not None:
            tally.add("lookup_grants", grant.pk, grant.created_at)
            grant.delete()
        tally.add("lookup_challenges", challenge.pk, challenge.created_at)
        challenge.delete()
    _purge_registrations(registrations, tally, subscribers)
    if line.subscriber_id is not None:
        subscribers.add(line.subscriber_id)
    pk, ended_at = line.pk, line.status_changed_at
    try:
        with transaction.atomic():
            line.delete()
    except (ProtectedError, RestrictedError):
        _erase_line(line, tally)
        return
    tally.add("lines", pk, ended_at)


def _purge_subscribers(candidates: set[int], tally: Tally) -> None:
    """Subscribers (and their identities' blind indexes) that nothing refers to any more."""
    referred = (
        set(Line.objects.filter(subscriber_id__in=candidates).values_list("subscriber_id", flat=True))
        | set(Registration.objects.filter(subscriber_id__in=candidates).values_list("subscriber_id", flat=True))
        | set(RegistrationEvent.objects.filter(subscriber_id__in=candidates).values_list("subscriber_id", flat=True))
        | set(
            RegistrationEvent.objects.filter(previous_subscriber_id__in=candidates).values_list(
                "previous_subscriber_id", flat=True
            )
        )
    )
    for subscriber in Subscriber.objects.filter(pk__in=candidates - referred):
        identity_id, pk, created_at = subscriber.identity_id, subscriber.pk, subscriber.created_at
        try:
            with transaction.atomic():
                subscriber.delete()
        except (ProtectedError, RestrictedError):
            continue  # another module still refers to the subscriber: kept until it does not
        tally.add("subscribers", pk, created_at)
        if not Subscriber.objects.filter(identity_id=identity_id).exists():
            SubscriberIdentity.objects.filter(pk=identity_id).delete()
            tally.add("identities", identity_id)


@dataclass(frozen=True)
class PurgeOutcome:
    """A run's record (``None`` when nothing had expired), and how far it went through the expired lines: the next
    run starts after ``last_line_id``, so that lines left for a later run never block the rest."""

    record: PurgeRecord | None
    lines_scanned: int
    last_line_id: int


def registration_data_purge(
    *, actor: User | None = None, now: datetime.datetime | None = None, limit: int = 500, after_line_id: int = 0
) -> PurgeOutcome:
    """Purge up to ``limit`` expired lines with ids above ``after_line_id`` (and what goes with them), expired
    registrations that gave no line and expired unused card readings, in one transaction, leaving a
    ``PurgeRecord``. Safe to run at any time and more than once (the task and ``regdesk realname purge-expired``
    call it until nothing is left)."""
    now = now or timezone.now()
    days = retention_days()
    cutoff = now - datetime.timedelta(days=days)
    reading_cutoff = now - datetime.timedelta(days=reading_retention_days())
    tally = Tally()
    skipped = scanned = 0
    last_line_id = after_line_id
    with transaction.atomic():
        subscribers: set[int] = set()
        expired = (
            Line.objects.filter(status=LineStatus.CANCELLED, status_changed_at__lt=cutoff, pk__gt=after_line_id)
            .exclude(number_index=erased_number_index())
            .order_by("pk")
        )
        for line in expired.select_for_update()[:limit]:
            scanned += 1
            last_line_id = line.pk
            attempt = Tally()
            found: set[int] = set()
            try:
                with transaction.atomic():
                    _purge_line(line, attempt, found)
            except (ProtectedError, RestrictedError, _Keep):
                skipped += 1
                continue
            tally.merge(attempt)
            subscribers |= found
        lineless = list(
            Registration.objects.filter(line__isnull=True, target_line__isnull=True, updated_at__lt=cutoff)
            .filter(Q(case__isnull=True) | Q(case__is_open=False))
            .order_by("pk")[:limit]
        )
        _purge_registrations(lineless, tally, subscribers)
        unused = (
            CardReading.objects.filter(consumed_at__isnull=True, verified_at__lt=reading_cutoff)
            .exclude(pk__in=Registration.objects.filter(subscriber_reading__isnull=False).values("subscriber_reading"))
            .exclude(
                pk__in=Registration.objects.filter(representative_reading__isnull=False).values(
                    "representative_reading"
                )
            )
            .order_by("pk")
        )
        for reading in unused[:limit]:
            tally.add("unused_card_readings", reading.pk, reading.verified_at)
            reading.delete()
        _purge_subscribers(subscribers, tally)
        if tally.empty and not skipped:
            return PurgeOutcome(None, scanned, last_line_id)
        record = PurgeRecord.objects.create(
            ran_at=now,
            actor=actor,
            rule_version=RULE_VERSION,
            retention_days=days,
            cutoff=cutoff,
            counts=tally.counts,
            ranges={kind: tally.ranges[kind] for kind in tally.counts},
            skipped=skipped,
        )
        audit_record(
            actor=actor,
            action="retention.purge",
            object_type="subscribers.purgerecord",
            object_id=record.pk,
            changes={
                "rule": RULE_VERSION,
                "retention_days": days,
                "cutoff": cutoff.isoformat(),
                "counts": tally.counts,
                "skipped": skipped,
            },
            purpose="retention period of real-name registration data ended",
        )
        transaction.on_commit(_blob_deleter(list(tally.blobs)))
    return PurgeOutcome(record, scanned, last_line_id)


def _blob_deleter(names: list[str]) -> Callable[[], None]:
    """Delete the stored files once the rows are gone for good (a rolled-back purge keeps both)."""

    def delete() -> None:
        for name in names:
            default_storage.delete(name)

    return delete
