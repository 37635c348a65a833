resource "aws_lb" "public" {
  name                       = "public"
  enable_deletion_protection = true
}

resource "aws_alb" "internal" {
  name     = "internal"
  internal = true

  enable_deletion_protection = true
}
