"""Face-match simulator (人像比对): scores how closely a photo taken at the counter matches an ID card's photo.

* ``POST /comparisons`` with ``{"live_photo": "<base64>", "id_photo": "<base64>"}`` (JPEG or PNG) and an
  ``Idempotency-Key`` header: 201 ``{"id", "score", "live_face", "id_face", "duplicate": false}``. The same key
  again answers 200 with the first answer (``"duplicate": true``); the same key with other photos answers 409
  ``idempotency_conflict``. A photo marked as showing no face answers 422 ``no_face``.
* ``GET /comparisons``: the comparisons so far (digests and scores, never photos); ``GET /``: a page for developers.
* ``POST /control/faces`` with ``{"photo", "face_id"}``: from now on that photo shows that face (for pictures that
  carry no mark, e.g. real test portraits); ``POST /control/failures``, ``POST /control/reset``,
  ``GET /control/requests``: as in every JSON simulator (see ``json_service``).

Scores are deterministic, so tests and demos can rely on them. Which face a photo shows is, in order: the face
registered for its SHA-256 through ``/control/faces``; the mark ``regdesk-face:<face id>`` in the photo's
metadata (a JPEG comment or a PNG text chunk named ``regdesk-face``, as ``regdesk reader-sim`` writes into the
ID photos and camera photos it makes; ``regdesk-face:none`` shows no face); otherwise unknown. Then:

* the same bytes: 99;
* the same face: 85-98; different faces: 5-44;
* a face that cannot be told (an unmarked, unregistered photo): 50-69, which stays below a usual threshold and
  sends the registration to a person.

A real model can replace this service behind ``regdesk.gateways.face_match``. Standard library only; nothing is
logged; comparisons are kept in ``face-comparisons.json`` under the state directory.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import html
import json
import struct
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from regdesk.simulators.json_service import ServiceControls, ServiceHandler, page, write_json_atomically
from regdesk.simulators.serving import BackgroundHttpServer

DEFAULT_PORT = 8035
MAX_PHOTO_BYTES = 1024 * 1024
MAX_BODY_BYTES = 3 * 1024 * 1024
FACE_MARK = "regdesk-face"
NO_FACE = "none"
_JPEG = b"\xff\xd8\xff"
_PNG = b"\x89PNG\r\n\x1a\n"
_MAX_FACE_ID = 64


def _jpeg_comments(data: bytes) -> list[bytes]:
    """The COM segments of a JPEG, read up to the start of the image data."""
    comments: list[bytes] = []
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            break
        marker = data[position + 1]
        if marker == 0xFF:
            position += 1
            continue
        if marker == 0xD8 or marker == 0x01 or 0xD0 <= marker <= 0xD7:
            position += 2
            continue
        if marker in (0xD9, 0xDA):
            break
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if length < 2:
            break
        if marker == 0xFE:
            comments.append(data[position + 4 : position + 2 + length])
        position += 2 + length
    return comments


def _png_texts(data: bytes) -> dict[str, str]:
    """The tEXt chunks of a PNG."""
    texts: dict[str, str] = {}
    position = len(_PNG)
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        if kind == b"tEXt" and b"\x00" in body:
            keyword, _, text = body.partition(b"\x00")
            texts[keyword.decode("latin-1")] = text.decode("latin-1")
        if kind == b"IEND":
            break
        position += 12 + length
    return texts


def face_mark(photo: bytes) -> str | None:
    """The face id marked in the photo's metadata, if any."""
    if photo.startswith(_JPEG):
        for comment in _jpeg_comments(photo):
            text = comment.decode("utf-8", errors="replace").strip()
            if text.startswith(FACE_MARK + ":"):
                return text.removeprefix(FACE_MARK + ":")[:_MAX_FACE_ID]
    elif photo.startswith(_PNG):
        value = _png_texts(photo).get(FACE_MARK)
        if value is not None:
            return value.strip()[:_MAX_FACE_ID]
    return None


def _between(seed: str, low: int, high: int) -> int:
    value = int.from_bytes(hashlib.sha256(seed.encode()).digest()[:4], "big")
    return low + value % (high - low + 1)


