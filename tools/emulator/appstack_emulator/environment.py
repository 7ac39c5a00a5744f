"""Environment defaults that moto reads at import time: call :func:`prepare` BEFORE importing moto.

Values already present in the environment win, so a caller can override any of them.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import tempfile
from collections.abc import MutableMapping
from importlib import resources
from pathlib import Path
from typing import Any

DEFAULTS = {
    # arn:aws:iam::aws:policy/... must exist for managed_policies (cannot be enabled later).
    "MOTO_IAM_LOAD_MANAGED_POLICIES": "true",
    # ACM DNS-validated certificates flip PENDING_VALIDATION -> ISSUED after this many seconds.
    "MOTO_ACM_VALIDATION_WAIT": "2",
}


def moto_package_dir() -> Path:
    """moto's directory in this interpreter's environment, found without importing moto."""
    spec = importlib.util.find_spec("moto")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("moto is not installed in this Python environment")
    return Path(next(iter(spec.submodule_search_locations)))


def extra_amis() -> list[dict[str, Any]]:
    """The AMIs we add to moto's defaults (Ubuntu 22.04 jammy, owner 099720109477)."""
    text = resources.files("appstack_emulator").joinpath("data/extra_amis.json").read_text()
    return json.loads(text)


def merged_amis() -> list[dict[str, Any]]:
    """moto's default AMI list (its package data) plus :func:`extra_amis`."""
    with gzip.open(moto_package_dir() / "ec2" / "resources" / "amis.json.gz", "rt") as f:
        amis: list[dict[str, Any]] = json.load(f)
    known = {ami["ami_id"] for ami in amis}
    return amis + [ami for ami in extra_amis() if ami["ami_id"] not in known]


def write_amis_file(directory: str | None = None) -> str:
    """Write :func:`merged_amis` to a temporary JSON file and return its path."""
    fd, path = tempfile.mkstemp(prefix="appstack-amis-", suffix=".json", dir=directory)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(merged_amis(), f)
    return path


def prepare(environ: MutableMapping[str, str] | None = None) -> str | None:
    """Set moto's environment defaults; return the temporary AMI file to delete after import.

    MOTO_AMIS_PATH replaces moto's default AMIs, so the file holds the defaults plus ours.
    moto reads it once, when ``moto.ec2.models.amis`` is imported.
    """
    env = os.environ if environ is None else environ
    for key, value in DEFAULTS.items():
        env.setdefault(key, value)
    if "MOTO_AMIS_PATH" in env:
        return None
    path = write_amis_file()
    env["MOTO_AMIS_PATH"] = path
    return path
