data "aws_partition" "current" {}

resource "aws_cloudtrail" "gov" {
  name           = "gov"
  s3_bucket_name = "gov-trail-logs"

  event_selector {
    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws-us-gov:s3:::*/*"]
    }
  }
}

resource "aws_cloudtrail" "any" {
  name           = "any"
  s3_bucket_name = "any-trail-logs"

  event_selector {
    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:${data.aws_partition.current.partition}:s3:::*/*", "arn:aws:s3:::logs/"]
    }
  }
}
