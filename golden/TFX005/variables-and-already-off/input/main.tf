variable "protect" {
  type    = bool
  default = true
}

resource "aws_rds_cluster" "db" {
  engine              = "aurora-postgresql"
  deletion_protection = var.protect
  skip_final_snapshot = !var.protect
}

resource "aws_db_instance" "kept" {
  deletion_protection       = false
  final_snapshot_identifier = "kept-final"
}

resource "aws_lb" "lb" {
  enable_deletion_protection = var.protect ? true : false
}

resource "aws_dynamodb_table" "t" {
  name     = "t"
  hash_key = "id"

  attribute {
    name = "id"
    type = "S"
  }
}

resource "aws_neptune_cluster" "g" {
  skip_final_snapshot = true
}
