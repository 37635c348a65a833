locals {
  policy = <<POLICY
{}
POLICY  
  after = 1
}
