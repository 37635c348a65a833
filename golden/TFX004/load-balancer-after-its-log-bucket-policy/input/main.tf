resource "aws_s3_bucket" "lb_logs" {
  bucket = "lb-logs"
}

resource "aws_s3_bucket_policy" "lb_logs" {
  bucket = aws_s3_bucket.lb_logs.id
  policy = data.aws_iam_policy_document.lb_logs.json
}

resource "aws_lb" "web" {
  name               = "web"
  load_balancer_type = "application"
  subnets            = ["subnet-1", "subnet-2"]

  access_logs {
    bucket  = aws_s3_bucket.lb_logs.id
    enabled = true
  }
}
