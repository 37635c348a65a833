resource "aws_db_instance" "test" {
  identifier          = "test-db"
  instance_class      = "db.t3.micro"
  deletion_protection = true
}
