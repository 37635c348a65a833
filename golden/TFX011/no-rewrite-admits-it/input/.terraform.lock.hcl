# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/aws" {
  version     = "5.40.0"
  constraints = "!= 5.39.0"
  hashes = [
    "h1:KEqMoJwLw6Z9bTO4K8nPVvQQa6YiM+bvz89Sw7tNFJw=",
  ]
}

provider "registry.terraform.io/hashicorp/kubernetes" {
  version     = "3.0.0-pre2"
  constraints = "3.0.0-pre2"
  hashes = [
    "h1:u8S9bW2pE4mT7xJ1vQ6nK3hL0fY5cR9dA2gZ8oN4iXs=",
  ]
}

provider "registry.terraform.io/hashicorp/random" {
  version     = "3.6.0"
  hashes = [
    "h1:R5Ucn26riKIEijcsiOMBR3uOAjuOMfI1x7XvH4P6B1w=",
  ]
}
