variable "buckets" {
  type = map(string)
}

provider "aws" {
  for_each = toset(["us-east-1", "eu-west-1"])
  region   = each.key
}

resource "aws_s3_bucket" "b" {
  for_each = var.buckets
  provider = aws[each.key]
  bucket   = each.value
}
