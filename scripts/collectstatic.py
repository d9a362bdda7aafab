"""collectstatic, safe to start twice at once (scripts/serve.sh runs it: make serve and the container).

Django's collectstatic writes into STATIC_ROOT in place: two at once (two ``make serve``, a deploy while
another server starts) overwrite each other's files, and the manifest (staticfiles.json) is deleted and
written again, so a gunicorn worker starting in between finds none. Here each run collects into a fresh
folder, ``.staticfiles/<time>-<random>/``, and STATIC_ROOT (``staticfiles``) is a symbolic link to the
current one, replaced by one rename: a server only ever sees a complete collection. An exclusive lock
(``.staticfiles/lock``) makes runs take turns, so that the clean-up never removes a collection another
run is about to publish. The collection before the current one is kept (workers started before the
switch may still name its files); older ones are removed.

    DJANGO_SETTINGS_MODULE=seoul_diplomacy.settings.production python scripts/collectstatic.py
"""

import fcntl
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seoul_diplomacy.settings.production")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings  # also resets the static files storage on the change

    link = Path(settings.STATIC_ROOT)
    builds = link.parent / f".{link.name}"
    builds.mkdir(exist_ok=True)
    with open(builds / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        target = Path(tempfile.mkdtemp(prefix=time.strftime("%Y%m%dT%H%M%SZ-", time.gmtime()), dir=builds))
        target.chmod(0o755)  # mkdtemp's 0700 would hide the files from a server running as another user
        with override_settings(STATIC_ROOT=str(target)):
            call_command("collectstatic", interactive=False, verbosity=0)

        keep = {target.name}
        if link.is_symlink():
            keep.add(link.resolve().name)
        elif link.is_dir():  # a plain folder, left by Django's own collectstatic: moved aside, kept once
            legacy = builds / f"{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}-plain-{os.getpid()}"
            link.rename(legacy)
            keep.add(legacy.name)
        new_link = builds / f"link-{os.getpid()}"
        new_link.symlink_to(target.relative_to(link.parent))
        os.replace(new_link, link)  # atomic: the old collection or the new one, never none

        for old in builds.iterdir():
            if old.is_dir() and old.name not in keep:
                shutil.rmtree(old, ignore_errors=True)


if __name__ == "__main__":
    main()
