"""Serving: a dashboard reachable from other addresses refuses requests without its token."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time

import pytest

from benchmarks.measure import free_port

HOST = "127.0.0.2"  # another loopback address: not "localhost", so a token is required


def _answer(host: str, port: int, path: str) -> tuple[int, str]:
    """Status and Location of one GET, redirects not followed (a refused request is sent to /login)."""
    con = http.client.HTTPConnection(host, port, timeout=30)
    try:
        con.request("GET", path)
        response = con.getresponse()
        response.read()
        return response.status, response.getheader("Location") or ""
    finally:
        con.close()


def _wait_for(host: str, port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection((host, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"nothing listens on {host}:{port}")


@pytest.mark.slow
def test_non_local_host_requires_the_token(tmp_path):
    port = free_port(HOST)
    env = {**os.environ, "COBRANCA_DB": str(tmp_path / "s.duckdb"), "COBRANCA_TOKEN": ""}
    proc = subprocess.Popen(
        [sys.executable, "-m", "cobranca", "dashboard", "--host", HOST, "--port", str(port), "--no-browser"],
        env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, start_new_session=True,
    )
    try:
        banner = proc.stderr.readline()
        token = re.search(r"\?token=([\w-]+)", banner)
        assert token, banner  # a random token is made up and printed when none was given
        _wait_for(HOST, port, 90)
        for path in ("/", "/api/kernels", "/voila/render/cobranca.ipynb", "/?token=wrong"):
            status, location = _answer(HOST, port, path)
            assert status in (302, 401, 403) and (status != 302 or "login" in location), (path, status, location)
        assert _answer(HOST, port, "/?token=" + token.group(1))[0] == 200
        status, location = _answer(HOST, port, "/api/kernels?token=" + token.group(1))
        assert "login" not in location, (status, location)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)
