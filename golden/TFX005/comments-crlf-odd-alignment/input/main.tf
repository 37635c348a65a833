resource "aws_rds_cluster" "db" {
  #checkov:skip=CKV_AWS_139:Test stack, torn down nightly
  engine = "aurora-mysql"
  # protection off in test
  deletion_protection   =   true # was on
  final_snapshot_identifier = "db-final"
}

# trivy:ignore:AVD-AWS-0177
resource "aws_db_instance" "legacy" {
  deletion_protection = true
}
