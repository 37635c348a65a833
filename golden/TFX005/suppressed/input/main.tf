# tffix:ignore TFX005 -- production database, keep protection
resource "aws_rds_cluster" "prod" {
  engine              = "aurora-postgresql"
  deletion_protection = true
}

resource "aws_lb" "prod" {
  # tffix:ignore deletion-protection
  enable_deletion_protection = true
}
