resource "aws_rds_cluster" "app" {
  cluster_identifier = "app"
  engine             = "aurora-postgresql"
  #checkov:skip=CKV_AWS_139:Ephemeral test stack
  #trivy:ignore:AVD-AWS-0343
  deletion_protection = false
  skip_final_snapshot = true
  master_username     = "admin"

  tags = {
    Stack = "test"
  }
}

resource "aws_db_instance" "reporting" {
  identifier     = "reporting"
  instance_class = "db.t3.micro"
  #checkov:skip=CKV_AWS_293:Ephemeral test stack
  #trivy:ignore:AVD-AWS-0177
  deletion_protection = false
  skip_final_snapshot = true
}
