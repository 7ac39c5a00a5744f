"""A stand-in for AWX's REST API (/api/v2/) that keeps its objects in memory, so awx/configure.yml
can run against it twice: the second run must change nothing.

It answers where awx.awx's modules look, the way AWX answers:
- list views filter on fields (`?name=x&organization=3`, `organization__name=x`, `type=...`,
  `or__id`/`or__name`) and page as AWX does (count, next, results). A filter it does not know is
  a 400, so a lookup the fake cannot answer fails the test instead of matching everything;
- POST creates (400 for a duplicate name, or a reference to an object that does not exist),
  PATCH updates, DELETE deletes;
- each type keeps only the fields AWX's serializer has and drops the rest, as AWX does, so a
  module that sends a field AWX ignores (and then always finds "different") shows up as a
  change on the second run;
- secret inputs of credentials and notifications are shown as $encrypted$, as AWX shows them;
- related lists (credentials, notification_templates_*, success_nodes, ...) associate and
  disassociate by id; survey_spec; workflow approval templates; project updates that succeed.

It does not check values as AWX would (a playbook that exists in the project, credential inputs
against their type, an rrule): tests/awx/test_controller_data.py checks those on the data.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

API = "/api/v2/"
ENCRYPTED = "$encrypted$"
VERSION = "24.6.1"
PAGE_SIZE = 25

# Fields of each type as AWX 24's serializers take them (read-only ones AWX fills itself aside).
_COMMON = ("name", "description")
_NOTIFY = ("notification_templates_started", "notification_templates_success", "notification_templates_error")
_NODE_PROMPTS = (
    "inventory",
    "scm_branch",
    "job_type",
    "job_tags",
    "skip_tags",
    "limit",
    "diff_mode",
    "verbosity",
    "execution_environment",
    "forks",
    "job_slice_count",
    "timeout",
)
_ASK = tuple(
    f"ask_{name}_on_launch"
    for name in (
        "scm_branch",
        "diff_mode",
        "variables",
        "limit",
        "tags",
        "skip_tags",
        "job_type",
        "verbosity",
        "inventory",
        "credential",
        "execution_environment",
        "labels",
        "forks",
        "job_slice_count",
        "timeout",
        "instance_groups",
    )
)


@dataclass(frozen=True)
class Kind:
    type: str
    fields: tuple[str, ...]
    related: tuple[str, ...] = ()  # association lists
    unique: tuple[str, ...] = ("name", "organization")  # what AWX keeps unique
    named: bool = True


KINDS: dict[str, Kind] = {
    "organizations": Kind(
        "organization",
        (*_COMMON, "max_hosts", "custom_virtualenv", "default_environment"),
        (*_NOTIFY, "notification_templates_approvals", "instance_groups", "galaxy_credentials"),
        unique=("name",),
    ),
    "credential_types": Kind(
        "credential_type", (*_COMMON, "kind", "namespace", "inputs", "injectors"), unique=("name",)
    ),
    "credentials": Kind("credential", (*_COMMON, "organization", "credential_type", "inputs", "user", "team")),
    "notification_templates": Kind(
        "notification_template",
        (*_COMMON, "organization", "notification_type", "notification_configuration", "messages"),
    ),
    "execution_environments": Kind(
        "execution_environment", (*_COMMON, "organization", "image", "managed", "credential", "pull"), unique=("name",)
    ),
    "projects": Kind(
        "project",
        (
            *_COMMON,
            "local_path",
            "scm_type",
            "scm_url",
            "scm_branch",
            "scm_refspec",
            "scm_clean",
            "scm_track_submodules",
            "scm_delete_on_update",
            "credential",
            "timeout",
            "organization",
            "scm_update_on_launch",
            "scm_update_cache_timeout",
            "allow_override",
            "custom_virtualenv",
            "default_environment",
            "signature_validation_credential",
        ),
        _NOTIFY,
    ),
    "inventories": Kind(
        "inventory",
        (*_COMMON, "organization", "kind", "host_filter", "variables", "prevent_instance_group_fallback"),
        ("instance_groups", "input_inventories"),
    ),
    "inventory_sources": Kind(
        "inventory_source",
        (
            *_COMMON,
            "source",
            "source_path",
            "source_vars",
            "scm_branch",
            "credential",
            "enabled_var",
            "enabled_value",
            "host_filter",
            "overwrite",
            "overwrite_vars",
            "custom_virtualenv",
            "timeout",
            "verbosity",
            "limit",
            "inventory",
            "update_on_launch",
            "update_cache_timeout",
            "source_project",
            "execution_environment",
        ),
        _NOTIFY,
        unique=("name", "inventory"),
    ),
    "job_templates": Kind(
        "job_template",
        (
            *_COMMON,
            "job_type",
            "inventory",
            "project",
            "playbook",
            "scm_branch",
            "forks",
            "limit",
            "verbosity",
            "extra_vars",
            "job_tags",
            "force_handlers",
            "skip_tags",
            "start_at_task",
            "timeout",
            "use_fact_cache",
            "organization",
            "execution_environment",
            "host_config_key",
            "survey_enabled",
            "become_enabled",
            "diff_mode",
            "allow_simultaneous",
            "custom_virtualenv",
            "job_slice_count",
            "webhook_service",
            "webhook_credential",
            "prevent_instance_group_fallback",
            *_ASK,
        ),
        ("credentials", "labels", "instance_groups", *_NOTIFY),
    ),
    "workflow_job_templates": Kind(
        "workflow_job_template",
        (
            *_COMMON,
            "extra_vars",
            "organization",
            "survey_enabled",
            "allow_simultaneous",
            "inventory",
            "limit",
            "scm_branch",
            "webhook_service",
            "webhook_credential",
            "job_tags",
            "skip_tags",
            "ask_variables_on_launch",
            "ask_inventory_on_launch",
            "ask_scm_branch_on_launch",
            "ask_limit_on_launch",
            "ask_labels_on_launch",
            "ask_skip_tags_on_launch",
            "ask_tags_on_launch",
        ),
        ("labels", *_NOTIFY, "notification_templates_approvals"),
    ),
    "workflow_job_template_nodes": Kind(
        "workflow_job_template_node",
        (
            "workflow_job_template",
            "unified_job_template",
            "identifier",
            "extra_data",
            "all_parents_must_converge",
            *_NODE_PROMPTS,
        ),
        ("success_nodes", "failure_nodes", "always_nodes", "credentials", "labels", "instance_groups"),
        unique=("identifier", "workflow_job_template"),
        named=False,
    ),
    # AWX has no list of these: they are reached from their node (create_approval_template).
    "workflow_approval_templates": Kind("workflow_approval_template", (*_COMMON, "timeout"), unique=()),
    "schedules": Kind(
        "schedule",
        (*_COMMON, "rrule", "unified_job_template", "enabled", "extra_data", *_NODE_PROMPTS),
        ("credentials", "labels", "instance_groups"),
        unique=("name", "unified_job_template"),
    ),
    "project_updates": Kind("project_update", (), unique=(), named=False),
    "labels": Kind("label", ("name", "organization")),
    "instance_groups": Kind("instance_group", ("name",), unique=("name",)),
}
# The job templates of every kind, as AWX lists them at unified_job_templates.
UNIFIED = ("projects", "inventory_sources", "job_templates", "workflow_job_templates", "workflow_approval_templates")
REFERENCES = {
    "organization": "organizations",
    "credential": "credentials",
    "credential_type": "credential_types",
    "webhook_credential": "credentials",
    "signature_validation_credential": "credentials",
    "default_environment": "execution_environments",
    "execution_environment": "execution_environments",
    "inventory": "inventories",
    "project": "projects",
    "source_project": "projects",
    "workflow_job_template": "workflow_job_templates",
    "unified_job_template": "unified_job_templates",
}
ASSOCIATED = {
    "credentials": "credentials",
    "galaxy_credentials": "credentials",
    "labels": "labels",
    "instance_groups": "instance_groups",
    "input_inventories": "inventories",
    "success_nodes": "workflow_job_template_nodes",
    "failure_nodes": "workflow_job_template_nodes",
    "always_nodes": "workflow_job_template_nodes",
}
# AWX's two credential types appstack uses: which inputs are secret.
CREDENTIAL_TYPES = {
    "Amazon Web Services": ("cloud", "aws", {"username": False, "password": True, "security_token": True}),
    "Vault": ("vault", "vault", {"vault_password": True, "vault_id": False}),
    "Source Control": ("scm", "scm", {"username": False, "password": True, "ssh_key_data": True}),
}
# Secret settings of notification types (AWX's "password" init parameters).
NOTIFICATION_SECRETS = {"webhook": ("password",), "slack": ("token",), "email": ("password",)}


class ApiError(Exception):
    def __init__(self, status: int, body: Any):
        super().__init__(status, body)
        self.status, self.body = status, body


@dataclass
class FakeController:
    """The objects AWX holds, by collection and id, and every request made (method, path)."""

    token: str
    objects: dict[str, dict[int, dict[str, Any]]] = field(default_factory=lambda: {name: {} for name in KINDS})
    associations: dict[tuple[str, int, str], list[int]] = field(default_factory=dict)
    surveys: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    next_id: int = 1
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        for name, (kind, namespace, inputs) in CREDENTIAL_TYPES.items():
            fields = [{"id": key, "label": key, "type": "string", "secret": secret} for key, secret in inputs.items()]
            self._create(
                "credential_types",
                {"name": name, "kind": kind, "namespace": namespace, "managed": True, "inputs": {"fields": fields}},
            )

    # --- what tests read -----------------------------------------------------------------------

    def named(self, collection: str) -> dict[str, dict[str, Any]]:
        """The objects of a collection by name (by identifier for workflow nodes)."""
        key = "name" if KINDS[collection].named else "identifier"
        return {obj.get(key): obj for obj in self.objects[collection].values()}

    def related_names(self, collection: str, obj: dict[str, Any], relation: str) -> list[str]:
        target = self.objects[ASSOCIATED.get(relation, "notification_templates")]
        key = "identifier" if relation.endswith("_nodes") else "name"
        return sorted(target[i][key] for i in self.associations.get((collection, obj["id"], relation), []))

    def survey(self, collection: str, obj: dict[str, Any]) -> dict[str, Any]:
        return self.surveys.get((collection, obj["id"]), {})

    def writes(self) -> list[tuple[str, str]]:
        return [(method, path) for method, path in self.requests if method != "GET"]

    # --- the API -------------------------------------------------------------------------------

    def handle(self, method: str, path: str, query: dict[str, str], body: Any) -> tuple[int, Any]:
        self.requests.append((method, path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")))
        if not path.startswith(API):
            raise ApiError(404, {"detail": "Not found."})
        parts = [unquote(part) for part in path[len(API) :].strip("/").split("/") if part]
        with self.lock:
            if parts == ["ping"] or parts == ["me"]:
                return 200, {"version": VERSION}
            if not parts or parts[0] not in (*KINDS, "unified_job_templates"):
                raise ApiError(404, {"detail": f"Not found: {path}"})
            collection = parts[0]
            if len(parts) == 1:
                if method == "GET":
                    return 200, self._list(collection, query)
                if method == "POST" and collection not in ("unified_job_templates", "workflow_approval_templates"):
                    return 201, self._show(collection, self._create(collection, body))
                raise ApiError(405, {"detail": f"Method {method} not allowed."})
            if collection == "unified_job_templates":
                raise ApiError(404, {"detail": "Not found."})
            obj = self.objects[collection].get(int(parts[1])) if parts[1].isdigit() else None
            if obj is None:
                raise ApiError(404, {"detail": "Not found."})
            if len(parts) == 2:
                return self._detail(collection, obj, method, body)
            return self._sub(collection, obj, parts[2], method, query, body)

    def _list(self, collection: str, query: dict[str, str]) -> dict[str, Any]:
        page = int(query.pop("page", "1"))
        size = int(query.pop("page_size", str(PAGE_SIZE)))
        if collection == "unified_job_templates":
            candidates = [(name, obj) for name in UNIFIED for obj in self.objects[name].values()]
        else:
            candidates = [(collection, obj) for obj in self.objects[collection].values()]
        found = [self._show(name, obj) for name, obj in candidates if self._matches(obj, query)]
        found.sort(key=lambda obj: obj["id"])
        chunk = found[(page - 1) * size : page * size]
        following = urlencode({**query, "page": page + 1, "page_size": size})
        return {
            "count": len(found),
            "next": f"{API}{collection}/?{following}" if page * size < len(found) else None,
            "previous": None,
            "results": chunk,
        }

    def _matches(self, obj: dict[str, Any], query: dict[str, str]) -> bool:
        alternatives = {key[4:]: value for key, value in query.items() if key.startswith("or__")}
        if alternatives and not any(self._field_is(obj, key, value) for key, value in alternatives.items()):
            return False
        return all(self._field_is(obj, key, value) for key, value in query.items() if not key.startswith("or__"))

    def _field_is(self, obj: dict[str, Any], key: str, value: str) -> bool:
        if key.endswith("__name") and key[: -len("__name")] in REFERENCES:
            reference = key[: -len("__name")]
            target = self._get(REFERENCES[reference], obj.get(reference))
            return target is not None and target.get("name") == value
        if key == "type" or key in obj or key in self._all_fields():
            return _text(obj.get(key)) == value
        raise ApiError(400, {"detail": f"the fake controller cannot filter on {key!r}"})

    @staticmethod
    def _all_fields() -> set[str]:
        return {name for kind in KINDS.values() for name in (*kind.fields, "id")}

    def _get(self, collection: str, obj_id: Any) -> dict[str, Any] | None:
        if obj_id is None:
            return None
        names = UNIFIED if collection == "unified_job_templates" else (collection,)
        for name in names:
            if int(obj_id) in self.objects[name]:
                return self.objects[name][int(obj_id)]
        return None

    def _clean(self, collection: str, body: dict[str, Any], existing: dict[str, Any] | None) -> dict[str, Any]:
        """The fields AWX keeps of a POST or PATCH body (others are dropped), references checked."""
        kind = KINDS[collection]
        kept = {key: copy.deepcopy(value) for key, value in body.items() if key in kind.fields}
        for key, value in kept.items():
            if key in REFERENCES and value not in (None, "") and self._get(REFERENCES[key], value) is None:
                raise ApiError(400, {key: [f'Invalid pk "{value}" - object does not exist.']})
        if collection == "credentials" and "inputs" in kept and existing is not None:
            # $encrypted$ sent back keeps the stored secret.
            old = existing.get("inputs", {})
            kept["inputs"] = {k: (old.get(k) if v == ENCRYPTED else v) for k, v in kept["inputs"].items()}
        if collection == "notification_templates" and "notification_configuration" in kept and existing is not None:
            old = existing.get("notification_configuration", {})
            config = kept["notification_configuration"]
            kept["notification_configuration"] = {k: (old.get(k) if v == ENCRYPTED else v) for k, v in config.items()}
        return kept

    def _check_unique(self, collection: str, obj: dict[str, Any]) -> None:
        unique = KINDS[collection].unique
        if not unique:
            return
        for other in self.objects[collection].values():
            if other["id"] != obj.get("id") and all(other.get(k) == obj.get(k) for k in unique):
                raise ApiError(400, {"__all__": [f"{KINDS[collection].type} with this {', '.join(unique)} exists."]})

    def _create(self, collection: str, body: dict[str, Any], **extra: Any) -> dict[str, Any]:
        kind = KINDS[collection]
        obj = {**self._clean(collection, body or {}, None), **extra}
        if kind.named and not obj.get("name"):
            raise ApiError(400, {"name": ["This field is required."]})
        self._check_unique(collection, obj)
        obj["id"] = self.next_id
        obj["type"] = kind.type
        self.next_id += 1
        self.objects[collection][obj["id"]] = obj
        if collection == "projects" and obj.get("scm_type"):
            # AWX syncs a new project at once.
            obj["scm_revision"] = self._project_update(obj)["scm_revision"]
        return obj

    def _project_update(self, project: dict[str, Any]) -> dict[str, Any]:
        update = self._create(
            "project_updates",
            {},
            project=project["id"],
            status="successful",
            failed=False,
            started="2025-01-06T00:00:00Z",
            finished="2025-01-06T00:00:01Z",
            elapsed=1.0,
            event_processing_finished=True,
            scm_revision="4b825dc642cb6eb9a060e54bf8d69288fbee4904",
        )
        project["scm_revision"] = update["scm_revision"]
        return update

    def _detail(self, collection: str, obj: dict[str, Any], method: str, body: Any) -> tuple[int, Any]:
        if method == "GET":
            return 200, self._show(collection, obj)
        if method in ("PATCH", "PUT"):
            changes = self._clean(collection, body or {}, obj)
            updated = {**obj, **changes}
            self._check_unique(collection, updated)
            obj.update(changes)
            return 200, self._show(collection, obj)
        if method == "DELETE":
            del self.objects[collection][obj["id"]]
            return 204, None
        raise ApiError(405, {"detail": f"Method {method} not allowed."})

    def _sub(self, collection: str, obj: dict[str, Any], sub: str, method: str, query: dict, body: Any) -> tuple:
        kind = KINDS[collection]
        if sub in kind.related:
            key = (collection, obj["id"], sub)
            ids = self.associations.setdefault(key, [])
            target = ASSOCIATED.get(sub, "notification_templates")
            if method == "GET":
                listed = self._list(target, {**query, "page_size": "200"})
                listed["results"] = sorted(
                    (found for found in listed["results"] if found["id"] in ids), key=lambda o: ids.index(o["id"])
                )
                listed["count"] = len(listed["results"])
                return 200, listed
            if method == "POST":
                other = int(body["id"])
                if other not in self.objects[target]:
                    raise ApiError(400, {"msg": f"no {target} {other}"})
                if body.get("disassociate"):
                    if other in ids:
                        ids.remove(other)
                elif other not in ids:
                    ids.append(other)
                return 204, None
        if sub == "survey_spec" and collection in ("job_templates", "workflow_job_templates"):
            if method == "GET":
                return 200, copy.deepcopy(self.surveys.get((collection, obj["id"]), {}))
            if method == "POST":
                self.surveys[(collection, obj["id"])] = copy.deepcopy(body)
                return 200, None
            if method == "DELETE":
                self.surveys.pop((collection, obj["id"]), None)
                return 200, None
        if sub == "update" and collection == "projects" and method == "POST":
            update = self._project_update(obj)
            return 202, {**self._show("project_updates", update), "project_update": update["id"]}
        if sub == "create_approval_template" and collection == "workflow_job_template_nodes" and method == "POST":
            approval = self._get("workflow_approval_templates", obj.get("unified_job_template"))
            if approval is None:
                approval = self._create("workflow_approval_templates", body)
                obj["unified_job_template"] = approval["id"]
            else:
                approval.update(self._clean("workflow_approval_templates", body, approval))
            return 201, self._show("workflow_approval_templates", approval)
        raise ApiError(404, {"detail": f"Not found: {collection}/{obj['id']}/{sub}"})

    def _show(self, collection: str, obj: dict[str, Any]) -> dict[str, Any]:
        """An object as AWX's API shows it: url, related links, summary, secrets hidden."""
        kind = KINDS[collection]
        url = f"{API}{collection}/{obj['id']}/"
        shown = copy.deepcopy(obj)
        related = {name: f"{url}{name}/" for name in kind.related}
        if collection in ("job_templates", "workflow_job_templates"):
            related["survey_spec"] = f"{url}survey_spec/"
        if collection == "projects":
            related["update"] = f"{url}update/"
        if collection == "workflow_job_template_nodes":
            related["create_approval_template"] = f"{url}create_approval_template/"
            if obj.get("unified_job_template") is not None:
                template = next(name for name in UNIFIED if obj["unified_job_template"] in self.objects[name])
                related["unified_job_template"] = f"{API}{template}/{obj['unified_job_template']}/"
        summary = {}
        for reference, target in REFERENCES.items():
            found = self._get(target, obj.get(reference))
            if found is not None:
                summary[reference] = {"id": found["id"], "name": found.get("name")}
        if collection == "credentials":
            secret = self._secret_inputs(obj.get("credential_type"))
            shown["inputs"] = {k: (ENCRYPTED if k in secret and v else v) for k, v in obj.get("inputs", {}).items()}
        if collection == "notification_templates":
            secret = NOTIFICATION_SECRETS.get(obj.get("notification_type"), ())
            config = obj.get("notification_configuration", {})
            shown["notification_configuration"] = {
                k: (ENCRYPTED if k in secret and v else v) for k, v in config.items()
            }
        shown.update({"url": url, "related": related, "summary_fields": summary})
        return shown

    def _secret_inputs(self, type_id: int | None) -> set[str]:
        found = self._get("credential_types", type_id)
        fields = (found or {}).get("inputs", {}).get("fields", [])
        return {f["id"] for f in fields if f.get("secret")}


