"""docker-compose.yml: the production shape, validated by `docker compose config -q` where the
docker client and its compose plugin exist, and by reading the file everywhere."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "docker-compose.yml"


def _compose_command() -> list[str] | None:
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=30)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_docker_compose_config_is_valid():
    command = _compose_command()
    if command is None:
        pytest.skip("no docker compose client on this machine")
    result = subprocess.run(
        [*command, "-f", str(COMPOSE), "config", "-q"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_compose_runs_the_production_shape():
    document = yaml.safe_load(COMPOSE.read_text())
    services = document["services"]
    assert set(services) == {"api", "worker", "relay", "beat", "redis", "postgres"}
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no health check"
    redis_command = " ".join(services["redis"]["command"])
    assert "--maxmemory-policy noeviction" in redis_command
    assert "--appendonly yes" in redis_command
    assert {"postgres-data", "redis-data"} <= set(document["volumes"])
    assert any("postgres-data" in v for v in services["postgres"]["volumes"])
    assert any("redis-data" in v for v in services["redis"]["volumes"])
    assert services["relay"]["command"] == ["dvscreen", "relay"]
    for name in ("api", "worker", "relay", "beat"):
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgresql+psycopg://")
        assert environment["BROKER_URL"].startswith("redis://")
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
