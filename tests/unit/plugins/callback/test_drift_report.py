"""How the drift report counts what a check-mode run would change."""

import pytest
from ansible_collections.appstack.cloud.plugins.callback.drift_report import changes_of, format_report


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        ({"changed": False}, []),
        ({"changed": True}, [{"host": "web", "task": "Create"}]),
        (
            {"changed": True, "results": [{"changed": True, "item": "a"}, {"changed": False, "item": "b"}]},
            [{"host": "web", "task": "Create", "item": "a"}],
        ),
        (
            {"changed": True, "results": [{"changed": True, "item": {"k": 1}, "_ansible_item_label": "zone-a"}]},
            [{"host": "web", "task": "Create", "item": "zone-a"}],
        ),
        (
            {"changed": True, "results": [{"changed": True, "item": {"k": 1}}]},
            [{"host": "web", "task": "Create", "item": '{"k": 1}'}],
        ),
    ],
)
def test_changes_of(result, expected):
    assert changes_of("web", "Create", result) == expected


def test_report_says_no_drift_when_nothing_changes():
    assert format_report([]) == ["DRIFT REPORT: no drift, nothing would change"]


def test_report_lists_each_change_on_its_own_line():
    lines = format_report([{"host": "web", "task": "Create the VPC"}, {"host": "api", "task": "Tag", "item": "a"}])
    assert lines == [
        "DRIFT REPORT: 2 change(s) would be made",
        "  - web: Create the VPC",
        "  - api: Tag (a)",
    ]
