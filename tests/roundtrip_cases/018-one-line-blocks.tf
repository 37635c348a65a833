resource "x" "y" {}
locals { a = 1 }
terraform { required_version = ">= 1.0" }
