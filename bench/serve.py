"""The editor loop of `make serve`: save one dilemma, poll the page until the change shows.

Starts ``mkdocs serve --strict`` in a Kompas project (as ``make serve`` does), waits for the
first build, then saves a changed title into one dilemma file ``edits`` times and measures
from the moment the file is written until the served page of that dilemma contains the new
title (the dev server holds requests while it rebuilds, so a request never sees a half-built
site). Prints JSON. The file is restored afterwards.

    python bench/serve.py PROJECT [--edits 5] [--timeout 600]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from macros.harness.browser import fetch, free_port


def _get(url: str) -> str | None:
    return fetch(url, timeout=120)


def _wait(url: str, text: str, process: subprocess.Popen, timeout: float, log: Path) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if process.poll() is not None:
            raise RuntimeError("mkdocs serve is gestopt:\n" + log.read_text(encoding="utf-8")[-3000:])
        body = _get(url)
        if body is not None and text in body:
            return time.perf_counter() - start
        time.sleep(0.02)
    raise RuntimeError(
        f"'{text}' verscheen niet op {url} binnen {timeout} s:\n" + log.read_text(encoding="utf-8")[-3000:]
    )


def _stop_group(process: subprocess.Popen) -> None:
    """Stop the server and every process it started (SIGTERM, SIGKILL after 30 s), and wait for them."""
    for sig, grace in ((signal.SIGTERM, 30.0), (signal.SIGKILL, 30.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            process.poll()
            try:
                os.killpg(process.pid, 0)  # anyone of the group still there?
            except ProcessLookupError:
                return
            time.sleep(0.1)
    process.wait()


def measure_serve(project: Path, edits: int = 5, timeout: float = 900.0, dilemma: str | None = None) -> dict:
    project = Path(project).resolve()
    folder = project / "content" / "dilemmas"
    source = folder / f"{dilemma}.yaml" if dilemma else sorted(folder.glob("*.yaml"))[0]
    item = source.stem
    original = source.read_text(encoding="utf-8")
    match = re.search(r"^titel: (.*)$", original, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"{source}: geen regel 'titel:'")
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    page = f"{base}dilemmas/{item}/"
    mkdocs = Path(sys.executable).with_name("mkdocs")
    with tempfile.TemporaryDirectory(prefix="kompas-bench-serve-") as tmp:
        log = Path(tmp) / "serve.log"
        with log.open("w") as out:
            env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
            started = time.perf_counter()
            # a session of its own: stopping it stops its helpers too (the card decks render in a
            # process of their own, which would otherwise still write into the cache afterwards)
            process = subprocess.Popen(
                [str(mkdocs), "serve", "--strict", "--dev-addr", f"127.0.0.1:{port}"],
                cwd=project,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
            try:
                _wait(page, "<title>", process, timeout, log)
                first = time.perf_counter() - started
                times = []
                for number in range(1, edits + 1):
                    title = f"Bewerkt {number} {item}"
                    text = original.replace(match.group(0), f"titel: {json.dumps(title, ensure_ascii=False)}", 1)
                    time.sleep(1.0)  # a separate save, after the previous rebuild and its background work began
                    source.write_text(text, encoding="utf-8")
                    times.append(round(_wait(page, title, process, timeout, log), 3))
                # strictness: an error shows in the terminal with file:line and the page is not replaced
                broken = original.replace(match.group(0), "titel: 12", 1)
                source.write_text(broken, encoding="utf-8")
                deadline = time.perf_counter() + timeout
                relative = source.relative_to(project).as_posix()
                while time.perf_counter() < deadline and f"{relative}:" not in log.read_text(encoding="utf-8"):
                    time.sleep(0.05)
                report = log.read_text(encoding="utf-8")
                error_shown = f"{relative}:" in report and "Traceback" not in report
                at = report.find("Traceback")
                problem = "" if error_shown else (report[max(0, at - 500) : at + 2500] if at >= 0 else report[-3000:])
            finally:
                source.write_text(original, encoding="utf-8")
                _stop_group(process)
        full_builds = log.read_text(encoding="utf-8").count("Kompas: alles opnieuw bouwen")
    return {
        "edits_s": times,
        "median_s": round(statistics.median(times), 3),
        "first_build_s": round(first, 3),
        "dilemma": item,
        "error_shown_with_file_line": error_shown,
        "full_rebuilds": full_builds,
        **({"log_tail": problem} if problem else {}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Meet de bewerkingslus van make serve.")
    parser.add_argument("project", type=Path)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=900.0)
    args = parser.parse_args()
    print(json.dumps(measure_serve(args.project, args.edits, args.timeout)))


if __name__ == "__main__":
    main()
