"""The Content-Security-Policy: scripts only from our own static files. Every page sends the header, no rendered
desk or portal page holds an inline script or an event-handler attribute, and the API's Swagger UI at /api/v1/docs
loads only our own static files, which are served."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from pytest_django import Settings

from regdesk.accounts.models import User
from regdesk.accounts.roles import Role, UnitKind
from tests.accounts.helpers import login_fully, make_unit, make_user

pytestmark = pytest.mark.django_db


def policy(response: object) -> dict[str, list[str]]:
    """The Content-Security-Policy header as ``{directive: [sources]}``."""
    header = response["Content-Security-Policy"]  # type: ignore[index]
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {words[0]: words[1:] for words in directives}


class ScriptsAndLinks(HTMLParser):
    """Collects inline scripts, event-handler attributes, script sources, style elements and sheets, and same-site
    links."""

    def __init__(self) -> None:
        super().__init__()
        self.inline_scripts: list[str] = []
        self.style_elements = 0
        self.handlers: list[str] = []
        self.script_sources: list[str] = []
        self.style_sheets: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.handlers += [f"<{tag} {name}>" for name, _value in attrs if name.startswith("on")]
        self.handlers += [f"<{tag} {name}>" for name, value in attrs if (value or "").startswith("javascript:")]
        if tag == "script":
            if attributes.get("src"):
                self.script_sources.append(attributes["src"] or "")
            elif attributes.get("type") != "application/json":  # a data block, never run
                self.inline_scripts.append(self.getpos().__repr__())
        if tag == "style":
            self.style_elements += 1
        if tag == "link" and attributes.get("rel") == "stylesheet":
            self.style_sheets.append(attributes.get("href") or "")
        if tag == "a" and (attributes.get("href") or "").startswith(("/desk/", "/portal/")):
            self.links.append(attributes["href"] or "")


def parsed(body: bytes) -> ScriptsAndLinks:
    parser = ScriptsAndLinks()
    parser.feed(body.decode())
    return parser


def test_every_page_sends_a_policy_without_inline_script(client: Client) -> None:
    response = client.get("/accounts/login/")
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "Content-Security-Policy" in client.get("/api/v1/openapi.json")


@pytest.fixture
def staff() -> User:
    provider = make_unit("provider", UnitKind.PROVIDER)
    branch = make_unit("branch", UnitKind.BRANCH, parent=provider)
    outlet = make_unit("outlet", UnitKind.OUTLET, parent=branch)
    return make_user(
        "staff",
        (branch, Role.SPECIALIST),
        (outlet, Role.COUNTER_CLERK),
        (provider, Role.COMPLIANCE_OFFICER),
        (provider, Role.AUDITOR),
        (provider, Role.ADMINISTRATOR),
    )


def _walk(client: Client, start: str, *, limit: int = 40) -> dict[str, ScriptsAndLinks]:
    """The start page and the desk and portal pages it links to (one level), each parsed."""
    pages = {start: parsed(client.get(start).content)}
    for link in list(dict.fromkeys(pages[start].links))[:limit]:
        response = client.get(link)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages[link] = parsed(response.content)
    return pages


def test_no_desk_page_holds_an_inline_script(staff: User) -> None:
    client = Client()
    login_fully(client, staff)
    pages = _walk(client, "/desk/")
    assert len(pages) >= 5, sorted(pages)  # the navigation reaches the desk's main pages
    for path, page in pages.items():
        assert page.inline_scripts == [], path
        assert page.handlers == [], path
        assert page.style_elements == 0, path
        assert all(source.startswith("/static/") for source in page.script_sources), (path, page.script_sources)


def test_no_portal_page_holds_an_inline_script(staff: User) -> None:
    owner = make_user("owner", (staff.memberships.first().unit, Role.WEBSITE_OWNER))  # type: ignore[union-attr]
    client = Client()
    login_fully(client, owner)
    pages = _walk(client, "/portal/")
    pages |= {path: parsed(Client().get(path).content) for path in ("/portal/login/", "/portal/signup/")}
    assert len(pages) >= 3, sorted(pages)
    for path, page in pages.items():
        assert page.inline_scripts == [], path
        assert page.handlers == [], path


def test_htmx_is_told_not_to_inject_styles_nor_evaluate(staff: User) -> None:
    client = Client()
    login_fully(client, staff)
    body = client.get("/desk/").content.decode()
    assert re.search(r"<meta name=\"htmx-config\" content='[^']*\"includeIndicatorStyles\": false", body)
    assert '"allowEval": false' in body


def test_the_api_docs_load_only_our_static_files_and_they_are_served(settings: Settings, tmp_path: Path) -> None:
    settings.STATIC_ROOT = tmp_path
    call_command("collectstatic", interactive=False, verbosity=0)
    client = Client()  # a new handler: whitenoise serves what collectstatic gathered
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = parsed(response.content)
    assert page.inline_scripts == []
    assert page.script_sources, "the docs page loads no script"
    assert "cdn" not in response.content.decode().lower()
    for source in page.script_sources + page.style_sheets:
        assert source.startswith("/static/"), source
        served = client.get(source)
        assert served.status_code == 200, source
        assert b"".join(served.streaming_content if served.streaming else [served.content])  # type: ignore[attr-defined]
    assert policy(response)["script-src"] == ["'self'"]
