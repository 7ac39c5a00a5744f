#!/usr/bin/env python3
"""Ansible Vault password client: prints the password of a vault id from the environment.

    ansible-playbook site.yml -i inventories/dev --vault-id dev@tools/vault-env-client.py

Ansible runs it with --vault-id <id>; it prints $APPSTACK_VAULT_PASSWORD_<ID> (the id in
capitals, e.g. APPSTACK_VAULT_PASSWORD_DEV), which CI sets from its secret store. It fails,
naming the variable, when that is unset. AWX needs no client: its Vault credential answers.
"""

from __future__ import annotations

import argparse
import os
import re
import sys


def variable_for(vault_id: str) -> str:
    return "APPSTACK_VAULT_PASSWORD_" + re.sub(r"[^A-Z0-9]", "_", vault_id.upper())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vault-id", default="default", help="the vault id Ansible asks for")
    args = parser.parse_args(argv)
    name = variable_for(args.vault_id)
    password = os.environ.get(name, "")
    if not password:
        print(f"vault-env-client: set {name} to the password of vault id {args.vault_id!r}", file=sys.stderr)
        return 1
    sys.stdout.write(password + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