class FaceRegister:
    """Faces registered for photos, and the comparisons answered so far."""

    def __init__(self, state_file: Path | None) -> None:
        self.state_file = state_file
        self.lock = threading.Lock()
        self.faces: dict[str, str] = {}
        self.comparisons: list[dict[str, Any]] = []
        self.by_key: dict[str, dict[str, Any]] = {}
        if state_file is not None and state_file.exists():
            state = json.loads(state_file.read_text(encoding="utf-8"))
            self.faces = dict(state.get("faces", {}))
            for comparison in state.get("comparisons", []):
                self.comparisons.append(comparison)
                self.by_key[comparison["idempotency_key"]] = comparison

    def _persist(self) -> None:
        if self.state_file is not None:
            write_json_atomically(self.state_file, {"faces": self.faces, "comparisons": self.comparisons})

    def face_of(self, photo: bytes) -> str | None:
        return self.faces.get(hashlib.sha256(photo).hexdigest()) or face_mark(photo)

    def register_face(self, photo: bytes, face_id: str) -> None:
        with self.lock:
            self.faces[hashlib.sha256(photo).hexdigest()] = face_id
            self._persist()

    def score(self, live_photo: bytes, id_photo: bytes) -> tuple[int | None, str | None, str | None]:
        """(score or None when a photo shows no face, live face, id face)."""
        live_face, id_face = self.face_of(live_photo), self.face_of(id_photo)
        if NO_FACE in (live_face, id_face):
            return None, live_face, id_face
        live_digest = hashlib.sha256(live_photo).hexdigest()
        id_digest = hashlib.sha256(id_photo).hexdigest()
        seed = f"{live_digest}:{id_digest}"
        if live_digest == id_digest:
            return 99, live_face, id_face
        if live_face is None or id_face is None:
            return _between(seed, 50, 69), live_face, id_face
        if live_face == id_face:
            return _between(seed, 85, 98), live_face, id_face
        return _between(seed, 5, 44), live_face, id_face

    def compare(self, *, key: str, live_photo: bytes, id_photo: bytes) -> tuple[int, dict[str, Any] | None]:
        """(201, comparison), (200, the first comparison), (409, None) or (422, None) for a photo without a face."""
        fingerprint = hashlib.sha256(
            hashlib.sha256(live_photo).digest() + hashlib.sha256(id_photo).digest()
        ).hexdigest()
        with self.lock:
            existing = self.by_key.get(key)
            if existing is not None:
                return (200, existing) if existing["fingerprint"] == fingerprint else (409, None)
            score, live_face, id_face = self.score(live_photo, id_photo)
            if score is None:
                return 422, None
            comparison = {
                "id": f"fm-{len(self.comparisons) + 1:06d}",
                "idempotency_key": key,
                "fingerprint": fingerprint,
                "score": score,
                "live_face": live_face,
                "id_face": id_face,
                "received_at": datetime.now(UTC).isoformat(),
            }
            self.comparisons.append(comparison)
            self.by_key[key] = comparison
            self._persist()
            return 201, comparison

    def reset(self) -> None:
        with self.lock:
            self.faces.clear()
            self.comparisons.clear()
            self.by_key.clear()
            self._persist()


def _decode_photo(value: Any, name: str) -> bytes | str:
    """The photo's bytes, or the reason it is refused."""
    if not isinstance(value, str):
        return f"'{name}' must be base64 text"
    try:
        photo = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return f"'{name}' is not valid base64"
    if not photo or len(photo) > MAX_PHOTO_BYTES:
        return f"'{name}' must be 1 to {MAX_PHOTO_BYTES} bytes"
    if not photo.startswith((_JPEG, _PNG)):
        return f"'{name}' must be a JPEG or PNG image"
    return photo


