# This file is maintained automatically by "tofu init".
# Manual edits may be lost in future updates.

provider "registry.opentofu.org/hashicorp/aws" {
  version     = "6.2.0"
  constraints = "~> 6.0"
  hashes = [
    "h1:Cq3Z6aYn7vK8mX2fVbN4tR1uW5sL9pE0dJ6hG3kQ7iA=",
  ]
}

# A lock file carried over from Terraform: OpenTofu reads this entry as
# registry.opentofu.org/hashicorp/random.
provider "registry.terraform.io/hashicorp/random" {
  version     = "3.6.0"
  constraints = ">= 3.0.0"
  hashes = [
    "h1:R5Ucn26riKIEijcsiOMBR3uOAjuOMfI1x7XvH4P6B1w=",
  ]
}
