"""EC2 DeleteLaunchTemplateVersions (not implemented in moto).

amazon.aws.ec2_launch_template ``state: absent`` deletes a template's non-default versions
before the template itself, so removing a template with more than one version fails on moto
(HTTP 500).  This shim marks deleted versions (moto finds versions by their position, and AWS
never reuses a version number): they disappear from DescribeLaunchTemplateVersions, cannot be
asked for by number, and ``$Latest`` / LatestVersionNumber skip them.  As on AWS, the default
version cannot be deleted.
"""

from __future__ import annotations

from typing import Any

NAME = "ec2_delete_launch_template_versions"
MOTO_VERSION = "5.2.5"
GAP = (
    "DeleteLaunchTemplateVersions is not implemented: ec2_launch_template state=absent fails "
    "on a template with several versions"
)

_DELETED = "_appstack_deleted"


def is_deleted(version: Any) -> bool:
    return bool(version.__dict__.get(_DELETED))


def delete_versions(template: Any, numbers: list[str]) -> tuple[list[dict], list[dict]]:
    """Mark the versions deleted; return (deleted, failed) in the API's item shapes."""
    deleted: list[dict] = []
    failed: list[dict] = []
    for raw in numbers:
        item = {"LaunchTemplateId": template.id, "LaunchTemplateName": template.name}
        try:
            number = int(raw)
        except ValueError:
            number = None
        version = next((v for v in template.versions if v.number == number and not is_deleted(v)), None)
        if version is None:
            error = {
                "Code": "launchTemplateVersionDoesNotExist",
                "Message": f"The specified launch template version {raw} does not exist.",
            }
        elif template.is_default(version):
            error = {
                "Code": "unexpectedError",
                "Message": "The default version of a launch template cannot be deleted.",
            }
        else:
            version.__dict__[_DELETED] = True
            deleted.append(dict(item, VersionNumber=number))
            continue
        failed.append(dict(item, VersionNumber=number or 0, ResponseError=error))
    return deleted, failed


def apply() -> None:
    from moto.core.responses import ActionResult
    from moto.ec2.exceptions import InvalidLaunchTemplateVersionNotFound
    from moto.ec2.models.launch_templates import LaunchTemplate, LaunchTemplateBackend
    from moto.ec2.responses.launch_templates import LaunchTemplates

    original_get_version = LaunchTemplate.get_version
    original_describe = LaunchTemplateBackend.describe_launch_template_versions

    def latest_version(self: Any) -> Any:
        return [v for v in self.versions if not is_deleted(v)][-1]

    def get_version(self: Any, num: Any) -> Any:
        if str(num).lower() == "$latest":
            return latest_version(self)
        version = original_get_version(self, num)
        if is_deleted(version):
            raise InvalidLaunchTemplateVersionNotFound(template_id=self.id, version=num)
        return version

    def describe_launch_template_versions(self: Any, *args: Any, **kwargs: Any) -> Any:
        found = original_describe(self, *args, **kwargs)
        return [(template, version) for template, version in found if not is_deleted(version)]

    def delete_launch_template_versions(self: Any) -> ActionResult:
        name = self._get_param("LaunchTemplateName")
        template_id = self._get_param("LaunchTemplateId")
        self.error_on_dryrun()
        if template_id:
            template = self.ec2_backend.get_launch_template(template_id)
        else:
            template = self.ec2_backend.get_launch_template_by_name(name)
        deleted, failed = delete_versions(template, self._get_param("Versions", []))
        return ActionResult(
            {
                "SuccessfullyDeletedLaunchTemplateVersions": deleted,
                "UnsuccessfullyDeletedLaunchTemplateVersions": failed,
            }
        )

    LaunchTemplate.latest_version = latest_version
    LaunchTemplate.get_version = get_version
    LaunchTemplateBackend.describe_launch_template_versions = describe_launch_template_versions
    LaunchTemplates.delete_launch_template_versions = delete_launch_template_versions
