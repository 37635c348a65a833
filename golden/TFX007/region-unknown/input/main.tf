variable "region" {
  type = string
}

provider "aws" {
  region = var.region
}

resource "aws_s3_bucket" "logs" {
  bucket = "my-alb-logs"
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AllowReaders"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::111122223333:role/reader" }
        Action    = "s3:GetObject"
        Resource  = "${aws_s3_bucket.logs.arn}/*"
      },
    ]
  })
}

resource "aws_lb" "web" {
  name    = "web"
  subnets = ["subnet-0123", "subnet-4567"]

  access_logs {
    bucket  = aws_s3_bucket.logs.id
    enabled = true
  }
}
