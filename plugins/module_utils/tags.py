# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The tags of AWS resources: comparing them, and the calls of each service that read and change them."""

from dataclasses import dataclass
from typing import Any

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.tagging import (
    boto3_tag_list_to_ansible_dict,
    compare_aws_tags,
)


def tags_argument_spec() -> dict[str, Any]:
    """The options the appstack.cloud.tags doc fragment documents."""
    return dict(
        tags=dict(type="dict", required=True, aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )


def text_tags(tags: dict[str, Any] | None) -> dict[str, str]:
    """Tag keys and values as text, as AWS keeps them."""
    return {str(k): str(v) for k, v in (tags or {}).items()}


def tag_list(tags: dict[str, Any] | None, key: str = "Key", value: str = "Value") -> list[dict[str, str]]:
    """The tags as the list of key/value pairs AWS takes."""
    return [{key: k, value: v} for k, v in text_tags(tags).items()]


def tag_changes(
    current: dict[str, str], wanted: dict[str, Any] | None, purge: bool = True
) -> tuple[dict[str, str], list[str]]:
    """Tags to set and keys to remove to go from ``current`` to ``wanted``; nothing when ``wanted``
    is None (the tags are left alone)."""
    if wanted is None:
        return {}, []
    return compare_aws_tags(current, text_tags(wanted), purge_tags=purge)


def snake_with_tags(resource: dict[str, Any] | None, tags_key: str) -> dict[str, Any]:
    """The resource in snake_case with its tag list (under ``tags_key``) as a dict under ``tags``;
    {} for no resource."""
    if not resource:
        return {}
    result = camel_dict_to_snake_dict({k: v for k, v in resource.items() if k != tags_key})
    result["tags"] = boto3_tag_list_to_ansible_dict(resource.get(tags_key) or [])
    return result


@dataclass(frozen=True)
class TagApi:
    """How a service reads and changes a resource's tags: its calls and their argument names."""

    resource: str  # the argument naming the resource
    tags: str  # the argument holding the tags to set
    keys: str  # the argument holding the keys to remove
    listed: str  # ListTagsForResource's reply key
    set_call: str = "tag_resource"
    remove_call: str = "untag_resource"
    key: str = "Key"
    value: str = "Value"
    items: bool = False  # lists wrapped in {"Items": [...]} (CloudFront)

    def tag_list(self, tags: dict[str, Any] | None) -> list[dict[str, str]]:
        return tag_list(tags, self.key, self.value)

    def _wrap(self, values: list[Any]) -> Any:
        return {"Items": values} if self.items else values

    def read(self, client: Any, arn: str) -> dict[str, str]:
        reply = client.list_tags_for_resource(aws_retry=True, **{self.resource: arn})
        listed = reply.get(self.listed)
        return boto3_tag_list_to_ansible_dict((listed or {}).get("Items") if self.items else listed)

    def snake_with_listed_tags(self, client: Any, resource: dict[str, Any], arn: str | None) -> dict[str, Any]:
        """The resource in snake_case with the tags ListTagsForResource gives (none without an ARN)."""
        result = camel_dict_to_snake_dict(resource)
        result["tags"] = self.read(client, arn) if arn else {}
        return result

    def changes(
        self, client: Any, arn: str, wanted: dict[str, Any] | None, purge: bool
    ) -> tuple[dict[str, str], list[str]]:
        """tag_changes for the resource's current tags (read only when ``wanted`` is not None)."""
        if wanted is None:
            return {}, []
        return tag_changes(self.read(client, arn), wanted, purge)

    def apply(self, client: Any, arn: str, to_set: dict[str, str], to_remove: list[str]) -> None:
        if to_remove:
            getattr(client, self.remove_call)(aws_retry=True, **{self.resource: arn, self.keys: self._wrap(to_remove)})
        if to_set:
            getattr(client, self.set_call)(
                aws_retry=True, **{self.resource: arn, self.tags: self._wrap(self.tag_list(to_set))}
            )

    def sync(
        self, client: Any, arn: str, wanted: dict[str, Any], purge: bool, check_mode: bool
    ) -> tuple[bool, dict[str, str]]:
        """Give the resource the wanted tags; whether that changed them, and the tags after the run
        (in check mode, as they would be)."""
        current = self.read(client, arn)
        to_set, to_remove = tag_changes(current, wanted, purge)
        changed = bool(to_set or to_remove)
        if not changed or check_mode:
            return changed, {k: v for k, v in current.items() if k not in to_remove} | to_set
        self.apply(client, arn, to_set, to_remove)
        return True, self.read(client, arn)


ECR = TagApi(resource="resourceArn", tags="tags", keys="tagKeys", listed="tags")
ECS = TagApi(resource="resourceArn", tags="tags", keys="tagKeys", listed="tags", key="key", value="value")
# RDS names its tag calls as ElastiCache does.
ELASTICACHE = RDS = TagApi(
    resource="ResourceName",
    tags="Tags",
    keys="TagKeys",
    listed="TagList",
    set_call="add_tags_to_resource",
    remove_call="remove_tags_from_resource",
)
CLOUDFRONT = TagApi(resource="Resource", tags="Tags", keys="TagKeys", listed="Tags", items=True)
