locals {
  projects = toset(["alpha", "beta"])
}

provider "google" {
  alias   = "alpha"
  project = "corp-alpha"
  region  = "europe-west1"
}

provider "google" {
  alias   = "beta"
  project = "corp-beta"
  region  = "europe-west1"
}

resource "google_storage_bucket" "state_alpha" {
  provider = google.alpha
  name     = "state-alpha"
  location = "EU"
}

resource "google_storage_bucket" "state_beta" {
  provider = google.beta
  name     = "state-beta"
  location = "EU"
}

moved {
  from = google_storage_bucket.state["alpha"]
  to   = google_storage_bucket.state_alpha
}

moved {
  from = google_storage_bucket.state["beta"]
  to   = google_storage_bucket.state_beta
}
