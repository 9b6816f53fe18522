"""Load benchmark for the HTTP service: concurrent small solves against `stride serve`.

    python -m benchmarks.load_api [--requests 40] [--concurrency 8] [--solvers 2]

Starts the service in a subprocess on 127.0.0.1 (its own SQLite file in a temporary
directory), then, from this second process, fires `--requests` small `POST /v1/solve`
calls, `--concurrency` at a time. A busy server answers 429 with Retry-After; the client
waits that long and tries again, as a well-behaved client would. Meanwhile a probe polls
`/healthz` every 100 ms: the service must keep answering it while every solver worker is
busy. Prints throughput and p50/p95/p99 latencies; `--json FILE` also writes them.

Not a test: timings depend on the machine. Bounded in requests and in `--max-seconds`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
HEALTH_INTERVAL_S = 0.1
COLUMNS = ("p50", "p95", "p99", "max")
STARTUP_PATIENCE_S = 60.0


def small_request(time_limit_s: float, num_workers: int) -> dict[str, Any]:
    """Two weeks for an intermediate runner: a few hundred milliseconds of CP-SAT."""
    slot_am = {"minutes": 45, "time": "06:30"}
    slot_pm = {"minutes": 60, "time": "18:00"}
    return {
        "start_date": "2027-03-01",
        "end_date": "2027-03-14",
        "timezone": "Europe/Berlin",
        "athlete": {
            "level": "intermediate",
            "current_weekly_minutes": 150,
            "longest_recent_run_minutes": 60,
            "run_days": {"min": 3, "max": 4},
            "strength_sessions": {"min": 2, "max": 2},
            "long_run_day": "sun",
        },
        "locations": {"home": ["bodyweight", "bands", "dumbbells"]},
        "availability": {
            "weekly": {
                "mon": {"am": slot_am},
                "tue": {"pm": slot_pm},
                "wed": {"am": slot_am},
                "thu": {"pm": slot_pm},
                "fri": {"am": slot_am},
                "sat": {"am": {"minutes": 90, "time": "08:00"}},
                "sun": {"am": {"minutes": 120, "time": "08:00"}},
            }
        },
        "options": {"time_limit_s": time_limit_s, "num_workers": num_workers, "random_seed": 1},
    }


@dataclass
class Outcome:
    latency_s: float  # first attempt to final answer, waits for Retry-After included
    service_s: float  # the attempt that was answered
    status: int
    rejected: int  # 429s before the answer


@dataclass
class Report:
    requests: int
    concurrency: int
    solvers: int
    wall_s: float
    succeeded: int
    failed: int
    rejected_429: int
    throughput_per_s: float
    latency_s: dict[str, float]
    service_s: dict[str, float]
    health_s: dict[str, float]
    health_all_busy_s: dict[str, float]
    health_checks: int
    health_checks_all_busy: int
    health_failures: int
    statuses: dict[str, int] = field(default_factory=dict)


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    ordered = sorted(values)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    return {
        "p50": round(at(0.50), 4),
        "p95": round(at(0.95), 4),
        "p99": round(at(0.99), 4),
        "max": round(ordered[-1], 4),
        "mean": round(statistics.fmean(ordered), 4),
    }


def start_server(workdir: Path, port: int, solvers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "STRIDE_DB_PATH": str(workdir / "jobs.sqlite3"),
        "STRIDE_MAX_CONCURRENT_SOLVES": str(solvers),
        "STRIDE_MAX_QUEUED_JOBS": "0",
    }
    log = (workdir / "server.log").open("wb")
    command = [sys.executable, "-m", "solver.cli", "serve", "--port", str(port)]
    return subprocess.Popen(
        [*command, "--log-level", "warning"], cwd=ROOT, env=env, stdout=log, stderr=log
    )


async def wait_until_up(client: httpx.AsyncClient, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_PATIENCE_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server exited at start-up; see its server.log")
        try:
            if (await client.get("/healthz", timeout=1)).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.2)
    raise RuntimeError("the server did not come up")


async def one_solve(client: httpx.AsyncClient, body: dict[str, Any]) -> Outcome:
    started = time.monotonic()
    rejected = 0
    while True:
        attempt = time.monotonic()
        response = await client.post("/v1/solve", json=body)
        if response.status_code != 429:
            now = time.monotonic()
            return Outcome(now - started, now - attempt, response.status_code, rejected)
        rejected += 1
        await asyncio.sleep(float(response.headers.get("retry-after", "1")))


@dataclass
class HealthProbe:
    latencies: list[float] = field(default_factory=list)
    all_busy_latencies: list[float] = field(default_factory=list)
    failures: int = 0

    async def run(self, client: httpx.AsyncClient, stop: asyncio.Event) -> None:
        while not stop.is_set():
            started = time.monotonic()
            try:
                response = await client.get("/healthz", timeout=5)
                latency = time.monotonic() - started
                self.latencies.append(latency)
                body = response.json()
                if response.status_code != 200:
                    self.failures += 1
                elif body["solves_running"] >= body["solve_capacity"]:
                    self.all_busy_latencies.append(latency)
            except httpx.HTTPError:
                self.failures += 1
            await asyncio.sleep(HEALTH_INTERVAL_S)


async def run_load(args: argparse.Namespace, base_url: str, process: Any) -> Report:
    body = small_request(args.time_limit, args.solver_threads)
    limits = httpx.Limits(max_connections=args.concurrency + 2)
    timeout = httpx.Timeout(args.time_limit + 30)
    async with (
        httpx.AsyncClient(base_url=base_url, limits=limits, timeout=timeout) as client,
        httpx.AsyncClient(base_url=base_url) as probe_client,
    ):
        await wait_until_up(client, process)
        await client.post("/v1/solve", json=body)  # warm the workers up
        gate = asyncio.Semaphore(args.concurrency)

        async def gated() -> Outcome:
            async with gate:
                return await one_solve(client, body)

        probe, stop = HealthProbe(), asyncio.Event()
        probe_task = asyncio.create_task(probe.run(probe_client, stop))
        started = time.monotonic()
        outcomes = await asyncio.wait_for(
            asyncio.gather(*(gated() for _ in range(args.requests))), args.max_seconds
        )
        wall = time.monotonic() - started
        stop.set()
        await probe_task
    ok = [o for o in outcomes if o.status == 200]
    statuses: dict[str, int] = {}
    for outcome in outcomes:
        statuses[str(outcome.status)] = statuses.get(str(outcome.status), 0) + 1
    return Report(
        requests=args.requests,
        concurrency=args.concurrency,
        solvers=args.solvers,
        wall_s=round(wall, 3),
        succeeded=len(ok),
        failed=len(outcomes) - len(ok),
        rejected_429=sum(o.rejected for o in outcomes),
        throughput_per_s=round(len(ok) / wall, 3),
        latency_s=percentiles([o.latency_s for o in ok]),
        service_s=percentiles([o.service_s for o in ok]),
        health_s=percentiles(probe.latencies),
        health_all_busy_s=percentiles(probe.all_busy_latencies),
        health_checks=len(probe.latencies),
        health_checks_all_busy=len(probe.all_busy_latencies),
        health_failures=probe.failures,
        statuses=statuses,
    )


def show(report: Report, console: Console) -> None:
    table = Table(title="stride API load benchmark")
    table.add_column("measure")
    for name in COLUMNS:
        table.add_column(name, justify="right")
    for label, values in (
        ("solve latency, s (with 429 waits)", report.latency_s),
        ("solve latency, s (answered attempt)", report.service_s),
        ("/healthz latency, s (during load)", report.health_s),
        ("/healthz latency, s (every worker busy)", report.health_all_busy_s),
    ):
        table.add_row(label, *(f"{values.get(n, float('nan')):.3f}" for n in COLUMNS))
    console.print(table)
    console.print(
        f"{report.succeeded}/{report.requests} solves in {report.wall_s:.1f} s: "
        f"[bold]{report.throughput_per_s:.2f} solves/s[/] with {report.solvers} solver "
        f"worker(s), {report.concurrency} concurrent clients; {report.rejected_429} answers "
        f"were 429 + Retry-After; statuses {report.statuses}"
    )
    console.print(
        f"/healthz: {report.health_checks} checks, {report.health_failures} failed, "
        f"{report.health_checks_all_busy} of them while every solver worker was busy"
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=40, help="solves to send")
    parser.add_argument("--concurrency", type=int, default=8, help="clients at once")
    parser.add_argument("--solvers", type=int, default=2, help="server solver workers")
    parser.add_argument("--solver-threads", type=int, default=1, help="CP-SAT num_workers")
    parser.add_argument("--time-limit", type=float, default=2.0, help="per solve, seconds")
    parser.add_argument("--max-seconds", type=float, default=300.0, help="overall bound")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--json", type=Path, help="also write the report here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    console = Console(highlight=False)
    with tempfile.TemporaryDirectory(prefix="stride-load-") as tmp:
        process = start_server(Path(tmp), args.port, args.solvers)
        try:
            report = asyncio.run(run_load(args, f"http://127.0.0.1:{args.port}", process))
        finally:
            process.terminate()
            process.wait(timeout=30)
    show(report, console)
    if args.json is not None:
        args.json.write_text(json.dumps(asdict(report), indent=2) + "\n")


if __name__ == "__main__":
    main()
