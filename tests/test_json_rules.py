"""Rules on `.tf.json` files: a fix where it is a plain JSON value change, a finding without one otherwise."""

from __future__ import annotations

import json

from tffix.api import fix_sources

RDS = {
    "resource": {
        "aws_rds_cluster": {
            "app": {"cluster_identifier": "app", "engine": "aurora-postgresql", "deletion_protection": True}
        }
    }
}


def test_a_literal_json_value_is_changed_in_place():
    text = json.dumps(RDS, indent=2) + "\n"
    result = fix_sources({"main.tf.json": text}, select=["TFX005"], unsafe=True)
    codes = sorted((f.code, f.fix is not None) for f in result.findings)
    assert codes == [("TFX005", False), ("TFX005", True)]  # skip_final_snapshot would need a new key
    fixed = result.fixed["main.tf.json"]
    assert fixed == text.replace('"deletion_protection": true', '"deletion_protection": false')
    assert json.loads(fixed)["resource"]["aws_rds_cluster"]["app"]["deletion_protection"] is False


def test_a_key_to_rename_is_reported_without_a_fix():
    text = json.dumps(
        {"resource": {"aws_flow_log": {"x": {"log_destination_arn": "${aws_s3_bucket.b.arn}"}}}}
    )
    result = fix_sources({"flow.tf.json": text}, select=["TFX002"])
    [finding] = result.findings
    assert finding.fix is None and text[finding.span.start : finding.span.end] == '"${aws_s3_bucket.b.arn}"'
    assert result.fixed == {} and result.problems == []
