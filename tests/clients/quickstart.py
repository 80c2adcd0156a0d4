"""The README's integrator quickstart, step by step, through the Python client
generated from openapi/openapi.json (`samudbud_client`), against a server
running the demo (`serve --demo --webhook-allow-loopback-http`).

    python quickstart.py http://127.0.0.1:PORT/api/v1

An admin of the demo's Sorø creates an API client with read scopes; the
client takes a token, a starting cursor and a full contract sync by cursor;
the admin registers a webhook endpoint pointing at a receiver in this
process; an editor changes a contract the way the web app does (a read for
the ETag, then PUT with If-Match); the client's next read of the feed shows
the change, and the delivery arrives with a Standard Webhooks signature that
verifies (and fails for a tampered body). Any mismatch raises; every request
and every wait is bounded.
"""

import base64
import datetime
import hashlib
import hmac
import http.server
import json
import queue
import sys
import threading
import time
import uuid
from typing import Any, TypeVar

import attrs
import httpx
from samudbud_client import AuthenticatedClient, Client
from samudbud_client.api.api_clients import create_api_client
from samudbud_client.api.auth import issue_client_token, login
from samudbud_client.api.changes import list_changes
from samudbud_client.api.contracts import get_contract, list_contracts, update_contract
from samudbud_client.api.webhooks import create_webhook_endpoint
from samudbud_client.models import (
    ChangeAction,
    ChangeKind,
    ChangePage,
    ClientScope,
    ClientTokenRequest,
    ClientTokenResponse,
    Contract,
    ContractInput,
    ContractPage,
    ContractScope,
    IssuedApiClient,
    IssuedWebhookEndpoint,
    LoginRequest,
    NewApiClient,
    NewWebhookEndpoint,
    Problem,
    TokenResponse,
    WebhookEventType,
)
from samudbud_client.types import UNSET, Response

PASSWORD = "Demo-adgangskode-1"
ADMIN = "admin@soroe.dk"
EDITOR = "redaktoer@soroe.dk"
TIMEOUT = httpx.Timeout(15.0)
# Small pages, so that the demo's register takes several.
PAGE_SIZE = 7
T = TypeVar("T")


def step(text: str) -> None:
    print(f"-- {text}", flush=True)


def expect(response: Response[Any], status: int, kind: type[T]) -> T:
    """The parsed body of an answer with this status and type, or a loud failure."""
    if response.status_code != status or not isinstance(response.parsed, kind):
        raise AssertionError(
            f"expected {status} {kind.__name__}, got {response.status_code}: {response.content[:500]!r}"
        )
    return response.parsed


def log_in(base: str, email: str) -> AuthenticatedClient:
    with Client(base_url=base, timeout=TIMEOUT) as anonymous:
        answer = login.sync_detailed(client=anonymous, body=LoginRequest(email=email, password=PASSWORD))
    tokens = expect(answer, 200, TokenResponse)
    return AuthenticatedClient(base_url=base, token=tokens.access_token, timeout=TIMEOUT)


class Receiver(http.server.ThreadingHTTPServer):
    """A webhook endpoint on 127.0.0.1: keeps each delivery's headers and raw body."""

    def __init__(self) -> None:
        self.deliveries: queue.Queue[tuple[dict[str, str], bytes]] = queue.Queue()
        super().__init__(("127.0.0.1", 0), ReceiverHandler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}/hooks/samudbud"


