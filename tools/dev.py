#!/usr/bin/env python3
"""Set up and run the strategy tracker with nothing but Python 3.11.

    python3 tools/dev.py run     # the embedded demo at http://127.0.0.1:8000
    python3 tools/dev.py test    # the test suite (extra arguments go to pytest)

The first call creates .venv/ and installs every dependency, transitive ones included,
from requirements.lock (pinned, with hashes); later calls reinstall only when the lock
or pyproject.toml changes.
"""

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
STAMP = VENV / ".installed-from"


def step(message: str) -> None:
    print(f"==> {message}", flush=True)


def ensure_environment() -> None:
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"Python 3.11 is required; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        step(f"creating a virtual environment in {VENV.relative_to(ROOT)}/")
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes()
        + (ROOT / "requirements.lock").read_bytes()
    ).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != wanted:
        step("installing pinned dependencies (first run takes a minute or two)")
        subprocess.run(
            [str(PYTHON), "-m", "pip", "install", "--quiet", "pip==26.3"],
            check=True,
        )
        subprocess.run(
            [
                *(str(PYTHON), "-m", "pip", "install", "--quiet", "--require-hashes"),
                *("-r", str(ROOT / "requirements.lock")),
            ],
            check=True,
        )
        # The project itself, without resolving anything again: the lock holds it all.
        subprocess.run(
            [
                *(str(PYTHON), "-m", "pip", "install", "--quiet", "--no-deps"),
                *("-e", str(ROOT)),
            ],
            check=True,
        )
        STAMP.write_text(wanted)


def manage(*arguments: str, env: dict[str, str]) -> None:
    subprocess.run(
        [str(PYTHON), str(ROOT / "manage.py"), *arguments], check=True, env=env
    )


def run(arguments: list[str]) -> int:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "strategy_tracker.settings.local"}
    (ROOT / "var").mkdir(exist_ok=True)
    step("applying database migrations")
    manage("migrate", "--no-input", "-v", "0", env=env)
    step("loading reference and demo data")
    manage("load_demo", env=env)
    step("rolling progress up for today (then hourly, and after each acceptance)")
    manage("rollup_progress", env=env)
    address = arguments[0] if arguments else "127.0.0.1:8000"
    step(
        "starting a Celery worker with its scheduler (rollups, reminders, e-mail digests)"
    )
    worker = subprocess.Popen(
        [
            str(PYTHON),
            "-m",
            "celery",
            "-A",
            "strategy_tracker",
            "worker",
            "--beat",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--schedule",
            str(ROOT / "var" / "celerybeat-schedule"),
        ],
        env=env,
        cwd=ROOT,
    )
    step(
        f"serving at http://{address}/  (admin: http://{address}/en/admin/; Ctrl-C stops)"
    )
    try:
        return subprocess.run(
            [str(PYTHON), str(ROOT / "manage.py"), "runserver", address], env=env
        ).returncode
    except KeyboardInterrupt:
        return 0
    finally:
        worker.terminate()
        worker.wait(timeout=30)


# The test suite's Node tools, each pinned by its package-lock.json: axe-core for the
# accessibility checks, and a real OpenID Connect provider for the sign-in tests.
NODE_TOOLS = {"axe": "axe-core", "oidc": "oidc-provider"}


def ensure_node_tools() -> None:
    """Install the test suite's Node tools from the npm registry, when npm is here."""
    npm = shutil.which("npm")
    for folder_name, package in NODE_TOOLS.items():
        folder = ROOT / "tools" / folder_name
        if (folder / "node_modules" / package).exists():
            continue
        if npm is None:
            step(
                f"npm not found: the tests that need {package} will be skipped (they fail in CI)"
            )
            continue
        step(f"installing {package} for the tests (npm ci in tools/{folder_name})")
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=folder, check=True
        )


def test(arguments: list[str]) -> int:
    ensure_node_tools()
    where = (
        os.environ.get("DATABASE_URL", "").split("@")[-1]
        or "the embedded SQLite database"
    )
    # Two processes (pytest-xdist), a test file each at a time, unless told otherwise
    # (`-n 0` or `-p no:xdist` runs in one). Files go out in collection order
    # (tests/conftest.py puts the longest first), not largest-first.
    told = any(
        argument.startswith(("-n", "--numprocesses")) or argument == "no:xdist"
        for argument in arguments
    )
    parallel = (
        []
        if told
        else [
            "-n",
            os.environ.get("TEST_PROCESSES", "2"),
            "--dist",
            "loadfile",
            "--no-loadscope-reorder",
        ]
    )
    step(f"running the test suite against {where}")
    return subprocess.run(
        [str(PYTHON), "-m", "pytest", *parallel, *arguments], cwd=ROOT
    ).returncode


COMMANDS = {"run": run, "test": test}


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__)
        return 2
    ensure_environment()
    return COMMANDS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
