"""EC2 CreateLaunchTemplateVersion: keep UserData as the base64 value moto expects.

CreateLaunchTemplate wraps ``LaunchTemplateData.UserData`` in moto's ``Base64EncodedString``;
CreateLaunchTemplateVersion stores the plain string.  An Auto Scaling group on version 2 or
later then fails to launch instances (``assert isinstance(user_data, Base64EncodedString)``
in moto: HTTP 500 from CreateAutoScalingGroup / UpdateAutoScalingGroup).
"""

from __future__ import annotations

from typing import Any

NAME = "ec2_launch_template_version_user_data"
MOTO_VERSION = "5.2.5"
GAP = (
    "CreateLaunchTemplateVersion stores UserData unencoded: an Auto Scaling group on template "
    "version >= 2 with user data answers HTTP 500"
)


def apply() -> None:
    from moto.core.types import Base64EncodedString
    from moto.ec2.models.launch_templates import LaunchTemplate
    from moto.ec2.utils import parse_user_data

    original = LaunchTemplate.create_version

    def create_version(self: Any, data: dict[str, Any], description: str) -> Any:
        user_data = data.get("UserData")
        if user_data is not None and not isinstance(user_data, Base64EncodedString):
            # Same validation (and InvalidUserData.Malformed error) as CreateLaunchTemplate.
            data = dict(data, UserData=parse_user_data(user_data))
        return original(self, data, description)

    LaunchTemplate.create_version = create_version
