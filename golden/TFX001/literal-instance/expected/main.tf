provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"
}

provider "aws" {
  alias  = "eu_west_1"
  region = "eu-west-1"
}

# ACM certificates for CloudFront must live in us-east-1.
resource "aws_acm_certificate" "cdn" {
  provider          = aws.us_east_1
  domain_name       = "example.com"
  validation_method = "DNS"
}
