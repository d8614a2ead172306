"""The face-match simulator over loopback: deterministic scores, idempotency keys, controls, refusals."""

from __future__ import annotations

import base64
import io
import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, PngImagePlugin

from regdesk.simulators.face_match import FaceMatchSimulator, face_mark
from tests.fixtures.simulators import FaceMatchSimulatorHandle


def jpeg(face: str | None, colour: tuple[int, int, int] = (200, 160, 140), size: int = 32) -> bytes:
    buffer = io.BytesIO()
    options: dict[str, Any] = {"comment": f"regdesk-face:{face}".encode()} if face is not None else {}
    Image.new("RGB", (size, size), colour).save(buffer, format="JPEG", **options)
    return buffer.getvalue()


def png(face: str) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("regdesk-face", face)
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (1, 2, 3)).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def compare(url: str, live: bytes, id_photo: bytes, key: str = "k-1") -> tuple[int, dict[str, Any]]:
    body = json.dumps(
        {"live_photo": base64.b64encode(live).decode(), "id_photo": base64.b64encode(id_photo).decode()}
    ).encode()
    request = urllib.request.Request(
        f"{url}/comparisons",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Idempotency-Key": key},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def faces(face_match_simulator: FaceMatchSimulatorHandle) -> FaceMatchSimulatorHandle:
    face_match_simulator.reset()
    return face_match_simulator


def test_marks_are_read_from_jpeg_comments_and_png_text() -> None:
    assert face_mark(jpeg("face-0001")) == "face-0001"
    assert face_mark(png("face-0002")) == "face-0002"
    assert face_mark(jpeg(None)) is None
    assert face_mark(b"\xff\xd8\xff\xfe\x00") is None  # truncated: no crash


def test_the_same_face_scores_high_and_another_face_low(faces: FaceMatchSimulatorHandle) -> None:
    status, same = compare(faces.url, jpeg("face-1", (10, 10, 10)), jpeg("face-1", (20, 20, 20)), key="a")
    assert status == 201
    assert 85 <= same["score"] <= 98
    _status, other = compare(faces.url, jpeg("face-2"), jpeg("face-1"), key="b")
    assert 5 <= other["score"] <= 44
    _status, unknown = compare(faces.url, jpeg(None, (1, 1, 1)), jpeg(None, (9, 9, 9)), key="c")
    assert 50 <= unknown["score"] <= 69
    _status, identical = compare(faces.url, jpeg(None), jpeg(None), key="d")
    assert identical["score"] == 99


def test_scores_are_deterministic(faces: FaceMatchSimulatorHandle) -> None:
    first = compare(faces.url, jpeg("face-3", (5, 5, 5)), jpeg("face-3"), key="e")[1]["score"]
    faces.reset()
    assert compare(faces.url, jpeg("face-3", (5, 5, 5)), jpeg("face-3"), key="f")[1]["score"] == first


def test_a_registered_photo_shows_its_face(faces: FaceMatchSimulatorHandle) -> None:
    portrait = jpeg(None, (40, 50, 60))
    faces.register_face(portrait, "face-9")
    assert compare(faces.url, portrait, jpeg("face-9"), key="g")[1]["score"] >= 85


def test_the_same_key_answers_once_and_refuses_other_photos(faces: FaceMatchSimulatorHandle) -> None:
    status, first = compare(faces.url, jpeg("face-4"), jpeg("face-4", (1, 2, 3)), key="h")
    again_status, again = compare(faces.url, jpeg("face-4"), jpeg("face-4", (1, 2, 3)), key="h")
    assert (status, again_status, again["id"], again["duplicate"]) == (201, 200, first["id"], True)
    conflict_status, conflict = compare(faces.url, jpeg("face-5"), jpeg("face-4"), key="h")
    assert (conflict_status, conflict["error"]["code"]) == (409, "idempotency_conflict")
    assert len(faces.comparisons()) == 1
    assert "photo" not in json.dumps(faces.comparisons())


def test_no_face_and_bad_photos_are_refused(faces: FaceMatchSimulatorHandle) -> None:
    assert compare(faces.url, jpeg("none"), jpeg("face-1"), key="i")[1]["error"]["code"] == "no_face"
    status, answer = compare(faces.url, b"GIF89a", jpeg("face-1"), key="j")
    assert (status, answer["error"]["code"]) == (422, "live_photo")
    assert faces.comparisons() == []


def test_injected_failures_and_request_counts(faces: FaceMatchSimulatorHandle) -> None:
    faces.fail_next(1, status=503)
    assert compare(faces.url, jpeg("face-1"), jpeg("face-1", (3, 3, 3)), key="k")[0] == 503
    assert compare(faces.url, jpeg("face-1"), jpeg("face-1", (3, 3, 3)), key="k")[0] == 201
    assert faces.requests() == {"compare": 2}


def test_comparisons_survive_a_restart(tmp_path: Path) -> None:
    simulator = FaceMatchSimulator(host="127.0.0.1", port=0, state_dir=tmp_path)
    simulator.start()
    try:
        first = compare(simulator.url, jpeg("face-6"), jpeg("face-6", (7, 7, 7)), key="l")[1]
    finally:
        simulator.stop()
    restarted = FaceMatchSimulator(host="127.0.0.1", port=0, state_dir=tmp_path)
    restarted.start()
    try:
        status, again = compare(restarted.url, jpeg("face-6"), jpeg("face-6", (7, 7, 7)), key="l")
        page = urllib.request.urlopen(f"{restarted.url}/", timeout=10).read().decode()
    finally:
        restarted.stop()
    assert (status, again["id"], again["score"]) == (200, first["id"], first["score"])
    assert "人像比对模拟器" in page
