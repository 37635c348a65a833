provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"
}

provider "aws" {
  alias  = "eu_west_1"
  region = "eu-west-1"
}

resource "aws_s3_bucket" "logs_us_east_1" {
  provider = aws.us_east_1
  bucket   = "logs-us-east-1"
}

resource "aws_s3_bucket" "logs_eu_west_1" {
  provider = aws.eu_west_1
  bucket   = "logs-eu-west-1"
}

locals {
  logs = {
    "us-east-1" = aws_s3_bucket.logs_us_east_1
    "eu-west-1" = aws_s3_bucket.logs_eu_west_1
  }
}

moved {
  from = aws_s3_bucket.logs["us-east-1"]
  to   = aws_s3_bucket.logs_us_east_1
}

moved {
  from = aws_s3_bucket.logs["eu-west-1"]
  to   = aws_s3_bucket.logs_eu_west_1
}

resource "aws_s3_bucket_versioning" "logs_us_east_1" {
  provider = aws.us_east_1
  bucket   = aws_s3_bucket.logs_us_east_1.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_versioning" "logs_eu_west_1" {
  provider = aws.eu_west_1
  bucket   = aws_s3_bucket.logs_eu_west_1.id

  versioning_configuration {
    status = "Enabled"
  }
}

moved {
  from = aws_s3_bucket_versioning.logs["us-east-1"]
  to   = aws_s3_bucket_versioning.logs_us_east_1
}

moved {
  from = aws_s3_bucket_versioning.logs["eu-west-1"]
  to   = aws_s3_bucket_versioning.logs_eu_west_1
}

output "bucket_ids" {
  value = [for b in local.logs : b.id]
}

output "eu_bucket" {
  value = aws_s3_bucket.logs_eu_west_1.arn
}
