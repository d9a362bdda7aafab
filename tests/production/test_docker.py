"""The Dockerfile and compose.yaml, read as files: there is no container runtime on these machines to
build them. What is checked: the image is built by the same commands as ``make serve`` (the same make
targets, the same collectstatic, scripts/serve.sh as its command), from files that exist, with runtime
packages only and a user that is not root; compose.yaml runs it with PostgreSQL and Redis."""

import re
import shlex
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def instructions(text):
    """[(INSTRUCTION, arguments)] of a Dockerfile: comments dropped, continued lines joined."""
    text = re.sub(r"^\s*#.*\n", "", text, flags=re.MULTILINE)
    text = re.sub(r"\\\n", " ", text)
    return [tuple(line.strip().split(None, 1)) for line in text.splitlines() if line.strip()]


def stages():
    """{stage name: [(INSTRUCTION, arguments)]}, in order."""
    found = {}
    for instruction, arguments in instructions((ROOT / "Dockerfile").read_text()):
        if instruction == "FROM":
            image, _, name = arguments.partition(" AS ")
            current = found.setdefault(name.strip(), [])
            current.append(("FROM", image.strip()))
        else:
            current.append((instruction, arguments))
    return found


def commands(run):
    """The commands of a RUN line, each as its words without the leading VARIABLE=value ones."""
    for command in run.split("&&"):
        words = shlex.split(command)
        while words and re.fullmatch(r"[A-Z_]+=\S*", words[0]):
            words.pop(0)
        yield words


def makefile_rule(target):
    """(prerequisites, recipe lines) of a rule of the Makefile."""
    text = (ROOT / "Makefile").read_text()
    match = re.search(rf"^{re.escape(target)}:([^\n]*)\n((?:\t[^\n]*\n)*)", text, re.MULTILINE)
    assert match, target
    return match[1].split(), [line.strip() for line in match[2].splitlines()]


def dockerignore():
    return {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines() if line.strip()[:1] not in "#"}


def test_two_stages_the_last_one_runs_as_a_user_without_build_tools():
    build, runtime = stages()["build"], stages()["runtime"]
    assert list(stages()) == ["build", "runtime"]
    # The same Python as the locks are compiled for (make lock: --python-version 3.11), in both stages,
    # so that the environment copied from the build stage runs in the runtime stage.
    assert build[0] == runtime[0] and build[0][1].startswith("python:3.11-")
    assert "--python-version 3.11" in (ROOT / "Makefile").read_text()
    runs = " ".join(arguments for instruction, arguments in runtime if instruction == "RUN")
    assert not re.search(r"\b(pip|uv|apt-get|make|msgfmt)\b", runs), runs  # nothing installed or built here
    assert ("COPY", "--from=build /app /app") in runtime
    user = [arguments for instruction, arguments in runtime if instruction == "USER"]
    assert user and user[-1] not in {"root", "0"}
    assert runtime.index(("USER", user[-1])) < [instruction for instruction, _ in runtime].index("CMD")
    # The environment holds no installer either: uv (in .venv/.tools) is removed once it has installed.
    assert any("make install-runtime" in a and "rm -rf .venv/.tools" in a for i, a in build if i == "RUN")


def test_the_image_is_built_by_the_steps_of_make_serve():
    build, runtime = stages()["build"], stages()["runtime"]
    serve_needs, serve_recipe = makefile_rule("serve")
    assert serve_needs == ["install-runtime", "$(MO)"]
    assert makefile_rule("messages")[0] == ["$(MO)"]
    runs = [arguments for instruction, arguments in build if instruction == "RUN"]
    made = [words[1] for run in runs for words in commands(run) if words[0] == "make"]
    assert made == ["install-runtime", "messages"]  # serve's two prerequisites, through the same targets

    # The runtime lock is what install-runtime installs, by scripts/install.sh.
    assert re.search(r"^RUNTIME_LOCK \?= requirements/runtime\.txt$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert any("scripts/install.sh $(VENV) $(RUNTIME_LOCK)" in line for line in makefile_rule("$(RUNTIME_STAMP)")[1])

    # Then serve.sh: collectstatic (done when the image is built, COLLECTSTATIC=0 at start) and gunicorn.
    assert serve_recipe[-1].endswith("scripts/serve.sh")
    serve_sh = (ROOT / "scripts" / "serve.sh").read_text()
    collect = re.search(r"^\s+(python scripts/collectstatic\.py)$", serve_sh, re.MULTILINE)[1]
    assert any(run.endswith(f".venv/bin/{collect}") for run in runs)
    assert 'if [ "${COLLECTSTATIC:-1}" != 0 ]; then' in serve_sh
    env = " ".join(arguments for instruction, arguments in runtime if instruction == "ENV")
    assert "COLLECTSTATIC=0" in env and "PATH=/app/.venv/bin:$PATH" in env and "BIND=0.0.0.0:8000" in env
    assert ("CMD", '["scripts/serve.sh"]') in runtime
    assert ("EXPOSE", "8000") in runtime


def test_what_the_image_copies_exists_and_what_must_stay_out_is_ignored():
    build = stages()["build"]
    ignored = dockerignore()
    for instruction, arguments in build:
        if instruction == "COPY" and not arguments.startswith("--from"):
            *sources, _ = shlex.split(arguments)
            for source in sources:
                assert (ROOT / source).exists(), source
                assert source.rstrip("/") not in ignored, source
    for scripted in ["scripts/install.sh", "scripts/serve.sh", "scripts/collectstatic.py"]:
        assert (ROOT / scripted).stat().st_mode & 0o111 or scripted.endswith(".py"), scripted
    # Local environments, collections, databases and compiled catalogues never enter the image.
    assert {".git", ".venv", "node_modules", "staticfiles", ".staticfiles", "db.sqlite3*", "**/*.mo"} <= ignored


def test_compose_runs_the_image_with_postgresql_and_redis():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "redis", "migrate", "web"}
    assert services["db"]["image"].startswith("postgres:") and services["redis"]["image"].startswith("redis:")
    for name in ("migrate", "web"):
        service = services[name]
        assert service["build"] == "." and (ROOT / "Dockerfile").is_file()
        environment = service["environment"]
        assert re.fullmatch(
            r"postgres://seoul:\$\{POSTGRES_PASSWORD:-[^}]+\}@db:5432/seoul_diplomacy", environment["DATABASE_URL"]
        )
        assert environment["REDIS_URL"] == "redis://redis:6379/0"
        # The production settings refuse to start without these; the secret has no default.
        assert {"DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DJANGO_SITE_URL"} <= set(environment)
        assert environment["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?")
    assert services["db"]["environment"]["POSTGRES_DB"] == "seoul_diplomacy"
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--no-input"]
    assert services["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert services["web"]["depends_on"] == {
        "migrate": {"condition": "service_completed_successfully"},
        "redis": {"condition": "service_healthy"},
    }
    assert services["web"]["ports"] == ["8000:8000"]
    assert "command" not in services["web"]  # the image's own: scripts/serve.sh
