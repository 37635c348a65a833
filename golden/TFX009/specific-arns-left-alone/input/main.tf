variable "buckets" {
  type = list(string)
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "my-trail-logs"

  event_selector {
    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws:s3", "arn:aws:s3:::bucket/", "arn:aws:s3:::bucket/prefix*"]
    }

    data_resource {
      type   = "AWS::Lambda::Function"
      values = var.buckets
    }
  }
}