class ReceiverHandler(http.server.BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:  # noqa: N802 (the standard library's name)
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        self.server.deliveries.put(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """The README's check of a Standard Webhooks signature, as printed there."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    msg_id, ts = headers["webhook-id"], headers["webhook-timestamp"]
    if abs(time.time() - int(ts)) > 300:  # refuse replays
        return False
    mac = hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256)
    expected = "v1," + base64.b64encode(mac.digest()).decode()
    return any(hmac.compare_digest(expected, s) for s in headers["webhook-signature"].split())


def as_input(contract: Contract) -> ContractInput:
    """What the web app's form sends back for a contract it has read: every
    field the contract has, with the references by id."""
    read = contract.to_dict()
    names = {field.name for field in attrs.fields(ContractInput)}
    body = {k: v for k, v in read.items() if k in names and k not in ("status", "template")}
    if contract.status_override is not UNSET:
        body["status"] = contract.status_override
    body["supplier_id"] = str(contract.supplier.id)
    body["system_ids"] = [str(s.id) for s in contract.systems]
    if contract.owner_user is not UNSET:
        body["owner_user_id"] = str(contract.owner_user.user_id)
    if contract.template is not UNSET:
        body["template"] = {
            "template_id": str(contract.template.template_id),
            "version_number": contract.template.version_number,
            "values": contract.template.values.to_dict(),
            "deviations": [d.to_dict() for d in contract.template.deviations],
        }
    return ContractInput.from_dict(body)


def main(base: str) -> None:
    started = time.monotonic()
    receiver = Receiver()
    threading.Thread(target=receiver.serve_forever, daemon=True).start()

    step("1. credentials: the admin creates an API client with read scopes")
    admin = log_in(base, ADMIN)
    scopes = [ClientScope.CONTRACTSREAD, ClientScope.PLANSREAD, ClientScope.TEMPLATESREAD]
    issued = expect(
        create_api_client.sync_detailed(
            client=admin, body=NewApiClient(name=f"Quickstart {uuid.uuid4().hex[:8]}", scopes=scopes)
        ),
        201,
        IssuedApiClient,
    )
    assert sorted(issued.client.scopes) == sorted(scopes), issued.client.scopes

    step("2. a token with the client-credentials grant")
    with Client(base_url=base, timeout=TIMEOUT) as anonymous:
        granted = expect(
            issue_client_token.sync_detailed(
                client=anonymous,
                body=ClientTokenRequest(
                    grant_type="client_credentials",
                    client_id=issued.client.client_id,
                    client_secret=issued.client_secret,
                ),
            ),
            200,
            ClientTokenResponse,
        )
    assert granted.token_type.lower() == "bearer", granted.token_type
    assert set(granted.scope.split()) == {str(s) for s in scopes}, granted.scope
    integrator = AuthenticatedClient(base_url=base, token=granted.access_token, timeout=TIMEOUT)

    step("3. a starting cursor before the full sync: /changes?since=now")
    start = expect(list_changes.sync_detailed(client=integrator, since="now"), 200, ChangePage)
    assert start.items == [], f"since=now returned entries: {start.items}"
    since = start.next_cursor

    step(f"4. the full contract sync, {PAGE_SIZE} at a time by cursor")
    seen: dict[str, Contract] = {}
    cursor: str | None = None
    total: int | None = None
    pages = 0
    while True:
        page = expect(
            list_contracts.sync_detailed(
                client=integrator,
                scope=ContractScope.ALL,
                include_archived=True,
                changed_since=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC),
                page_size=PAGE_SIZE,
                cursor=cursor if cursor is not None else UNSET,
            ),
            200,
            ContractPage,
        )
        pages += 1
        assert pages <= 1000, "the cursor does not advance"
        if total is None:
            total = page.total
        assert page.total == total, f"the total moved from {total} to {page.total}"
        if not page.items:
            break
        for contract in page.items:
            key = str(contract.id)
            assert key not in seen, f"contract {key} came twice"
            seen[key] = contract
        assert isinstance(page.next_cursor, str) and page.next_cursor, "a page with items and no next_cursor"
        cursor = page.next_cursor
    assert total is not None and total > PAGE_SIZE, f"the demo's register is too small to page: {total}"
    assert len(seen) == total, f"the sync read {len(seen)} contracts, the list's total is {total}"
    print(f"   {len(seen)} contracts in {pages} pages, each once", flush=True)

    step("webhooks: the admin registers an endpoint at a local receiver")
    hook = expect(
        create_webhook_endpoint.sync_detailed(
            client=admin,
            body=NewWebhookEndpoint(url=receiver.url, event_types=[WebhookEventType.CONTRACT_UPDATED]),
        ),
        201,
        IssuedWebhookEndpoint,
    )
    assert hook.secret.startswith("whsec_"), "the signing secret is not a whsec_ secret"
    assert hook.endpoint.enabled, "the new endpoint is not enabled"

    step("an editor changes a contract the way the web app does: read, then PUT with If-Match")
    editor = log_in(base, EDITOR)
    # One of the municipality's own, in force, and based on a template when
    # the demo has one (the form sends its template use back unchanged).
    own = [c for c in seen.values() if not c.shared and c.archived_at is UNSET]
    assert own, "no contract of the municipality's own to edit"
    target = next((c for c in own if c.template is not UNSET), own[0])
    read = get_contract.sync_detailed(target.id, client=editor)
    before = expect(read, 200, Contract)
    etag = read.headers.get("etag")
    assert etag, "a contract read without an ETag"
    title = f"{before.title} (rettet {uuid.uuid4().hex[:6]})"
    body = as_input(before)
    body.title = title
    stale = update_contract.sync_detailed(target.id, client=editor, body=body, if_match='"0"')
    expect(stale, 412, Problem)
    written = update_contract.sync_detailed(target.id, client=editor, body=body, if_match=etag)
    after = expect(written, 200, Contract)
    assert after.title == title, after.title
    assert written.headers.get("etag") not in (None, etag), "the edit did not change the ETag"
    unchanged = {k: v for k, v in before.to_dict().items() if k not in ("title", "updated_at")}
    changed = {k: v for k, v in after.to_dict().items() if k not in ("title", "updated_at")}
    assert unchanged == changed, f"the edit changed more than the title: {unchanged} != {changed}"

    step("5. incremental sync: the feed shows the edit")
    entries = []
    while True:
        feed = expect(list_changes.sync_detailed(client=integrator, since=since, limit=500), 200, ChangePage)
        entries += feed.items
        since = feed.next_cursor
        if not feed.has_more:
            break
    edits = [e for e in entries if e.kind == ChangeKind.CONTRACT and e.id == target.id]
    assert [e.action for e in edits] == [ChangeAction.UPDATED], f"the feed says {entries}"
    assert len(entries) == 1, f"the feed has more than the edit: {entries}"
    again = expect(list_changes.sync_detailed(client=integrator, since=since), 200, ChangePage)
    assert again.items == [], f"the cursor did not move past the edit: {again.items}"

    step("the webhook delivery arrives and its signature verifies")
    deadline = time.monotonic() + 30
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError("no contract.updated delivery within 30 s")
        try:
            headers, raw = receiver.deliveries.get(timeout=remaining)
        except queue.Empty:
            continue
        event = json.loads(raw)
        if event["type"] == "contract.updated" and event["data"]["id"] == str(target.id):
            break
        raise AssertionError(f"an unexpected delivery: {event}")
    assert event["data"]["title"] == title, event
    assert f'"{event["data"]["version"]}"' == written.headers["etag"], (event, written.headers["etag"])
    assert event["data"]["archived"] is False, event
    assert headers["webhook-id"], headers
    assert headers["content-type"].startswith("application/json"), headers["content-type"]
    assert verify(hook.secret, headers, raw), f"the signature does not verify: {headers}"
    assert not verify(hook.secret, headers, raw.replace(title.encode(), b"Noget andet")), "a tampered body verifies"
    assert not verify(hook.secret, headers, raw + b" "), "a body with a byte added verifies"
    other = "whsec_" + base64.b64encode(b"\x00" * 32).decode()
    assert not verify(other, headers, raw), "another secret verifies"

    receiver.shutdown()
    for client in (admin, integrator, editor):
        client.get_httpx_client().close()
    print(f"quickstart through the generated client: passed in {time.monotonic() - started:.1f} s", flush=True)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: quickstart.py BASE_URL (http://127.0.0.1:PORT/api/v1)")
    main(sys.argv[1])
