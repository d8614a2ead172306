"""The specialist's work queue: the filings of the user's units only, the most urgent deadline first (breached
first), due times in Beijing time with badges for the rungs fired, filters, search and paging."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from regdesk.cases.services import clock_sweep
from regdesk.filings.models import Filing
from tests.api.snapshot import changed_tables, database_snapshot
from tests.filings.builders import World, awaiting_onsite, draft, filing_json, person, submitted
from tests.filings.desk_support import desk_client, post, text

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
QUEUE = "/desk/filings/"


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=SHANGHAI)


def references(page: str) -> list[str]:
    return re.findall(r'data-testid="queue-line" data-reference="([^"]+)"', page)


@pytest.fixture
def queue(world: World) -> dict[str, Filing]:
    """Monday 2 November: A is submitted. Wednesday 4 November: B is submitted, C gets its on-site notice, D is a
    draft; the sweep finds A's one-working-day review overdue."""
    with time_machine.travel(at(11, 2), tick=False):
        late = submitted(world, 0)
    with time_machine.travel(at(11, 4), tick=False):
        fresh = submitted(world, 1)
        onsite = awaiting_onsite(world, 2)
        sketch = draft(world, 3)
        clock_sweep()
    return {"late": late, "fresh": fresh, "onsite": onsite, "draft": sketch}


def test_the_most_urgent_filing_comes_first_and_a_breached_one_at_the_top(
    world: World, queue: dict[str, Filing]
) -> None:
    with time_machine.travel(at(11, 4, 11), tick=False):
        page = desk_client(world.specialist).get(QUEUE)
    assert page.status_code == 200
    content = page.content.decode()
    assert references(content) == [str(queue["late"]), str(queue["fresh"]), str(queue["onsite"])]
    first = content[content.index(f'data-reference="{queue["late"]}"') :]
    first = first[: first.index("</tr>")]
    assert 'data-testid="breached"' in first
    # Due at the end of Tuesday 3 November, Beijing time (15:59:59 UTC).
    assert "2026-11-03 23:59" in first
    assert str(queue["draft"]) not in content, "drafts are the owner's, not the queue's"


def test_all_states_include_the_draft_last(world: World, queue: dict[str, Filing]) -> None:
    page = desk_client(world.specialist).get(QUEUE, {"state": "all"}).content.decode()
    assert references(page)[-1] == str(queue["draft"])
    assert len(references(page)) == 4


def test_a_state_filter_and_a_search_narrow_the_queue(world: World, queue: dict[str, Filing]) -> None:
    client = desk_client(world.specialist)
    assert references(client.get(QUEUE, {"state": "awaiting_onsite"}).content.decode()) == [str(queue["onsite"])]
    assert references(client.get(QUEUE, {"q": str(queue["fresh"])}).content.decode()) == [str(queue["fresh"])]
    name = filing_json(2)["owner"]["name"][:4]
    assert references(client.get(QUEUE, {"q": name, "state": "all"}).content.decode()) == [str(queue["onsite"])]
    refused = client.get(QUEUE, {"state": "nonsense"})
    assert refused.status_code == 200
    assert len(references(refused.content.decode())) == 3, "an unknown state falls back to the default"


def test_a_fired_reminder_shows_as_a_badge(world: World) -> None:
    with time_machine.travel(at(11, 2), tick=False):
        filing = awaiting_onsite(world)
    with time_machine.travel(at(11, 7), tick=False):
        clock_sweep()
        page = desk_client(world.specialist).get(QUEUE).content.decode()
    line = page[page.index(f'data-reference="{filing}"') :]
    line = line[: line.index("</tr>")]
    assert 'data-testid="rung-fired"' in line
    assert 'data-testid="breached"' not in line


def test_other_units_see_nothing_and_owners_are_refused(world: World, queue: dict[str, Filing]) -> None:
    assert references(desk_client(world.other_specialist).get(QUEUE).content.decode()) == []
    assert len(references(desk_client(world.compliance).get(QUEUE).content.decode())) == 3
    assert desk_client(world.owner).get(QUEUE).status_code == 403
    anonymous = desk_client(None).get(QUEUE)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")


def test_the_queue_is_paged(world: World, queue: dict[str, Filing], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("regdesk.filings.desk.views.queue.PAGE_SIZE", 2)
    client = desk_client(world.specialist)
    first = client.get(QUEUE, {"state": "all"}).content.decode()
    assert len(references(first)) == 2
    assert 'rel="next"' in first
    second = client.get(QUEUE, {"state": "all", "page": "2"}).content.decode()
    assert references(second) == [str(queue["onsite"]), str(queue["draft"])]
    assert "state=all&amp;page=1" in second


def test_a_number_is_looked_up_by_its_blind_index_in_the_body_only(world: World, queue: dict[str, Filing]) -> None:
    client = desk_client(world.specialist)
    number = person(1)["document_number"]
    before = database_snapshot()
    found = post(client, QUEUE, {"number": number})
    assert found.status_code == 200
    assert found["Cache-Control"] == "no-store, private"
    assert references(found.content.decode()) == [str(queue["fresh"])]
    assert number not in found.content.decode(), "the number is not echoed back"
    mobile = post(client, QUEUE, {"number": person(2)["mobile"]})
    assert references(mobile.content.decode()) == [str(queue["onsite"])]
    assert references(post(client, QUEUE, {"number": "110101199001011234"}).content.decode()) == []
    assert changed_tables(before, database_snapshot()) == []
    other = post(desk_client(world.other_specialist), QUEUE, {"number": number})
    assert references(other.content.decode()) == [], "another unit's filings stay hidden"


def test_a_number_too_short_is_refused_with_the_field_named(world: World) -> None:
    client = desk_client(world.specialist)
    client.cookies["django_language"] = "en"
    response = post(client, QUEUE, {"number": "123"})
    assert response.status_code == 422
    assert "at least 5 characters" in text(response)
