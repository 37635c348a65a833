provider "aws" {
  for_each = ["us-east-1", "eu-west-1"]
  region   = each.key
}

resource "aws_s3_bucket" "logs" {
  for_each = ["us-east-1", "eu-west-1"]
  provider = aws[each.key]
  bucket   = "logs-${each.key}"
}

resource "aws_s3_bucket_versioning" "logs" {
  for_each = ["us-east-1", "eu-west-1"]
  provider = aws[each.key]
  bucket   = aws_s3_bucket.logs[each.key].id

  versioning_configuration {
    status = "Enabled"
  }
}

output "bucket_ids" {
  value = [for b in aws_s3_bucket.logs : b.id]
}

output "eu_bucket" {
  value = aws_s3_bucket.logs["eu-west-1"].arn
}
