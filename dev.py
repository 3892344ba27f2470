#!/usr/bin/env python3
"""Set up Palermo in its own virtual environment, then serve it or test it.

    python3 dev.py serve   # http://127.0.0.1:8000, SQLite, real reference data, fictional demo data
    python3 dev.py test    # the whole test suite (extra arguments go to pytest)

Both are idempotent: a second run reuses the environment and the database and changes nothing.
Only the Python standard library is used here, so that this runs on a fresh machine.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".palermo-installed"


def run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env, check=False)
    if result.returncode != 0:
        sys.exit(result.returncode)


def ensure_environment() -> None:
    if sys.version_info < (3, 11):
        sys.exit("Palermo needs Python 3.11 or newer; this is " + sys.version.split()[0])
    if not (BIN / "python").exists():
        print(f"Creating the virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(BIN / "python", "-m", "pip", "install", "--quiet", "-e", ".[dev]")
    STAMP.write_text(wanted)


def environment(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("PALERMO_HOME", str(ROOT))
    env.update(extra)
    return env


def serve() -> None:
    """The development server, and beside it the task worker that sends mails (invitations,
    reminders) and writes printed editions; stopping one (Ctrl+C, or SIGTERM to this process)
    stops both."""
    ensure_environment()
    env = environment()
    run(BIN / "palermo", "setup", "--demo", env=env)
    print("\nPalermo is at http://127.0.0.1:8000/  (Ctrl+C stops it)\n", flush=True)
    worker = subprocess.Popen([str(BIN / "palermo"), "db_worker"], cwd=ROOT, env=env)
    server = subprocess.Popen([str(BIN / "palermo"), "runserver", "127.0.0.1:8000"],
                              cwd=ROOT, env=env)

    def stop(*_args: object) -> None:
        for process in (server, worker):
            if process.poll() is None:
                process.terminate()
        for process in (server, worker):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()

    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(128 + signal.SIGTERM))
    code = 0
    try:
        code = server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop()
    sys.exit(code)


def test(pytest_args: list[str]) -> None:
    ensure_environment()
    env = environment()
    run(BIN / "palermo", "compile_translations", env=env)
    run(BIN / "python", "-m", "pytest", *pytest_args, env=env)


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in {"serve", "test"}:
        sys.exit(__doc__)
    if sys.argv[1] == "serve":
        serve()
    else:
        test(sys.argv[2:])


if __name__ == "__main__":
    main()
