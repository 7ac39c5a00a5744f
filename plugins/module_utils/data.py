# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers for plain data (lists and mappings), shared by modules and filters."""

from collections.abc import Iterator, Mapping
from typing import Any


def as_list(value: Any) -> list[Any]:
    """A list or tuple as a list, None as [], anything else as a list of one."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def plain(value: Any) -> Any:
    """A copy of value as plain dicts and lists. Not copy.deepcopy: on the lazy containers
    Ansible 2.19 passes to filters it takes seconds per stack."""
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Merge override over base: mappings recursively, everything else replaced (neither is changed)."""
    merged = plain(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = plain(value)
    return merged


def named_mappings(
    items: list[Any], kind: str, expected: str, problems: list[str]
) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    """(name, where, item) for each mapping of a list of named items, ``where`` labelling it in
    messages (``group alb``, or ``group 2`` without a name); any other item is a problem."""
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            problems.append(f"{kind} {index} must be a mapping with {expected}")
            continue
        name = str(item.get("name") or "")
        yield name, f"{kind} {name or index}", item
