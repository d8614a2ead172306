"""Recording the process versions that cases use."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from regdesk.audit.services import audit_record
from regdesk.cases.definitions import DefinitionError, ProcessDefinition
from regdesk.cases.models import ProcessVersion


def process_version_record(*, definition: ProcessDefinition) -> ProcessVersion:
    """Store the definition's snapshot the first time a case uses it; afterwards check that it is unchanged.

    Raises ``DefinitionError`` when the code declares something else under a version already recorded: a changed
    process needs a new version number, or cases that started under the old one would silently change rules.
    """
    digest = definition.digest()
    with transaction.atomic():
        recorded = ProcessVersion.objects.filter(key=definition.key, version=definition.version).first()
        if recorded is None:
            try:
                with transaction.atomic():
                    recorded = ProcessVersion.objects.create(
                        key=definition.key, version=definition.version, snapshot=definition.snapshot(), digest=digest
                    )
            except IntegrityError:
                # Another transaction recorded it first; compare with theirs.
                recorded = ProcessVersion.objects.get(key=definition.key, version=definition.version)
            else:
                audit_record(
                    actor=None,
                    action="process_version.record",
                    object_type="cases.processversion",
                    object_id=recorded.pk,
                    changes={"key": definition.key, "version": definition.version, "digest": digest},
                )
        if recorded.digest != digest:
            raise DefinitionError(
                f"{definition.key} version {definition.version} differs from the recorded definition; "
                "a changed process needs a new version number"
            )
    return recorded
