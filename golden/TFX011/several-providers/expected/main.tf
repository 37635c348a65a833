# The deprecated provider-block constraint still counts.
provider "tls" {
  version = "~> 4.0"
}

resource "random_id" "suffix" {
  byte_length = 4
}

resource "aws_s3_bucket" "artifacts" {
  bucket = "artifacts-${random_id.suffix.hex}"
}