def _text(value: Any) -> str:
    """A stored value as it appears in a query string (urlencode of a bool gives True/False)."""
    return "None" if value is None else str(value)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def _answer(self, method: str) -> None:
        controller = self.server.controller
        split = urlsplit(self.path)
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            if self.headers.get("Authorization") != f"Bearer {controller.token}":
                raise ApiError(401, {"detail": "Authentication credentials were not provided."})
            body = json.loads(raw) if raw else None
            status, payload = controller.handle(method, split.path, query, body)
        except ApiError as error:
            status, payload = error.status, error.body
        data = b"" if payload is None else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-API-Product-Name", "AWX")
        self.send_header("X-API-Product-Version", VERSION)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if data:
            self.wfile.write(data)

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def do_PATCH(self) -> None:
        self._answer("PATCH")

    def do_PUT(self) -> None:
        self._answer("PUT")

    def do_DELETE(self) -> None:
        self._answer("DELETE")

    def log_message(self, *args: object) -> None:  # quiet
        pass


class _Server(ThreadingHTTPServer):
    controller: FakeController


@contextmanager
def fake_controller(token: str = "test-token") -> Iterator[tuple[str, FakeController]]:
    """(URL, the controller) of a fake AWX that holds nothing yet and accepts token."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.controller = FakeController(token)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server.controller
    finally:
        server.shutdown()
        server.server_close()
