"""Shared test fixtures. The autouse guard fails any test that opens a connection to a
host other than loopback, so the suite can never reach the internet by accident."""
from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_create_connection = socket.create_connection


def _is_loopback(address) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX path
        return True
    host = address[0]
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class NetworkBlocked(AssertionError):
    pass


def _guarded(real):
    def connect(self, address, *args, **kwargs):
        if not _is_loopback(address):
            raise NetworkBlocked(f"test tried to reach a non-loopback host: {address!r}")
        return real(self, address, *args, **kwargs)

    return connect


def _guarded_create_connection(address, *args, **kwargs):
    if not _is_loopback(address):
        raise NetworkBlocked(f"test tried to reach a non-loopback host: {address!r}")
    return _real_create_connection(address, *args, **kwargs)


def block_network(monkeypatch) -> None:
    """Make every connection to a host other than loopback fail (also for module-scoped fixtures)."""
    monkeypatch.setattr(socket.socket, "connect", _guarded(_real_connect))
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded(_real_connect_ex))
    monkeypatch.setattr(socket, "create_connection", _guarded_create_connection)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Fail any test that tries to connect anywhere but 127.0.0.0/8 or ::1."""
    block_network(monkeypatch)
    yield


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    return RAW


# Property tests (hypothesis) run a fixed, bounded set of examples: the same inputs on
# every machine and every run (derandomize), no example database to replay from, and no
# per-example deadline (the machine is shared; speed is measured by the benches).
from hypothesis import HealthCheck, settings as hypothesis_settings  # noqa: E402

hypothesis_settings.register_profile(
    "pipeline", derandomize=True, database=None, deadline=None, max_examples=40, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
hypothesis_settings.load_profile("pipeline")
