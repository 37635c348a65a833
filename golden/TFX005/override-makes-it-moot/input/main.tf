resource "aws_rds_cluster" "app" {
  cluster_identifier  = "app"
  engine              = "aurora-postgresql"
  deletion_protection = true
}
