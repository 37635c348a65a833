variable "region" {
  type    = string
  default = "us-east-1"
}

provider "aws" {
  region = var.region
}

locals {
  log_bucket = aws_s3_bucket.logs.id
}

resource "aws_s3_bucket" "logs" {
  bucket = "my-alb-logs"
}

data "aws_iam_policy_document" "logs" {
  statement {
    sid       = "AllowReaders"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.logs.arn}/*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:role/reader"]
    }
  }
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = data.aws_iam_policy_document.logs.json
}

resource "aws_lb" "web" {
  name    = "web"
  subnets = ["subnet-0123", "subnet-4567"]

  access_logs {
    bucket  = local.log_bucket
    prefix  = "alb/web"
    enabled = true
  }
}
