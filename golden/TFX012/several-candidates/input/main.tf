variable "bucket_name" {
  type = string
}

variable "bucket_names" {
  type = list(string)
}

variable "region" {
  type = string
}

locals {
  log_prefix = "logs/"
}

resource "aws_s3_bucket" "logs" {
  # `bucket_nam` is one edit from both variables: no fix, both listed
  bucket = var.bucket_nam
}

resource "aws_s3_bucket" "logs2" {
  bucket = "${var.bucket_name}-2"
}

resource "aws_s3_object" "marker" {
  # `log` is one edit from two buckets
  bucket = aws_s3_bucket.log.id
  # nothing close: the nearest locals are listed
  key = "${local.log_prefx_old}marker"
  # nothing of the kind is declared at all
  source = data.archive_file.marker.output_path
}
