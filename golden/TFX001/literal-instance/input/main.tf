provider "aws" {
  alias    = "region"
  for_each = toset(["us-east-1", "eu-west-1"])
  region   = each.key
}

# ACM certificates for CloudFront must live in us-east-1.
resource "aws_acm_certificate" "cdn" {
  provider          = aws.region["us-east-1"]
  domain_name       = "example.com"
  validation_method = "DNS"
}
