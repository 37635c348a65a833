terraform {
  required_providers {
    # three parts: only the patch may move, so 5.40.0 is out
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.31.0"
    }
    # two parts: the minor may move, but not the major
    google = {
      source  = "hashicorp/google"
      version = "~> 4.84"
    }
    # one part means the same as two: 3.6.0 is in
    random = {
      source  = "hashicorp/random"
      version = "~> 3"
    }
    # an exact pin follows the lock file
    tls = {
      source  = "hashicorp/tls"
      version = "3.4.0"
    }
  }
}
