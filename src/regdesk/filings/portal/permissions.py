"""The portal's gate: an owner reaches the filings of the owners whose portal user they are, and nothing else.

Staff visibility plays no part in the portal (staff work on the desk), so a filing of another owner, a filing a
specialist could see on the desk and a filing that does not exist all answer "not found" alike.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from regdesk.accounts.models import User
from regdesk.accounts.permissions import AnyUser, get_object_for_user_or_404
from regdesk.filings.models import Filing


def own_filing_visibility(user: User) -> Q:
    return Q(owner__portal_user=user)


def get_own_filing_or_404(user: AnyUser | None, filing_id: Any) -> Filing:
    """The user's own filing (as its owner's portal user); ``Http404`` alike for missing and forbidden ones."""
    return get_object_for_user_or_404(
        Filing.objects.select_related("owner", "owner__unit", "case", "case__unit"),
        user,
        filing_id,
        visible=own_filing_visibility,
    )
