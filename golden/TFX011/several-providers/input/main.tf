# The deprecated provider-block constraint still counts.
provider "tls" {
  version = "~> 3.1"
}

resource "random_id" "suffix" {
  byte_length = 4
}

resource "aws_s3_bucket" "artifacts" {
  bucket = "artifacts-${random_id.suffix.hex}"
}
