"""Benchmark: 100k actors in PostgreSQL, the app under gunicorn, wrk driving each scenario.

Run it with `make bench`. It prints a table and writes bench/results.json.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auth import STAFF_PERMISSIONS, KeySet, TokenVerifier  # noqa: E402
from config import Config  # noqa: E402
from devtools.local_issuer import LocalIssuer  # noqa: E402
from devtools.stand_in_tenant import key_set_server  # noqa: E402

SCENARIOS = [
    "ceiling",
    "get_actor",
    "list_actors_filtered",
    "search_actors",
    "open_roles_by_age",
    "role_candidates",
    "actor_matching_roles",
    "create_actor",
    "cast_actor",
    "role_submissions",
    "move_submission",
]
TARGETS = {
    "get_actor": 0.7,
    "create_actor": None,
    "cast_actor": None,
    "move_submission": None,
}  # others: 0.4
ISSUER, AUDIENCE = "https://bench.casting-agency.test/", "casting-bench"

ACTORS = int(os.environ.get("BENCH_ACTORS", "100000"))
MOVIES = int(os.environ.get("BENCH_MOVIES", "10000"))
ROLES = int(os.environ.get("BENCH_ROLES", "50000"))
SUBMISSIONS_PER_ROLE = int(os.environ.get("BENCH_SUBMISSIONS_PER_ROLE", "5"))
# A comma-separated subset of SCENARIOS for a shorter run; the ceiling always runs.
ONLY = [name for name in os.environ.get("BENCH_SCENARIOS", "").split(",") if name]
DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "8")
WORKERS = os.environ.get("BENCH_WORKERS", "4")
WRK_THREADS = 2
# Released submissions the move scenario sends to shortlisted and back: enough that
# none is moved again while its last move may still be in flight.
MOVE_POOL = 2000
PORT = int(os.environ.get("BENCH_PORT", "5077"))
DATABASE = os.environ.get("BENCH_DATABASE", "casting_bench")
# The server as libpq's own variables name it, so psql and the app agree on where it is.
PGHOST = os.environ.get("PGHOST") or "127.0.0.1"
PGPORT = os.environ.get("PGPORT") or "5432"
PG = f"postgresql://postgres@{PGHOST}:{PGPORT}"


def sh(*command: str, env: dict[str, str] | None = None) -> None:
    subprocess.run(command, check=True, cwd=ROOT, env=env)


def serve_key_set(document: dict[str, Any]) -> ThreadingHTTPServer:
    server = key_set_server(document)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def token_verify_microseconds(issuer: LocalIssuer, token: str) -> tuple[float, float]:
    """A token's first check (signature and claims) and a later request's (remembered)."""
    verifier = TokenVerifier(
        KeySet(issuer.key_set, 60), ISSUER, AUDIENCE, 60, Config.JWT_MAX_LIFETIME_SECONDS
    )
    verifier.verify(token)  # warm the key cache, as a running worker has
    timings = []
    for verify in (verifier.check, verifier.verify):
        rounds = 5000
        started = time.perf_counter()
        for _ in range(rounds):
            verify(token)
        timings.append((time.perf_counter() - started) / rounds * 1e6)
    return timings[0], timings[1]


def peak_worker_memory_mb(master_pid: int) -> float:
    children = subprocess.run(
        ["pgrep", "-P", str(master_pid)], capture_output=True, text=True
    ).stdout.split()
    peaks = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        if match:
            peaks.append(int(match.group(1)) / 1024)
    return max(peaks, default=0.0)


def run_wrk(scenario: str, env: dict[str, str], duration: str = DURATION) -> dict[str, Any]:
    output = subprocess.run(
        [
            "wrk",
            f"-t{WRK_THREADS}",
            f"-c{CONNECTIONS}",
            f"-d{duration}",
            "--timeout",
            "10s",
            "-s",
            str(ROOT / "bench" / "scenario.lua"),
            f"http://127.0.0.1:{PORT}",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**env, "SCENARIO": scenario},
    ).stdout
    result = json.loads(output.split("RESULT ", 1)[1])
    seconds = result["duration_us"] / 1e6
    return {
        "rps": round(result["requests"] / seconds, 1),
        "p50_ms": result["p50_us"] / 1000,
        "p95_ms": result["p95_us"] / 1000,
        "p99_ms": result["p99_us"] / 1000,
        "errors": result["socket_errors"] + result["http_errors"],
        "requests": result["requests"],
    }


def psql_rows(database_url: str, query: str) -> list[str]:
    output = subprocess.run(
        ["psql", database_url, "-At", "-c", query], capture_output=True, text=True, check=True
    ).stdout
    return output.split()


def scenarios() -> list[str]:
    unknown = set(ONLY) - set(SCENARIOS)
    if unknown:
        sys.exit(f"BENCH_SCENARIOS names unknown scenarios: {', '.join(sorted(unknown))}")
    return [name for name in SCENARIOS if not ONLY or name == "ceiling" or name in ONLY]


def main() -> None:
    chosen = scenarios()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (bench/run.sh installs it).")
    python = str(ROOT / ".venv" / "bin" / "python")
    database_url = f"{PG}/{DATABASE}"
    work = Path(tempfile.mkdtemp(prefix="casting-bench-"))
    issuer = LocalIssuer(str(work / "tenant-key.pem"), ISSUER, AUDIENCE)
    jwks_server = serve_key_set(issuer.key_set())
    app_env = {
        **os.environ,
        "APP_ENV": "production",
        "DATABASE_URL": database_url,
        "AUTH0_DOMAIN": "bench.casting-agency.test",
        "AUTH0_ISSUER": ISSUER,
        "API_AUDIENCE": AUDIENCE,
        "SECRET_KEY": secrets.token_urlsafe(32),
        "JWKS_URL": f"http://127.0.0.1:{jwks_server.server_port}/jwks.json",
        "PORT": str(PORT),
        "WEB_CONCURRENCY": WORKERS,
    }

    print(
        f"Loading {ACTORS} actors, {MOVIES} movies, {ROLES} roles and about "
        f"{SUBMISSIONS_PER_ROLE} submissions per open role into {DATABASE} ..."
    )
    sh(
        "psql",
        f"{PG}/postgres",
        "-q",
        "-c",
        f"DROP DATABASE IF EXISTS {DATABASE}",
        "-c",
        f"CREATE DATABASE {DATABASE}",
    )
    sh(python, "-m", "flask", "--app", "app", "db", "upgrade", env=app_env)
    sh(
        python,
        "-m",
        "flask",
        "--app",
        "app",
        "seed",
        "--actors",
        str(ACTORS),
        "--movies",
        str(MOVIES),
        "--roles",
        str(ROLES),
        "--submissions-per-role",
        str(SUBMISSIONS_PER_ROLE),
        "--seed",
        "1",
        env=app_env,
    )
    sh("psql", database_url, "-q", "-c", "VACUUM ANALYZE")
    submissions = int(psql_rows(database_url, "SELECT count(*) FROM submissions")[0])
    # The move scenario alternates each of these between released and shortlisted (both
    # moves are allowed, so it can run for ever); every run starts from released.
    move_pool = psql_rows(
        database_url,
        f"SELECT id FROM submissions WHERE status = 'released' ORDER BY id LIMIT {MOVE_POOL}",
    )
    if not move_pool and "move_submission" in chosen:
        print("  no released submissions to move: move_submission left out")
        chosen.remove("move_submission")
    release_pool = (
        "UPDATE submissions SET status = 'released', version = version + 1 "
        f"WHERE id IN ({','.join(move_pool) or 'NULL'}) AND status <> 'released'"
    )

    # The app logs one JSON line per request, as in production; it goes to a file here
    # so the table stays readable.
    server_log = (work / "gunicorn.log").open("w")
    gunicorn = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "bench.ceiling:create_app_with_ceiling()"],
        cwd=ROOT,
        env=app_env,
        stdout=server_log,
        stderr=subprocess.STDOUT,
    )
    try:
        token = issuer.mint(list(STAFF_PERMISSIONS["producer"]), lifetime=3600)
        headers = {"Authorization": f"Bearer {token}"}
        base = f"http://127.0.0.1:{PORT}"
        for _ in range(100):
            try:
                if requests.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        filtered = requests.get(
            f"{base}/actors?gender=female&min_age=25&max_age=40", headers=headers, timeout=10
        ).json()
        middle_page = max(1, filtered["total_actors"] // filtered["page_size"] // 2)
        env = {
            **os.environ,
            "TOKEN": token,
            "ACTORS": str(ACTORS),
            "ROLES": str(ROLES),
            "MIDDLE_PAGE": str(middle_page),
            "SUBMISSIONS": ",".join(move_pool),
            "THREADS": str(WRK_THREADS),
        }

        results: dict[str, Any] = {}
        for scenario in chosen:
            for duration in ("2s", DURATION):  # a warm-up, then the measured run
                if scenario == "move_submission":
                    sh("psql", database_url, "-q", "-c", release_pool)
                results[scenario] = run_wrk(scenario, env, duration=duration)
            print(f"  {scenario}: {results[scenario]['rps']} req/s", flush=True)
        peak_mb = peak_worker_memory_mb(gunicorn.pid)
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)
        server_log.close()
        jwks_server.shutdown()

    ceiling = results["ceiling"]["rps"]
    for name, result in results.items():
        result["fraction_of_ceiling"] = round(result["rps"] / ceiling, 3)
        target = TARGETS.get(name, 0.4) if name != "ceiling" else None
        result["target"] = target
        result["meets_target"] = None if target is None else result["fraction_of_ceiling"] >= target
    verify_us, remembered_us = token_verify_microseconds(issuer, token)
    report = {
        "machine": {"cores": os.cpu_count(), "gunicorn_workers": int(WORKERS)},
        "data": {
            "actors": ACTORS,
            "movies": MOVIES,
            "roles": ROLES,
            "submissions": submissions,
        },
        "load": {"connections": int(CONNECTIONS), "duration": DURATION},
        "scenarios": results,
        "peak_worker_memory_mb": round(peak_mb, 1),
        "token_verify_ms": round(verify_us / 1000, 4),
        "token_remembered_ms": round(remembered_us / 1000, 4),
    }
    (ROOT / "bench" / "results.json").write_text(json.dumps(report, indent=2) + "\n")

    print(
        f"\n{'scenario':<22}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'errors':>8}{'x ceiling':>11}{'target':>8}"
    )
    for name, r in results.items():
        shown = "" if r["target"] is None else f"{r['target']:.1f}"
        print(
            f"{name:<22}{r['rps']:>9.0f}{r['p50_ms']:>9.2f}{r['p95_ms']:>9.2f}"
            f"{r['p99_ms']:>9.2f}{r['errors']:>8}{r['fraction_of_ceiling']:>11.2f}{shown:>8}"
        )
    print(f"\npeak worker memory: {report['peak_worker_memory_mb']} MB")
    print(
        f"token verification: {report['token_verify_ms']} ms (keys cached), "
        f"{report['token_remembered_ms']} ms once verified"
    )
    print("results written to bench/results.json")


if __name__ == "__main__":
    main()
