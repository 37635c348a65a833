resource "aws_s3_bucket" "a" {
  bucket = "example-a"
}

resource "aws_s3_bucket_versioning" "a" {
  bucket = aws_s3_bucket.a.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_public_access_block" "a" {
  bucket = aws_s3_bucket.a.id
}

resource "aws_s3_bucket_policy" "a" {
  bucket = aws_s3_bucket_public_access_block.a.bucket
  policy = "{}"
}

resource "aws_s3_bucket_replication_configuration" "a" {
  role   = aws_iam_role.replication.arn
  bucket = aws_s3_bucket_versioning.a.bucket

  rule {
    status = "Enabled"
    destination {
      bucket = var.destination_arn
    }
  }
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.a.id
  depends_on     = [aws_s3_bucket_policy.a]
}

resource "aws_flow_log" "vpc" {
  log_destination      = var.log_bucket_arn
  log_destination_type = "s3"
  vpc_id               = aws_vpc.main.id
}
