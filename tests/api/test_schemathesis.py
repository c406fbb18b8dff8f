"""Schemathesis against the live schema of a running server: every operation, anonymous
and signed in with a token, no server error and no response that breaks the schema."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
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
    live_server, tmp_path: Path, *headers: str
) -> subprocess.CompletedProcess:
    command = [
        str(Path(sys.executable).parent / "st"),
        "run",
        f"{live_server.url}/api/schema/",
        "--checks",
        CHECKS,
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "15"),
        "--seed",
        "2021",
        "--workers",
        "2",
        "--suppress-health-check",
        "all",
    ]
    for header in headers:
        command += ["--header", header]
    return subprocess.run(
        command, capture_output=True, text=True, cwd=tmp_path, timeout=600, check=False
    )


@pytest.mark.parametrize("who", ["anonymous", "manager"])
def test_every_operation_conforms_to_the_schema(world, live_server, tmp_path, who):
    headers = []
    if who != "anonymous":
        token = Token.objects.create(user=world.users[who])
        headers.append(f"Authorization: Token {token.key}")
    result = _schemathesis(live_server, tmp_path, *headers)
    report = tmp_path / "schemathesis.txt"
    report.write_text(result.stdout + result.stderr)
    assert result.returncode == 0, f"see {report}\n" + result.stdout[:8000]
    selected = re.search(r"Selected: (\d+)/(\d+)", result.stdout)
    assert selected is not None
    assert selected.group(1) == selected.group(2), "every operation is tested"
    assert f"Tested: {selected.group(1)}" in result.stdout