class _FaceMatchHandler(ServiceHandler):
    register: FaceRegister

    def read_body(self, limit: int = MAX_BODY_BYTES) -> bytes:
        # Two photos in base64 outgrow the shared default limit.
        return super().read_body(limit)

    def reset_state(self) -> None:
        self.register.reset()

    def do_GET(self) -> None:
        if self.handle_control("GET"):
            return
        if self.path == "/comparisons":
            with self.register.lock:
                comparisons = [
                    {name: value for name, value in comparison.items() if name != "fingerprint"}
                    for comparison in self.register.comparisons
                ]
            self.send_json(200, {"comparisons": comparisons})
        elif self.path == "/":
            self.send_html(200, self._page())
        else:
            self.send_error_json(404, "not_found", "no such resource")

    def do_POST(self) -> None:
        if self.handle_control("POST"):
            return
        if self.path == "/comparisons":
            self._compare()
        elif self.path == "/control/faces":
            self._register_face()
        else:
            self.send_error_json(404, "not_found", "no such resource")

    def _compare(self) -> None:
        document = self.read_json_object()
        if document is None:
            return
        failure = self.start_service_request("compare")
        if failure is None:
            return
        key = self.idempotency_key()
        if key is None:
            return
        photos: list[bytes] = []
        for name in ("live_photo", "id_photo"):
            decoded = _decode_photo(document.get(name), name)
            if isinstance(decoded, str):
                self.send_error_json(422, name, decoded)
                return
            photos.append(decoded)
        status, comparison = self.register.compare(key=key, live_photo=photos[0], id_photo=photos[1])
        if status == 409:
            self.send_error_json(409, "idempotency_conflict", "the key was used for other photos")
            return
        if comparison is None:
            self.send_error_json(422, "no_face", "a photo shows no face")
            return
        answer = {
            "id": comparison["id"],
            "score": comparison["score"],
            "live_face": comparison["live_face"],
            "id_face": comparison["id_face"],
            "duplicate": status == 200,
        }
        self.answer_later(failure, status, answer)

    def _register_face(self) -> None:
        document = self.read_json_object()
        if document is None:
            return
        face_id = document.get("face_id")
        if not isinstance(face_id, str) or not 1 <= len(face_id.strip()) <= _MAX_FACE_ID:
            self.send_error_json(422, "face_id", f"'face_id' must be 1 to {_MAX_FACE_ID} characters")
            return
        decoded = _decode_photo(document.get("photo"), "photo")
        if isinstance(decoded, str):
            self.send_error_json(422, "photo", decoded)
            return
        self.register.register_face(decoded, face_id.strip())
        self.send_json(200, {"face_id": face_id.strip()})

    def _page(self) -> str:
        with self.register.lock:
            comparisons = list(reversed(self.register.comparisons[-50:]))
            faces = len(self.register.faces)
        rows = "".join(
            f"<tr><td>{html.escape(item['id'])}</td><td>{html.escape(item['received_at'])}</td>"
            f"<td>{item['score']}</td><td>{html.escape(str(item['live_face'] or '?'))}</td>"
            f"<td>{html.escape(str(item['id_face'] or '?'))}</td></tr>"
            for item in comparisons
        )
        body = (
            f"<p>{faces} registered photo(s) / 已登记照片. Same face 85-98, different faces 5-44, unknown 50-69, "
            "identical bytes 99. Faces come from <code>/control/faces</code> or the "
            "<code>regdesk-face:&lt;id&gt;</code> mark in a photo's metadata.</p>"
            "<h2>Recent comparisons / 最近比对</h2><table><tr><th>id</th><th>received (UTC)</th><th>score</th>"
            f"<th>live face</th><th>ID face</th></tr>{rows}</table>"
        )
        return page("Face-match simulator / 人像比对模拟器", body)


class FaceMatchSimulator:
    """The face-match simulator on ``host:port`` (port 0 picks a free port)."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT, state_dir: Path | None = None) -> None:
        self.register = FaceRegister(state_dir / "face-comparisons.json" if state_dir is not None else None)
        self.controls = ServiceControls()
        handler = type("FaceMatchHandler", (_FaceMatchHandler,), {"register": self.register, "controls": self.controls})
        self._server = BackgroundHttpServer(host, port, handler)

    @property
    def url(self) -> str:
        return f"http://{self._server.host}:{self._server.port}"

    @property
    def port(self) -> int:
        return self._server.port

    def start(self) -> None:
        self._server.start()

    def stop(self) -> None:
        self._server.stop()
