provider "aws" {
  region = "eu-west-1"
}

variable "access_logs_enabled" {
  type    = bool
  default = false
}

resource "aws_s3_bucket" "logs" {
  bucket = "my-alb-logs"
}

# The provider: `enabled` "Defaults to `false`, even when `bucket` is specified".
resource "aws_lb" "default_off" {
  name    = "default-off"
  subnets = ["subnet-0123", "subnet-4567"]

  access_logs {
    bucket = aws_s3_bucket.logs.id
  }
}

resource "aws_lb" "variable_off" {
  name    = "variable-off"
  subnets = ["subnet-0123", "subnet-4567"]

  access_logs {
    bucket  = aws_s3_bucket.logs.id
    enabled = var.access_logs_enabled
  }
}

# Network load balancers log through delivery.logs.amazonaws.com: not this rule's business.
resource "aws_lb" "network" {
  name               = "network"
  load_balancer_type = "network"
  subnets            = ["subnet-0123", "subnet-4567"]

  access_logs {
    bucket  = aws_s3_bucket.logs.id
    enabled = true
  }
}
