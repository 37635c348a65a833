resource "aws_neptune_cluster" "graph" {
  cluster_identifier = "graph"
  #checkov:skip=CKV2_AWS_58:Ephemeral test stack
  deletion_protection = false
  skip_final_snapshot = true
}

resource "aws_docdb_cluster" "docs" {
  cluster_identifier  = "docs"
  deletion_protection = false
  skip_final_snapshot = true
}

resource "aws_dynamodb_table" "sessions" {
  name                        = "sessions"
  hash_key                    = "id"
  deletion_protection_enabled = false

  attribute {
    name = "id"
    type = "S"
  }
}
