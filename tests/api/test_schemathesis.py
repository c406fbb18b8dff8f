"""Schemathesis against the live schema of a running server: every operation, anonymous
and signed in with a token, no server error and no response that breaks the schema."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db(transaction=True)

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)


def _schemathesis(
    live_server, folder: Path, *headers: str, examples: str | None = None
) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).parent / "st"),
        "run",
        f"{live_server.url}/api/schema/",
        "--checks",
        CHECKS,
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        examples or os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "10"),
        "--seed",
        "2021",
        # One worker: with two, hypothesis parses strategy sources with `ast` in two
        # threads at once, and CPython 3.11's parser state is not thread-safe
        # ("AST constructor recursion depth mismatch", an internal error of the tool).
        "--workers",
        "1",
        "--suppress-health-check",
        "all",
    ]
    for header in headers:
        command += ["--header", header]
    folder.mkdir()
    return subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=folder,
    )


# The mission roles (besides the anonymous reader and the strategy manager, who can call
# every operation) run fewer generated examples: each still sends every operation its
# examples and coverage cases, signed in as that role. Leadership reads what the
# manager reads, with less clearance; the route matrix and the list-content tests cover
# its scope.
FEWER_EXAMPLES = {"minusca-focal": "3", "minusca-approver": "3"}


def test_every_operation_conforms_to_the_schema(world, live_server, tmp_path):
    """Anonymous and signed in with a token as each role, as processes side by side
    (each with one worker)."""
    # The schema is built once before the clients start: five cold requests at once
    # raced in drf-spectacular's first build (one client got a 500 loading it).
    assert Client().get("/api/schema/").status_code == 200
    runs = {"anonymous": _schemathesis(live_server, tmp_path / "anonymous")}
    for username in ("manager", *FEWER_EXAMPLES):
        token = Token.objects.create(user=world.users[username])
        runs[username] = _schemathesis(
            live_server,
            tmp_path / username,
            f"Authorization: Token {token.key}",
            examples=FEWER_EXAMPLES.get(username),
        )
    outputs = {who: run.communicate(timeout=600)[0] for who, run in runs.items()}
    for who, run in runs.items():
        output = outputs[who]
        report = tmp_path / who / "schemathesis.txt"
        report.write_text(output)
        assert run.returncode == 0, f"{who}: see {report}\n" + output[:8000]
        selected = re.search(r"Selected: (\d+)/(\d+)", output)
        assert selected is not None
        assert selected.group(1) == selected.group(2), "every operation is tested"
        assert f"Tested: {selected.group(1)}" in output
