"""Print a CloudWatch dashboard as JSON ({"exists": false} when there is none).

Neither amazon.aws nor community.aws reads dashboards, so verify.yml and destroy.yml use boto3
through this script. Endpoint, region and keys come from the environment (AWS_ENDPOINT_URL, ...).
"""

import json
import sys

import boto3


def main(name: str) -> None:
    client = boto3.client("cloudwatch")
    try:
        reply = client.get_dashboard(DashboardName=name)
    except client.exceptions.ResourceNotFound:
        print(json.dumps({"exists": False}))
        return
    body = json.loads(reply["DashboardBody"])
    print(json.dumps({"exists": True, "name": reply["DashboardName"], "body": body}))


if __name__ == "__main__":
    main(sys.argv[1])
