locals {
  name = "logs-${aws_s3_bucket.a.id}"
}

resource "aws_s3_bucket" "a" {
  bucket     = "a"
  depends_on = [aws_s3_bucket.b]
}

resource "aws_s3_bucket" "b" {
  bucket = local.name
}
