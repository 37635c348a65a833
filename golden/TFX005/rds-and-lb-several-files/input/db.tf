resource "aws_rds_cluster" "app" {
  cluster_identifier  = "app"
  engine              = "aurora-postgresql"
  deletion_protection = true
  master_username     = "admin"

  tags = {
    Stack = "test"
  }
}

resource "aws_db_instance" "reporting" {
  identifier          = "reporting"
  instance_class      = "db.t3.micro"
  deletion_protection = true
  skip_final_snapshot = false
}
