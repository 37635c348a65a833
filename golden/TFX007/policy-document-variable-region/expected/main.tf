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

  statement {
    sid       = "AWSELBAccessLogsWrite"
    effect    = "Allow"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.logs.arn}/alb/web/AWSLogs/${data.aws_caller_identity.current.account_id}/*"]

    principals {
      type        = "AWS"
      identifiers = [data.aws_elb_service_account.current.arn]
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

data "aws_caller_identity" "current" {}

data "aws_elb_service_account" "current" {}
