"""Elastic Load Balancing access logs: who writes them into a bucket, by region.

From "Enable access logs for your Application Load Balancer", step 2, "Attach a
policy to your S3 bucket" (docs.aws.amazon.com/elasticloadbalancing/latest/
application/enable-access-logging.html; the text as archived in
github.com/awsdocs/elb-application-load-balancers-user-guide, doc_source/
enable-access-logging.md, June 2023):

- "Regions available before August 2022": the bucket policy grants
  ``s3:PutObject`` to the Elastic Load Balancing account of the region,
  ``"Principal": {"AWS": "arn:aws:iam::elb-account-id:root"}`` (the table below;
  the two China regions from the AWS provider's ``aws_elb_service_account`` data
  source, hashicorp/terraform-provider-aws internal/service/elb/
  service_account_data_source.go, which gives that ARN and fails in any region
  it does not list);
- "Regions available as of August 2022 or later" (Hyderabad, Melbourne, Spain,
  Zurich, UAE when written; every region opened since): the log delivery
  service, ``"Principal": {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}``;
- both on ``arn:aws:s3:::bucket-name/prefix/AWSLogs/aws-account-id/*``.  No
  statement is documented as working in every region.
"""

from __future__ import annotations

import re

LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com"

ACCOUNTS = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-southeast-3": "589379963580",
    "ap-south-1": "718504428378",
    "ap-northeast-3": "383597477331",
    "ap-northeast-2": "600734575887",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-northeast-1": "582318560864",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-south-1": "635631232127",
    "eu-west-3": "009996457667",
    "eu-north-1": "897822967062",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
    "us-gov-west-1": "048591011584",
    "us-gov-east-1": "190560391635",
    "cn-north-1": "638102146993",
    "cn-northwest-1": "037604701340",
}

_REGION = re.compile(r"[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+")


def principal(region: str) -> tuple[str, str] | None:
    """``("AWS", account id)`` or ``("Service", LOG_DELIVERY_SERVICE)`` for a region; None for a
    string that is not a region name."""
    if region in ACCOUNTS:
        return ("AWS", ACCOUNTS[region])
    if _REGION.fullmatch(region) and "-iso" not in region:
        return ("Service", LOG_DELIVERY_SERVICE)
    return None
