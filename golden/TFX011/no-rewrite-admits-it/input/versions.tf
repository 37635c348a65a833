terraform {
  required_providers {
    # the locked version is the one excluded: no constraint of this form admits it
    aws = {
      source  = "hashicorp/aws"
      version = "!= 5.40.0"
    }
    # a prerelease is admitted only where a constraint names it exactly
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = ">= 2.0"
    }
    # no constraint at all: any locked version is admitted
    random = {
      source = "hashicorp/random"
    }
  }
}
