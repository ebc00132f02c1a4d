"""Take the README's screenshots of the web app on the demo company, in headless Chromium.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Builds the demo company (seed 7, 2,000 customers) in a temporary SQLite file, serves it on a
free loopback port, logs in as the demo's analyst and saves the dashboard, the inbox (negative
feedback about delivery) and a customer page as PNG files.
"""

from __future__ import annotations

import argparse
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'demo.sqlite'}"
        built = subprocess.run(
            [sys.executable, "-m", "advocacy", "--db", url, "demo", "--today", "2026-11-23"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        login = re.search(r"^\s+analyst\s+(\S+)\s+(\S+)$", built.stdout, re.MULTILINE)
        assert login is not None, built.stdout
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = subprocess.Popen(
            [sys.executable, "-m", "advocacy", "--db", url, "serve", "--port", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    httpx.get(base + "/healthz")
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=args.chromium, args=["--no-sandbox"]
                )
                page = browser.new_page(
                    base_url=base, viewport={"width": 1280, "height": 900}, locale="en-GB"
                )
                page.goto("/login")
                page.fill("#email", login.group(1))
                page.fill("#password", login.group(2))
                page.click("form[action='/login'] button[type=submit]")
                page.wait_for_url("**/")
                page.screenshot(path=str(out / "dashboard.png"), full_page=True)
                page.goto("/feedback?sentiment=negative&theme=delivery")
                page.screenshot(path=str(out / "inbox.png"))
                page.goto("/feedback?kind=nps&max_rating=6")
                first = page.locator("li.item a[href^='/customers/']").first
                first.click()
                page.wait_for_load_state()
                page.screenshot(path=str(out / "customer.png"), full_page=True)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"saved {', '.join(p.name for p in sorted(out.glob('*.png')))} in {out}")


if __name__ == "__main__":
    main()
