resource "aws_rds_cluster" "db" {
  #checkov:skip=CKV_AWS_139:Test stack, torn down nightly
  engine = "aurora-mysql"
  # protection off in test
  #trivy:ignore:AVD-AWS-0343
  deletion_protection   =   false # was on
  final_snapshot_identifier = "db-final"
}

# trivy:ignore:AVD-AWS-0177
resource "aws_db_instance" "legacy" {
  #checkov:skip=CKV_AWS_293:Ephemeral test stack
  deletion_protection = false
  skip_final_snapshot = true
}
