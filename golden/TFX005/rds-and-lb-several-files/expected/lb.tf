resource "aws_lb" "public" {
  name = "public"
  #checkov:skip=CKV_AWS_150:Ephemeral test stack
  enable_deletion_protection = false
}

resource "aws_alb" "internal" {
  name     = "internal"
  internal = true

  #checkov:skip=CKV_AWS_150:Ephemeral test stack
  enable_deletion_protection = false
}
