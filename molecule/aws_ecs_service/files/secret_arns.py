"""Print, as JSON, the ARN of each named Secrets Manager secret that exists (no value is read).

No Ansible module describes a secret without its value. Usage: secret_arns.py ENDPOINT_URL NAME...
"""

from __future__ import annotations

import json
import sys

import boto3

endpoint, names = sys.argv[1], sys.argv[2:]
client = boto3.client(
    "secretsmanager", region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id="x", aws_secret_access_key="y"
)
arns = {}
for name in names:
    try:
        arns[name] = client.describe_secret(SecretId=name)["ARN"]
    except client.exceptions.ResourceNotFoundException:
        pass
print(json.dumps(arns))
