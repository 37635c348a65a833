provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"
}

provider "aws" {
  alias  = "us_east_1_2"
  region = "us-east-1"
}

resource "aws_s3_bucket" "b_us_east_1" {
  provider = aws.us_east_1
  bucket   = "b-${replace("us-east-1", "_", "-")}"
}

resource "aws_s3_bucket" "b_us_east_1_2" {
  provider = aws.us_east_1_2
  bucket   = "b-${replace("us_east_1", "_", "-")}"
}

moved {
  from = aws_s3_bucket.b["us-east-1"]
  to   = aws_s3_bucket.b_us_east_1
}

moved {
  from = aws_s3_bucket.b["us_east_1"]
  to   = aws_s3_bucket.b_us_east_1_2
}
