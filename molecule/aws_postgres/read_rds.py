"""Print, as JSON, the RDS resources and RDS-managed secrets whose names start with a prefix.

Neither AWS collection reads DB parameter values, subnet groups or RDS-managed secrets, so
prepare.yml, verify.yml and destroy.yml use boto3 through this script. Endpoint, region and keys
come from the environment (AWS_ENDPOINT_URL, ...).
"""

import json
import sys

import boto3


def tags_of(client, arn: str) -> dict:
    return {t["Key"]: t["Value"] for t in client.list_tags_for_resource(ResourceName=arn)["TagList"]}


def main(prefix: str) -> None:
    rds = boto3.client("rds")

    def ours(name: str) -> bool:
        return name.lower().startswith(prefix.lower())

    instances = [i for i in rds.describe_db_instances()["DBInstances"] if ours(i["DBInstanceIdentifier"])]
    subnet_groups = {
        g["DBSubnetGroupName"]: tags_of(rds, g["DBSubnetGroupArn"])
        for g in rds.describe_db_subnet_groups()["DBSubnetGroups"]
        if ours(g["DBSubnetGroupName"])
    }
    parameter_groups = {}
    for group in rds.describe_db_parameter_groups()["DBParameterGroups"]:
        if ours(group["DBParameterGroupName"]):
            user = rds.describe_db_parameters(DBParameterGroupName=group["DBParameterGroupName"], Source="user")
            parameter_groups[group["DBParameterGroupName"]] = {
                "family": group["DBParameterGroupFamily"],
                "tags": tags_of(rds, group["DBParameterGroupArn"]),
                "user_parameters": {p["ParameterName"]: p.get("ParameterValue") for p in user["Parameters"]},
            }
    snapshots = {
        s["DBSnapshotIdentifier"]: {t["Key"]: t["Value"] for t in s.get("TagList", [])}
        for s in rds.describe_db_snapshots(SnapshotType="manual")["DBSnapshots"]
        if ours(s["DBSnapshotIdentifier"])
    }
    secrets = {}
    for secret in boto3.client("secretsmanager").list_secrets()["SecretList"]:
        tags = {t["Key"]: t["Value"] for t in secret.get("Tags", [])}
        owner = tags.get("aws:rds:primaryDBInstanceArn", "")
        if ours(owner.rpartition(":db:")[2]) and ":db:" in owner:
            secrets[secret["ARN"]] = owner
    print(
        json.dumps(
            {
                "instances": [i["DBInstanceIdentifier"] for i in instances],
                "subnet_groups": subnet_groups,
                "parameter_groups": parameter_groups,
                "snapshots": snapshots,
                "secrets": secrets,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
