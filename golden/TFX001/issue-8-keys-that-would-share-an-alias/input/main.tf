provider "aws" {
  for_each = toset(["us-east-1", "us_east_1"])
  region   = "us-east-1"
}

resource "aws_s3_bucket" "b" {
  for_each = toset(["us-east-1", "us_east_1"])
  provider = aws[each.key]
  bucket   = "b-${replace(each.key, "_", "-")}"
}
