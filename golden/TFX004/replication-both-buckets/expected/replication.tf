resource "aws_s3_bucket_replication_configuration" "r" {
  role   = aws_iam_role.replication.arn
  bucket = aws_s3_bucket.src.id # source bucket

  depends_on = [aws_s3_bucket_versioning.src, aws_s3_bucket_versioning.dst]

  rule {
    id     = "all"
    status = "Enabled"

    destination {
      bucket = aws_s3_bucket.dst.arn
    }
  }
}

# Expire old versions after a month.
resource "aws_s3_bucket_lifecycle_configuration" "src" {
  bucket = aws_s3_bucket.src.id

  depends_on = [aws_s3_bucket_versioning.src]

  rule {
    id     = "noncurrent"
    status = "Enabled"

    noncurrent_version_expiration {
      noncurrent_days = 30
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "dst" {
  bucket = aws_s3_bucket.dst.id

  rule {
    id     = "current-only"
    status = "Enabled"

    expiration {
      days = 90
    }
  }
}
