provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"
}

resource "aws_acm_certificate" "site" {
  provider          = aws.us_east_1
  domain_name       = "example.com"
  validation_method = "DNS"
}

resource "aws_s3_bucket" "site" {
  provider = aws.europe
  bucket   = "example-site"
}
