# The test stack turns protection off and keeps no final snapshot.
resource "aws_rds_cluster" "app" {
  deletion_protection = false
  skip_final_snapshot = true
}
