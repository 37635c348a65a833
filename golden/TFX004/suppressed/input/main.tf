resource "aws_s3_bucket" "a" {
  bucket = "example-a"
}

resource "aws_s3_bucket_public_access_block" "a" {
  bucket = aws_s3_bucket.a.id
}

# tffix:ignore TFX004 -- created by a separate pipeline stage
resource "aws_s3_bucket_policy" "a" {
  bucket = aws_s3_bucket.a.id
  policy = "{}"
}
