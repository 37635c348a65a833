# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/aws" {
  version     = "6.22.1"
  constraints = "~> 6.0"
  hashes = [
    "h1:2vKLf6sUEZYFTzmF6xZGGPl1u7ryVxHLk64fSt81P9M=",
    "zh:0a4c1d9e5e3d2f5d6b8c7a9e0f1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d",
  ]
}

provider "registry.terraform.io/hashicorp/archive" {
  version     = "2.7.1"
  constraints = "~> 2.0"
  hashes = [
    "h1:62VrkalDPMKB9zerCBS4iKTbvxejwnAWn/XXYZZQWD4=",
  ]
}

provider "registry.terraform.io/hashicorp/random" {
  version     = "3.7.2"
  constraints = ">= 3.1.0"
  hashes = [
    "h1:356j/3XnXEKr9nyicLUufzoF4Yr6hRy481KIxRVpK0c=",
  ]
}

provider "registry.terraform.io/hashicorp/tls" {
  version     = "4.1.0"
  constraints = "~> 4.0"
  hashes = [
    "h1:zEv9tY1KR5vaLSyp2lkrucNJ+Vq3c+sTFK9GyQGLtFs=",
  ]
}
