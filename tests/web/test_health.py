"""GET /api/v1/health reports the database, the queue's oldest waiting task and the last regulator poll: 200 when
all are well, 503 otherwise; no authentication, nothing personal. Every request is logged in one line."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max
from pytest_django import Settings

from regdesk.miit.models import MiitPoll
from regdesk.miit.polls import poll_succeeded

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def thresholds(settings: Settings) -> None:
    settings.REGDESK_HEALTH_QUEUE_MAX_AGE_SECONDS = 300
    settings.REGDESK_HEALTH_POLL_MAX_AGE_SECONDS = 900


def waiting_task(*, waiting_for: timedelta) -> DBTaskResult[..., object]:
    task = DBTaskResult.objects.create(
        task_path="regdesk.miit.tasks.poll_downloads",
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        run_after=get_date_max(),
        status=TaskResultStatus.READY,
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - waiting_for)
    return task


def test_healthy_after_a_recent_poll_with_an_empty_queue(client: Client) -> None:
    poll_succeeded()
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["queue"] == {"status": "ok", "age_seconds": None, "max_age_seconds": 300}
    assert body["regulator_poll"]["status"] == "ok"
    assert body["regulator_poll"]["age_seconds"] < 60


def test_never_polled_is_unhealthy(client: Client) -> None:
    MiitPoll.objects.all().delete()
    response = client.get("/api/v1/health")
    assert response.status_code == 503
    assert response.json()["regulator_poll"] == {"status": "never", "age_seconds": None, "max_age_seconds": 900}


def test_an_old_poll_is_late(client: Client) -> None:
    MiitPoll.objects.update_or_create(id=1, defaults={"last_success_at": timezone.now() - timedelta(hours=1)})
    response = client.get("/api/v1/health")
    assert response.status_code == 503
    assert response.json()["regulator_poll"]["status"] == "late"


def test_a_task_waiting_too_long_means_no_worker(client: Client) -> None:
    poll_succeeded()
    waiting_task(waiting_for=timedelta(seconds=30))
    assert client.get("/api/v1/health").status_code == 200
    waiting_task(waiting_for=timedelta(minutes=10))
    response = client.get("/api/v1/health")
    assert response.status_code == 503
    queue = response.json()["queue"]
    assert queue["status"] == "late"
    assert queue["age_seconds"] >= 600


def test_a_delayed_task_counts_from_when_it_may_run(client: Client) -> None:
    poll_succeeded()
    task = waiting_task(waiting_for=timedelta(hours=2))
    DBTaskResult.objects.filter(pk=task.pk).update(run_after=timezone.now() + timedelta(minutes=5))
    assert client.get("/api/v1/health").status_code == 200


def test_poll_age_unjudged_when_its_threshold_is_zero(client: Client, settings: Settings) -> None:
    settings.REGDESK_HEALTH_POLL_MAX_AGE_SECONDS = 0
    MiitPoll.objects.all().delete()
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json()["regulator_poll"] == {"status": "ok", "age_seconds": None, "max_age_seconds": None}


def test_one_request_line_without_query_string(
    client: Client, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    settings.REGDESK_ACCESS_LOG = True
    poll_succeeded()
    with caplog.at_level(logging.INFO, logger="regdesk.requests"):
        response = client.get("/api/v1/health?token=abc123", HTTP_X_REQUEST_ID="proxy-request-0001")
    [record] = [record for record in caplog.records if record.name == "regdesk.requests"]
    assert response["X-Request-ID"] == "proxy-request-0001"
    fields = {name: getattr(record, name) for name in ("method", "path", "status", "request_id", "user_id")}
    assert fields == {
        "method": "GET",
        "path": "/api/v1/health",
        "status": 200,
        "request_id": "proxy-request-0001",
        "user_id": None,
    }
    assert "abc123" not in record.getMessage()


def test_a_request_id_that_is_not_an_id_is_replaced(client: Client) -> None:
    response = client.get("/api/v1/health", HTTP_X_REQUEST_ID="<script>")
    assert response["X-Request-ID"] != "<script>"
    assert len(response["X-Request-ID"]) == 32
