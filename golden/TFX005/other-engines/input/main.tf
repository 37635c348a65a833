resource "aws_neptune_cluster" "graph" {
  cluster_identifier  = "graph"
  deletion_protection = true
}

resource "aws_docdb_cluster" "docs" {
  cluster_identifier  = "docs"
  deletion_protection = true
  skip_final_snapshot = false
}

resource "aws_dynamodb_table" "sessions" {
  name                        = "sessions"
  hash_key                    = "id"
  deletion_protection_enabled = true

  attribute {
    name = "id"
    type = "S"
  }
}
